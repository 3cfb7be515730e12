/**
 * Age calibration: a monotone piecewise-linear map f on ages 0..100 applied to a distribution by
 * moving each bin's mass to f(age) (split between the two nearest whole ages), so the result is
 * still a distribution and its expected age is exactly E[f(age)].
 *
 * Why: a network trained to match label distributions regresses toward the middle of its training
 * ages: faces that look 60 come out nearer 55. The fitted map undoes that shrinkage. It is fitted
 * as the inverse of g(t) = E[predicted | label t] (the bias per label age), because the bias users
 * see is per true age: an older face should not be estimated younger on average. Pure; no tfjs.
 */
import { AGE_BINS } from './distribution';

/** (from, to) knots with `from` increasing and `to` non-decreasing; linear between, beyond the ends. */
export type CalibrationKnots = readonly (readonly [number, number])[];

const LAST_AGE = AGE_BINS - 1;

/** f(age) for the knots, clamped to 0..100. */
export function calibratedAge(age: number, knots: CalibrationKnots): number {
  if (knots.length < 2) return age;
  let k = 0;
  while (k < knots.length - 2 && age > knots[k + 1][0]) k++;
  const [x0, y0] = knots[k];
  const [x1, y1] = knots[k + 1];
  const y = y0 + ((age - x0) * (y1 - y0)) / (x1 - x0);
  return Math.min(LAST_AGE, Math.max(0, y));
}

/** The distribution with each age's mass moved to f(age); mass is conserved. */
export function calibrateDistribution(probs: ArrayLike<number>, knots: CalibrationKnots): Float32Array {
  const out = new Float32Array(probs.length);
  for (let age = 0; age < probs.length; age++) {
    const p = probs[age];
    if (p === 0) continue;
    const to = calibratedAge(age, knots);
    const low = Math.min(probs.length - 1, Math.floor(to));
    const frac = to - low;
    out[low] += p * (1 - frac);
    if (frac > 0) out[low + 1] += p * frac;
  }
  return out;
}

/** Throws unless the knots describe a usable monotone map. */
export function checkKnots(knots: CalibrationKnots, where = 'calibration'): void {
  if (knots.length < 2) throw new Error(`${where}: expected at least two knots`);
  for (let k = 0; k < knots.length; k++) {
    const [x, y] = knots[k];
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`${where}: knot ${k} is not a pair of numbers`);
    if (k > 0 && !(x > knots[k - 1][0])) throw new Error(`${where}: knot ages must increase`);
    if (k > 0 && y < knots[k - 1][1]) throw new Error(`${where}: the map must not decrease`);
  }
}

export interface CalibrationSample {
  /** The model's expected age. */
  predicted: number;
  /** The label (apparent age). */
  mean: number;
}

export interface CalibrationFit {
  /** Ages at which g (and so f) bends. */
  at: readonly number[];
  /** Ridge pull of g's knot values toward the identity, per sample-equivalent (keeps sparse ends sane). */
  ridge: number;
  /** 0: identity; 1: the full inverse of g. Between: blended. */
  strength: number;
}

export const DEFAULT_CALIBRATION_FIT: CalibrationFit = { at: [0, 10, 20, 30, 40, 50, 60, 70, 85, 100], ridge: 2, strength: 1 };

/**
 * g: label age → mean predicted age, as a piecewise-linear function with knots `at`, by least
 * squares with a ridge pull toward g(t) = t; then made non-decreasing (pool adjacent violators).
 */
export function fitBiasCurve(samples: readonly CalibrationSample[], fit: Pick<CalibrationFit, 'at' | 'ridge'>): number[] {
  const { at, ridge } = fit;
  const m = at.length;
  // Normal equations A^T A v = A^T y for hat-function features, plus ridge (v - at).
  const ata = Array.from({ length: m }, () => new Float64Array(m));
  const aty = new Float64Array(m);
  for (const s of samples) {
    const t = Math.min(at[m - 1], Math.max(at[0], s.mean));
    let k = 0;
    while (k < m - 2 && t > at[k + 1]) k++;
    const w1 = (t - at[k]) / (at[k + 1] - at[k]);
    const w = [1 - w1, w1];
    for (let a = 0; a < 2; a++) {
      aty[k + a] += w[a] * s.predicted;
      for (let b = 0; b < 2; b++) ata[k + a][k + b] += w[a] * w[b];
    }
  }
  for (let k = 0; k < m; k++) {
    ata[k][k] += ridge;
    aty[k] += ridge * at[k];
  }
  return poolAdjacentViolators(solve(ata, aty));
}

/** f = g⁻¹ blended with the identity by `strength`, as knots (from, to). */
export function fitCalibration(samples: readonly CalibrationSample[], fit: CalibrationFit = DEFAULT_CALIBRATION_FIT): [number, number][] {
  const g = fitBiasCurve(samples, fit);
  // g maps label ages `at` to predicted ages g: so f maps g(at) back to at. Flat stretches of g
  // (equal values) collapse to one knot.
  const knots: [number, number][] = [];
  for (let k = 0; k < g.length; k++) {
    const to = fit.at[k];
    const from = g[k];
    if (knots.length && from <= knots[knots.length - 1][0] + 1e-6) continue;
    knots.push([from, from + fit.strength * (to - from)]);
  }
  return knots.map(([x, y]) => [round(x), round(y)]);
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Non-decreasing least-squares fit to `values` (equal weights). */
function poolAdjacentViolators(values: readonly number[]): number[] {
  const blocks: { sum: number; n: number }[] = [];
  for (const v of values) {
    blocks.push({ sum: v, n: 1 });
    while (blocks.length > 1 && blocks[blocks.length - 2].sum / blocks[blocks.length - 2].n > blocks[blocks.length - 1].sum / blocks[blocks.length - 1].n) {
      const last = blocks.pop()!;
      blocks[blocks.length - 1].sum += last.sum;
      blocks[blocks.length - 1].n += last.n;
    }
  }
  return blocks.flatMap((b) => Array.from({ length: b.n }, () => b.sum / b.n));
}

/** Gaussian elimination with partial pivoting (small, well-conditioned systems). */
function solve(a: readonly Float64Array[], b: Float64Array): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let k = r + 1; k < n; k++) s -= m[r][k] * x[k];
    x[r] = s / m[r][r];
  }
  return x;
}

/**
 * Out-of-fold calibrated predictions: fold k (every `folds`-th sample from k) is calibrated with a
 * map fitted on the others. An honest estimate of what a map fitted on all samples does to new ones.
 */
export function crossValidatedAges(samples: readonly CalibrationSample[], fit: CalibrationFit, folds = 5): number[] {
  const out = new Array<number>(samples.length);
  for (let k = 0; k < folds; k++) {
    const knots = fitCalibration(
      samples.filter((_, i) => i % folds !== k),
      fit,
    );
    samples.forEach((s, i) => {
      if (i % folds === k) out[i] = calibratedAge(s.predicted, knots);
    });
  }
  return out;
}
