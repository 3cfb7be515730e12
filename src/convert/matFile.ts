/**
 * A reader for MATLAB MAT-files, level 5 (what `save -v6` and `save -v7` write in MATLAB and GNU
 * Octave, and the format MatConvNet's public models use). Pure: bytes in, plain values out.
 *
 * Covered: both byte orders; compressed elements (zlib, v7); the small data element format;
 * numeric arrays of every class stored in any on-disk type (MATLAB stores doubles as uint8 when it
 * can), complex parts, the logical flag; char arrays as uint16/UTF-8/UTF-16/UTF-32 or 8-bit;
 * cell arrays; structs and struct arrays with field names of any length; empty arrays. Not
 * covered: sparse arrays and objects (a clear error), and v7.3, which is HDF5 (detected, with a
 * clear error).
 *
 * Arrays keep MATLAB's column-major order; `rowMajor` reorders them for TF.js. Numeric data is a
 * view into the (decompressed) file bytes when alignment and byte order allow, so a large model
 * is not copied again.
 */
import { unzlibSync } from 'fflate';

export type NumericClass = 'double' | 'single' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64';
type Numeric = Float64Array | Float32Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;

export type MatValue =
  | { type: 'numeric'; class: NumericClass; dims: number[]; data: Numeric; imag?: Numeric; logical: boolean }
  | { type: 'char'; dims: number[]; /** Column-major UTF-16 code units, as MATLAB holds them. */ codes: Uint16Array | Uint32Array }
  | { type: 'cell'; dims: number[]; cells: MatValue[] }
  | { type: 'struct'; dims: number[]; fields: string[]; /** Column-major struct array elements. */ elements: Record<string, MatValue>[] };

export interface MatFile {
  header: string;
  version: 5;
  littleEndian: boolean;
  variables: Record<string, MatValue>;
}

export class MatFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MatFormatError';
  }
}

const MI = { INT8: 1, UINT8: 2, INT16: 3, UINT16: 4, INT32: 5, UINT32: 6, SINGLE: 7, DOUBLE: 9, INT64: 12, UINT64: 13, MATRIX: 14, COMPRESSED: 15, UTF8: 16, UTF16: 17, UTF32: 18 } as const;
const MX_CLASSES: Record<number, NumericClass | 'cell' | 'struct' | 'object' | 'char' | 'sparse'> = {
  1: 'cell', 2: 'struct', 3: 'object', 4: 'char', 5: 'sparse', 6: 'double', 7: 'single', 8: 'int8', 9: 'uint8', 10: 'int16', 11: 'uint16', 12: 'int32', 13: 'uint32', 14: 'int64', 15: 'uint64',
};
const BYTES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8, 16: 1, 17: 2, 18: 4 };
const ARRAYS: Record<number, { new (buffer: ArrayBufferLike, offset: number, length: number): Numeric; new (length: number): Numeric }> = {
  1: Int8Array, 2: Uint8Array, 3: Int16Array, 4: Uint16Array, 5: Int32Array, 6: Uint32Array, 7: Float32Array, 9: Float64Array, 12: BigInt64Array, 13: BigUint64Array,
  16: Uint8Array, 17: Uint16Array, 18: Uint32Array,
};
const CLASS_ARRAYS: Record<NumericClass, { new (length: number): Numeric }> = {
  double: Float64Array, single: Float32Array, int8: Int8Array, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array, int64: BigInt64Array, uint64: BigUint64Array,
};
const HOST_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

interface Element {
  type: number;
  /** The element's data bytes. */
  data: Uint8Array;
  /** Offset of the next element. */
  next: number;
}

class Reader {
  constructor(private readonly little: boolean) {}

