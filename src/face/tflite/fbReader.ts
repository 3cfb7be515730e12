/**
 * A minimal schema-less flatbuffer table reader: fields are addressed by slot number (see
 * tfliteSchema.ts). Enough to walk a TFLite model or its metadata without generated code, and
 * it exposes absolute positions so the patcher can point new tables at unchanged old objects.
 */
import { ByteBuffer } from 'flatbuffers';

export class FbTable {
  constructor(
    readonly bb: ByteBuffer,
    /** Absolute position of the table in the buffer. */
    readonly pos: number,
  ) {}

  /** Root table of a finished flatbuffer. */
  static root(bytes: Uint8Array): FbTable {
    const bb = new ByteBuffer(bytes);
    return new FbTable(bb, bb.readUint32(0));
  }

  /** Number of slots the table's vtable describes (present or not). */
  get slotCount(): number {
    const vtable = this.pos - this.bb.readInt32(this.pos);
    return (this.bb.readUint16(vtable) - 4) >> 1;
  }

  /** Position of the field's inline value, or 0 when the field is absent. */
  private field(slot: number): number {
    const o = this.bb.__offset(this.pos, 4 + 2 * slot);
    return o ? this.pos + o : 0;
  }

  has(slot: number): boolean {
    return this.field(slot) !== 0;
  }

  u8(slot: number, dflt = 0): number {
    const p = this.field(slot);
    return p ? this.bb.readUint8(p) : dflt;
  }

  i8(slot: number, dflt = 0): number {
    const p = this.field(slot);
    return p ? this.bb.readInt8(p) : dflt;
  }

  u32(slot: number, dflt = 0): number {
    const p = this.field(slot);
    return p ? this.bb.readUint32(p) : dflt;
  }

  i32(slot: number, dflt = 0): number {
    const p = this.field(slot);
    return p ? this.bb.readInt32(p) : dflt;
  }

  /** Absolute position of the object (table, vector, string) an offset field refers to; 0 if absent. */
  target(slot: number): number {
    const p = this.field(slot);
    return p ? this.bb.__indirect(p) : 0;
  }

  table(slot: number): FbTable | null {
    const t = this.target(slot);
    return t ? new FbTable(this.bb, t) : null;
  }

  string(slot: number): string | null {
    const p = this.field(slot);
    return p ? (this.bb.__string(p) as string) : null;
  }

  /** Element count and position of the first element of a vector field. */
  private vector(slot: number): { len: number; start: number } {
    const p = this.field(slot);
    return p ? { len: this.bb.__vector_len(p), start: this.bb.__vector(p) } : { len: 0, start: 0 };
  }

  tables(slot: number): FbTable[] {
    const { len, start } = this.vector(slot);
    return Array.from({ length: len }, (_, i) => new FbTable(this.bb, this.bb.__indirect(start + 4 * i)));
  }

  i32s(slot: number): number[] {
    const { len, start } = this.vector(slot);
    return Array.from({ length: len }, (_, i) => this.bb.readInt32(start + 4 * i));
  }

  f32s(slot: number): number[] {
    const { len, start } = this.vector(slot);
    return Array.from({ length: len }, (_, i) => this.bb.readFloat32(start + 4 * i));
  }

  bytes(slot: number): Uint8Array {
    const { len, start } = this.vector(slot);
    return this.bb.bytes().subarray(start, start + len);
  }
}
