import { describe, expect, it } from 'vitest';
import { chooseEstimate, crossValidatedEstimate, epsilonWith, type EstimateSample } from './estimateChoice';

/** Faces whose median is `medianError` years off and whose expected age is `meanError` off. */
function faces(meanError: number, medianError: number, n = 40): EstimateSample[] {
  return Array.from({ length: n }, (_, i) => {
    const mean = 10 + i;
    return { mean, std: 4, expected: mean + meanError, median: mean + medianError };
  });
}

describe('chooseEstimate', () => {
  it('picks the statistic nearer the labels', () => {
    expect(chooseEstimate(faces(3, 1))).toBe('median');
    expect(chooseEstimate(faces(1, 3))).toBe('mean');
    expect(chooseEstimate(faces(2, 2))).toBe('mean');
  });
  it('scores a face not found as ε = 1 for either statistic', () => {
    const samples = [...faces(0, 0, 3), { mean: 50, std: 4 }];
    expect(epsilonWith(samples, 'mean')).toBeCloseTo(0.25, 10);
    expect(epsilonWith(samples, 'median')).toBeCloseTo(0.25, 10);
  });
});

describe('crossValidatedEstimate', () => {
  it('scores each half with the choice made on the other', () => {
    const choice = crossValidatedEstimate(faces(3, 1), 2);
    expect(choice.chosen).toBe('median');
    expect(choice.folds.map((f) => f.chosen)).toEqual(['median', 'median']);
    expect(choice.crossValidated).toBeCloseTo(choice.epsilon.median, 10);
    expect(choice.epsilon.mean).toBeGreaterThan(choice.epsilon.median);
  });
});
