/**
 * Pure helpers for scripts/measure-members.ts: the ChaLearn ε-error, per-face scores, a grid over
 * the weight simplex and a paired bootstrap. No tfjs, no I/O.
 */
import { simplexGrid as simplexGridByStep } from '../src/age/ensembleFit';
import { seededRandom } from '../src/util/random';

/**
 * ChaLearn LAP ε-error of one face: 1 - exp(-(pred-mean)² / (2 std²)). The official metric has no
 * floor; APPA-REAL has faces whose vote std is 0, so std is floored at `floor` (default 1e-3: such a
 * face scores ≈1 unless the prediction is exact, as it would with the official formula's limit).
 */
export function epsilon(predicted: number, mean: number, std: number, floor = 1e-3): number {
  const s = Math.max(std, floor);
  return 1 - Math.exp(-((predicted - mean) ** 2) / (2 * s * s));
}

export interface Label {
  file: string;
  mean: number;
  std: number;
}

export function meanOf(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** Mean ε of expected ages `predicted[i]` against `labels[i]`. */
export function meanEpsilon(predicted: readonly number[], labels: readonly Label[], floor = 1e-3): number {
  return meanOf(predicted.map((p, i) => epsilon(p, labels[i].mean, labels[i].std, floor)));
}

export function meanAbsoluteError(predicted: readonly number[], labels: readonly Label[]): number {
  return meanOf(predicted.map((p, i) => Math.abs(p - labels[i].mean)));
}

/** Every weight vector of `k` non-negative entries summing to 1, in steps of 1/`steps`. */
export function simplexGrid(k: number, steps: number): number[][] {
  return simplexGridByStep(k, 1 / steps);
}

/**
 * The mixture Σ w_k p_k has expected age Σ w_k E_k, so ε of a weighted mixture only needs each
 * member's expected age per face. Returns the grid point with the lowest mean ε.
 */
export function fitWeights(expected: readonly (readonly number[])[], labels: readonly Label[], steps: number): { weights: number[]; epsilon: number } {
  let best = { weights: expected.map(() => 1 / expected.length), epsilon: Infinity };
  for (const w of simplexGrid(expected.length, steps)) {
    let total = 0;
    for (let i = 0; i < labels.length; i++) {
      let p = 0;
      for (let k = 0; k < w.length; k++) p += w[k] * expected[k][i];
      total += epsilon(p, labels[i].mean, labels[i].std);
    }
    if (total / labels.length < best.epsilon) best = { weights: w, epsilon: total / labels.length };
  }
  return best;
}

/** 95% paired-bootstrap interval of mean(a - b) over faces. */
export function pairedBootstrap(a: readonly number[], b: readonly number[], rounds = 2000, seed = 1): [number, number] {
  const next = seededRandom(seed);
  const n = a.length;
  const means: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const j = Math.floor(next() * n);
      s += a[j] - b[j];
    }
    means.push(s / n);
  }
  means.sort((x, y) => x - y);
  return [means[Math.floor(0.025 * rounds)], means[Math.floor(0.975 * rounds)]];
}
