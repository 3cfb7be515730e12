/**
 * Results out as files: one JSON document and one CSV table per analysed image (a photo or a
 * webcam snapshot), holding every number behind what the page shows, so a spreadsheet or a script
 * can recompute the labels. Pure: no DOM, tested in Node.
 */
import Papa from 'papaparse';
import { AGE_BINS } from '../../age/distribution';
import type { FaceResult } from '../../worker/protocol';

/** Where the faces came from and what computed them. */
export interface ExportContext {
  /** The photo's file name, or a name for a snapshot. */
  source: string;
  /** Size of the analysed image, in the pixels the boxes are given in. */
  width: number;
  height: number;
  backend: string;
  ensembleName: string;
  ensembleVersion?: string;
  /** When the results were exported; now when absent (tests pass a fixed date). */
  createdAt?: Date;
}

export interface ExportedMember {
  id: string;
  name: string;
  weight: number;
  /** The member's own estimate (its summary's age: expected age or median, as the ensemble says). */
  age: number;
}

export interface ExportedFace {
  /** 1-based, as the page says "Face 1". */
  index: number;
  box: { x: number; y: number; width: number; height: number };
  /** The age the page shows: the ensemble's expected age or median, as its manifest says (AgeSummary.age). */
  age: number;
  std: number;
  mode: number;
  /** Probability of each age 0..100. */
  probabilities: number[];
  members: ExportedMember[];
}

export interface ResultsDocument {
  source: string;
  width: number;
  height: number;
  backend: string;
  /** version is null (not absent) when the manifest has none, so every document has the same keys. */
  ensemble: { name: string; version: string | null };
  /** ISO 8601. */
  createdAt: string;
  faces: ExportedFace[];
}

/**
 * Distributions are Float32Arrays; widened to doubles they print as 0.10000000149011612. This is
 * the shortest decimal (at most 9 significant digits) that gives the very same float32 back
 * through Math.fround: 0.1.
 */
export function float32Digits(value: number): number {
  const single = Math.fround(value);
  for (let digits = 1; digits < 9; digits++) {
    const short = Number(single.toPrecision(digits));
    if (Math.fround(short) === single) return short;
  }
  return Number(single.toPrecision(9));
}

export function resultsDocument(faces: readonly FaceResult[], context: ExportContext): ResultsDocument {
  return {
    source: context.source,
    width: context.width,
    height: context.height,
    backend: context.backend,
    ensemble: { name: context.ensembleName, version: context.ensembleVersion ?? null },
    createdAt: (context.createdAt ?? new Date()).toISOString(),
    faces: faces.map((face, i) => ({
      index: i + 1,
      box: { x: face.box.x, y: face.box.y, width: face.box.width, height: face.box.height },
      // Summaries are doubles computed in the worker: exported unrounded, so the page's
      // 2-decimal numbers are these rounded.
      age: face.summary.age,
      std: face.summary.std,
      mode: face.summary.mode,
      probabilities: Array.from(face.distribution, float32Digits),
      members: face.members.map((m) => ({ id: m.id, name: m.name, weight: m.weight, age: m.summary.age })),
    })),
  };
}

/** The JSON file's text (indented: people open these too). */
export function resultsJson(faces: readonly FaceResult[], context: ExportContext): string {
  return JSON.stringify(resultsDocument(faces, context), null, 2) + '\n';
}

/** Member ids in first-seen order over all faces (every face normally has the same members). */
function memberIds(faces: readonly ExportedFace[]): string[] {
  return [...new Set(faces.flatMap((f) => f.members.map((m) => m.id)))];
}

export const memberAgeColumn = (id: string) => `member_${id}_age`;

/** The CSV header; member columns depend on the faces, so a face-less image has none. */
export function csvFields(doc: ResultsDocument): string[] {
  return [
    'source',
    'face',
    'box_x',
    'box_y',
    'box_width',
    'box_height',
    'age',
    'std',
    'mode',
    ...memberIds(doc.faces).map(memberAgeColumn),
    'backend',
    'ensemble',
    'ensemble_version',
    ...Array.from({ length: AGE_BINS }, (_, age) => `p${age}`),
  ];
}

/** One row per face; built from the same document as the JSON, so both files hold the same numbers. */
export function resultsCsvFromDocument(doc: ResultsDocument): string {
  const ids = memberIds(doc.faces);
  const data = doc.faces.map((face) => {
    const memberAge = new Map(face.members.map((m) => [m.id, m.age]));
    return [
      doc.source,
      face.index,
      face.box.x,
      face.box.y,
      face.box.width,
      face.box.height,
      face.age,
      face.std,
      face.mode,
      ...ids.map((id) => memberAge.get(id) ?? ''),
      doc.backend,
      doc.ensemble.name,
      doc.ensemble.version ?? '',
      ...face.probabilities,
    ];
  });
  // A file name starting with = or + would otherwise be a formula in a spreadsheet; '-' is left
  // alone, it starts negative numbers (a box may stick out of the image).
  const csv = Papa.unparse({ fields: csvFields(doc), data }, { escapeFormulae: /^[=+@\t\r]/ });
  // unparse ends a header-only table with a line break but not one with rows: always end with one.
  return csv.endsWith('\r\n') ? csv : csv + '\r\n';
}

export function resultsCsv(faces: readonly FaceResult[], context: ExportContext): string {
  return resultsCsvFromDocument(resultsDocument(faces, context));
}

/** "sample1.jpg" → "sample1.agedist.csv": the download is named after the photo. */
export function exportFileName(source: string, extension: 'csv' | 'json' | 'png'): string {
  const base = source.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '') || 'agedist';
  return `${base}.agedist.${extension}`;
}
