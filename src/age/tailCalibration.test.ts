import { describe, expect, it } from 'vitest';
import { calibratedAge } from './calibration';
import { chooseTail, composeTail, crossValidatedTail, stretchedAge, type TailSample } from './tailCalibration';

// The default ensemble's train-fitted calibration (public/models/ensemble.json before the tail).
const TRAIN_KNOTS = [
  [0.346, 0],
  [10.823, 10],
  [20.274, 20],
  [29.263, 30],
  [39.289, 40],
  [48.726, 50],
  [59.618, 60],
  [67.108, 70],
  [81.88, 85],
  [99.426, 100],
] as const;

describe('composeTail', () => {
  it.each([
    { knee: 60, slope: 0.45 },
    { knee: 65, slope: 1 },
    { knee: 70, slope: 0.2 },
    { knee: 50, slope: 0 },
  ])('gives the knots of t∘f for knee $knee, slope $slope', (tail) => {
    const knots = composeTail(TRAIN_KNOTS, tail);
    for (let age = 0; age <= 100; age += 0.5) {
      expect(calibratedAge(age, knots)).toBeCloseTo(stretchedAge(calibratedAge(age, TRAIN_KNOTS), tail), 2);
    }
  });
  it('stretches the identity when there is no calibration', () => {
    const knots = composeTail([], { knee: 60, slope: 0.5 });
    expect(calibratedAge(40, knots)).toBeCloseTo(40, 6);
    expect(calibratedAge(80, knots)).toBeCloseTo(90, 6);
  });
});

/** Faces whose prediction above 60 is pulled toward 60 by `shrink`, with a fixed wobble. */
function shrunk(shrink: number): TailSample[] {
  const out: TailSample[] = [];
  for (let i = 0; i < 600; i++) {
    const mean = 5 + ((i * 37) % 85);
    const wobble = ((i * 13) % 7) - 3;
    const predicted = mean > 60 ? 60 + (mean - 60) * (1 - shrink) + wobble : mean + wobble;
    out.push({ mean, std: 3 + mean / 15, predicted });
  }
  return out;
}

describe('chooseTail', () => {
  it('leaves unbiased faces alone', () => {
    expect(chooseTail(shrunk(0)).slope).toBe(0);
  });
  it('stretches the oldest predictions until the old bands are within the bound', () => {
    const samples = shrunk(0.3);
    const tail = chooseTail(samples);
    expect(tail.slope).toBeGreaterThan(0);
    const old = samples.filter((s) => s.mean >= 70);
    const bias = old.reduce((sum, s) => sum + stretchedAge(s.predicted, tail) - s.mean, 0) / old.length;
    expect(Math.abs(bias)).toBeLessThanOrEqual(1);
  });
});

describe('crossValidatedTail', () => {
  it('predicts every face once, with the tail chosen on the other folds', () => {
    const samples = shrunk(0.3);
    const { ages, chosen } = crossValidatedTail(samples, undefined, 5);
    expect(chosen).toHaveLength(5);
    expect(ages.every((a) => Number.isFinite(a))).toBe(true);
    const old = samples.map((s, i) => ({ s, a: ages[i] })).filter(({ s }) => s.mean >= 70);
    const before = old.reduce((sum, { s }) => sum + s.predicted - s.mean, 0) / old.length;
    const after = old.reduce((sum, { s, a }) => sum + a - s.mean, 0) / old.length;
    expect(before).toBeLessThan(-5);
    expect(Math.abs(after)).toBeLessThan(2);
  });
});
