import { describe, expect, it } from 'vitest';
import { calibrateDistribution, calibratedAge, checkKnots, crossValidatedAges, fitBiasCurve, fitCalibration, type CalibrationSample } from './calibration';
import { AGE_BINS, gaussianTarget, summarize } from './distribution';

describe('calibratedAge', () => {
  const knots = [
    [10, 10],
    [50, 60],
  ] as const;
  it('interpolates between knots, extrapolates beyond them and clamps to 0..100', () => {
    expect(calibratedAge(30, knots)).toBeCloseTo(35, 10);
    expect(calibratedAge(70, knots)).toBeCloseTo(85, 10);
    expect(calibratedAge(100, knots)).toBe(100);
    expect(calibratedAge(2, knots)).toBeCloseTo(0, 10);
  });
  it('is the identity without knots', () => {
    expect(calibratedAge(42.5, [])).toBe(42.5);
  });
});

describe('calibrateDistribution', () => {
  it('conserves mass and moves the expected age to E[f(age)]', () => {
    const knots = [
      [0, 0],
      [40, 40],
      [80, 90],
    ] as const;
    const p = gaussianTarget(60, 6);
    const q = calibrateDistribution(p, knots);
    expect(q.length).toBe(AGE_BINS);
    expect(q.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 5);
    let expected = 0;
    for (let a = 0; a < p.length; a++) expected += p[a] * calibratedAge(a, knots);
    expect(summarize(q).mean).toBeCloseTo(expected, 4);
    // Above 40 the map stretches by 1.25: 60 → 65, and the spread widens with it.
    expect(summarize(q).mean).toBeCloseTo(65, 1);
    expect(summarize(q).std).toBeGreaterThan(summarize(p).std * 1.2);
  });
  it('leaves a distribution unchanged under the identity', () => {
    const p = gaussianTarget(33, 4);
    const q = calibrateDistribution(p, [
      [0, 0],
      [100, 100],
    ]);
    for (let a = 0; a < p.length; a++) expect(q[a]).toBeCloseTo(p[a], 7);
  });
});

describe('checkKnots', () => {
  it('accepts increasing knots and rejects bad ones', () => {
    expect(() => checkKnots([[0, 0], [100, 100]])).not.toThrow();
    expect(() => checkKnots([[0, 0]])).toThrow(/two knots/);
    expect(() => checkKnots([[10, 0], [5, 10]])).toThrow(/increase/);
    expect(() => checkKnots([[0, 10], [5, 0]])).toThrow(/decrease/);
  });
});

describe('fitCalibration', () => {
  // Predictions shrunk toward 35 by 0.8 (the pattern of a model regressing to the mean).
  const samples: CalibrationSample[] = [];
  for (let t = 2; t <= 90; t++) for (let r = 0; r < 20; r++) samples.push({ mean: t, predicted: 35 + 0.8 * (t - 35) });

  it('recovers the bias curve g(label) = mean prediction', () => {
    const g = fitBiasCurve(samples, { at: [0, 20, 40, 60, 80, 100], ridge: 0 });
    expect(g[1]).toBeCloseTo(35 + 0.8 * (20 - 35), 3);
    expect(g[3]).toBeCloseTo(35 + 0.8 * (60 - 35), 3);
  });

  it('undoes the shrinkage: f(prediction) ≈ label', () => {
    const knots = fitCalibration(samples, { at: [0, 20, 40, 60, 80, 100], ridge: 0, strength: 1 });
    for (const t of [10, 30, 55, 75]) expect(calibratedAge(35 + 0.8 * (t - 35), knots)).toBeCloseTo(t, 1);
  });

  it('half strength goes half way, and a ridge keeps empty ranges at the identity', () => {
    const knots = fitCalibration(samples, { at: [0, 20, 40, 60, 80, 100], ridge: 0, strength: 0.5 });
    const p = 35 + 0.8 * (75 - 35);
    expect(calibratedAge(p, knots)).toBeCloseTo((p + 75) / 2, 1);
    const sparse = fitBiasCurve([{ mean: 30, predicted: 30 }], { at: [0, 50, 100], ridge: 1 });
    expect(sparse[2]).toBeCloseTo(100, 5);
  });

  it('keeps the map monotone when the data are not', () => {
    const noisy: CalibrationSample[] = [
      { mean: 20, predicted: 30 },
      { mean: 40, predicted: 25 },
      { mean: 60, predicted: 60 },
    ];
    const g = fitBiasCurve(noisy, { at: [20, 40, 60], ridge: 0 });
    expect(g[1]).toBeGreaterThanOrEqual(g[0]);
    expect(() => checkKnots(fitCalibration(noisy, { at: [20, 40, 60], ridge: 0, strength: 1 }))).not.toThrow();
  });
});

describe('crossValidatedAges', () => {
  it('calibrates every sample with a map fitted without it', () => {
    const samples: CalibrationSample[] = [];
    for (let t = 2; t <= 90; t++) for (let r = 0; r < 10; r++) samples.push({ mean: t, predicted: 35 + 0.8 * (t - 35) + (r - 4.5) * 0.1 });
    const cv = crossValidatedAges(samples, { at: [0, 20, 40, 60, 80, 100], ridge: 0, strength: 1 }, 5);
    expect(cv).toHaveLength(samples.length);
    const bias = cv.reduce((s, p, i) => s + p - samples[i].mean, 0) / cv.length;
    expect(Math.abs(bias)).toBeLessThan(0.2);
    // A lone outlier does not calibrate itself: its out-of-fold map comes from the others.
    const withOutlier = [...samples, { mean: 50, predicted: 99 }];
    const last = crossValidatedAges(withOutlier, { at: [0, 20, 40, 60, 80, 100], ridge: 0, strength: 1 }, 5).at(-1)!;
    expect(last).toBeGreaterThan(95);
  });
});
