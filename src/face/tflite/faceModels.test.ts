import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FbTable } from './fbReader';
import { PACKED_FACE_LANDMARK, packedAssetRange, patchFaceDetector, patchFaceMesh } from './faceModels';
import { MIN_PARSER_VERSION } from './metadata';
import * as S from './tfliteSchema';

const nm = new URL('../../../node_modules/@mediapipe/', import.meta.url);
const read = (path: string): Uint8Array => new Uint8Array(readFileSync(new URL(path, nm)));

const detector = read('face_detection/face_detection_short_range.tflite');
const range = packedAssetRange(
  readFileSync(new URL('face_mesh/face_mesh_solution_packed_assets_loader.js', nm), 'utf8'),
  PACKED_FACE_LANDMARK,
);
const mesh = read('face_mesh/face_mesh_solution_packed_assets.data').slice(range.start, range.end);

/** Byte equality without vitest's element-by-element diffing, which is slow on megabytes. */
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;
const subgraph = (m: FbTable): FbTable => m.tables(S.Model.subgraphs)[0];
const opcode = (m: FbTable, index: number): number => {
  const c = m.tables(S.Model.operator_codes)[index];
  return Math.max(c.i8(S.OperatorCode.deprecated_builtin_code), c.i32(S.OperatorCode.builtin_code));
};

/** The ModelMetadata flatbuffer attached under TFLITE_METADATA, read back as plain values. */
function readMetadata(model: Uint8Array) {
  const m = FbTable.root(model);
  const entries = m.tables(S.Model.metadata).filter((e) => e.string(S.Metadata.name) === S.TFLITE_METADATA_NAME);
  expect(entries).toHaveLength(1);
  const data = m.tables(S.Model.buffers)[entries[0].u32(S.Metadata.buffer)].bytes(S.Buffer.data);
  const md = FbTable.root(data);
  const sg = md.tables(S.ModelMetadata.subgraph_metadata)[0];
  const input = sg.tables(S.SubGraphMetadata.input_tensor_metadata)[0];
  const content = input.table(S.TensorMetadata.content)!;
  const unit = input.tables(S.TensorMetadata.process_units)[0];
  const norm = unit.table(S.ProcessUnit.options)!;
  const stats = input.table(S.TensorMetadata.stats)!;
  return {
    identifier: md.bb.getBufferIdentifier(),
    minParserVersion: md.string(S.ModelMetadata.min_parser_version),
    contentType: content.u8(S.Content.content_properties_type),
    colorSpace: content.table(S.Content.content_properties)!.i8(S.ImageProperties.color_space),
    unitType: unit.u8(S.ProcessUnit.options_type),
    mean: norm.f32s(S.NormalizationOptions.mean),
    std: norm.f32s(S.NormalizationOptions.std),
    min: stats.f32s(S.Stats.min),
    max: stats.f32s(S.Stats.max),
    outputs: sg.tables(S.SubGraphMetadata.output_tensor_metadata).map((t) => t.string(S.TensorMetadata.name)),
  };
}

describe('packedAssetRange', () => {
  it('finds a file in the Emscripten loader table', () => {
    const js = 'loadPackage({"files": [{"filename": "/a.tflite", "start": 0, "end": 10}, {"filename": "/b.tflite", "start": 10, "end": 25}]})';
    expect(packedAssetRange(js, '/b.tflite')).toEqual({ start: 10, end: 25 });
    expect(() => packedAssetRange(js, '/c.tflite')).toThrow();
  });

  it('slices the v1 face mesh out of the npm package', () => {
    const m = FbTable.root(mesh);
    expect(m.bb.getBufferIdentifier()).toBe('TFL3');
    expect(subgraph(m).tables(S.SubGraph.tensors)[0].i32s(S.Tensor.shape)).toEqual([1, 192, 192, 3]);
  });
});

