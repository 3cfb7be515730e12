/// <reference lib="webworker" />
/**
 * The inference worker: landmarks → five points → alignment → ensemble, off the main thread.
 * Requests are handled one at a time in arrival order.
 */
import type { AgeEnsemble, EnsembleLoadOptions } from '../age/ensemble';
import type { BackendName } from '../runtime/backendChoice';
import { RemoteMember, closeMemberWorker } from './remoteMember';
import { FaceLandmarks, type FaceListener } from '../face/landmarker';
import { mediapipeFiles } from '../face/mediapipeFiles';
import { FullRangeFaceDetector } from '../face/faceDetector';
import { needsSearch } from '../face/tiles';
import { pixelsOf, regionsOf } from '../runtime/pixels';
import { rawFrameToRgba } from '../runtime/rawFrame';
import { sameOriginOnly } from '../runtime/offlineFetch';
import { withSavedEnsembles } from '../store/savedFetch';
import { IdleWarmUp } from './idleWarmUp';
import type { AgesRequest, DetectRequest, EstimateRequest, FaceResult, InitRequest, LoadStage, WorkerMessage, WorkerRequest } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

// Everything the app needs is self-hosted; this stops MediaPipe's telemetry from leaving the machine.
self.fetch = sameOriginOnly(self.fetch.bind(self), self.location.origin);

let landmarks: FaceLandmarks | undefined;
let mediapipeBase = '';
let ensemble: AgeEnsemble | undefined;

