/**
 * Patches a TFLite model without re-serialising it. Flatbuffer references are relative, so the
 * original file is embedded whole as an opaque blob and a new root `Model` table is built in front
 * of it: unchanged fields point into the blob, and only what changes (buffers, metadata, and for
 * the pad the first subgraph's tensors/operators/outputs) gets new vectors and tables.
 *
 * The flatbuffers Builder writes back to front, so the blob, written first, ends up last and all
 * new objects refer forward into it, as flatbuffer offsets must. Tensor data inside the blob keeps
 * its position modulo 16 because the blob starts 16-byte aligned (Buffer.data is force_align 16).
 */
import { Builder } from 'flatbuffers';
import { FbTable } from './fbReader';
import { int32Vector, offsetVector } from './fbVectors';
import * as S from './tfliteSchema';

export interface PadSpec {
  /** Subgraph-0 tensor to pad with zeros at the end of its last axis. */
  tensor: number;
  /** Number of zeros appended on the last axis. */
  extra: number;
}

export interface PatchOptions {
  /** A ModelMetadata flatbuffer, attached as Model.metadata "TFLITE_METADATA". */
  metadata: Uint8Array;
  /**
   * Appends one PAD op. The new tensors are appended to subgraph 0's tensor list: the int32
   * paddings constant gets index `tensorCount`, the padded output `tensorCount + 1`.
   */
  pad?: PadSpec;
  /** New subgraph-0 outputs (tensor indices); defaults to the original outputs. */
  outputs?: readonly number[];
}

const TFLITE_FILE_IDENTIFIER = 'TFL3';

/** Indices of the tensors patchModel appends when given a PadSpec. */
export function appendedTensorIndices(original: Uint8Array): { paddings: number; padded: number } {
  const n = FbTable.root(original).tables(S.Model.subgraphs)[0].tables(S.SubGraph.tensors).length;
  return { paddings: n, padded: n + 1 };
}

export function patchModel(original: Uint8Array, options: PatchOptions): Uint8Array {
  const model = FbTable.root(original);
  const oldMetadata = model.tables(S.Model.metadata);
  if (oldMetadata.some((m) => m.string(S.Metadata.name) === S.TFLITE_METADATA_NAME)) {
    throw new Error('model already has TFLITE_METADATA');
  }
  const b = new Builder(original.length + 65536);

  // The original file as one opaque, 16-aligned byte vector; `ref` maps a position inside the
  // original file to the Builder offset (distance from the end) of the same byte in the copy.
  const blobStart = alignedBytes(b, original) - 4; // skip the vector's length prefix
  const ref = (pos: number): number => blobStart - pos;
  const refs = (tables: FbTable[]): number[] => tables.map((t) => ref(t.pos));

  const oldBuffers = model.tables(S.Model.buffers);
  const newBuffers: number[] = []; // offsets of new Buffer tables, appended in order
  const addBuffer = (data: Uint8Array): number => {
    const vec = alignedBytes(b, data);
    b.startObject(1);
    b.addFieldOffset(S.Buffer.data, vec, 0);
    newBuffers.push(b.endObject());
    return oldBuffers.length + newBuffers.length - 1;
  };

  const overrides = new Map<number, number>();

  // --- metadata ---
  const metadataBuffer = addBuffer(options.metadata);
  const name = b.createString(S.TFLITE_METADATA_NAME);
  b.startObject(2);
  b.addFieldOffset(S.Metadata.name, name, 0);
  b.addFieldInt32(S.Metadata.buffer, metadataBuffer, null);
  const metadataEntry = b.endObject();
  overrides.set(S.Model.metadata, offsetVector(b, [...refs(oldMetadata), metadataEntry]));

  // --- subgraph 0: pad op and outputs ---
  const subgraphs = model.tables(S.Model.subgraphs);
  const sg = subgraphs[0];
  if (options.pad || options.outputs) {
    const sgOverrides = new Map<number, number>();
    if (options.pad) {
      const { tensors, operators, opcodes } = appendPad(b, model, sg, options.pad, addBuffer, refs);
      sgOverrides.set(S.SubGraph.tensors, tensors);
      sgOverrides.set(S.SubGraph.operators, operators);
      if (opcodes) overrides.set(S.Model.operator_codes, opcodes);
    }
    if (options.outputs) sgOverrides.set(S.SubGraph.outputs, int32Vector(b, options.outputs));
    const newSg = cloneTable(b, sg, S.SUBGRAPH_FIELD_KINDS, sgOverrides, ref);
    overrides.set(S.Model.subgraphs, offsetVector(b, [newSg, ...refs(subgraphs.slice(1))]));
  }

  overrides.set(S.Model.buffers, offsetVector(b, [...refs(oldBuffers), ...newBuffers]));
  b.finish(cloneTable(b, model, S.MODEL_FIELD_KINDS, overrides, ref), TFLITE_FILE_IDENTIFIER);
  return b.asUint8Array().slice();
}

