/// <reference lib="webworker" />
/**
 * The inference worker: landmarks → five points → alignment → ensemble, off the main thread.
 * Requests are handled one at a time in arrival order.
 */
import { AgeEnsemble } from '../age/ensemble';
import { FaceLandmarks, mediapipeFiles } from '../face/landmarker';
import { setUpBackend } from '../runtime/backend';
import { pixelsOf } from '../runtime/pixels';
import { rawFrameToRgba } from '../runtime/rawFrame';
import { sameOriginOnly } from '../runtime/offlineFetch';
import { withSavedEnsembles } from '../store/savedFetch';
import type { AgesRequest, DetectRequest, EstimateRequest, FaceResult, InitRequest, LoadStage, WorkerMessage, WorkerRequest } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

// Everything the app needs is self-hosted; this stops MediaPipe's telemetry from leaving the machine.
self.fetch = sameOriginOnly(self.fetch.bind(self), self.location.origin);

let landmarks: FaceLandmarks | undefined;
let ensemble: AgeEnsemble | undefined;

function post(message: WorkerMessage, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

function progress(stage: LoadStage, fraction: number, message: string): void {
  post({ type: 'progress', stage, fraction, message });
}

async function init(request: InitRequest): Promise<void> {
  const t0 = performance.now();
  progress('backend', 0, 'Choosing the fastest compute backend…');
  const backend = await setUpBackend(request.forcedBackend, request.rememberedBackend);
  progress('landmarks', 0, 'Loading the face landmark model…');
  landmarks = await FaceLandmarks.create(mediapipeFiles(request.mediapipeBase)).catch((error: Error) => {
    throw new Error(`The face landmark model could not be loaded (${error.message}).`);
  });
  progress('models', 0, 'Loading the age models…');
  ensemble = await AgeEnsemble.create(request.ensembleUrl, {
    // Saved (trained or imported) ensembles live in IndexedDB.
    fetchFunc: withSavedEnsembles((input, init) => self.fetch(input, init)),
    onProgress: (f) => progress('models', f, `Loading the age models… ${Math.round(f * 100)}%`),
  }).catch((error: Error) => {
    throw new Error(`The age models could not be loaded (${error.message}).`);
  });
  post({
    type: 'ready',
    backend: backend.backend,
    backendReason: backend.reason,
    measuredBackend: backend.measuredMs ? backend.backend : undefined,
    ensembleName: ensemble.manifest.name,
    ensembleVersion: ensemble.manifest.version,
    members: ensemble.memberManifests.map((m) => ({ id: m.id, name: m.name, weight: m.weight, license: m.provenance.license })),
    loadMs: performance.now() - t0,
  });
}

/** Photos are also searched tile by tile; video frames get one pass plus the per-face refinement. */
async function findFaces(frame: ImageBitmap, kind: 'photo' | 'video') {
  if (!landmarks) throw new Error('The models are not loaded yet.');
  return kind === 'photo' ? landmarks.detectInPhoto(frame) : landmarks.refine(frame, landmarks.detect(frame));
}

async function detect(request: DetectRequest): Promise<void> {
  const { frame } = request;
  try {
    const t0 = performance.now();
    const faces = await findFaces(frame, request.kind);
    post({ type: 'detected', id: request.id, width: frame.width, height: frame.height, faces, landmarksMs: performance.now() - t0 });
  } finally {
    frame.close();
  }
}

async function estimate(request: EstimateRequest): Promise<void> {
  const { frame } = request;
  try {
    if (!landmarks || !ensemble) throw new Error('The models are not loaded yet.');
    const t0 = performance.now();
    const { width, height } = frame;
    const detected = await findFaces(frame, request.kind);
    const t1 = performance.now();
    const pixels = pixelsOf(frame);
    const { estimates, timings } = await ensemble.estimate(pixels, detected.map((d) => d.points5));
    const faces: FaceResult[] = detected.map((d, i) => ({ ...d, ...estimates[i] }));
    const transfer = faces.flatMap((f) => [f.distribution.buffer, ...f.members.map((m) => m.distribution.buffer)]);
    post(
      {
        type: 'result',
        id: request.id,
        width,
        height,
        faces,
        timings: { landmarksMs: t1 - t0, ...timings, totalMs: performance.now() - t0 },
      },
      transfer as Transferable[],
    );
  } finally {
    frame.close();
  }
}

async function ages(request: AgesRequest): Promise<void> {
  const { frame } = request;
  try {
    if (!ensemble) throw new Error('The models are not loaded yet.');
    const t0 = performance.now();
    const pixels = frame instanceof ImageBitmap ? pixelsOf(frame) : rawFrameToRgba(frame);
    const { estimates } = await ensemble.estimate(pixels, request.faces);
    const transfer = estimates.flatMap((e) => [e.distribution.buffer, ...e.members.map((m) => m.distribution.buffer)]);
    post({ type: 'ages', id: request.id, estimates, ms: performance.now() - t0 }, transfer as Transferable[]);
  } finally {
    if (frame instanceof ImageBitmap) frame.close();
  }
}

let queue: Promise<void> = Promise.resolve();

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  queue = queue.then(async () => {
    try {
      if (request.type === 'init') await init(request);
      else if (request.type === 'detect') await detect(request);
      else if (request.type === 'ages') await ages(request);
      else await estimate(request);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      post({ type: 'error', id: request.type === 'init' ? undefined : request.id, message });
    }
  });
};