  /** One data element at `offset` of `bytes` (regular or small format); compressed ones inflated. */
  element(bytes: Uint8Array, offset: number): Element {
    if (offset + 8 > bytes.length) throw new MatFormatError(`truncated element at byte ${offset}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 8);
    const first = view.getUint32(0, this.little);
    const small = first >>> 16;
    if (small !== 0) {
      // Small data element: size in the upper half of the first word, data in the second.
      const type = first & 0xffff;
      return { type, data: bytes.subarray(offset + 4, offset + 4 + small), next: offset + 8 };
    }
    const size = view.getUint32(4, this.little);
    const start = offset + 8;
    if (start + size > bytes.length) throw new MatFormatError(`element at byte ${offset} runs past the end of the data (${size} bytes)`);
    const data = bytes.subarray(start, start + size);
    // Compressed elements are not padded to 8 bytes; all others are.
    if (first === MI.COMPRESSED) return { type: first, data, next: start + size };
    return { type: first, data, next: start + Math.ceil(size / 8) * 8 };
  }

  /** The numbers of a data element, as the on-disk type's array (a view when possible). */
  numbers(e: Element): Numeric {
    const Array_ = ARRAYS[e.type];
    const width = BYTES[e.type];
    if (!Array_ || !width) throw new MatFormatError(`data type ${e.type} is not numeric`);
    const count = Math.floor(e.data.length / width);
    if (width === 1 || (this.little === HOST_LITTLE && (e.data.byteOffset % width === 0))) {
      return new Array_(e.data.buffer, e.data.byteOffset, count);
    }
    // Misaligned or foreign byte order: copy, swapping if needed.
    const out = new Array_(count);
    const view = new DataView(e.data.buffer, e.data.byteOffset, e.data.length);
    const get: (i: number) => number | bigint = {
      2: (i: number) => view.getUint16(i * 2, this.little),
      3: (i: number) => view.getInt16(i * 2, this.little),
      4: (i: number) => view.getUint16(i * 2, this.little),
      5: (i: number) => view.getInt32(i * 4, this.little),
      6: (i: number) => view.getUint32(i * 4, this.little),
      7: (i: number) => view.getFloat32(i * 4, this.little),
      9: (i: number) => view.getFloat64(i * 8, this.little),
      12: (i: number) => view.getBigInt64(i * 8, this.little),
      13: (i: number) => view.getBigUint64(i * 8, this.little),
      17: (i: number) => view.getUint16(i * 2, this.little),
      18: (i: number) => view.getUint32(i * 4, this.little),
    }[e.type]!;
    for (let i = 0; i < count; i++) (out as unknown as (number | bigint)[])[i] = get(i);
    return out;
  }

  /**
   * The array element at `offset` (compressed or not): its name, value and where the next element
   * starts. The next offset comes from what was read, not from the declared size: Octave declares
   * 4 bytes too many for an array whose char data is a small element (`['ab';'cd']`).
   */
  matrix(bytes: Uint8Array, offset: number, where: string): { name: string; value: MatValue; next: number } {
    if (offset + 8 > bytes.length) throw new MatFormatError(`${where}: truncated at byte ${offset}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 8);
    const type = view.getUint32(0, this.little);
    const size = view.getUint32(4, this.little);
    if (type === MI.COMPRESSED) {
      const e = this.element(bytes, offset);
      return { ...this.matrix(this.inflate(e.data, offset), 0, where), next: e.next };
    }
    if (type !== MI.MATRIX) throw new MatFormatError(`${where}: expected an array element, found data type ${type}`);
    const empty = { type: 'numeric', class: 'double', dims: [0, 0], data: new Float64Array(0), logical: false } as const;
    if (size === 0) return { name: '', value: { ...empty, dims: [0, 0] }, next: offset + 8 };
    return this.arrayBody(bytes, offset + 8, offset + 8 + size, where);
  }

  private inflate(data: Uint8Array, offset: number): Uint8Array {
    try {
      return unzlibSync(data);
    } catch (error) {
      throw new MatFormatError(`a compressed element at byte ${offset} could not be inflated (${(error as Error).message})`);
    }
  }