function post(message: WorkerMessage, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

function progress(stage: LoadStage, fraction: number, message: string): void {
  post({ type: 'progress', stage, fraction, message });
}

async function init(request: InitRequest): Promise<void> {
  const t0 = performance.now();
  mediapipeBase = request.mediapipeBase;
  // MediaPipe does not use tfjs: its landmarker loads while the backend starts and the age models
  // load, instead of one after the other.
  progress('landmarks', 0, 'Loading the face landmark model…');
  const landmarksReady = FaceLandmarks.create(mediapipeFiles(request.mediapipeBase))
    .then((loaded) => {
      loaded.warmUp();
      return loaded;
    })
    .catch((error: Error) => {
      throw new Error(`The face landmark model could not be loaded (${error.message}).`);
    });
  const modelsReady = (async () => {
    // tfjs, most of this worker's code, is imported here, after the landmarker has started: on a
    // cold page MediaPipe's download and compile, the longest part, do not wait for it to load.
    const [{ setUpBackend }, { AgeEnsemble }] = await Promise.all([import('../runtime/backend'), import('../age/ensemble')]);
    progress('backend', 0, 'Choosing the fastest compute backend…');
    const backend = await setUpBackend(request.forcedBackend, request.rememberedBackend);
    progress('models', 0, 'Loading the age models…');
    const loaded = await AgeEnsemble.create(request.ensembleUrl, {
      // Saved (trained or imported) ensembles live in IndexedDB.
      fetchFunc: withSavedEnsembles((input, init) => self.fetch(input, init)),
      onProgress: (f) => progress('models', f, `Loading the age models… ${Math.round(f * 100)}%`),
      loadElsewhere: memberPlacement(backend.backend, request.memberPorts),
      warmUp: true,
    })
      .catch((error: Error) => {
        throw new Error(`The age models could not be loaded (${error.message}).`);
      })
      .finally(() => request.memberPorts.forEach(closeUnused));
    return { backend, loaded };
  })();
  // Both settle before either error is reported, so nothing is left loading behind an error.
  const [landmarkResult, modelResult] = await Promise.allSettled([landmarksReady, modelsReady]);
  if (landmarkResult.status === 'rejected' || modelResult.status === 'rejected') {
    if (landmarkResult.status === 'fulfilled') landmarkResult.value.close();
    if (modelResult.status === 'fulfilled') modelResult.value.loaded.close();
    throw (landmarkResult.status === 'rejected' ? landmarkResult : (modelResult as PromiseRejectedResult)).reason;
  }
  landmarks = landmarkResult.value;
  ensemble = modelResult.value.loaded;
  const backend = modelResult.value.backend;
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
  // On wasm the first dozen photos ran up to twice as slowly as later ones (IdleWarmUp); GPU
  // backends have no such ramp once their shaders are compiled (the warm-up above).
  if (backend.backend !== 'wasm') return;
  const loadedLandmarks = landmarks;
  const loadedEnsemble = ensemble;
  let face: Promise<ImageBitmap | undefined> | undefined;
  warmUp.start(
    async () => {
      // Its own chunk, fetched now: the photo is not part of the script every cold start waits for.
      // Should it not load or decode, the landmarker warms on a blank image (its detector only).
      face ??= import('../face/warmUpFace').then(({ warmUpFace }) => warmUpFace()).catch(() => undefined);
      loadedLandmarks.warmUp(await face);
      await loadedEnsemble.warmUp();
    },
    () => void face?.then((image) => image?.close()),
  );
}

/**
 * On the wasm backend each instance computes on one thread; members after the first then run in
 * the member workers the page started (one per spare core), so a face's members compute side by
 * side. GPU backends run every member here (a second GPU context would only compete for the same
 * device). Ports not given a member are closed once the ensemble is loaded (closeUnused).
 */
function memberPlacement(backend: BackendName, ports: readonly MessagePort[]): EnsembleLoadOptions['loadElsewhere'] {
  if (backend !== 'wasm') return undefined;
  return (memberUrl, index, onProgress) => {
    const port = index >= 1 ? ports[index - 1] : undefined;
    if (!port) return undefined;
    usedPorts.add(port);
    return RemoteMember.load(port, memberUrl, onProgress);
  };
}

const usedPorts = new Set<MessagePort>();

function closeUnused(port: MessagePort): void {
  if (!usedPorts.has(port)) closeMemberWorker(port);
}

/**
 * The full-range detector for group photos, loaded on the first photo that needs it: a page that
 * never sees one never downloads it (0.47 MB with brotli) nor pays for a second MediaPipe graph.
 * When it cannot be loaded or fails its first run (offline before the service worker ever cached
 * it, say) photos are searched the older way, with tiles, and the next photo tries again.
 */
let fullRange: Promise<FullRangeFaceDetector | undefined> | undefined;

function fullRangeDetector(): Promise<FullRangeFaceDetector | undefined> {
  fullRange ??= FullRangeFaceDetector.create(mediapipeFiles(mediapipeBase))
    .then((detector) => {
      try {
        detector.warmUp();
        return detector;
      } catch (error) {
        detector.close();
        throw error;
      }
    })
    .catch((error: Error) => {
      console.warn(`The full-range face detector could not be loaded; group photos are searched in tiles (${error.message}).`);
      fullRange = undefined;
      return undefined;
    });
  return fullRange;
}

/**
 * Big photos are searched with the full-range detector first (FaceLandmarks.detectInPhoto); video
 * frames get one pass plus the per-face refinement. A frame in which neither finds a face gets the
 * padded views (FaceLandmarks.detectPadded). `onFace` sees the faces of the first two passes as
 * they are found, not those of the padded views.
 */
async function findFaces(frame: ImageBitmap, kind: 'photo' | 'video', onFace?: FaceListener) {
  if (!landmarks) throw new Error('The models are not loaded yet.');
  let faces;
  if (kind === 'photo') {
    const detector = needsSearch(frame.width, frame.height) ? await fullRangeDetector() : undefined;
    faces = await landmarks.detectInPhoto(frame, detector, onFace);
  } else {
    faces = await landmarks.refine(frame, landmarks.detect(frame), onFace);
  }
  return faces.length > 0 ? faces : landmarks.detectPadded(frame);
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
    // Each face goes to the ensemble as soon as its landmarks are final: the members on the other
    // cores start on it while this thread looks for the next face (a group photo's members used to
    // wait for the whole landmark step).
    const run = ensemble.begin(regionsOf(frame));
    const detected = await findFaces(frame, request.kind, (face) => run.add([face.points5]));
    run.add(detected.slice(run.faces).map((d) => d.points5)); // found by the padded views, not yet added
    const t1 = performance.now();
    const { estimates, timings } = await run.finish();
    const faces: FaceResult[] = detected.map((d, i) => ({ ...d, ...estimates[i] }));
    const transfer = faces.flatMap((f) => [f.distribution.buffer, ...f.members.map((m) => m.distribution.buffer)]);
    post(
      {
        type: 'result',
        id: request.id,
        width,
        height,
        faces,
        // The alignment of the faces added during the search is not the landmarks' time.
        timings: { landmarksMs: t1 - t0 - timings.alignMs, ...timings, totalMs: performance.now() - t0 },
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
    // Live video: no test-time mirroring, which would halve the ages per second.
    const { estimates } = await ensemble.estimate(pixels, request.faces, { mirror: false });
    const transfer = estimates.flatMap((e) => [e.distribution.buffer, ...e.members.map((m) => m.distribution.buffer)]);
    post({ type: 'ages', id: request.id, estimates, ms: performance.now() - t0 }, transfer as Transferable[]);
  } finally {
    if (frame instanceof ImageBitmap) frame.close();
  }
}

let queue: Promise<void> = Promise.resolve();

/** Runs `task` after everything queued before it; a task that fails does not stop the ones after it. */
function enqueue(task: () => Promise<void>): Promise<void> {
  const done = queue.then(task);
  queue = done.catch(() => undefined);
  return done;
}

// Fourteen runs of one face, photos and video frames included, in the first idle moments after
// loading (docs/BENCHMARKS.md, "A page warms itself while idle").
const warmUp = new IdleWarmUp({
  steps: 14,
  idleMs: 400,
  schedule: enqueue,
});

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  warmUp.requestStarted(request.type === 'estimate' || request.type === 'ages');
  void enqueue(async () => {
    try {
      if (request.type === 'init') await init(request);
      else if (request.type === 'detect') await detect(request);
      else if (request.type === 'ages') await ages(request);
      // After init (the queue's order), started and not awaited: a photo sent meanwhile may not need it.
      else if (request.type === 'prepare-group-search') {
        if (landmarks) void fullRangeDetector();
      } else await estimate(request);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      post({ type: 'error', id: 'id' in request ? request.id : undefined, message });
    } finally {
      warmUp.requestEnded();
    }
  });
};
