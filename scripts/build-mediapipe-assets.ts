/**
 * postinstall: builds the MediaPipe assets the app serves itself (no CDN, no Google model hosts).
 *
 *   public/mediapipe/face_landmarker.task  FaceLandmarker bundle made from the npm-shipped models
 *                                          (patched in src/face/tflite, see faceModels.ts)
 *   public/mediapipe/face_detector_full_range.tflite
 *                                          the full-range face detector (sparse build) with
 *                                          metadata added, for group photos (src/face/faceDetector.ts)
 *   public/mediapipe/wasm/*                 copy of @mediapipe/tasks-vision/wasm
 *
 * Deterministic (same bytes every run) and skipped when a stamp of the input hashes matches and
 * the outputs are still there, so repeated installs stay fast.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync, renameSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKED_FACE_LANDMARK, packedAssetRange, patchFaceDetector, patchFaceMesh } from '../src/face/tflite/faceModels';
import { buildFaceLandmarkerTask } from '../src/face/tflite/taskBundle';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nm = join(root, 'node_modules');
const outDir = join(root, 'public', 'mediapipe');
const stampPath = join(outDir, '.build-stamp.json');

const detectorPath = join(nm, '@mediapipe/face_detection/face_detection_short_range.tflite');
// The sparse full-range model: 0.68 MB (0.47 MB brotli) against 1.09 MB for the dense one, and it
// found the same faces on sample1-6 with higher scores.
const fullRangePath = join(nm, '@mediapipe/face_detection/face_detection_full_range_sparse.tflite');
const meshDataPath = join(nm, '@mediapipe/face_mesh/face_mesh_solution_packed_assets.data');
const meshLoaderPath = join(nm, '@mediapipe/face_mesh/face_mesh_solution_packed_assets_loader.js');
const wasmSrc = join(nm, '@mediapipe/tasks-vision/wasm');

const files = (dir: string): string[] => readdirSync(dir).sort().map((f) => join(dir, f));

/** Everything the outputs depend on, code included, so an edited patcher also triggers a rebuild. */
function inputFiles(): string[] {
  const code = files(join(root, 'src/face/tflite')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  return [
    fileURLToPath(import.meta.url),
    ...code,
    join(nm, 'flatbuffers/package.json'),
    join(nm, 'fflate/package.json'),
    detectorPath,
    fullRangePath,
    meshDataPath,
    meshLoaderPath,
    ...files(wasmSrc),
  ];
}

function hashInputs(paths: string[]): string {
  const h = createHash('sha256');
  for (const p of paths) {
    const bytes = readFileSync(p);
    h.update(`${relative(root, p)}\0${bytes.length}\0`).update(bytes);
  }
  return h.digest('hex');
}

interface Stamp {
  inputs: string;
  /** Output path (relative to outDir) -> size, to notice deleted or truncated outputs. */
  outputs: Record<string, number>;
}

function upToDate(inputs: string): boolean {
  if (!existsSync(stampPath)) return false;
  const stamp = JSON.parse(readFileSync(stampPath, 'utf8')) as Stamp;
  return (
    stamp.inputs === inputs &&
    Object.entries(stamp.outputs).every(([f, size]) => {
      const p = join(outDir, f);
      return existsSync(p) && statSync(p).size === size;
    })
  );
}

function build(): Record<string, number> {
  const outputs: Record<string, number> = {};
  const write = (rel: string, bytes: Uint8Array): void => {
    const p = join(outDir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(`${p}.tmp`, bytes);
    renameSync(`${p}.tmp`, p); // never leave a half-written file under the final name
    outputs[rel] = bytes.length;
  };

  const meshData = readFileSync(meshDataPath);
  const range = packedAssetRange(readFileSync(meshLoaderPath, 'utf8'), PACKED_FACE_LANDMARK);
  const mesh = new Uint8Array(meshData.buffer, meshData.byteOffset + range.start, range.end - range.start);
  const detector = new Uint8Array(readFileSync(detectorPath));
  write('face_landmarker.task', buildFaceLandmarkerTask(patchFaceDetector(detector), patchFaceMesh(mesh)));
  write('face_detector_full_range.tflite', patchFaceDetector(new Uint8Array(readFileSync(fullRangePath)), 'BlazeFace full range, sparse'));

  rmSync(join(outDir, 'wasm'), { recursive: true, force: true }); // drop files of older versions
  mkdirSync(join(outDir, 'wasm'), { recursive: true });
  for (const src of files(wasmSrc)) {
    const rel = join('wasm', relative(wasmSrc, src));
    copyFileSync(src, join(outDir, rel));
    outputs[rel] = statSync(src).size;
  }
  return outputs;
}

const started = performance.now();
const inputs = hashInputs(inputFiles());
if (upToDate(inputs)) {
  console.log('mediapipe assets: up to date');
} else {
  rmSync(stampPath, { force: true }); // a build interrupted from here on leaves no valid stamp
  const outputs = build();
  writeFileSync(stampPath, JSON.stringify({ inputs, outputs } satisfies Stamp, null, 2) + '\n');
  const ms = Math.round(performance.now() - started);
  console.log(`mediapipe assets: built ${Object.keys(outputs).length} files in public/mediapipe (${ms} ms)`);
}