  /** Sub-elements of an array: flags, dims, name, then the class's data. */
  private arrayBody(bytes: Uint8Array, start: number, declaredEnd: number, where: string): { name: string; value: MatValue; next: number } {
    // Another sub-element follows when at least a tag's worth of the declared size is left.
    const more = (at: number) => at + 8 <= declaredEnd;
    const flagsElement = this.element(bytes, start);
    const flags = this.numbers(flagsElement) as Uint32Array;
    const classCode = flags[0] & 0xff;
    const complex = (flags[0] & 0x800) !== 0;
    const logical = (flags[0] & 0x200) !== 0;
    const dimsElement = this.element(bytes, flagsElement.next);
    const dims = Array.from(this.numbers(dimsElement), Number);
    const nameElement = this.element(bytes, dimsElement.next);
    const name = new TextDecoder('latin1').decode(nameElement.data);
    const cls = MX_CLASSES[classCode];
    const at = `${where}${name ? ` ${name}` : ''}`;
    const count = dims.reduce((a, b) => a * b, 1);
    let offset = nameElement.next;
    if (cls === 'cell') {
      const cells: MatValue[] = [];
      for (let i = 0; i < count; i++) {
        const cell = this.matrix(bytes, offset, `${at}{${i + 1}}`);
        cells.push(cell.value);
        offset = cell.next;
      }
      return { name, value: { type: 'cell', dims, cells }, next: offset };
    }
    if (cls === 'struct' || cls === 'object') {
      if (cls === 'object') offset = this.element(bytes, offset).next; // class name: read as a struct
      const lengthElement = this.element(bytes, offset);
      const fieldLength = Number(this.numbers(lengthElement)[0]);
      const namesElement = this.element(bytes, lengthElement.next);
      const fields: string[] = [];
      for (let f = 0; f * fieldLength < namesElement.data.length; f++) {
        const raw = namesElement.data.subarray(f * fieldLength, (f + 1) * fieldLength);
        const end = raw.indexOf(0);
        fields.push(new TextDecoder('latin1').decode(end < 0 ? raw : raw.subarray(0, end)));
      }
      offset = namesElement.next;
      const elements: Record<string, MatValue>[] = [];
      for (let i = 0; i < count; i++) {
        const element: Record<string, MatValue> = {};
        for (const field of fields) {
          const value = this.matrix(bytes, offset, `${at}.${field}`);
          element[field] = value.value;
          offset = value.next;
        }
        elements.push(element);
      }
      return { name, value: { type: 'struct', dims, fields, elements }, next: offset };
    }
    if (cls === 'char') {
      // Empty arrays may still carry an empty data element (Octave writes one).
      if (count === 0) return { name, value: { type: 'char', dims, codes: new Uint16Array(0) }, next: more(offset) ? this.element(bytes, offset).next : offset };
      const data = this.element(bytes, offset);
      return { name, value: { type: 'char', dims, codes: this.charCodes(data, count, at) }, next: data.next };
    }
    if (cls === 'sparse') throw new MatFormatError(`${at}: sparse arrays are not supported`);
    if (!cls) throw new MatFormatError(`${at}: unknown array class ${classCode}`);
    if (count === 0) {
      let next = offset;
      for (let part = 0; part < (complex ? 2 : 1) && more(next); part++) next = this.element(bytes, next).next;
      return { name, value: { type: 'numeric', class: cls, dims, data: new CLASS_ARRAYS[cls](0), logical }, next };
    }
    const real = this.element(bytes, offset);
    const data = this.asClass(this.numbers(real), cls, count);
    const imagElement = complex ? this.element(bytes, real.next) : undefined;
    const imag = imagElement ? this.asClass(this.numbers(imagElement), cls, count) : undefined;
    return { name, value: { type: 'numeric', class: cls, dims, data, ...(imag && { imag }), logical }, next: (imagElement ?? real).next };
  }

