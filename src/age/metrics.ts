/**
 * Scoring age predictions the ChaLearn LAP way. Pure; shared by the eval command, the trainer
 * and the training page.
 */
import { MIN_STD, epsilonError } from './distribution';

export interface ScoredFace {
  /** Predicted (expected) age; undefined when no face was found. */
  predicted?: number;
  /** Apparent age (mean of the votes). */
  mean: number;
  /** Std of the votes; undefined when the labels have none (then ε is not reported). */
  std?: number;
}

export interface Scores {
  n: number;
  /** Faces without a prediction. */
  missed: number;
  /** Mean absolute error over faces with a prediction. */
  mae: number;
  /**
   * Mean ε-error over all faces, ChaLearn's formula with the annotators' std as given (comparable
   * with the literature); a missing prediction scores 1, as in ChaLearn. Undefined without stds.
   */
  epsilon?: number;
  /** The same with the std floored at MIN_STD (1 year), as earlier tables of this project reported. */
  epsilonFloored?: number;
  /** Cumulative score CS(5): share of all faces predicted within 5 years (a miss is a failure). */
  cs5: number;
}

export function cumulativeScore(errors: readonly number[], years: number, total = errors.length): number {
  return total === 0 ? 0 : errors.filter((e) => e <= years).length / total;
}

export function score(faces: readonly ScoredFace[]): Scores {
  const found = faces.filter((f): f is ScoredFace & { predicted: number } => f.predicted !== undefined);
  const errors = found.map((f) => Math.abs(f.predicted - f.mean));
  const withStd = faces.every((f) => f.std !== undefined && Number.isFinite(f.std));
  const meanEpsilon = (minStd: number) =>
    withStd
      ? faces.reduce((s, f) => s + (f.predicted === undefined ? 1 : epsilonError(f.predicted, f.mean, f.std!, minStd)), 0) / Math.max(1, faces.length)
      : undefined;
  return {
    n: faces.length,
    missed: faces.length - found.length,
    mae: errors.length ? errors.reduce((s, e) => s + e, 0) / errors.length : NaN,
    epsilon: meanEpsilon(0),
    epsilonFloored: meanEpsilon(MIN_STD),
    cs5: cumulativeScore(errors, 5, faces.length),
  };
}

/** An age band of the per-band table: ages from `low` up to and including `high`. */
export interface AgeBand {
  label: string;
  low: number;
  high: number;
}

/** 0-12, 13-19, 20-29, …, 60-69, 70+ (by the apparent age of the label). */
export const AGE_BANDS: readonly AgeBand[] = [
  { label: '0-12', low: 0, high: 12 },
  { label: '13-19', low: 13, high: 19 },
  ...[20, 30, 40, 50, 60].map((low) => ({ label: `${low}-${low + 9}`, low, high: low + 9 })),
  { label: '70+', low: 70, high: Infinity },
];

export interface BandScores {
  band: string;
  /** Faces whose label falls in the band (found or not). */
  n: number;
  missed: number;
  /** Over the faces found; NaN when none. */
  mae: number;
  /** Mean signed error, predicted − label, over the faces found: negative means estimated too young. */
  bias: number;
}

/** n, MAE and bias per age band of the label's mean (rounded to whole years, as the labels are). */
export function scoreByBand(faces: readonly ScoredFace[], bands: readonly AgeBand[] = AGE_BANDS): BandScores[] {
  return bands.map(({ label, low, high }) => {
    const inBand = faces.filter((f) => Math.round(f.mean) >= low && Math.round(f.mean) <= high);
    const found = inBand.filter((f): f is ScoredFace & { predicted: number } => f.predicted !== undefined);
    const signed = found.map((f) => f.predicted - f.mean);
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
    return { band: label, n: inBand.length, missed: inBand.length - found.length, mae: mean(signed.map(Math.abs)), bias: mean(signed) };
  });
}
