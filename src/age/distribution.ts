/**
 * Age distributions over the integer ages 0..100 (101 bins), and the statistics read off them.
 * Pure math: no tfjs, no DOM, so it runs (and is tested) in Node as well as in the worker.
 */

export const AGE_BINS = 101;
export const MAX_AGE = AGE_BINS - 1;

/**
 * Smallest std (years) a Gaussian target or an ε-error may use. Some APPA-REAL faces have std 0
 * (one voter, or all voters agreed); a zero std would make the Gaussian a spike and ε a step function.
 */
export const MIN_STD = 1;

/**
 * Which statistic of a distribution is "the age" shown and scored: its expected age, or its median.
 * The median of a mixture sits with the members that agree, where one member that disagrees pulls
 * the mean: for the four-member *Accurate* ensemble it scores a lower ε on valid, for the default
 * pair a higher one (docs/RESULTS.md), so each ensemble's manifest says which.
 */
export type AgeEstimateKind = 'mean' | 'median';

export interface AgeSummary {
  /** The age shown and scored: `mean` or `median`, as `estimate` says. */
  age: number;
  estimate: AgeEstimateKind;
  /** The age with half the probability below it, each bin's mass spread evenly over its year (age − ½ … age + ½). */
  median: number;
  /** Expected age, Σ age·p. */
  mean: number;
  /** Standard deviation of the distribution, in years. */
  std: number;
  /** Most probable age (the first one on ties). */
  mode: number;
}

/** Scales non-negative weights to sum to 1. Throws when there is no mass to scale. */
export function normalize(values: ArrayLike<number>): Float32Array {
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= 0) || !Number.isFinite(v)) throw new Error(`distribution has an invalid value ${v} at ${i}`);
    total += v;
  }
  if (total <= 0) throw new Error('distribution has no probability mass');
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] / total;
  return out;
}

/** The estimate, median, mean, std and mode of a distribution over ages 0..n-1 (need not be normalised). */
export function summarize(probs: ArrayLike<number>, estimate: AgeEstimateKind = 'mean'): AgeSummary {
  let total = 0;
  let mean = 0;
  let mode = 0;
  for (let age = 0; age < probs.length; age++) {
    total += probs[age];
    mean += age * probs[age];
    if (probs[age] > probs[mode]) mode = age;
  }
  if (total <= 0) throw new Error('distribution has no probability mass');
  mean /= total;
  let variance = 0;
  for (let age = 0; age < probs.length; age++) variance += probs[age] * (age - mean) ** 2;
  const median = medianAge(probs, total);
  return { age: estimate === 'median' ? median : mean, estimate, median, mean, std: Math.sqrt(variance / total), mode };
}

/** AgeSummary.median, for a distribution whose mass is `total` (> 0). */
function medianAge(probs: ArrayLike<number>, total: number): number {
  const half = total / 2;
  let below = 0;
  for (let age = 0; age < probs.length; age++) {
    const p = probs[age];
    if (p > 0 && below + p >= half) return Math.min(probs.length - 1, Math.max(0, age - 0.5 + (half - below) / p));
    below += p;
  }
  return probs.length - 1;
}

/**
 * Discretised Gaussian N(mean, std) over ages 0..100, normalised to sum to 1 (the DADL label
 * distribution). std is floored at MIN_STD.
 */
export function gaussianTarget(mean: number, std: number, bins = AGE_BINS): Float32Array {
  const s = Math.max(std, MIN_STD);
  const out = new Float32Array(bins);
  for (let age = 0; age < bins; age++) out[age] = Math.exp(-((age - mean) ** 2) / (2 * s * s));
  return normalize(out);
}

/**
 * Weighted mixture Σ w_k p_k of several distributions of equal length. Weights are normalised,
 * so only their ratios matter.
 */
export function mixture(dists: readonly ArrayLike<number>[], weights: readonly number[]): Float32Array {
  if (dists.length === 0) throw new Error('mixture of no distributions');
  if (dists.length !== weights.length) throw new Error('one weight per distribution is needed');
  const w = normalize(weights);
  const n = dists[0].length;
  const out = new Float32Array(n);
  dists.forEach((d, k) => {
    if (d.length !== n) throw new Error('distributions differ in length');
    for (let i = 0; i < n; i++) out[i] += w[k] * d[i];
  });
  return out;
}

/** KL(target ‖ predicted) in nats; eps guards log(0) where the prediction has no mass. */
export function klDivergence(target: ArrayLike<number>, predicted: ArrayLike<number>, eps = 1e-8): number {
  let kl = 0;
  for (let i = 0; i < target.length; i++) {
    if (target[i] > 0) kl += target[i] * Math.log((target[i] + eps) / (predicted[i] + eps));
  }
  return kl;
}

/**
 * ChaLearn LAP ε-error of one prediction: 1 - exp(-(pred-mean)² / (2 std²)) with the annotators'
 * std as given (the official metric, what DADL's 0.3214 was scored with). `minStd` floors the std
 * first (pass MIN_STD for the floored variant some tables also show). With std 0 only an exact
 * prediction scores 0 (the limit of the formula).
 */
export function epsilonError(predicted: number, mean: number, std: number, minStd = 0): number {
  const s = Math.max(std, minStd);
  const d2 = (predicted - mean) ** 2;
  if (s === 0) return d2 === 0 ? 0 : 1;
  return 1 - Math.exp(-d2 / (2 * s * s));
}

/**
 * The central interval holding `mass` of the probability (e.g. 0.68): the ages at the
 * (1-mass)/2 and (1+mass)/2 quantiles. Read off the distribution rather than mean ± std, so a
 * skewed distribution (a child, an old face) gets an honest range.
 */
export function credibleInterval(probs: ArrayLike<number>, mass = 0.68): { low: number; high: number } {
  let total = 0;
  for (let i = 0; i < probs.length; i++) total += probs[i];
  if (total <= 0) throw new Error('distribution has no probability mass');
  const lowAt = ((1 - mass) / 2) * total;
  const highAt = ((1 + mass) / 2) * total;
  let low = 0, high = probs.length - 1, sum = 0;
  let lowFound = false;
  for (let age = 0; age < probs.length; age++) {
    sum += probs[age];
    if (!lowFound && sum >= lowAt) {
      low = age;
      lowFound = true;
    }
    if (sum >= highAt) {
      high = age;
      break;
    }
  }
  return { low, high };
}
