import { Builder } from 'flatbuffers';
import { describe, expect, it } from 'vitest';
import { FbTable } from './fbReader';
import { appendedTensorIndices, patchModel } from './patchModel';
import * as S from './tfliteSchema';

const RELU = 19;

/** A tiny model without PAD: x[1,2,3] -RELU-> y[1,2,3], plus one 16-aligned constant buffer. */
function tinyModel(): Uint8Array {
  const b = new Builder(1024);
  const vec = (xs: number[]) => {
    b.startVector(4, xs.length, 4);
    for (let i = xs.length - 1; i >= 0; i--) b.addInt32(xs[i]);
    return b.endVector();
  };
  const offsets = (xs: number[]) => {
    b.startVector(4, xs.length, 4);
    for (let i = xs.length - 1; i >= 0; i--) b.addOffset(xs[i]);
    return b.endVector();
  };
  const tensor = (name: string) => {
    const shape = vec([1, 2, 3]);
    const n = b.createString(name);
    b.startObject(4);
    b.addFieldOffset(S.Tensor.shape, shape, 0);
    b.addFieldOffset(S.Tensor.name, n, 0);
    return b.endObject();
  };
  const tensors = offsets([tensor('x'), tensor('y')]);
  const opIn = vec([0]);
  const opOut = vec([1]);
  b.startObject(3);
  b.addFieldInt32(S.Operator.opcode_index, 0, null);
  b.addFieldOffset(S.Operator.inputs, opIn, 0);
  b.addFieldOffset(S.Operator.outputs, opOut, 0);
  const operators = offsets([b.endObject()]);
  const inputs = vec([0]);
  const outputs = vec([1]);
  b.startObject(4);
  b.addFieldOffset(S.SubGraph.tensors, tensors, 0);
  b.addFieldOffset(S.SubGraph.inputs, inputs, 0);
  b.addFieldOffset(S.SubGraph.outputs, outputs, 0);
  b.addFieldOffset(S.SubGraph.operators, operators, 0);
  const subgraphs = offsets([b.endObject()]);
  b.startObject(3);
  b.addFieldInt8(S.OperatorCode.deprecated_builtin_code, RELU, null);
  const opcodes = offsets([b.endObject()]);
  b.startVector(1, 5, 16);
  for (let i = 5; i > 0; i--) b.addInt8(i);
  const constData = b.endVector();
  b.startObject(1);
  const empty = b.endObject();
  b.startObject(1);
  b.addFieldOffset(S.Buffer.data, constData, 0);
  const constBuffer = b.endObject();
  const buffers = offsets([empty, constBuffer]);
  b.startObject(5);
  b.addFieldInt32(S.Model.version, 3, null);
  b.addFieldOffset(S.Model.operator_codes, opcodes, 0);
  b.addFieldOffset(S.Model.subgraphs, subgraphs, 0);
  b.addFieldOffset(S.Model.buffers, buffers, 0);
  b.finish(b.endObject(), 'TFL3');
  return b.asUint8Array().slice();
}

const dataPos = (buffer: FbTable): number => buffer.target(S.Buffer.data) + 4;

describe('patchModel', () => {
  const original = tinyModel();
  const metadata = new Uint8Array([1, 2, 3, 4, 5, 6, 7]);
  const { paddings, padded } = appendedTensorIndices(original);
  const patched = patchModel(original, { metadata, pad: { tensor: 1, extra: 2 }, outputs: [padded] });
  const model = FbTable.root(patched);
  const sg = model.tables(S.Model.subgraphs)[0];

  it('appends a PAD opcode when the model has none', () => {
    const codes = model.tables(S.Model.operator_codes);
    expect(codes.map((c) => c.i8(S.OperatorCode.deprecated_builtin_code))).toEqual([RELU, S.BuiltinOperator.PAD]);
    expect(codes[1].i32(S.OperatorCode.builtin_code)).toBe(S.BuiltinOperator.PAD);
    const ops = sg.tables(S.SubGraph.operators);
    expect(ops.map((o) => o.u32(S.Operator.opcode_index))).toEqual([0, 1]);
    expect(ops[1].i32s(S.Operator.inputs)).toEqual([1, paddings]);
  });

  it('pads the last axis and rewires the outputs', () => {
    const tensors = sg.tables(S.SubGraph.tensors);
    expect([paddings, padded]).toEqual([2, 3]);
    expect(tensors[padded].i32s(S.Tensor.shape)).toEqual([1, 2, 5]);
    expect(tensors[paddings].i32s(S.Tensor.shape)).toEqual([3, 2]);
    expect(sg.i32s(S.SubGraph.outputs)).toEqual([padded]);
    expect(sg.i32s(S.SubGraph.inputs)).toEqual([0]);
  });

  it('keeps buffer data 16-byte aligned and the original bytes intact', () => {
    const buffers = model.tables(S.Model.buffers);
    expect(buffers).toHaveLength(4); // empty, const, metadata, paddings
    expect(Array.from(buffers[1].bytes(S.Buffer.data))).toEqual([1, 2, 3, 4, 5]);
    for (const b of buffers.slice(1)) expect(dataPos(b) % S.BUFFER_DATA_ALIGN).toBe(0);
    const meta = model.tables(S.Model.metadata);
    expect(meta.map((m) => [m.string(S.Metadata.name), m.u32(S.Metadata.buffer)])).toEqual([['TFLITE_METADATA', 2]]);
    expect(buffers[2].bytes(S.Buffer.data)).toEqual(metadata);
  });

  it('refuses to attach metadata twice', () => {
    expect(() => patchModel(patched, { metadata })).toThrow(/already/);
  });
});
