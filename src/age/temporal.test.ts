import { describe, expect, it } from 'vitest';
import { gaussianTarget, summarize } from './distribution';
import { AgeFilter } from './temporal';

/** Small deterministic PRNG (mulberry32) so the noise test is reproducible. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const gauss = (r: () => number) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
const std = (xs: number[]) => {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length);
};

describe('AgeFilter', () => {
  it("summarises the fused distribution with the statistic the frames' ensemble shows", () => {
    const child = gaussianTarget(2, 6);
    const byMedian = new AgeFilter().update(child, 0, 'median').summary;
    expect(byMedian.estimate).toBe('median');
    expect(byMedian.age).toBe(byMedian.median);
    const byMean = new AgeFilter().update(child, 0).summary;
    expect(byMean.age).toBe(byMean.mean);
    expect(byMedian.median).toBeLessThan(byMean.mean);
  });

  it('starts from the first frame and stays a distribution', () => {
    const filter = new AgeFilter();
    const first = filter.update(gaussianTarget(30, 5), 0);
    expect(first.restarted).toBe(true);
    expect(first.summary.mean).toBeCloseTo(30, 1);
    expect(first.summary.std).toBeCloseTo(5, 1);
    const next = filter.update(gaussianTarget(32, 5), 100);
    expect(next.restarted).toBe(false);
    expect(next.distribution.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 5);
  });

  it('weighs a frame one half-life old half as much as the newest (product of likelihoods)', () => {
    const filter = new AgeFilter({ halfLifeMs: 1000 });
    filter.update(gaussianTarget(30, 4), 0);
    const fused = filter.update(gaussianTarget(40, 4), 1000);
    // Precision-weighted mean of two equal-width Gaussians with weights 0.5 and 1.
    expect(fused.summary.mean).toBeCloseTo((0.5 * 30 + 40) / 1.5, 2);
    expect(fused.frames).toBeCloseTo(1.5, 6);
    // The product of likelihoods with total weight 1.5 is narrower than either frame by √1.5.
    expect(fused.summary.std).toBeCloseTo(4 / Math.sqrt(1.5), 2);
  });

  it('narrows the spread of a face that stands still by at most √maxEvidence', () => {
    const filter = new AgeFilter({ maxEvidence: 4 });
    let fused = filter.update(gaussianTarget(45, 6), 0);
    for (let t = 1; t <= 60; t++) fused = filter.update(gaussianTarget(45, 6), t * 150);
    expect(fused.summary.mean).toBeCloseTo(45, 2);
    expect(fused.summary.std).toBeCloseTo(3, 1);
  });

  it('holds a jittery still face at least 5x steadier than the raw frames, without moving its average', () => {
    const r = rng(7);
    const filter = new AgeFilter();
    const raw: number[] = [], fused: number[] = [];
    // 6 updates a second for 40 s; each frame's estimate wobbles by ±2 years around 37.
    for (let k = 0; k < 240; k++) {
      const frame = gaussianTarget(37 + 2 * gauss(r), 5 + 0.5 * gauss(r));
      const out = filter.update(frame, k * 166);
      if (k >= 30) {
        raw.push(summarize(frame).mean);
        fused.push(out.summary.mean);
      }
    }
    expect(std(raw) / std(fused)).toBeGreaterThan(5);
    const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(avg(fused) - avg(raw))).toBeLessThan(1);
  });

  it('restarts when a different person takes the place', () => {
    const filter = new AgeFilter({ changeFrames: 3 });
    for (let k = 0; k < 20; k++) filter.update(gaussianTarget(25, 4), k * 166);
    const after = [26, 27, 28].map((k) => filter.update(gaussianTarget(70, 6), k * 166));
    expect(after.map((a) => a.restarted)).toEqual([false, false, true]);
    expect(after[2].summary.mean).toBeCloseTo(70, 1);
  });

  it('ignores a single odd frame', () => {
    const filter = new AgeFilter();
    for (let k = 0; k < 20; k++) filter.update(gaussianTarget(25, 4), k * 166);
    const odd = filter.update(gaussianTarget(70, 6), 20 * 166);
    const back = filter.update(gaussianTarget(25, 4), 21 * 166);
    expect(odd.restarted || back.restarted).toBe(false);
    expect(back.summary.mean).toBeLessThan(30);
  });

  it('rejects a distribution of the wrong length', () => {
    expect(() => new AgeFilter().update(new Float32Array(10), 0)).toThrow(/101 bins/);
  });
});
