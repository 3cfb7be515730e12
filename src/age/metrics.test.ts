import { describe, expect, it } from 'vitest';
import { cumulativeScore, score } from './metrics';

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

  it('reports no ε when a label has no std', () => {
    expect(score([{ predicted: 30, mean: 31 }]).epsilon).toBeUndefined();
  });
});

describe('cumulativeScore', () => {
  it('is the share of errors within the bound, inclusive', () => {
    expect(cumulativeScore([0, 5, 5.01, 9], 5)).toBe(0.5);
    expect(cumulativeScore([], 5)).toBe(0);
  });
});
