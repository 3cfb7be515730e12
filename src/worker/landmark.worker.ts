/// <reference lib="webworker" />
/**
 * The live landmark worker: MediaPipe FaceLandmarker in video mode, one frame at a time, so the
 * overlay follows faces at the camera's pace while the age ensemble runs in the inference worker.
 */
import { FaceLandmarks } from '../face/landmarker';
import { mediapipeFiles } from '../face/mediapipeFiles';
import { scaleDetection } from '../face/tracker';
import { sameOriginOnly } from '../runtime/offlineFetch';
import { rawFrameToRgba, type RgbaPixels } from '../runtime/rawFrame';
import type { LiveMessage, LiveRequest } from './liveProtocol';

declare const self: DedicatedWorkerGlobalScope;

// As in the inference worker: MediaPipe's telemetry never leaves the machine.
self.fetch = sameOriginOnly(self.fetch.bind(self), self.location.origin);

let landmarks: FaceLandmarks | undefined;

function toImageData(pixels: RgbaPixels): ImageData {
  return new ImageData(pixels.data as Uint8ClampedArray<ArrayBuffer>, pixels.width, pixels.height);
}

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
          ...mediapipeFiles(request.mediapipeBase),
          maxFaces: request.maxFaces,
          mode: 'video',
        });
        post({ type: 'ready', loadMs: performance.now() - t0 });
        return;
      }
      const { frame, cameraWidth, cameraHeight } = request;
      try {
        if (!landmarks) throw new Error('The face landmark model is not loaded yet.');
        const t0 = performance.now();
        const input = frame instanceof ImageBitmap ? frame : toImageData(rawFrameToRgba(frame, Math.min(1, request.maxSide / Math.max(frame.width, frame.height))));
        const faces = landmarks.detectVideoFrame(input, request.timestampMs).map((f) => scaleDetection(f, cameraWidth / input.width));
        post({ type: 'landmarks', id: request.id, width: cameraWidth, height: cameraHeight, faces, landmarksMs: performance.now() - t0 });
      } finally {
        if (frame instanceof ImageBitmap) frame.close();
      }
    } catch (error) {
      post({ type: 'error', id: request.type === 'frame' ? request.id : undefined, message: error instanceof Error ? error.message : String(error) });
    }
  });
};
