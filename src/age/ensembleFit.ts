/**
 * Fitting mixture weights. The expected age of Σ w_k p_k is Σ w_k E_k, so mean ε of a weighted
 * mixture depends only on each member's expected age: a grid over the weight simplex is exact
 * and cheap. Shared by scripts/fit-ensemble.ts and the training page. The objective floors the
 * annotators' std at MIN_STD: with the std as given, a handful of faces with std near 0 would weigh
 * like hundreds (reports still use the official ε).
 */
import { MIN_STD, epsilonError } from './distribution';

export interface FitSample {
  /** Each member's expected age for this face (same order for every sample). */
  members: readonly number[];
  mean: number;
  std: number;
}

export function mixtureEpsilon(samples: readonly FitSample[], weights: readonly number[]): number {
  const total = weights.reduce((s, w) => s + w, 0);
  let sum = 0;
  for (const s of samples) {
    const predicted = s.members.reduce((acc, m, k) => acc + (weights[k] / total) * m, 0);
    sum += epsilonError(predicted, s.mean, s.std, MIN_STD);
  }
  return sum / Math.max(1, samples.length);
}

/** All weight vectors on the simplex with the given step (k members). */
export function simplexGrid(k: number, step: number): number[][] {
  const n = Math.round(1 / step);
  const out: number[][] = [];
  const rec = (prefix: number[], left: number) => {
    if (prefix.length === k - 1) {
      out.push([...prefix, left].map((u) => u / n));
      return;
    }
    for (let u = 0; u <= left; u++) rec([...prefix, u], left - u);
  };
  rec([], n);
  return out;
}

/** The weights (summing to 1) with the lowest mean ε on `samples`. */
export function fitMixtureWeights(samples: readonly FitSample[], step = 0.01): { weights: number[]; epsilon: number } {
  const k = samples[0]?.members.length ?? 0;
  if (k === 0) throw new Error('no samples to fit');
  let best = { weights: [] as number[], epsilon: Infinity };
  for (const w of simplexGrid(k, k > 3 ? Math.max(step, 0.05) : step)) {
    const e = mixtureEpsilon(samples, w);
    if (e < best.epsilon - 1e-12) best = { weights: w, epsilon: e };
  }
  return best;
}

/**
 * Honest estimate of a fitted mixture on data it was fitted on: fit on one half, score on the
 * other, both ways round (2-fold cross-validation, samples split alternately).
 */
export function crossValidatedEpsilon(samples: readonly FitSample[], step = 0.01): number {
  const a = samples.filter((_, i) => i % 2 === 0);
  const b = samples.filter((_, i) => i % 2 === 1);
  const onB = mixtureEpsilon(b, fitMixtureWeights(a, step).weights);
  const onA = mixtureEpsilon(a, fitMixtureWeights(b, step).weights);
  return (onA * a.length + onB * b.length) / samples.length;
}
