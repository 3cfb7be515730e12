import { describe, expect, it } from 'vitest';
import { AGE_BANDS, cumulativeScore, score, scoreByBand } from './metrics';

describe('score', () => {
  it('computes MAE, ε and CS(5) on hand-checked values', () => {
    const s = score([
      { predicted: 30, mean: 30, std: 5 }, // error 0, ε 0
      { predicted: 35, mean: 30, std: 5 }, // error 5, ε 1 - e^-0.5 = 0.393469
      { predicted: 20, mean: 30, std: 5 }, // error 10, ε 1 - e^-2 = 0.864665
    ]);
    expect(s.n).toBe(3);
    expect(s.missed).toBe(0);
    expect(s.mae).toBeCloseTo(5, 10);
    expect(s.epsilon).toBeCloseTo((0 + 0.393469 + 0.864665) / 3, 5);
    expect(s.cs5).toBeCloseTo(2 / 3, 10);
  });

  it('counts a face without a prediction as ε = 1 and a CS failure, and leaves it out of MAE', () => {
    const s = score([{ predicted: 30, mean: 30, std: 5 }, { mean: 40, std: 5 }]);
    expect(s.missed).toBe(1);
    expect(s.mae).toBe(0);
    expect(s.epsilon).toBeCloseTo(0.5, 10);
    expect(s.cs5).toBe(0.5);
  });

  it('reports the official ε with the std as given and the floored one beside it', () => {
    // std 0.5, error 0.5: official 1 - e^-0.5; floored (std 1) 1 - e^-0.125.
    const s = score([{ predicted: 30.5, mean: 30, std: 0.5 }]);
    expect(s.epsilon).toBeCloseTo(1 - Math.exp(-0.5), 10);
    expect(s.epsilonFloored).toBeCloseTo(1 - Math.exp(-0.125), 10);
  });

  it('reports no ε when a label has no std', () => {
    expect(score([{ predicted: 30, mean: 31 }]).epsilon).toBeUndefined();
  });
});

describe('scoreByBand', () => {
  it('has the bands 0-12, 13-19, 20-29 … 60-69, 70+', () => {
    expect(AGE_BANDS.map((b) => b.label)).toEqual(['0-12', '13-19', '20-29', '30-39', '40-49', '50-59', '60-69', '70+']);
  });

  it('gives n, misses, MAE and signed bias per band of the label', () => {
    const bands = scoreByBand([
      { predicted: 14, mean: 12 }, // 0-12: +2
      { predicted: 8, mean: 10 }, // 0-12: -2
      { predicted: 40, mean: 45 }, // 40-49: -5
      { mean: 49 }, // 40-49: missed
      { predicted: 90, mean: 85 }, // 70+: +5
    ]);
    const byLabel = Object.fromEntries(bands.map((b) => [b.band, b]));
    expect(byLabel['0-12']).toEqual({ band: '0-12', n: 2, missed: 0, mae: 2, bias: 0 });
    expect(byLabel['40-49']).toEqual({ band: '40-49', n: 2, missed: 1, mae: 5, bias: -5 });
    expect(byLabel['70+']).toEqual({ band: '70+', n: 1, missed: 0, mae: 5, bias: 5 });
    expect(byLabel['20-29'].n).toBe(0);
    expect(byLabel['20-29'].bias).toBeNaN();
  });
});

describe('cumulativeScore', () => {
  it('is the share of errors within the bound, inclusive', () => {
    expect(cumulativeScore([0, 5, 5.01, 9], 5)).toBe(0.5);
    expect(cumulativeScore([], 5)).toBe(0);
  });
});
