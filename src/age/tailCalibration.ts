/**
 * A tail stretch composed after an ensemble's age calibration: t(age) = age + slope·max(0, age − knee).
 *
 * Why: the calibration (calibration.ts) is fitted on train faces, where the members were trained, so
 * their predictions there are less pulled toward the middle than on new faces. On held-out faces the
 * oldest band stays years too young after it. The stretch lifts only the oldest predictions, where
 * the annotators' std is large and the official ε barely moves, and it is chosen on held-out faces
 * (valid) by a fixed rule, with a nested out-of-fold estimate of what the rule does to new faces.
 * Pure; no tfjs.
 */
import type { CalibrationKnots } from './calibration';
import { stratifiedFolds } from './folds';
import { AGE_BANDS, score, scoreByBand, type AgeBand, type ScoredFace } from './metrics';

export interface TailStretch {
  knee: number;
  slope: number;
}

/** t(age); clamped to 0..100 like the calibration. */
export function stretchedAge(age: number, { knee, slope }: TailStretch): number {
  return Math.min(100, age + slope * Math.max(0, age - knee));
}

/**
 * Knots of t∘f, where f is the calibration `knots` (linear between them and beyond the ends; none
 * is the identity). f is piecewise linear, so t∘f is too: each knot's target goes through t, plus
 * one knot where f reaches the knee.
 */
export function composeTail(knots: CalibrationKnots, tail: TailStretch): [number, number][] {
  const base: (readonly [number, number])[] =
    knots.length >= 2
      ? [...knots]
      : [
          [0, 0],
          [100, 100],
        ];
  if (tail.slope === 0) return base.map(([x, y]) => [x, y]);
  // Where f crosses the knee: on a segment (or on the line extended beyond an end).
  let k = 0;
  while (k < base.length - 2 && base[k + 1][1] <= tail.knee) k++;
  const [x0, y0] = base[k];
  const [x1, y1] = base[k + 1];
  const crossing = y1 > y0 ? x0 + ((tail.knee - y0) * (x1 - x0)) / (y1 - y0) : undefined;
  const points = [...base];
  if (crossing !== undefined && !points.some(([x]) => Math.abs(x - crossing) < 1e-9)) {
    points.push([crossing, tail.knee]);
    points.sort((a, b) => a[0] - b[0]);
  }
  return points.map(([x, y]) => [round(x), round(y + tail.slope * Math.max(0, y - tail.knee))]);
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** A held-out face: the ensemble's (calibrated) expected age, its label and the annotators' std. */
export interface TailSample {
  predicted: number;
  mean: number;
  std: number;
}

export interface TailRule {
  knees: readonly number[];
  /** Tried in increasing order; the weakest that meets `maxBias` wins. */
  slopes: readonly number[];
  /** The bands whose bias must be within ±maxBias (the ones a knee at 60 or above moves). */
  bands: readonly AgeBand[];
  maxBias: number;
}

/**
 * Knees at 60, 65 and 70; slopes 0 to 1 by 0.05; the bands 60-69 and 70+ within ±1 year on the
 * faces it is chosen on (the same margin as the calibration's rule on train, tighter than the ±2
 * wanted on new faces).
 */
export const DEFAULT_TAIL_RULE: TailRule = {
  knees: [60, 65, 70],
  slopes: Array.from({ length: 21 }, (_, i) => i / 20),
  bands: AGE_BANDS.filter((b) => b.low >= 60),
  maxBias: 1,
};

const stretched = (samples: readonly TailSample[], tail: TailStretch): ScoredFace[] => samples.map((s) => ({ mean: s.mean, std: s.std, predicted: stretchedAge(s.predicted, tail) }));

/** The largest |bias| over `bands` (a band without faces counts as 0). */
function worstBias(scored: readonly ScoredFace[], bands: readonly AgeBand[]): number {
  return Math.max(...scoreByBand(scored, bands).map((b) => (Number.isNaN(b.bias) ? 0 : Math.abs(b.bias))));
}

/**
 * The rule: for each knee, the weakest slope whose bias in the rule's bands is within ±maxBias;
 * of those, the one with the lowest official ε. If no slope meets the bound, the stretch with the
 * smallest worst bias.
 */
export function chooseTail(samples: readonly TailSample[], rule: TailRule = DEFAULT_TAIL_RULE): TailStretch {
  let best: { tail: TailStretch; epsilon: number } | undefined;
  let closest: { tail: TailStretch; worst: number } | undefined;
  for (const knee of rule.knees) {
    for (const slope of rule.slopes) {
      const tail = { knee, slope };
      const scored = stretched(samples, tail);
      const worst = worstBias(scored, rule.bands);
      if (!closest || worst < closest.worst) closest = { tail, worst };
      if (worst <= rule.maxBias) {
        const epsilon = score(scored).epsilon!;
        if (!best || epsilon < best.epsilon) best = { tail, epsilon };
        break;
      }
    }
  }
  return (best ?? closest ?? { tail: { knee: rule.knees[0] ?? 60, slope: 0 } }).tail;
}

/**
 * Nested out-of-fold estimate of the rule: each fold's ages are stretched by the tail the rule
 * chooses on the other folds. Returns those ages and each fold's choice.
 */
export function crossValidatedTail(samples: readonly TailSample[], rule: TailRule = DEFAULT_TAIL_RULE, folds = 5): { ages: number[]; chosen: TailStretch[] } {
  const foldOf = stratifiedFolds(
    samples.map((s) => s.mean),
    folds,
  );
  const ages = new Array<number>(samples.length);
  const chosen: TailStretch[] = [];
  for (let k = 0; k < folds; k++) {
    const tail = chooseTail(
      samples.filter((_, i) => foldOf[i] !== k),
      rule,
    );
    chosen.push(tail);
    samples.forEach((s, i) => {
      if (foldOf[i] === k) ages[i] = stretchedAge(s.predicted, tail);
    });
  }
  return { ages, chosen };
}
