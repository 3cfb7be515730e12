/**
 * Scoring age predictions the ChaLearn LAP way. Pure; shared by the eval command, the trainer
 * and the training page.
 */
import { epsilonError } from './distribution';

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
  /** Mean ε-error over all faces; a missing prediction scores 1, as in ChaLearn. Undefined without stds. */
  epsilon?: number;
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
  const epsilon = withStd
    ? faces.reduce((s, f) => s + (f.predicted === undefined ? 1 : epsilonError(f.predicted, f.mean, f.std!)), 0) / Math.max(1, faces.length)
    : undefined;
  return {
    n: faces.length,
    missed: faces.length - found.length,
    mae: errors.length ? errors.reduce((s, e) => s + e, 0) / errors.length : NaN,
    epsilon,
    cs5: cumulativeScore(errors, 5, faces.length),
  };
}