  /** Char data as UTF-16 code units; MATLAB writes uint16, Octave may write 8-bit or UTF-8. */
  private charCodes(e: Element, count: number, where: string): Uint16Array | Uint32Array {
    if (e.type === MI.UTF8) {
      const text = new TextDecoder('utf-8').decode(e.data);
      const codes = new Uint16Array(text.length);
      for (let i = 0; i < text.length; i++) codes[i] = text.charCodeAt(i);
      if (codes.length !== count) throw new MatFormatError(`${where}: UTF-8 char data has ${codes.length} characters for ${count} cells`);
      return codes;
    }
    if (e.type === MI.UTF32) return Uint32Array.from(this.numbers(e) as Uint32Array);
    const n = this.numbers(e);
    return Uint16Array.from(n as ArrayLike<number>);
  }

  /** Converts the on-disk numbers to the array's class (e.g. doubles MATLAB stored as uint8). */
  private asClass(stored: Numeric, cls: NumericClass, count: number): Numeric {
    const Wanted = CLASS_ARRAYS[cls];
    if (stored instanceof Wanted) return stored;
    const out = new Wanted(count);
    const big = out instanceof BigInt64Array || out instanceof BigUint64Array;
    for (let i = 0; i < count; i++) {
      const v = stored[i];
      (out as unknown as (number | bigint)[])[i] = big ? BigInt(v) : Number(v);
    }
    return out;
  }
}

/** Reads a whole MAT-file (level 5). */
export function readMat(bytes: Uint8Array): MatFile {
  if (bytes.length < 128) throw new MatFormatError('too short to be a MAT-file');
  const header = new TextDecoder('latin1').decode(bytes.subarray(0, 116)).replace(/[\s\0]+$/, '');
  if (/^MATLAB 7\.3/.test(header) || (bytes[0] === 0x89 && bytes[1] === 0x48 && bytes[2] === 0x44 && bytes[3] === 0x46) || new TextDecoder('latin1').decode(bytes.subarray(512, 516)) === '\x89HDF') {
    throw new MatFormatError('this is a MAT-file v7.3 (HDF5), which is not supported: in MATLAB, load it and save it again with save(file, \'-v7\')');
  }
  const endian = String.fromCharCode(bytes[126], bytes[127]);
  if (endian !== 'IM' && endian !== 'MI') throw new MatFormatError('not a MAT-file level 5 (no endian indicator at byte 126); level 4 files are not supported');
  const reader = new Reader(endian === 'IM');
  const variables: Record<string, MatValue> = {};
  let offset = 128;
  while (offset + 8 <= bytes.length) {
    const { name, value, next } = reader.matrix(bytes, offset, 'variable');
    variables[name] = value;
    offset = next;
  }
  return { header, version: 5, littleEndian: endian === 'IM', variables };
}

/** A char array's rows as strings (a 1×N char array gives one string). */
export function charRows(value: MatValue): string[] {
  if (value.type !== 'char') throw new MatFormatError(`expected a char array, found ${value.type}`);
  const [rows, cols] = [value.dims[0] ?? 0, value.dims.slice(1).reduce((a, b) => a * b, 1)];
  return Array.from({ length: rows }, (_, r) => String.fromCodePoint(...Array.from({ length: cols }, (_, c) => value.codes[r + c * rows])));
}

/** Column-major (MATLAB) data of `dims` → row-major (TF.js) order, same dims. */
export function rowMajor<T extends Numeric>(data: T, dims: readonly number[]): T {
  const n = dims.reduce((a, b) => a * b, 1);
  const out = new (data.constructor as { new (length: number): T })(n);
  const rank = dims.length;
  // Column-major strides.
  const colStride = dims.map((_, k) => dims.slice(0, k).reduce((a, b) => a * b, 1));
  const index = new Array<number>(rank).fill(0);
  for (let rowIndex = 0; rowIndex < n; rowIndex++) {
    let colIndex = 0;
    for (let k = 0; k < rank; k++) colIndex += index[k] * colStride[k];
    (out as unknown as (number | bigint)[])[rowIndex] = data[colIndex];
    for (let k = rank - 1; k >= 0; k--) {
      if (++index[k] < dims[k]) break;
      index[k] = 0;
    }
  }
  return out;
}
