/**
 * The per-image record `npm run eval -- --json` writes (scripts/eval.ts), read back by the scripts
 * that fit on it (fit-ensemble.ts, fit-calibration.ts).
 */
import { readFile } from 'node:fs/promises';

export interface EvalImage {
  file: string;
  mean: number;
  std?: number;
  /** Expected age per model id ('ensemble' and each member); null when no face was found. */
  predicted: Record<string, number | null>;
  /** With --distributions: the 101-bin distribution per model id (4 decimals), null when no face was found. */
  distributions?: Record<string, number[] | null>;
}

/** The fields of an eval JSON the fitting scripts read. */
export interface EvalRun {
  data: string;
  split?: string;
  images: EvalImage[];
}

export async function readEvalRun(path: string): Promise<EvalRun> {
  return JSON.parse(await readFile(path, 'utf8')) as EvalRun;
}
