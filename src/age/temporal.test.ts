import { describe, expect, it } from 'vitest';
import { gaussianTarget, summarize } from './distribution';
import { TemporalFusion } from './temporal';

const box = (x: number) => ({ x, y: 100, width: 100, height: 120 });

describe('TemporalFusion', () => {
  it('averages the same face across frames and keeps it a distribution', () => {
    const fusion = new TemporalFusion(0.5);
    const [first] = fusion.update([{ box: box(100), distributions: [gaussianTarget(30, 4)] }], 0);
    expect(summarize(first.distributions[0]).mean).toBeCloseTo(30, 3);
    const [second] = fusion.update([{ box: box(105), distributions: [gaussianTarget(40, 4)] }], 100);
    expect(second.trackId).toBe(first.trackId);
    expect(summarize(second.distributions[0]).mean).toBeCloseTo(35, 3); // half-way with alpha 0.5
    expect(second.distributions[0].reduce((s, p) => s + p, 0)).toBeCloseTo(1, 5);
  });

  it('keeps two people apart and forgets someone who left', () => {
    const fusion = new TemporalFusion(0.5, 500);
    const a = fusion.update([{ box: box(0), distributions: [gaussianTarget(20, 3)] }, { box: box(600), distributions: [gaussianTarget(60, 3)] }], 0);
    expect(a[0].trackId).not.toBe(a[1].trackId);
    const b = fusion.update([{ box: box(600), distributions: [gaussianTarget(60, 3)] }], 100);
    expect(b[0].trackId).toBe(a[1].trackId);
    expect(summarize(b[0].distributions[0]).mean).toBeCloseTo(60, 3); // not pulled towards the other face
    const c = fusion.update([{ box: box(0), distributions: [gaussianTarget(50, 3)] }], 1000);
    expect(c[0].trackId).not.toBe(a[0].trackId); // the first track was forgotten after 500 ms
    expect(summarize(c[0].distributions[0]).mean).toBeCloseTo(50, 3);
  });

  it('does not share its state with callers', () => {
    const fusion = new TemporalFusion(0.5);
    const input = gaussianTarget(30, 4);
    const [out] = fusion.update([{ box: box(0), distributions: [input] }], 0);
    out.distributions[0].fill(0);
    const [again] = fusion.update([{ box: box(0), distributions: [input] }], 10);
    expect(summarize(again.distributions[0]).mean).toBeCloseTo(30, 3);
  });
});
