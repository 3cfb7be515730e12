/// <reference lib="webworker" />
/**
 * The live landmark worker: MediaPipe FaceLandmarker in video mode, one frame at a time, so the
 * overlay follows faces at the camera's pace while the age ensemble runs in the inference worker.
 */
import { FaceLandmarks } from '../face/landmarker';
import { scaleDetection } from '../face/tracker';
import { sameOriginOnly } from '../runtime/offlineFetch';
import type { LiveMessage, LiveRequest } from './liveProtocol';

declare const self: DedicatedWorkerGlobalScope;

// As in the inference worker: MediaPipe's telemetry never leaves the machine.
self.fetch = sameOriginOnly(self.fetch.bind(self), self.location.origin);

let landmarks: FaceLandmarks | undefined;

function post(message: LiveMessage): void {
  self.postMessage(message);
}

let queue: Promise<void> = Promise.resolve();

self.onmessage = (event: MessageEvent<LiveRequest>) => {
  const request = event.data;
  queue = queue.then(async () => {
    try {
      if (request.type === 'init') {
        const t0 = performance.now();
        landmarks = await FaceLandmarks.create({
          wasmBase: new URL('wasm', request.mediapipeBase).href,
          modelUrl: new URL('face_landmarker.task', request.mediapipeBase).href,
          maxFaces: request.maxFaces,
          mode: 'video',
        });
        post({ type: 'ready', loadMs: performance.now() - t0 });
        return;
      }
      const { frame, scale } = request;
      try {
        if (!landmarks) throw new Error('The face landmark model is not loaded yet.');
        const t0 = performance.now();
        const faces = landmarks.detectVideoFrame(frame, request.timestampMs).map((f) => scaleDetection(f, scale));
        post({ type: 'landmarks', id: request.id, width: Math.round(frame.width * scale), height: Math.round(frame.height * scale), faces, landmarksMs: performance.now() - t0 });
      } finally {
        frame.close();
      }
    } catch (error) {
      post({ type: 'error', id: request.type === 'frame' ? request.id : undefined, message: error instanceof Error ? error.message : String(error) });
    }
  });
};
