/**
 * Choosing which statistic of an ensemble's distributions is the age it shows (AgeEstimateKind),
 * on held-out faces: the one with the lower official ε, with a cross-validated check that each
 * half of the faces picks the same one. Pure.
 */
import type { AgeEstimateKind } from './distribution';
import { score } from './metrics';
import { stratifiedFolds } from './folds';

/** A held-out face's label and both statistics of the ensemble's distribution (undefined: no face found). */
export interface EstimateSample {
  mean: number;
  std: number;
  expected?: number;
  median?: number;
}

const statistic = (s: EstimateSample, kind: AgeEstimateKind) => (kind === 'mean' ? s.expected : s.median);

/** Official ε (a face not found scores 1) when `kind` is the age. */
export function epsilonWith(samples: readonly EstimateSample[], kind: AgeEstimateKind): number {
  return score(samples.map((s) => ({ mean: s.mean, std: s.std, predicted: statistic(s, kind) }))).epsilon!;
}

/** The statistic with the lower ε (the expected age on a tie). */
const lower = (epsilon: Record<AgeEstimateKind, number>): AgeEstimateKind => (epsilon.median < epsilon.mean ? 'median' : 'mean');
const epsilons = (samples: readonly EstimateSample[]): Record<AgeEstimateKind, number> => ({ mean: epsilonWith(samples, 'mean'), median: epsilonWith(samples, 'median') });

/** The statistic with the lower ε on these faces (the expected age on a tie). */
export function chooseEstimate(samples: readonly EstimateSample[]): AgeEstimateKind {
  return lower(epsilons(samples));
}

export interface EstimateChoice {
  chosen: AgeEstimateKind;
  /** ε of each statistic on all faces. */
  epsilon: Record<AgeEstimateKind, number>;
  /** Per fold: the statistic chosen on the other folds, and its ε on this fold. */
  folds: { chosen: AgeEstimateKind; epsilon: number }[];
  /** ε over all faces, each fold scored with the choice made on the others. */
  crossValidated: number;
}

export function crossValidatedEstimate(samples: readonly EstimateSample[], folds = 2): EstimateChoice {
  const foldOf = stratifiedFolds(
    samples.map((s) => s.mean),
    folds,
  );
  const perFold = Array.from({ length: folds }, (_, k) => {
    const chosen = chooseEstimate(samples.filter((_, i) => foldOf[i] !== k));
    const held = samples.filter((_, i) => foldOf[i] === k);
    return { chosen, epsilon: epsilonWith(held, chosen), n: held.length };
  });
  const crossValidated = perFold.reduce((sum, f) => sum + f.epsilon * f.n, 0) / samples.length;
  const epsilon = epsilons(samples);
  return {
    chosen: lower(epsilon),
    epsilon,
    folds: perFold.map(({ chosen, epsilon }) => ({ chosen, epsilon })),
    crossValidated,
  };
}
