/**
 * The app's exact pipeline (same worker, landmarks, alignment, members and mixing) exposed on
 * `window.agedistLab` for command-line tools that drive headless Chromium. No UI.
 */
import { ENSEMBLE_URL, MEDIAPIPE_BASE, assetUrl, forcedBackend, memberWorkers } from '../config/settings';
import { AgeWorkerClient } from '../worker/client';
import type { LabDetection, LabFace, LabResult } from '../worker/labTypes';

// ?ensemble=models/… lets a script measure another ensemble manifest than the default.
const query = new URLSearchParams(location.search);
const ensemblePath = query.get('ensemble');
const ensembleUrl = ensemblePath ? assetUrl(ensemblePath) : ENSEMBLE_URL;
const client = new AgeWorkerClient({ forcedBackend: forcedBackend() ?? 'wasm', ensembleUrl, mediapipeBase: MEDIAPIPE_BASE, memberWorkers: memberWorkers() });
const ready = client.init().then((info) => ({ backend: info.backend, members: info.members.map((m) => m.id) }));

/** Bytes the browser cannot decode reject with "cannot decode image: …" (scripts tell them from pipeline failures). */
async function decode(bytes: Uint8Array): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(new Blob([bytes as BlobPart]));
  } catch (error) {
    throw new Error(`cannot decode image: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function estimate(bytes: Uint8Array, kind: 'photo' | 'video' = 'photo'): Promise<LabResult> {
  await ready;
  const bitmap = await decode(bytes);
  const result = await client.estimate(bitmap, kind);
  return {
    width: result.width,
    height: result.height,
    timings: result.timings,
    faces: result.faces.map<LabFace>((f) => ({
      box: f.box,
      points5: f.points5.map(([x, y]) => [x, y]),
      age: f.summary.age,
      median: f.summary.median,
      mean: f.summary.mean,
      std: f.summary.std,
      distribution: Array.from(f.distribution),
      members: f.members.map((m) => ({ id: m.id, age: m.summary.age, median: m.summary.median, mean: m.summary.mean, std: m.summary.std, distribution: Array.from(m.distribution) })),
    })),
  };
}

async function detect(bytes: Uint8Array, kind: 'photo' | 'video' = 'video'): Promise<LabDetection> {
  await ready;
  const result = await client.detect(await decode(bytes), kind);
  return { width: result.width, height: result.height, faces: result.faces.map((f) => ({ box: f.box, points5: f.points5.map(([x, y]) => [x, y]) })) };
}

window.agedistLab = { ready, estimate, detect };
