/**
 * Turns the models shipped in the npm packages @mediapipe/face_detection and @mediapipe/face_mesh
 * (legacy "solutions", no TFLite metadata) into what @mediapipe/tasks-vision's FaceLandmarker
 * loads: metadata with the input normalisation, and a face mesh whose outputs match the tasks
 * graph (478x3 landmark values first, face-presence score second). Pure functions on bytes.
 */
import { FbTable } from './fbReader';
import { buildModelMetadata } from './metadata';
import { appendedTensorIndices, patchModel } from './patchModel';
import * as S from './tfliteSchema';

/** Path of face_landmark.tflite (v1, 468 points) inside face_mesh_solution_packed_assets.data. */
export const PACKED_FACE_LANDMARK = '/third_party/mediapipe/modules/face_landmark/face_landmark.tflite';

/** The tasks graph reads 478 points (468 mesh + 10 iris); v1 has 468, so 10 zero points are padded on. */
const TASKS_LANDMARK_VALUES = 478 * 3;
const V1_LANDMARK_VALUES = 468 * 3;

/**
 * Byte range of one file in an Emscripten packed-assets blob, from the `loadPackage({"files":
 * [{filename, start, end}, ...]})` table in the accompanying *_loader.js.
 */
export function packedAssetRange(loaderJs: string, filename: string): { start: number; end: number } {
  const re = /\{"filename":\s*"([^"]+)",\s*"start":\s*(\d+),\s*"end":\s*(\d+)/g;
  for (const m of loaderJs.matchAll(re)) {
    if (m[1] === filename) return { start: Number(m[2]), end: Number(m[3]) };
  }
  throw new Error(`${filename} not listed in packed-assets loader`);
}

interface Io {
  inputs: { index: number; name: string }[];
  outputs: { index: number; name: string; size: number }[];
}

function subgraphIo(model: Uint8Array): Io {
  const sg = FbTable.root(model).tables(S.Model.subgraphs)[0];
  const tensors = sg.tables(S.SubGraph.tensors);
  const describe = (index: number) => ({
    index,
    name: tensors[index].string(S.Tensor.name) ?? `tensor_${index}`,
    size: tensors[index].i32s(S.Tensor.shape).reduce((a, d) => a * d, 1),
  });
  return { inputs: sg.i32s(S.SubGraph.inputs).map(describe), outputs: sg.i32s(S.SubGraph.outputs).map(describe) };
}

/** BlazeFace (short range: 128x128, full range: 192x192) RGB input scaled to [-1, 1]. */
export function patchFaceDetector(model: Uint8Array, variant = 'BlazeFace short range'): Uint8Array {
  const io = subgraphIo(model);
  const metadata = buildModelMetadata({
    name: 'face_detector',
    description: `${variant} (from @mediapipe/face_detection) with TFLite metadata added.`,
    input: { name: io.inputs[0].name, mean: 127.5, std: 127.5, min: -1, max: 1 },
    outputs: io.outputs.map((o) => o.name),
  });
  return patchModel(model, { metadata });
}

/** Face mesh v1: 192x192 RGB input scaled to [0, 1]; landmarks padded from 468 to 478 points. */
export function patchFaceMesh(model: Uint8Array): Uint8Array {
  const io = subgraphIo(model);
  const landmarks = io.outputs.find((o) => o.size === V1_LANDMARK_VALUES);
  const flag = io.outputs.find((o) => o.size === 1);
  if (!landmarks || !flag) throw new Error('unexpected face mesh outputs: ' + JSON.stringify(io.outputs));
  const { padded } = appendedTensorIndices(model);
  const metadata = buildModelMetadata({
    name: 'face_landmarks_detector',
    description: 'Face mesh v1 (from @mediapipe/face_mesh); landmarks zero-padded to 478 points, TFLite metadata added.',
    input: { name: io.inputs[0].name, mean: 0, std: 255, min: 0, max: 1 },
    outputs: ['landmarks', flag.name],
  });
  return patchModel(model, {
    metadata,
    pad: { tensor: landmarks.index, extra: TASKS_LANDMARK_VALUES - V1_LANDMARK_VALUES },
    outputs: [padded, flag.index],
  });
}
