/**
 * Where the app's self-hosted MediaPipe files are (scripts/build-mediapipe-assets.ts builds them
 * into public/mediapipe/) and the versioned URLs they are asked for: `?v=<content hash>`, the URL
 * the service worker precaches them under (vite.config.ts), so the page and the precache share
 * one download.
 */
import { FilesetResolver } from '@mediapipe/tasks-vision';

/** tasks-vision does not export the fileset's type. */
type WasmFileset = Awaited<ReturnType<typeof FilesetResolver.forVisionTasks>>;

declare const __MEDIAPIPE_VERSION__: string | undefined;

export interface MediapipeFiles {
  /** Folder holding tasks-vision's wasm loader and binary. */
  wasmBase: string;
  /** The FaceLandmarker bundle (short-range detector + face mesh). */
  landmarkerUrl: string;
  /** The full-range face detector, for group photos (src/face/faceDetector.ts). */
  detectorUrl: string;
  /** Content hash appended as `?v=`; absent on the dev server and in tests. */
  version?: string;
}

/** The MediaPipe files under `base` (the app's mediapipe/ folder), as the build versioned them. */
export function mediapipeFiles(base: string): MediapipeFiles {
  return {
    wasmBase: new URL('wasm', base).href,
    landmarkerUrl: new URL('face_landmarker.task', base).href,
    detectorUrl: new URL('face_detector_full_range.tflite', base).href,
    version: typeof __MEDIAPIPE_VERSION__ === 'string' ? __MEDIAPIPE_VERSION__ : undefined,
  };
}

/** `url` with `name=value` appended to its query, unchanged without a value. */
function withQuery(url: string, name: string, value: string | undefined): string {
  return value ? `${url}${url.includes('?') ? '&' : '?'}${name}=${encodeURIComponent(value)}` : url;
}

/** `url` with `?v=version` (or `&v=`) appended, unchanged without a version. */
export function versioned(url: string, version: string | undefined): string {
  return withQuery(url, 'v', version);
}

/**
 * tasks-vision's wasm fileset for a module worker (no importScripts there), at versioned URLs.
 * Each MediaPipe task in one worker needs its own `instance` name: tasks-vision import()s the
 * loader, which sets `self.ModuleFactory` when it runs, and clears it once the task is made; a
 * second import() of the same URL does not run the module again ("ModuleFactory not set"), one
 * with another query does. (The service worker's precache ignores queries, so it serves both.)
 */
export async function wasmFileset(wasmBase: string, version: string | undefined, instance?: string): Promise<WasmFileset> {
  const fileset = await FilesetResolver.forVisionTasks(wasmBase, true);
  fileset.wasmLoaderPath = withQuery(versioned(fileset.wasmLoaderPath, version), 'instance', instance);
  fileset.wasmBinaryPath = versioned(fileset.wasmBinaryPath, version);
  return fileset;
}
