import { describe, expect, it } from 'vitest';
import { AgeScheduler } from './ageScheduler';

/** Feeds `fps` camera frames and `overlayFps` overlay frames per second during [from, to). */
function frames(s: AgeScheduler, from: number, to: number, fps: number, overlayFps: number): void {
  for (let t = from; t < to; t += 1000 / fps) s.videoFrame(t);
  for (let t = from; t < to; t += 1000 / overlayFps) s.overlayFrame(t);
}

describe('AgeScheduler', () => {
  it('serves new faces first, then the one that waited longest', () => {
    const s = new AgeScheduler();
    expect(s.pick([1, 2, 3], 0)).toBe(1);
    s.finished(1, 100);
    expect(s.pick([1, 2, 3], 400)).toBe(2);
    s.finished(2, 400);
    expect(s.pick([1, 2, 3], 700)).toBe(3);
    s.finished(3, 700);
    expect(s.pick([1, 2, 3], 1000)).toBe(1);
    expect(s.pick([2, 3], 1000)).toBe(2); // face 1 left the frame
    expect(s.pick([], 1000)).toBeUndefined();
  });

  it('runs back to back while the overlay keeps up with the camera', () => {
    const s = new AgeScheduler();
    frames(s, 0, 1000, 30, 30);
    s.finished(1, 1000);
    expect(s.canRun(1000)).toBe(true);
    expect(s.pick([1], 1000)).toBe(1);
  });

  it('holds ages back while the overlay lags, at most maxPauseMs after the last run', () => {
    const s = new AgeScheduler({ maxPauseMs: 300 });
    frames(s, 0, 1000, 30, 15);
    s.finished(1, 1000);
    expect(s.pick([1], 1000)).toBeUndefined();
    expect(s.stats(1000).holding).toBe(true);
    expect(s.pick([1], 1299)).toBeUndefined();
    expect(s.pick([1], 1300)).toBe(1);
  });

  it('holds back less with more faces, so each still gets a new age every 1/minRefreshHz s', () => {
    const s = new AgeScheduler({ maxPauseMs: 300, minRefreshHz: 1 });
    frames(s, 0, 1000, 30, 15);
    s.finished(1, 1000, 150);
    // Three faces: a run every 333 ms, of which 150 ms is the run itself.
    expect(s.pick([1, 2, 3], 1182)).toBeUndefined();
    expect(s.pick([1, 2, 3], 1184)).toBe(2);
  });

  it('does not hold back for an overlay that is only as slow as the camera', () => {
    const s = new AgeScheduler();
    frames(s, 0, 1000, 12, 12);
    s.finished(1, 1000);
    expect(s.canRun(1000)).toBe(true);
  });

  it('counts a frame of jitter as keeping up', () => {
    const s = new AgeScheduler({ targetFps: 25 });
    frames(s, 0, 1000, 30, 24);
    s.finished(1, 1000);
    expect(s.canRun(1000)).toBe(true);
  });
});
