/**
 * Floor pages for the side-by-side benchmark's cold start, served at /peer/floor/: what any
 * app needs before its first estimate, whatever it does after.
 * - blank.html decodes the photo and nothing else: a new context, a navigation and a decode.
 * - landmarks.html runs MediaPipe's FaceLandmarker alone, as agedist loads it (the same
 *   self-hosted wasm and model from agedist's build, CPU delegate, in a module worker), and
 *   detects once on the photo: no alignment, no age networks, no tfjs. An app that finds faces
 *   with MediaPipe's landmarker cannot reach its first estimate sooner.
 * - detector.html does the same with MediaPipe's FaceDetector (the full-range model agedist
 *   ships, 0.68 MB): boxes only, the least an app built on tasks-vision's wasm can run.
 * - compile.html only compiles tasks-vision's wasm (13 MB, the module build agedist loads) in a
 *   module worker, streaming, and then decodes the photo: what any tasks-vision app pays before
 *   its graph can even be built (compiling, not instantiating, so a lower bound).
 * - members.html is the other half: agedist's two age networks alone, in two of agedist's own
 *   member workers (the build's script: tfjs wasm, loader, warm-up run), loaded from the default
 *   ensemble and each run once more on a blank crop; no face finding, no MediaPipe. An app that
 *   runs these two networks cannot reach its first estimate sooner, however it finds faces.
 * All expose `window.floorPeer` to the script, the same shape as the Human page.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { PAGE_DIR } from './human';

export type Floor = 'blank' | 'compile' | 'detector' | 'landmarks' | 'members';

/** tasks-vision's ESM bundle, served at /peer/tasks-vision/ (the version agedist bundles). */
export const TASKS_VISION_DIR = new URL('../../node_modules/@mediapipe/tasks-vision/', import.meta.url).pathname;

export interface FloorPeer {
  ready: Promise<string>;
  detect: (input: ImageBitmap) => Promise<{ faces: number; ages: number[] }>;
}

declare global {
  interface Window {
    floorPeer: FloorPeer;
  }
}

const BLANK_JS = `window.floorPeer = {
  ready: Promise.resolve('nothing loaded'),
  detect: async (bitmap) => { bitmap.close(); return { faces: 0, ages: [] }; },
};
`;

// The landmarker gets the options agedist's FaceLandmarks.create passes (src/face/landmarker.ts).
const MEDIAPIPE_WORKER_JS = `import { FaceDetector, FaceLandmarker, FilesetResolver } from '/peer/tasks-vision/vision_bundle.mjs';
const task = new URLSearchParams(location.search).get('task');
const url = (path) => new URL(path, location.href).href;
const loaded = (async () => {
  const fileset = await FilesetResolver.forVisionTasks(url('/mediapipe/wasm'), true);
  if (task === 'detector') {
    return FaceDetector.createFromOptions(fileset, {
      baseOptions: { modelAssetPath: url('/mediapipe/face_detector_full_range.tflite'), delegate: 'CPU' },
      runningMode: 'IMAGE',
    });
  }
  return FaceLandmarker.createFromOptions(fileset, {
    baseOptions: { modelAssetPath: url('/mediapipe/face_landmarker.task'), delegate: 'CPU' },
    runningMode: 'IMAGE', numFaces: 8, minFaceDetectionConfidence: 0.5, minFacePresenceConfidence: 0.5,
    outputFaceBlendshapes: false, outputFacialTransformationMatrixes: false,
  });
})();
self.onmessage = async ({ data }) => {
  try {
    const model = await loaded;
    if (data === 'ready') return void self.postMessage({ ready: true });
    const result = model.detect(data);
    const faces = task === 'detector' ? result.detections.length : result.faceLandmarks.length;
    data.close();
    self.postMessage({ faces });
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};
`;

/** The page that starts the MediaPipe worker with one task: 'landmarker' or 'detector'. */
const mediapipePageJs = (task: string, label: string) => `const worker = new Worker('/peer/floor/mediapipe-worker.js?task=${task}', { type: 'module' });
function call(message, transfer = []) {
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => (data.error ? reject(new Error(data.error)) : resolve(data));
    worker.postMessage(message, transfer);
  });
}
window.floorPeer = {
  ready: call('ready').then(() => '${label}'),
  detect: async (bitmap) => ({ faces: (await call(bitmap, [bitmap])).faces, ages: [] }),
};
`;

