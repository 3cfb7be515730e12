/**
 * A dropped face dataset (folder or zip) as training samples: which file is the label CSV, which
 * rows point at images that exist, which split each sample is in, and a report of everything
 * that was skipped and why. Pure (paths and text in, plain data out) so it is tested in Node;
 * decoding and landmark failures are added to the same report later, by the preprocessing.
 */
import { parseLabelCsv, labelsFromUtkFaceNames, type LabelFormat, type LabelRow } from './labels';
import { seededRandom } from '../util/random';

export interface DatasetOptions {
  /** Std (years) for rows that have none (UTKFace names, empty CSV cells). */
  defaultStd: number;
  /** Share of samples held out for validation when the CSV has no split column. */
  validFraction: number;
  seed: number;
}

export const DEFAULT_DATASET_OPTIONS: DatasetOptions = { defaultStd: 3, validFraction: 0.2, seed: 1 };

export type Split = 'train' | 'valid';

export interface DatasetSample {
  /** Path of the image inside the dropped folder or zip. */
  path: string;
  mean: number;
  std: number;
  /** False when `std` is the default. */
  stdGiven: boolean;
  split: Split;
}

export interface DatasetIssue {
  /** The file or CSV line it concerns. */
  source: string;
  reason: string;
}

export interface AssembledDataset {
  format: LabelFormat;
  /** The CSV that was used, if any. */
  labelsPath?: string;
  /** Where the split came from. */
  splitFrom: 'csv' | 'random';
  samples: DatasetSample[];
  issues: DatasetIssue[];
}

const IMAGE = /\.(jpe?g|png|webp|bmp|gif)$/i;
export const isImagePath = (path: string) => IMAGE.test(path);

const SPLITS: Record<string, Split | undefined> = { train: 'train', training: 'train', valid: 'valid', val: 'valid', validation: 'valid' };

const dirOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '');
const baseOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** `a/./b/../c.jpg` → `a/c.jpg`; backslashes (Windows-made CSVs) count as slashes. */
function normalise(path: string): string {
  const out: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}

/**
 * Picks the label CSV (`labels.csv` first, then the shallowest `.csv` with a known header), matches
 * its rows to images (relative to the CSV's folder, then by unique file name), or reads ages from
 * UTKFace file names when there is no CSV.
 */
export function assembleDataset(paths: readonly string[], readText: (path: string) => string, options: DatasetOptions = DEFAULT_DATASET_OPTIONS): AssembledDataset {
  const issues: DatasetIssue[] = [];
  const images = paths.filter(isImagePath);
  const csvs = paths.filter((p) => /\.csv$/i.test(p)).sort((a, b) => Number(baseOf(b) === 'labels.csv') - Number(baseOf(a) === 'labels.csv') || a.split('/').length - b.split('/').length);
  for (const p of paths) if (!isImagePath(p) && !/\.csv$/i.test(p)) issues.push({ source: p, reason: 'not an image or a CSV: ignored' });

  let labels: ReturnType<typeof parseLabelCsv> | undefined;
  let labelsPath: string | undefined;
  for (const csv of csvs) {
    try {
      labels = parseLabelCsv(readText(csv));
      labelsPath = csv;
      break;
    } catch (error) {
      issues.push({ source: csv, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  for (const csv of csvs) if (labelsPath && csv !== labelsPath) issues.push({ source: csv, reason: `another CSV (${labelsPath}) holds the labels: ignored` });
  if (!labels) labels = labelsFromUtkFaceNames(images);
  for (const p of labels.problems) issues.push({ source: p.line > 0 ? `${labelsPath} line ${p.line}` : p.source, reason: p.reason });

  const byPath = new Map(images.map((i) => [normalise(i), i]));
  const byName = new Map<string, string | null>();
  for (const image of images) byName.set(baseOf(image), byName.has(baseOf(image)) ? null : image);
  const resolveImage = (row: LabelRow): string | undefined => {
    if (!labelsPath) return row.file;
    const relative = normalise(dirOf(labelsPath) + row.file);
    return byPath.get(relative) ?? byName.get(baseOf(normalise(row.file))) ?? undefined;
  };

  const matched: { row: LabelRow; path: string }[] = [];
  const used = new Set<string>();
  for (const row of labels.rows) {
    const path = resolveImage(row);
    if (!path) issues.push({ source: row.file, reason: 'listed in the labels but no such image was dropped' });
    else if (used.has(path)) issues.push({ source: row.file, reason: 'listed twice in the labels: the first row is used' });
    else {
      used.add(path);
      matched.push({ row, path });
    }
  }
  if (labelsPath) for (const image of images) if (!used.has(image)) issues.push({ source: image, reason: 'image has no row in the labels: ignored' });

  const splitFromCsv = matched.some((m) => m.row.split !== undefined);
  const random = seededRandom(options.seed);
  const samples: DatasetSample[] = [];
  for (const { row, path } of matched) {
    let split: Split | undefined;
    if (splitFromCsv) {
      split = SPLITS[(row.split ?? '').toLowerCase()];
      if (!split) {
        issues.push({ source: row.file, reason: `split "${row.split ?? ''}" is neither train nor valid: not used` });
        continue;
      }
    } else split = random() < options.validFraction ? 'valid' : 'train';
    samples.push({ path, mean: row.mean, std: row.std ?? options.defaultStd, stdGiven: row.std !== undefined, split });
  }
  return { format: labels.format, labelsPath, splitFrom: splitFromCsv ? 'csv' : 'random', samples, issues };
}

/** The report as a CSV the user can download. */
export function issuesCsv(issues: readonly DatasetIssue[]): string {
  const cell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return ['source,reason', ...issues.map((i) => `${cell(i.source)},${cell(i.reason)}`)].join('\n') + '\n';
}