describe('patchFaceDetector', () => {
  const patched = patchFaceDetector(detector);
  const before = FbTable.root(detector);
  const after = FbTable.root(patched);

  it('attaches M001 metadata with [-1, 1] input normalisation', () => {
    expect(readMetadata(patched)).toEqual({
      identifier: S.METADATA_FILE_IDENTIFIER,
      minParserVersion: MIN_PARSER_VERSION,
      contentType: S.ContentProperties.ImageProperties,
      colorSpace: S.ColorSpaceType.RGB,
      unitType: S.ProcessUnitOptions.NormalizationOptions,
      mean: [127.5],
      std: [127.5],
      min: [-1],
      max: [1],
      outputs: ['regressors', 'classificators'],
    });
  });

  it('leaves the graph and all original buffers untouched', () => {
    expect(after.bb.getBufferIdentifier()).toBe('TFL3');
    expect(after.u32(S.Model.version)).toBe(before.u32(S.Model.version));
    expect(after.string(S.Model.description)).toBe(before.string(S.Model.description));
    expect(after.i32s(S.Model.metadata_buffer)).toEqual(before.i32s(S.Model.metadata_buffer));
    const [sa, sb] = [subgraph(before), subgraph(after)];
    for (const slot of [S.SubGraph.inputs, S.SubGraph.outputs]) expect(sb.i32s(slot)).toEqual(sa.i32s(slot));
    expect(sb.tables(S.SubGraph.operators)).toHaveLength(sa.tables(S.SubGraph.operators).length);
    const describeTensor = (t: FbTable) => [t.string(S.Tensor.name), t.i32s(S.Tensor.shape), t.i8(S.Tensor.type), t.u32(S.Tensor.buffer)];
    expect(sb.tables(S.SubGraph.tensors).map(describeTensor)).toEqual(sa.tables(S.SubGraph.tensors).map(describeTensor));
    const oldBuffers = before.tables(S.Model.buffers);
    const newBuffers = after.tables(S.Model.buffers);
    expect(newBuffers).toHaveLength(oldBuffers.length + 1); // + metadata
    expect(oldBuffers.every((b, i) => sameBytes(newBuffers[i].bytes(S.Buffer.data), b.bytes(S.Buffer.data)))).toBe(true);
  });
});

describe('patchFaceMesh', () => {
  const patched = patchFaceMesh(mesh);
  const before = subgraph(FbTable.root(mesh));
  const model = FbTable.root(patched);
  const sg = subgraph(model);
  const tensors = sg.tables(S.SubGraph.tensors);

  it('attaches M001 metadata with [0, 1] input normalisation', () => {
    const md = readMetadata(patched);
    expect(md.identifier).toBe('M001');
    expect([md.mean, md.std, md.min, md.max]).toEqual([[0], [255], [0], [1]]);
    expect(md.outputs).toHaveLength(2);
  });

  it('outputs [478x3 landmarks fed by a PAD op, face flag]', () => {
    const outputs = sg.i32s(S.SubGraph.outputs);
    expect(outputs).toHaveLength(2);
    const [landmarks, flag] = outputs.map((i) => tensors[i]);
    expect(landmarks.i32s(S.Tensor.shape)).toEqual([1, 1, 1, 1434]);
    expect(landmarks.i8(S.Tensor.type)).toBe(S.TensorType.FLOAT32);
    expect(flag.i32s(S.Tensor.shape)).toEqual([1, 1, 1, 1]);
    expect(outputs[1]).toBe(before.i32s(S.SubGraph.outputs).find((i) => before.tables(S.SubGraph.tensors)[i].i32s(S.Tensor.shape)[3] === 1));

    const ops = sg.tables(S.SubGraph.operators);
    expect(ops).toHaveLength(before.tables(S.SubGraph.operators).length + 1);
    const pad = ops[ops.length - 1];
    expect(opcode(model, pad.u32(S.Operator.opcode_index))).toBe(S.BuiltinOperator.PAD);
    expect(pad.u8(S.Operator.builtin_options_type)).toBe(S.BuiltinOptions.PadOptions);
    expect(pad.i32s(S.Operator.outputs)).toEqual([outputs[0]]);
    const [source, paddings] = pad.i32s(S.Operator.inputs).map((i) => tensors[i]);
    expect(source.i32s(S.Tensor.shape)).toEqual([1, 1, 1, 1404]);
    expect(paddings.i32s(S.Tensor.shape)).toEqual([4, 2]);
    expect(paddings.i8(S.Tensor.type)).toBe(S.TensorType.INT32);
    const data = model.tables(S.Model.buffers)[paddings.u32(S.Tensor.buffer)].bytes(S.Buffer.data);
    expect(Array.from(new Int32Array(data.slice().buffer))).toEqual([0, 0, 0, 0, 0, 0, 0, 30]);
  });

  it('is deterministic', () => {
    expect(sameBytes(patchFaceMesh(mesh), patched)).toBe(true);
  });
});
