/**
 * The per-image record `npm run eval -- --json` writes (scripts/eval.ts), read back by the scripts
 * that fit on it (fit-ensemble.ts, fit-calibration.ts).
 */
import { readFile } from 'node:fs/promises';
import type { AgeEstimateKind } from '../src/age/distribution';

export interface EvalImage {
  file: string;
  mean: number;
  std?: number;
  /** The age the app shows (AgeSummary.age) per model id ('ensemble' and each member); null when no face was found. */
  predicted: Record<string, number | null>;
  /** The expected age and the median per model id (absent in runs from before the choice, whose `predicted` are expected ages). */
  expected?: Record<string, number | null>;
  median?: Record<string, number | null>;
  /** With --distributions: the 101-bin distribution per model id (4 decimals), null when no face was found. */
  distributions?: Record<string, number[] | null>;
}

/** The fields of an eval JSON the fitting scripts read. */
export interface EvalRun {
  data: string;
  split?: string;
  /** eval's --models: "default" or a manifest path under public/. */
  models?: string;
  images: EvalImage[];
}

export async function readEvalRun(path: string): Promise<EvalRun> {
  return JSON.parse(await readFile(path, 'utf8')) as EvalRun;
}

/** Several eval runs over the same images (e.g. one per set of members) as one: members' predictions merged by file. */
export async function readEvalRuns(paths: string): Promise<EvalRun> {
  const runs = await Promise.all(paths.split(',').map(readEvalRun));
  const run = runs[0];
  for (const other of runs.slice(1)) {
    const byFile = new Map(other.images.map((im) => [im.file, im.predicted]));
    for (const im of run.images) {
      const more = byFile.get(im.file);
      if (!more) throw new Error(`${im.file} is missing from one of the eval runs`);
      for (const [id, predicted] of Object.entries(more)) if (id !== 'ensemble') im.predicted[id] = predicted;
    }
  }
  return run;
}

/**
 * The run with `predicted` replaced by one statistic of the distributions: the expected age (runs
 * from before the choice hold only expected ages, in `predicted`) or the median.
 */
export function withStatistic(run: EvalRun, kind: AgeEstimateKind): EvalRun {
  const images = run.images.map((im) => {
    const ages = kind === 'mean' ? im.expected : im.median;
    if (!ages && kind === 'median') throw new Error(`${im.file}: the eval run has no medians (run npm run eval again)`);
    return ages ? { ...im, predicted: { ...ages } } : im;
  });
  return { ...run, images };
}

/**
 * The run scored on expected ages. A mixture's expected age is the weighted mean of its members',
 * which is what mixing and weight fitting rely on; medians do not mix.
 */
export const withExpectedAges = (run: EvalRun): EvalRun => withStatistic(run, 'mean');

/**
 * The run with its 'ensemble' predictions replaced by the weighted mean of the named members'
 * expected ages (what a mixture of their distributions predicts as expected age), e.g. "a:0.5,b:0.5".
 */
export function withMixture(expectedOrMedian: EvalRun, spec: string): EvalRun {
  const run = withExpectedAges(expectedOrMedian);
  const weights = spec.split(',').map((part) => {
    const [id, w = '1'] = part.split(':');
    return { id, w: Number(w) };
  });
  const total = weights.reduce((a, b) => a + b.w, 0);
  for (const { id, w } of weights) {
    if (!(w >= 0) || !(id in run.images[0].predicted)) throw new Error(`--members ${spec}: no member "${id}" with a weight ≥ 0 in the eval run`);
  }
  return {
    ...run,
    images: run.images.map((im) => {
      const ps = weights.map(({ id }) => im.predicted[id]);
      const ensemble = ps.some((p) => p === null) ? null : weights.reduce((sum, { w }, k) => sum + (w * ps[k]!) / total, 0);
      return { ...im, predicted: { ...im.predicted, ensemble } };
    }),
  };
}
