import { describe, expect, it } from 'vitest';
import { crossValidatedEpsilon, fitMixtureWeights, mixtureEpsilon, simplexGrid } from './ensembleFit';

describe('simplexGrid', () => {
  it('lists every weight vector summing to 1', () => {
    const g = simplexGrid(3, 0.5);
    expect(g).toHaveLength(6);
    for (const w of g) expect(w.reduce((s, x) => s + x, 0)).toBeCloseTo(1);
  });
});

describe('fitMixtureWeights', () => {
  // Member 0 is always 4 years too old, member 1 always 4 years too young: the best mix is 50/50.
  const samples = [20, 30, 40, 50].map((mean) => ({ members: [mean + 4, mean - 4], mean, std: 3 }));

  it('finds the weights that cancel opposite biases', () => {
    const { weights, epsilon } = fitMixtureWeights(samples);
    expect(weights[0]).toBeCloseTo(0.5, 5);
    expect(epsilon).toBeCloseTo(0, 10);
    expect(mixtureEpsilon(samples, [1, 0])).toBeCloseTo(1 - Math.exp(-16 / 18), 10);
  });

  it('gives all weight to a member that is always right', () => {
    const s = [20, 40].map((mean) => ({ members: [mean, mean + 10], mean, std: 5 }));
    expect(fitMixtureWeights(s).weights).toEqual([1, 0]);
  });

  it('cross-validates on held-out halves', () => {
    expect(crossValidatedEpsilon(samples)).toBeCloseTo(0, 10);
  });
});
