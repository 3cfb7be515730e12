import { readFileSync } from 'node:fs';
import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { charRows, MatFormatError, readMat, rowMajor, type MatValue } from './matFile';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const numeric = (v: MatValue | undefined) => {
  if (v?.type !== 'numeric') throw new Error(`not numeric: ${v?.type}`);
  return v;
};

describe.each(['reader-v6.mat', 'reader-v7.mat'])('readMat on Octave’s %s', (file) => {
  const mat = readMat(fixture(file));
  const v = mat.variables;

  it('reads the header and every variable', () => {
    expect(mat.header).toMatch(/^MATLAB 5\.0 MAT-file, written by Octave/);
    expect(Object.keys(v).sort()).toEqual(['a_field_name_longer_than_thirty_one_characters', 'arr', 'big', 'cells', 'cplx', 'd', 'empty', 'emptystr', 'flag', 'i32', 'i8', 'lines', 'name', 'u16', 'utf', 'w']);
  });

  it('reads a 4-D single exactly, column-major, and reorders it row-major', () => {
    const w = numeric(v.w);
    expect(w.class).toBe('single');
    expect(w.dims).toEqual([2, 3, 4, 5]);
    expect(Array.from(w.data as Float32Array)).toEqual(Array.from({ length: 120 }, (_, i) => i / 8));
    // Element (h, x, c, k) (0-based) holds (h + 2x + 6c + 24k) / 8 in MATLAB; row-major puts it at ((h*3 + x)*4 + c)*5 + k.
    const r = rowMajor(w.data as Float32Array, w.dims);
    for (const [h, x, c, k] of [[0, 0, 0, 0], [1, 2, 3, 4], [1, 0, 2, 3], [0, 1, 0, 1]]) expect(r[((h * 3 + x) * 4 + c) * 5 + k]).toBe((h + 2 * x + 6 * c + 24 * k) / 8);
  });

  it('reads numbers of every class, complex parts, logical flags and empties', () => {
    expect(Array.from(numeric(v.d).data as Float64Array)).toEqual([1.5, 3, -2, 4e10]); // column-major
    expect(numeric(v.i8)).toMatchObject({ class: 'int8', dims: [1, 3] });
    expect(Array.from(numeric(v.i8).data as Int8Array)).toEqual([-128, 0, 127]);
    expect(Array.from(numeric(v.u16).data as Uint16Array)).toEqual([0, 65535]);
    expect(Array.from(numeric(v.i32).data as Int32Array)).toEqual([-5, 6]);
    expect(numeric(v.flag).logical).toBe(true);
    expect(Array.from(numeric(v.flag).data as Uint8Array)).toEqual([1, 0, 1]);
    expect(Array.from(numeric(v.cplx).data as Float64Array)).toEqual([1, 3]);
    expect(Array.from(numeric(v.cplx).imag as Float64Array)).toEqual([2, -4]);
    expect(numeric(v.empty).dims).toEqual([0, 0]);
    expect(numeric(v.big).data).toHaveLength(3000);
    expect(numeric(v.big).data[2999]).toBe(3000);
    expect(numeric(v.a_field_name_longer_than_thirty_one_characters).data[0]).toBe(7);
  });

  it('reads strings, char matrices and non-ASCII text', () => {
    expect(charRows(v.name)).toEqual(['conv1']);
    expect(charRows(v.lines)).toEqual(['ab', 'cd']);
    expect(charRows(v.utf)).toEqual(['Größe ±1']);
    expect(v.emptystr).toMatchObject({ type: 'char', dims: [0, 0] });
  });

  it('reads nested cells and struct arrays', () => {
    const cells = v.cells;
    if (cells.type !== 'cell') throw new Error('not a cell');
    expect(cells.dims).toEqual([1, 4]);
    expect(numeric(cells.cells[0]).data[0]).toBe(1);
    expect(charRows(cells.cells[1])).toEqual(['two']);
    const inner = cells.cells[2];
    expect(inner.type === 'cell' && numeric(inner.cells[0]).class).toBe('single');
    const s = cells.cells[3];
    expect(s.type === 'struct' && numeric(s.elements[0].k).data[0]).toBe(4);
    const arr = v.arr;
    if (arr.type !== 'struct') throw new Error('not a struct');
    expect(arr.dims).toEqual([1, 2]);
    expect(arr.fields).toEqual(['type', 'n']);
    expect(arr.elements.map((e) => charRows(e.type)[0])).toEqual(['conv', 'relu']);
    expect(arr.elements.map((e) => numeric(e.n).data[0])).toEqual([1, 2]);
  });
});

describe('readMat errors', () => {
  it('says clearly that v7.3 (HDF5) files are not supported', () => {
    const bytes = new Uint8Array(600);
    bytes.set(new TextEncoder().encode('MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon Jan 1 HDF5 schema 1.00 .'));
    expect(() => readMat(bytes)).toThrow(/v7\.3 \(HDF5\).*save\(file, '-v7'\)/);
  });

  it('rejects files that are not MAT level 5, and corrupt compressed data', () => {
    expect(() => readMat(new Uint8Array(200))).toThrow(MatFormatError);
    const v7 = fixture('reader-v7.mat');
    const broken = v7.slice();
    broken.fill(0xff, 140, 160); // inside the first compressed element's zlib stream
    expect(() => readMat(broken)).toThrow(/could not be inflated/);
  });

  it('reads a big-endian file', () => {
    // A hand-made 'MI' file: one 1x2 double [1 2] named x, compressed, to cover byte swapping.
    const be = (n: number, bytes = 4) => { const b = new Uint8Array(bytes); new DataView(b.buffer).setUint32(bytes - 4, n, false); return b; };
    const f64 = (x: number) => { const b = new Uint8Array(8); new DataView(b.buffer).setFloat64(0, x, false); return b; };
    const parts = [be(6), be(8), be(6), be(0), be(5), be(8), be(1), be(2), new Uint8Array([0, 1, 0, 1, 0x78, 0, 0, 0]), be(9), be(16), f64(1), f64(2)];
    const body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (body.set(p, at), at + p.length), 0);
    const matrix = new Uint8Array(8 + body.length);
    matrix.set(be(14), 0);
    matrix.set(be(body.length), 4);
    matrix.set(body, 8);
    const z = zlibSync(matrix);
    const file = new Uint8Array(128 + 8 + z.length);
    file.set(new TextEncoder().encode('MATLAB 5.0 MAT-file'), 0);
    file.set([0x01, 0x00, 0x4d, 0x49], 124); // version, 'MI'
    file.set(be(15), 128);
    file.set(be(z.length), 132);
    file.set(z, 136);
    const mat = readMat(file);
    expect(mat.littleEndian).toBe(false);
    expect(Array.from(numeric(mat.variables.x).data as Float64Array)).toEqual([1, 2]);
  });
});
