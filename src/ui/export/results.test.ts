import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { gaussianTarget, mixture, summarize } from '../../age/distribution';
import type { FaceResult, MemberResult } from '../../worker/protocol';
import { exportFileName, float32Digits, resultsCsv, resultsDocument, resultsJson, type ExportContext } from './results';

function member(id: string, weight: number, mean: number, std: number): MemberResult {
  const distribution = gaussianTarget(mean, std);
  return { id, name: `Model ${id}`, weight, distribution, summary: summarize(distribution) };
}

/** A face as the worker sends it: two members and their weighted mixture. */
function face(x: number, meanA: number, meanB: number): FaceResult {
  const members = [member('deep', 0.77, meanA, 4.3), member('head', 0.23, meanB, 6.1)];
  const distribution = mixture(
    members.map((m) => m.distribution),
    members.map((m) => m.weight),
  );
  return {
    box: { x, y: 40.25, width: 120.5, height: 150.125 },
    points5: [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ],
    distribution,
    summary: summarize(distribution),
    members,
  };
}

const faces = [face(-3.5, 33.3, 29.9), face(200, 51.7, 47.2), face(400.75, 8.2, 12.9)];
const context: ExportContext = {
  source: 'group photo.jpg',
  width: 640,
  height: 480,
  backend: 'wasm',
  ensembleName: 'DADL FaceRes pair',
  ensembleVersion: '2026.11.28',
  createdAt: new Date('2026-12-01T10:00:00Z'),
};

const parseCsv = (text: string) => Papa.parse<Record<string, string | number>>(text, { header: true, dynamicTyping: true, skipEmptyLines: true });

describe('resultsJson', () => {
  it('parses back to the numbers the page shows, with the context', () => {
    const doc = JSON.parse(resultsJson(faces, context));
    expect(doc).toMatchObject({ source: 'group photo.jpg', width: 640, height: 480, backend: 'wasm', ensemble: { name: 'DADL FaceRes pair', version: '2026.11.28' }, createdAt: '2026-12-01T10:00:00.000Z' });
    expect(doc.faces).toHaveLength(3);
    doc.faces.forEach((f: ReturnType<typeof resultsDocument>['faces'][number], i: number) => {
      expect(f.index).toBe(i + 1);
      expect(f.box).toEqual(faces[i].box);
      expect(f.age.toFixed(2)).toBe(faces[i].summary.age.toFixed(2));
      expect(f.age).toBe(faces[i].summary.age);
      expect(f.std).toBe(faces[i].summary.std);
      expect(f.mode).toBe(faces[i].summary.mode);
      expect(f.members).toEqual(faces[i].members.map((m) => ({ id: m.id, name: m.name, weight: m.weight, age: m.summary.age })));
    });
  });

  it('holds 101 probabilities per face that sum to 1 and are the very float32 values', () => {
    const doc = JSON.parse(resultsJson(faces, context));
    for (const [i, f] of doc.faces.entries()) {
      expect(f.probabilities).toHaveLength(101);
      expect(f.probabilities.reduce((s: number, p: number) => s + p, 0)).toBeCloseTo(1, 6);
      f.probabilities.forEach((p: number, age: number) => expect(Math.fround(p)).toBe(faces[i].distribution[age]));
    }
  });

  it('gives an empty face list for a photo without faces, and a null version when the manifest has none', () => {
    const doc = JSON.parse(resultsJson([], { ...context, ensembleVersion: undefined }));
    expect(doc.faces).toEqual([]);
    expect(doc.ensemble).toEqual({ name: 'DADL FaceRes pair', version: null });
  });
});

describe('resultsCsv', () => {
  it('has one row per face with the same numbers as the JSON', () => {
    const { data, meta, errors } = parseCsv(resultsCsv(faces, context));
    expect(errors).toEqual([]);
    expect(data).toHaveLength(3);
    expect(meta.fields?.slice(0, 14)).toEqual(['source', 'face', 'box_x', 'box_y', 'box_width', 'box_height', 'age', 'std', 'mode', 'member_deep_age', 'member_head_age', 'backend', 'ensemble', 'ensemble_version']);
    expect(meta.fields?.slice(14)).toEqual(Array.from({ length: 101 }, (_, age) => `p${age}`));
    const doc = resultsDocument(faces, context);
    data.forEach((row, i) => {
      const f = doc.faces[i];
      expect(row).toMatchObject({ source: 'group photo.jpg', face: i + 1, box_x: f.box.x, box_y: f.box.y, box_width: f.box.width, box_height: f.box.height, age: f.age, std: f.std, mode: f.mode, backend: 'wasm', ensemble: 'DADL FaceRes pair' });
      // dynamicTyping reads "2026.11.28" as text (two dots), so the version survives as written.
      expect(String(row.ensemble_version)).toBe('2026.11.28');
      expect(row.member_deep_age).toBe(faces[i].members[0].summary.age);
      expect(row.member_head_age).toBe(faces[i].members[1].summary.age);
      const probabilities = Array.from({ length: 101 }, (_, age) => row[`p${age}`] as number);
      expect(probabilities).toEqual(f.probabilities);
      expect(probabilities.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 6);
    });
  });

  it('is just the header (no member columns) for a photo without faces', () => {
    const text = resultsCsv([], context);
    expect(text.trimEnd().split('\r\n')).toHaveLength(1);
    const { data, meta } = parseCsv(text);
    expect(data).toEqual([]);
    expect(meta.fields).toContain('p100');
    expect(meta.fields?.some((f) => f.startsWith('member_'))).toBe(false);
  });

  it('keeps a source name that starts like a formula from becoming one in a spreadsheet', () => {
    const { data } = parseCsv(resultsCsv(faces.slice(0, 1), { ...context, source: '=cmd.jpg' }));
    expect(data[0].source).toBe("'=cmd.jpg");
    expect(data[0].box_x).toBe(-3.5);
  });
});

describe('float32Digits', () => {
  it('prints a float32 short and gives the same float32 back', () => {
    const f = Math.fround(0.1);
    expect(String(f)).toBe('0.10000000149011612');
    expect(float32Digits(f)).toBe(0.1);
    for (const v of [1e-12, 0.333333343, 0.987654321, 7.5e-5]) expect(Math.fround(float32Digits(Math.fround(v)))).toBe(Math.fround(v));
  });
});

describe('exportFileName', () => {
  it('names the file after the photo', () => {
    expect(exportFileName('sample1.jpg', 'csv')).toBe('sample1.agedist.csv');
    expect(exportFileName('my.holiday.photo.webp', 'png')).toBe('my.holiday.photo.agedist.png');
    expect(exportFileName('noext', 'json')).toBe('noext.agedist.json');
    expect(exportFileName('dir/sub\\x.png', 'json')).toBe('x.agedist.json');
    expect(exportFileName('', 'csv')).toBe('agedist.agedist.csv');
  });
});