// The wasm file FilesetResolver.forVisionTasks(…, true) names, as agedist's build serves it.
const COMPILE_WORKER_JS = `const compiled = WebAssembly.compileStreaming(fetch('/mediapipe/wasm/vision_wasm_module_internal.wasm'));
self.onmessage = async () => {
  try {
    await compiled;
    self.postMessage({ ready: true });
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};
`;

const COMPILE_PAGE_JS = `const worker = new Worker('/peer/floor/compile-worker.js', { type: 'module' });
window.floorPeer = {
  ready: new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => (data.error ? reject(new Error(data.error)) : resolve("tasks-vision's wasm compiled in a module worker"));
    worker.postMessage('ready');
  }),
  detect: async (bitmap) => { bitmap.close(); return { faces: 0, ages: [] }; },
};
`;

// Speaks agedist's member-worker protocol (src/worker/memberProtocol.ts) as the inference worker does.
const membersPageJs = (workerUrl: string) => `const workerUrl = ${JSON.stringify(workerUrl)};
const ensembleUrl = new URL('/models/ensemble.json', location.href);
function startMember(memberUrl) {
  const worker = new Worker(workerUrl, { type: 'module' });
  const channel = new MessageChannel();
  worker.postMessage({ type: 'member-port', port: channel.port2 }, [channel.port2]);
  const reply = (type) => new Promise((resolve, reject) => {
    channel.port1.onmessage = ({ data }) => {
      if (data.type === type) resolve(data);
      else if (data.type === 'member-error') reject(new Error(data.message));
    };
  });
  const loaded = reply('member-ready');
  channel.port1.postMessage({ type: 'member-load', memberUrl });
  return loaded.then(({ manifest }) => async () => {
    const pixels = new Float32Array(manifest.input.size * manifest.input.size * 3);
    const answer = reply('member-estimated');
    channel.port1.postMessage({ type: 'member-estimate', id: 1, pixels, count: 1 }, [pixels.buffer]);
    return (await answer).distributions.length;
  });
}
const members = fetch(ensembleUrl).then((r) => r.json()).then((ensemble) =>
  Promise.all(ensemble.members.map((m) => startMember(new URL(m.path, ensembleUrl).href))));
window.floorPeer = {
  ready: members.then((runs) => runs.length + " of agedist's members in its member workers"),
  detect: async (bitmap) => {
    bitmap.close();
    await Promise.all((await members).map((run) => run()));
    return { faces: 0, ages: [] };
  },
};
`;

/** The member worker's script in agedist's build (its name carries a content hash). */
function memberWorkerUrl(distDir: string): string {
  const name = readdirSync(`${distDir}assets`).find((f) => /^member\.worker-.*\.js$/.test(f));
  if (!name) throw new Error(`no member worker script in ${distDir}assets: build agedist first`);
  return `/assets/${name}`;
}

const html = (title: string, script: string) => `<!doctype html>\n<meta charset="utf-8">\n<title>${title}</title>\n<script type="module" src="/peer/floor/${script}"></script>\n`;

/** Writes the floor pages into .cache/peer/page/floor/ (served at /peer/floor/), once agedist is built into distDir. */
export function writeFloorPages(distDir: string): void {
  const dir = `${PAGE_DIR}floor/`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}blank.html`, html('Blank page (cold-start floor)', 'blank.js'));
  writeFileSync(`${dir}blank.js`, BLANK_JS);
  writeFileSync(`${dir}landmarks.html`, html('MediaPipe FaceLandmarker alone (cold-start floor)', 'landmarks.js'));
  writeFileSync(`${dir}landmarks.js`, mediapipePageJs('landmarker', 'FaceLandmarker in a module worker'));
  writeFileSync(`${dir}detector.html`, html('MediaPipe FaceDetector alone (cold-start floor)', 'detector.js'));
  writeFileSync(`${dir}detector.js`, mediapipePageJs('detector', 'FaceDetector (full range) in a module worker'));
  writeFileSync(`${dir}mediapipe-worker.js`, MEDIAPIPE_WORKER_JS);
  writeFileSync(`${dir}compile.html`, html("tasks-vision's wasm compiled, nothing run (cold-start floor)", 'compile.js'));
  writeFileSync(`${dir}compile.js`, COMPILE_PAGE_JS);
  writeFileSync(`${dir}compile-worker.js`, COMPILE_WORKER_JS);
  writeFileSync(`${dir}members.html`, html("agedist's two age networks alone (cold-start floor)", 'members.js'));
  writeFileSync(`${dir}members.js`, membersPageJs(memberWorkerUrl(distDir)));
}

export const floorPath = (floor: Floor) => `peer/floor/${floor}.html`;