/** PAD(tensor, paddings) -> padded; returns the new tensors/operators (and opcodes if PAD was missing). */
function appendPad(
  b: Builder,
  model: FbTable,
  sg: FbTable,
  pad: PadSpec,
  addBuffer: (data: Uint8Array) => number,
  refs: (tables: FbTable[]) => number[],
): { tensors: number; operators: number; opcodes: number | null } {
  const tensors = sg.tables(S.SubGraph.tensors);
  const source = tensors[pad.tensor];
  if (!source) throw new Error(`no tensor ${pad.tensor}`);
  if (source.i8(S.Tensor.type) !== S.TensorType.FLOAT32) throw new Error('PAD source must be float32');
  const shape = source.i32s(S.Tensor.shape);
  const paddedShape = shape.map((d, i) => (i === shape.length - 1 ? d + pad.extra : d));
  const sourceName = source.string(S.Tensor.name) ?? `tensor_${pad.tensor}`;

  // Paddings constant: int32 [rank, 2] of (before, after) per axis, little-endian.
  const paddings = new Int32Array(shape.length * 2);
  paddings[paddings.length - 1] = pad.extra;
  const paddingsBuffer = addBuffer(new Uint8Array(paddings.buffer));
  const paddingsIndex = tensors.length; // as promised by appendedTensorIndices
  const paddedIndex = tensors.length + 1;
  const paddingsTensor = tensorTable(b, [shape.length, 2], S.TensorType.INT32, paddingsBuffer, `${sourceName}/paddings`);
  const paddedTensor = tensorTable(b, paddedShape, S.TensorType.FLOAT32, 0, `${sourceName}/padded`);

  // Reuse the model's PAD opcode if it has one, else append it.
  const opcodes = model.tables(S.Model.operator_codes);
  let opcodeIndex = opcodes.findIndex(
    (c) =>
      Math.max(c.i8(S.OperatorCode.deprecated_builtin_code), c.i32(S.OperatorCode.builtin_code)) ===
        S.BuiltinOperator.PAD && !c.has(S.OperatorCode.custom_code),
  );
  let newOpcodes: number | null = null;
  if (opcodeIndex < 0) {
    b.startObject(4);
    b.addFieldInt8(S.OperatorCode.deprecated_builtin_code, S.BuiltinOperator.PAD, null);
    b.addFieldInt32(S.OperatorCode.version, 1, null);
    b.addFieldInt32(S.OperatorCode.builtin_code, S.BuiltinOperator.PAD, null);
    newOpcodes = offsetVector(b, [...refs(opcodes), b.endObject()]);
    opcodeIndex = opcodes.length;
  }

  const inputs = int32Vector(b, [pad.tensor, paddingsIndex]);
  const outputs = int32Vector(b, [paddedIndex]);
  b.startObject(0);
  const padOptions = b.endObject();
  b.startObject(5);
  b.addFieldInt32(S.Operator.opcode_index, opcodeIndex, null);
  b.addFieldOffset(S.Operator.inputs, inputs, 0);
  b.addFieldOffset(S.Operator.outputs, outputs, 0);
  b.addFieldInt8(S.Operator.builtin_options_type, S.BuiltinOptions.PadOptions, 0);
  b.addFieldOffset(S.Operator.builtin_options, padOptions, 0);
  const padOp = b.endObject();

  return {
    tensors: offsetVector(b, [...refs(tensors), paddingsTensor, paddedTensor]),
    operators: offsetVector(b, [...refs(sg.tables(S.SubGraph.operators)), padOp]),
    opcodes: newOpcodes,
  };
}

function tensorTable(b: Builder, shape: readonly number[], type: number, buffer: number, name: string): number {
  const shapeVec = int32Vector(b, shape);
  const nameStr = b.createString(name);
  b.startObject(4);
  b.addFieldOffset(S.Tensor.shape, shapeVec, 0);
  b.addFieldInt8(S.Tensor.type, type, null);
  b.addFieldInt32(S.Tensor.buffer, buffer, null);
  b.addFieldOffset(S.Tensor.name, nameStr, 0);
  return b.endObject();
}

/**
 * Copies a table slot by slot: offset fields point back at the original objects (via `ref`)
 * unless overridden, scalars are copied. Unknown slots are an error rather than silently dropped.
 */
function cloneTable(
  b: Builder,
  src: FbTable,
  kinds: readonly S.FieldKind[],
  overrides: ReadonlyMap<number, number>,
  ref: (pos: number) => number,
): number {
  const slots = Math.max(src.slotCount, ...[...overrides.keys()].map((s) => s + 1));
  b.startObject(slots);
  for (let slot = 0; slot < slots; slot++) {
    const override = overrides.get(slot);
    if (override !== undefined) {
      b.addFieldOffset(slot, override, 0);
      continue;
    }
    if (!src.has(slot)) continue;
    const kind = kinds[slot];
    if (kind === undefined) throw new Error(`unknown field slot ${slot}: schema newer than tfliteSchema.ts`);
    if (kind === 'offset') b.addFieldOffset(slot, ref(src.target(slot)), 0);
    else if (kind === 'u32') b.addFieldInt32(slot, src.u32(slot), null);
    else b.addFieldInt8(slot, src.u8(slot), null);
  }
  return b.endObject();
}

/** A [ubyte] vector whose first byte is 16-byte aligned; returns the vector's offset. */
function alignedBytes(b: Builder, data: Uint8Array): number {
  b.startVector(1, data.length, S.BUFFER_DATA_ALIGN);
  b.pad(data.length); // reserve the space, then copy in one go
  const bb = b.dataBuffer();
  bb.bytes().set(data, bb.capacity() - b.offset());
  return b.endVector();
}
