/**
 * URLs that change with content for the big files the service worker precaches, so that its
 * install can take them from the HTTP cache the page has just filled instead of downloading them a
 * second time (see vite.config.ts for why):
 *
 * - the default ensemble's weight files are written to dist/ under content-hashed names
 *   (`weights.bin` → `weights.<hash>.bin`, the hash of the file) and dist/'s model.json lists those
 *   names; public/ is left as it is (the dev server, the Node scripts and training read it);
 * - MediaPipe's files keep their paths (tasks-vision derives the loader's and the binary's names
 *   from a folder) and get a `?v=<hash>` query: the page asks for them with it
 *   (`__MEDIAPIPE_VERSION__`, src/face/mediapipeFiles.ts) and the precache lists them with it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import type { Plugin } from 'vite';

/** Hex digits of the content hash in a versioned name or query. */
const HASH_LENGTH = 16;

/** Names written by hashedName: the precache may take them from the HTTP cache. */
export const HASHED_WEIGHTS = new RegExp(`\\.[0-9a-f]{${HASH_LENGTH}}\\.bin$`);

/** The MediaPipe files the app loads (landmarker.ts asks for the module build, which assumes SIMD), relative to public/. */
export const MEDIAPIPE_FILES = ['mediapipe/face_landmarker.task', 'mediapipe/wasm/vision_wasm_module_internal.js', 'mediapipe/wasm/vision_wasm_module_internal.wasm'];

/**
 * MediaPipe files loaded only when needed (the full-range detector, on the first group photo):
 * versioned like the others, cached by the service worker when first used, not precached.
 */
export const MEDIAPIPE_LAZY_FILES = ['mediapipe/face_detector_full_range.tflite'];

export function contentHash(...files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(readFileSync(file));
  return hash.digest('hex').slice(0, HASH_LENGTH);
}

/** `weights.bin` → `weights.<hash>.bin` (a folder part is kept). */
export function hashedName(path: string, hash: string): string {
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') ? `${path.slice(0, dot)}.${hash}${path.slice(dot)}` : `${path}.${hash}`;
}

interface ModelFile {
  /** model.json, relative to public/ (and dist/). */
  path: string;
  /** Its weight files as model.json lists them → the names dist/ gets. */
  weights: Map<string, string>;
}

export interface DefaultEnsemble {
  /** Every file of the default ensemble as served from dist/, relative to it (weights under their hashed names). */
  files: string[];
  models: ModelFile[];
}

/**
 * The files of the shipped (default) ensemble: ensemble.json, each member's member.json, its
 * model.json and the weight files that model.json lists. Read from the files themselves, so a
 * retrained or re-weighted default needs no change here. The other model folders (earlier
 * members, ensembles/) are left to the network.
 */
export function defaultEnsemble(publicDir: string): DefaultEnsemble {
  const read = (path: string) => JSON.parse(readFileSync(join(publicDir, path), 'utf8'));
  const files = ['models/ensemble.json'];
  const models: ModelFile[] = [];
  for (const { path } of read('models/ensemble.json').members as { path: string }[]) {
    const memberJson = posix.join('models', path);
    const modelJson = posix.join(posix.dirname(memberJson), read(memberJson).model.url);
    const model = read(modelJson) as { weightsManifest: { paths: string[] }[] };
    const weights = new Map<string, string>();
    for (const p of model.weightsManifest.flatMap((group) => group.paths)) {
      weights.set(p, hashedName(p, contentHash(join(publicDir, posix.dirname(modelJson), p))));
    }
    files.push(memberJson, modelJson, ...[...weights.values()].map((p) => posix.join(posix.dirname(modelJson), p)));
    models.push({ path: modelJson, weights });
  }
  return { files, models };
}

/** Renames the weight files in outDir and points each model.json at the new names. */
export function writeHashedWeights(outDir: string, models: readonly ModelFile[]): void {
  for (const model of models) {
    const jsonPath = join(outDir, model.path);
    const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as { weightsManifest: { paths: string[] }[] };
    for (const [from, to] of model.weights) {
      const source = join(dirname(jsonPath), from);
      if (existsSync(source)) renameSync(source, join(dirname(jsonPath), to));
    }
    for (const group of json.weightsManifest) group.paths = group.paths.map((p) => model.weights.get(p) ?? p);
    writeFileSync(jsonPath, JSON.stringify(json));
  }
}

/** After Vite has copied public/ into dist/ and before the service worker is generated (closeBundle). */
export function hashedModelWeights(models: readonly ModelFile[]): Plugin {
  return {
    name: 'agedist:hashed-model-weights',
    apply: 'build',
    writeBundle(options) {
      if (options.dir) writeHashedWeights(options.dir, models);
    },
  };
}
