/**
 * Age labels for evaluation and training, in the three formats users bring:
 *   - agedist CSV: `file,age_mean,age_std[,split]` (std may be empty),
 *   - ChaLearn LAP CSV: `image,mean,stdv`,
 *   - UTKFace file names `AGE_GENDER_RACE_DATE.jpg…` (no CSV; real age, no std).
 * Bad rows are reported with their line number and never abort the rest. Pure; Node and browser.
 */
import Papa from 'papaparse';
import { MAX_AGE } from '../age/distribution';

export type LabelFormat = 'agedist' | 'chalearn' | 'utkface';

export interface LabelRow {
  file: string;
  mean: number;
  /** Std of the votes; absent when the source has none. */
  std?: number;
  split?: string;
}

export interface LabelProblem {
  /** 1-based line in the CSV (0 for a file name). */
  line: number;
  source: string;
  reason: string;
}

export interface ParsedLabels {
  format: LabelFormat;
  rows: LabelRow[];
  problems: LabelProblem[];
}

const COLUMNS: Record<Exclude<LabelFormat, 'utkface'>, { file: string; mean: string; std: string }> = {
  agedist: { file: 'file', mean: 'age_mean', std: 'age_std' },
  chalearn: { file: 'image', mean: 'mean', std: 'stdv' },
};

export function parseLabelCsv(text: string): ParsedLabels {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  const [header = [], ...body] = parsed.data;
  const names = header.map((h) => h.trim().toLowerCase());
  const format = (Object.keys(COLUMNS) as (keyof typeof COLUMNS)[]).find((f) => names.includes(COLUMNS[f].file) && names.includes(COLUMNS[f].mean));
  if (!format) {
    throw new Error(`unrecognised label header "${header.join(',')}": expected file,age_mean,age_std or image,mean,stdv`);
  }
  const col = { file: names.indexOf(COLUMNS[format].file), mean: names.indexOf(COLUMNS[format].mean), std: names.indexOf(COLUMNS[format].std), split: names.indexOf('split') };
  const rows: LabelRow[] = [];
  const problems: LabelProblem[] = [];
  body.forEach((cells, i) => {
    const line = i + 2;
    const source = cells.join(',');
    const file = cells[col.file]?.trim();
    const meanText = cells[col.mean]?.trim() ?? '';
    const stdText = col.std >= 0 ? (cells[col.std]?.trim() ?? '') : '';
    const mean = Number(meanText);
    const std = stdText === '' ? undefined : Number(stdText);
    let reason: string | undefined;
    if (!file) reason = 'no file name';
    else if (meanText === '' || !Number.isFinite(mean)) reason = `age "${meanText}" is not a number`;
    else if (mean < 0 || mean > MAX_AGE) reason = `age ${mean} is outside 0..${MAX_AGE}`;
    else if (std !== undefined && !(std >= 0)) reason = `std "${stdText}" is not a number ≥ 0`;
    if (reason) {
      problems.push({ line, source, reason });
      return;
    }
    const split = col.split >= 0 ? cells[col.split]?.trim() || undefined : undefined;
    rows.push({ file: file!, mean, ...(std !== undefined && { std }), ...(split && { split }) });
  });
  for (const error of parsed.errors) {
    if (error.row !== undefined) problems.push({ line: error.row + 1, source: '', reason: error.message });
  }
  return { format, rows, problems };
}

/** UTKFace names start with the age: `26_0_2_20170104023102422.jpg.chip.jpg`. */
export function parseUtkFaceName(name: string): number | undefined {
  const base = name.split(/[\\/]/).pop() ?? '';
  const match = /^(\d{1,3})_\d+_\d+_\d+/.exec(base);
  if (!match) return undefined;
  const age = Number(match[1]);
  return age <= MAX_AGE ? age : undefined;
}

export function labelsFromUtkFaceNames(files: readonly string[]): ParsedLabels {
  const rows: LabelRow[] = [];
  const problems: LabelProblem[] = [];
  for (const file of files) {
    const age = parseUtkFaceName(file);
    if (age === undefined) problems.push({ line: 0, source: file, reason: 'not a UTKFace name (AGE_GENDER_RACE_DATE.jpg)' });
    else rows.push({ file, mean: age });
  }
  return { format: 'utkface', rows, problems };
}
