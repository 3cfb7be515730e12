import { describe, expect, it } from 'vitest';
import { ageBalanceWeights, weightedOrder } from './balance';

describe('ageBalanceWeights', () => {
  const means = [22, 23, 24, 21, 20, 25, 26, 27, 72, 3];
  it('is all ones with alpha 0', () => {
    expect(ageBalanceWeights(means, 0)).toEqual(means.map(() => 1));
  });
  it('gives every 5-year bin the same total weight with alpha 1, and averages 1', () => {
    const w = ageBalanceWeights(means, 1);
    expect(w.reduce((a, b) => a + b, 0) / w.length).toBeCloseTo(1, 12);
    const total = (lo: number, hi: number) => means.reduce((s, m, i) => s + (m >= lo && m < hi ? w[i] : 0), 0);
    // Bins 20-24 (5 rows), 25-29 (3 rows), 70-74 (1 row), 0-4 (1 row).
    expect(total(20, 25)).toBeCloseTo(total(70, 75), 12);
    expect(total(25, 30)).toBeCloseTo(total(0, 5), 12);
    expect(w[8]).toBeGreaterThan(w[0]);
  });
});

describe('weightedOrder', () => {
  it('repeats rows about as often as their weights say', () => {
    const weights = [3, 0.5, 0, 1.5];
    const counts = [0, 0, 0, 0];
    for (let seed = 1; seed <= 400; seed++) for (const i of weightedOrder(weights, seed)) counts[i]++;
    expect(counts[0]).toBe(1200);
    expect(counts[2]).toBe(0);
    expect(counts[1] / 400).toBeCloseTo(0.5, 1);
    expect(counts[3] / 400).toBeCloseTo(1.5, 1);
  });
  it('is reproducible and shuffled', () => {
    const weights = Array.from({ length: 50 }, () => 1);
    expect(weightedOrder(weights, 7)).toEqual(weightedOrder(weights, 7));
    expect(weightedOrder(weights, 7)).not.toEqual(weights.map((_, i) => i));
    expect([...weightedOrder(weights, 7)].sort((a, b) => a - b)).toEqual(weights.map((_, i) => i));
  });
});
