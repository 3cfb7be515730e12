import { describe, expect, it } from 'vitest';
import type { FivePoints } from '../geometry/points';
import { FaceTracker, type Detection } from './tracker';

const points: FivePoints = [[0, 0], [1, 0], [0.5, 0.5], [0, 1], [1, 1]];
const face = (x: number, y: number, size = 100): Detection => ({ box: { x, y, width: size, height: size }, points5: points });

describe('FaceTracker', () => {
  it('keeps ids for faces that move a little, in any detection order', () => {
    const tracker = new FaceTracker();
    const first = tracker.update([face(0, 0), face(400, 0)], 0).visible.map((t) => t.id);
    expect(new Set(first).size).toBe(2);
    let left = face(0, 0), right = face(400, 0);
    for (let frame = 1; frame <= 100; frame++) {
      left = face(left.box.x + 3, left.box.y + 1);
      right = face(right.box.x - 2, right.box.y + 2);
      // The detector reports faces in no fixed order.
      const dets = frame % 2 ? [right, left] : [left, right];
      const ids = tracker.update(dets, frame * 33).visible.map((t) => t.id);
      expect(frame % 2 ? ids.reverse() : ids).toEqual(first);
    }
  });

  it('follows a fast move by centre distance when boxes no longer overlap much', () => {
    const tracker = new FaceTracker();
    const [a] = tracker.update([face(100, 100)], 0).visible;
    const [b] = tracker.update([face(135, 100)], 33).visible; // IoU about 0.48
    const [c] = tracker.update([face(170, 130, 90)], 66).visible; // IoU about 0.36, centre ~0.45 side
    expect(b.id).toBe(a.id);
    expect(c.id).toBe(a.id);
  });

  it('starts new tracks for faces elsewhere (a scene change) and ends old ones after the grace period', () => {
    const tracker = new FaceTracker({ graceMs: 500 });
    const old = tracker.update([face(0, 0), face(400, 0)], 0).visible.map((t) => t.id);
    const fresh = tracker.update([face(200, 300)], 33).visible.map((t) => t.id);
    expect(old).not.toContain(fresh[0]);
    expect(tracker.activeIds.sort()).toEqual([...old, ...fresh].sort());
    const { ended } = tracker.update([face(200, 300)], 530);
    expect(ended.sort()).toEqual(old.sort());
    expect(tracker.activeIds).toEqual(fresh);
  });

  it('gives a face lost for a moment its old id back within the grace period', () => {
    const tracker = new FaceTracker({ graceMs: 700 });
    const [a] = tracker.update([face(50, 50)], 0).visible;
    expect(tracker.update([], 200).visible).toEqual([]);
    const [back] = tracker.update([face(55, 52)], 400).visible;
    expect(back.id).toBe(a.id);
    expect(back.firstSeen).toBe(0);
  });

  it('never gives two detections the same track', () => {
    const tracker = new FaceTracker();
    tracker.update([face(0, 0)], 0);
    const ids = tracker.update([face(5, 0), face(65, 0)], 33).visible.map((t) => t.id);
    expect(new Set(ids).size).toBe(2);
  });
});

describe('FaceTracker duplicates', () => {
  it('reports a face detected twice once, under its existing id', () => {
    const tracker = new FaceTracker();
    const [a] = tracker.update([face(100, 100)], 0).visible;
    const { visible } = tracker.update([face(110, 105, 95), face(102, 101)], 33);
    expect(visible.map((t) => t.id)).toEqual([a.id]);
    expect(visible[0].box.x).toBe(102);
    expect(tracker.activeIds).toEqual([a.id]);
  });
});

describe('FaceTracker false meshes', () => {
  it('drops a box that spans two faces', () => {
    const tracker = new FaceTracker();
    const { visible } = tracker.update([face(0, 50), face(200, 50), face(-20, 0, 340)], 0);
    expect(visible.map((t) => t.box.x)).toEqual([0, 200]);
  });
});
