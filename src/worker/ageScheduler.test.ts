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
    s.finished(1, 100, 100);
    expect(s.pick([1, 2, 3], 100)).toBe(2);
    s.finished(2, 200, 100);
    expect(s.pick([1, 2, 3], 200)).toBe(3);
    s.finished(3, 300, 100);
    expect(s.pick([1, 2, 3], 300)).toBe(1);
    expect(s.pick([2, 3], 300)).toBe(2); // face 1 left the frame
    expect(s.pick([], 300)).toBeUndefined();
  });

  it('runs back to back while the overlay keeps up with the camera', () => {
    const s = new AgeScheduler();
    frames(s, 0, 1000, 30, 30);
    s.finished(1, 1000, 150);
    expect(s.stats(1000).pauseMs).toBe(0);
    expect(s.pick([1], 1000)).toBe(1);
  });

  it('pauses between runs while the overlay lags, and recovers', () => {
    const s = new AgeScheduler();
    let t = 0;
    for (let k = 0; k < 5; k++, t += 1000) {
      frames(s, t, t + 1000, 30, 15);
      s.finished(1, t + 1000, 150);
    }
    const { pauseMs } = s.stats(t);
    expect(pauseMs).toBeGreaterThan(100);
    expect(s.pick([1], t)).toBeUndefined();
    expect(s.pick([1], t + pauseMs)).toBe(1);
    for (let k = 0; k < 40; k++, t += 1000) {
      frames(s, t, t + 1000, 30, 30);
      s.finished(1, t + 1000, 150);
    }
    expect(s.stats(t).pauseMs).toBe(0);
  });

  it('does not throttle for an overlay that is only as slow as the camera', () => {
    const s = new AgeScheduler();
    frames(s, 0, 1000, 12, 12);
    s.finished(1, 1000, 150);
    expect(s.stats(1000).pauseMs).toBe(0);
  });

  it('never pauses longer than maxPauseMs', () => {
    const s = new AgeScheduler({ maxPauseMs: 400 });
    for (let t = 0; t < 60_000; t += 1000) {
      frames(s, t, t + 1000, 30, 5);
      s.finished(1, t + 1000, 500);
    }
    expect(s.stats(60_000).pauseMs).toBe(400);
  });
});
