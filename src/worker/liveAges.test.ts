import { describe, expect, it } from 'vitest';
import { gaussianTarget, summarize } from '../age/distribution';
import { AGE_RATE_WINDOW_MS, LiveAges, TRACE_LENGTH } from './liveAges';
import type { AgeResult } from './protocol';
import type { FivePoints } from '../geometry/points';

const box = { x: 10, y: 20, width: 100, height: 120 };
const points5: FivePoints = [[40, 60], [80, 60], [60, 80], [45, 100], [75, 100]];

function estimate(mean: number, std = 4): AgeResult {
  const distribution = gaussianTarget(mean, std);
  return { distribution, summary: summarize(distribution), members: [] };
}

describe('LiveAges', () => {
  it('shows a face without ages until its first update, then its newest and fused estimates', () => {
    const ages = new LiveAges();
    expect(ages.face(1, box, points5)).toEqual({ trackId: 1, box, points5, latest: undefined, fused: undefined, ageUpdates: 0 });
    ages.update(1, estimate(30), 0);
    ages.update(1, estimate(34), 100);
    const face = ages.face(1, box, points5);
    expect(face.ageUpdates).toBe(2);
    expect(face.latest?.summary.mean).toBeCloseTo(34, 1);
    // Fused over both frames: between the two.
    expect(face.fused!.summary.mean).toBeGreaterThan(30.5);
    expect(face.fused!.summary.mean).toBeLessThan(33.5);
    // Another track is untouched.
    expect(ages.face(2, box, points5).ageUpdates).toBe(0);
  });

  it('counts updates per second over the rate window only', () => {
    const ages = new LiveAges();
    for (const at of [0, 500, 1000, 1500, 2000, 2500]) ages.update(7, estimate(40), at);
    expect(ages.perSecond(7, 2500)).toBeCloseTo((6 * 1000) / AGE_RATE_WINDOW_MS);
    // A second later the update at 0 ms has left the window.
    expect(ages.perSecond(7, 3400)).toBeCloseTo((5 * 1000) / AGE_RATE_WINDOW_MS);
    expect(ages.perSecond(8, 2500)).toBe(0);
  });

  it('starts a forgotten track afresh but keeps the trace, which stays bounded', () => {
    const ages = new LiveAges();
    ages.update(3, estimate(70), 0);
    ages.forget(3);
    ages.update(3, estimate(20), 50);
    expect(ages.face(3, box, points5).ageUpdates).toBe(1);
    expect(ages.face(3, box, points5).fused!.summary.mean).toBeCloseTo(20, 0);
    expect(ages.trace.map((e) => e.trackId)).toEqual([3, 3]);
    expect(ages.trace[0].raw).toBeCloseTo(70, 0);

    for (let i = 0; i < TRACE_LENGTH + 10; i++) ages.update(4, estimate(25), 100 + i);
    expect(ages.trace).toHaveLength(TRACE_LENGTH);
    expect(ages.trace.at(-1)!.at).toBe(100 + TRACE_LENGTH + 9);
    ages.clear();
    expect(ages.face(4, box, points5).ageUpdates).toBe(0);
    expect(ages.trace).toHaveLength(TRACE_LENGTH);
  });
});
