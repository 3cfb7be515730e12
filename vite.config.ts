import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { compressedAssets } from './scripts/vite/compressedAssets.ts';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentHash, defaultEnsemble, hashedModelWeights, HASHED_WEIGHTS, MEDIAPIPE_FILES, MEDIAPIPE_LAZY_FILES } from './scripts/vite/versionedFiles.ts';

// Cross-origin isolation lets the tfjs wasm backend use its multi-threaded build
// (SharedArrayBuffer). Everything the app loads is same-origin, so require-corp costs nothing.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// The production build promises that nothing leaves the machine: the browser itself refuses
// connections to other hosts (MediaPipe's telemetry included; the worker also guards fetch).
// Not applied to the dev server, whose React refresh preamble is an inline script.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self' blob: data:",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
].join('; ');

// Bundles cached on first use instead of precached (see globIgnores): the training page's and
// the tfjs backends the inference worker imports only when it tries them (named in worker.rollupOptions).
const LAZY_BACKENDS = ['tfjs-backend-webgpu', 'tfjs-backend-webgl', 'tfjs-backend-cpu'];
const LAZY_CHUNKS = [...LAZY_BACKENDS, 'train', 'training.worker'];

const PUBLIC = fileURLToPath(new URL('public/', import.meta.url));
const ensemble = defaultEnsemble(PUBLIC);
const mediapipeVersion = contentHash(...[...MEDIAPIPE_FILES, ...MEDIAPIPE_LAZY_FILES].map((f) => join(PUBLIC, f)));

// Offline: a Workbox service worker precaches the app, its wasm and the default models, and the
// page (src/ui/UpdatePrompt.tsx) asks before a new version takes over. Page colours: styles.css.
const pwa = VitePWA({
  strategies: 'generateSW',
  registerType: 'prompt',
  injectRegister: false, // registered by UpdatePrompt; an injected inline script would break the CSP
  manifest: {
    name: 'agedist',
    short_name: 'agedist',
    description: 'How old does a face look? A probability distribution over ages, computed in your browser.',
    theme_color: '#f6f7f9',
    background_color: '#f6f7f9',
    display: 'standalone',
    start_url: '.',
    scope: '.',
    icons: [
      { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
      { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  },
  workbox: {
    globPatterns: [
      // The pages (main, training, lab), their bundles and the tfjs wasm binaries Vite emits.
      '*.html',
      'assets/**/*.{js,css,wasm}',
      'favicon.svg',
      // MediaPipe: landmarker.ts asks for the module build (useModule), which assumes SIMD, so the
      // classic and no-SIMD builds beside it (25 MB) are never loaded.
      ...MEDIAPIPE_FILES,
      ...ensemble.files,
      // The Models menu's mirrored choice: the default's members under another manifest.
      'models/ensembles/default-mirror.json',
    ],
    // Of tfjs's three wasm binaries only the SIMD one is ever loaded: the threaded one is switched
    // off (src/runtime/backend.ts) and the plain one serves browsers without SIMD, where MediaPipe's
    // module build cannot run anyway. (Vite's hashes are 8 characters.)
    //
    // Not precached either, to keep a first visit with its offline copy under 11 MiB (issue 10;
    // docs/BENCHMARKS.md): the hidden training page (its page, bundle and worker: 0.3 MB with
    // brotli) and the tfjs backends a CPU-only device never loads (WebGPU, WebGL, CPU: 0.17 MB).
    // Both are cached when first used (runtimeCaching below), so they work offline from then on; an
    // offline device that never loaded the WebGL backend measures only wasm.
    globIgnores: [
      '**/node_modules/**/*',
      'assets/tfjs-backend-wasm-????????.wasm',
      'assets/tfjs-backend-wasm-threaded-simd-*.wasm',
      ...LAZY_CHUNKS.map((name) => `assets/${name}-*`),
      'train.html',
    ],
    // No second download on a first visit. Workbox fetches a precache entry that has a revision
    // with `cache: 'reload'`, past the HTTP cache, so on a first visit every file the page had just
    // loaded (models, MediaPipe) came down again (docs/BENCHMARKS.md, "Bytes on the wire"); an
    // entry without a revision is fetched
    // with `cache: 'default'` and is taken from the HTTP cache (after a 304 revalidation where
    // the server says no-cache). That is only safe for a URL that changes whenever the content
    // does, so the big files get such URLs (scripts/vite/versionedFiles.ts): the default
    // ensemble's weights content-hashed names in dist/, MediaPipe's files a `?v=<hash>` query
    // that the page uses too. A new deployment with a retrained member therefore lists a new
    // weights URL (and a new model.json revision): the new service worker fetches it, and the old
    // entry is dropped when it activates; the same for a new MediaPipe. Small files (pages,
    // manifests, model.json) keep their revisions and are re-fetched, a few KB. Vite's hashed
    // /assets/ are exempt as vite-plugin-pwa's default does.
    // https://developer.chrome.com/docs/workbox/modules/workbox-precaching ("URLs that already
    // include versioning information … are used as cache keys without any further modification"),
    // workbox-build's dontCacheBustURLsMatching, and GoogleChrome/workbox#2222 (cache: 'default'
    // for entries without a revision).
    dontCacheBustURLsMatching: new RegExp(`^assets/|${HASHED_WEIGHTS.source}`),
    manifestTransforms: [
      async (entries) => ({
        manifest: entries.map((entry) => (MEDIAPIPE_FILES.includes(entry.url) ? { ...entry, url: `${entry.url}?v=${mediapipeVersion}`, revision: null } : entry)),
      }),
    ],
    // MediaPipe's wasm is 13 MB, a member's weights 7 MB.
    maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
    // Queries (?backend=wasm) choose behaviour, not content: /train?backend=wasm is train.html.
    ignoreURLParametersMatching: [/.*/],
    // Other navigations (/models/MODEL_CARD.md, …) go to the network as before.
    navigateFallback: 'index.html',
    navigateFallbackAllowlist: [/^\/(index\.html)?(\?.*)?$/],
    cleanupOutdatedCaches: true,
    // The full-range face detector is fetched on the first group photo (src/worker/inference.worker.ts)
    // and kept from then on; precaching it would put a first visit over 11 MiB (docs/BENCHMARKS.md).
    // Offline before it was ever cached, group photos are searched with tiles instead.
    runtimeCaching: [
      {
        urlPattern: ({ url }) => MEDIAPIPE_LAZY_FILES.some((file) => url.pathname === `/${file}`),
        handler: 'CacheFirst',
        options: { cacheName: 'agedist-mediapipe-lazy', expiration: { maxEntries: MEDIAPIPE_LAZY_FILES.length * 2 } },
      },
      {
        // Content-hashed names: a cached copy is never stale.
        urlPattern: ({ url }) => LAZY_CHUNKS.some((name) => url.pathname.startsWith(`/assets/${name}-`)),
        handler: 'CacheFirst',
        options: { cacheName: 'agedist-lazy-chunks', expiration: { maxEntries: 32 } },
      },
      {
        urlPattern: ({ url }) => url.pathname === '/train.html' || url.pathname === '/train',
        handler: 'NetworkFirst',
        options: { cacheName: 'agedist-training-page', expiration: { maxEntries: 4 } },
      },
    ],
  },
});

export default defineConfig({
  plugins: [react(), hashedModelWeights(ensemble.models), pwa, compressedAssets()],
  // The query MediaPipe's files are asked for with (src/face/landmarker.ts): changes with their content.
  define: { __MEDIAPIPE_VERSION__: JSON.stringify(mediapipeVersion) },
  server: { headers: isolationHeaders, host: '127.0.0.1', port: 5173 },
  preview: { headers: { ...isolationHeaders, 'Content-Security-Policy': contentSecurityPolicy }, host: '127.0.0.1', port: 4173 },
  worker: {
    format: 'es',
    // The inference worker imports tfjs's WebGL and CPU backends only when it tries them
    // (src/runtime/backend.ts); the training worker imports the whole tfjs package, which holds
    // them already, so there the dynamic import stays in its chunk, as intended: not worth a warning.
    rollupOptions: {
      checks: { ineffectiveDynamicImport: false },
      output: {
        // Named after their package, so the service worker can leave them out of its precache.
        chunkFileNames: (chunk) => `assets/${LAZY_BACKENDS.find((name) => chunk.facadeModuleId?.includes(`/@tensorflow/${name}/`)) ?? '[name]'}-[hash].js`,
      },
    },
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    // train.html: the hidden training page. lab.html: the pipeline without UI, driven by scripts (bench, template fitting, eval).
    rollupOptions: {
      input: { main: 'index.html', lab: 'lab.html', train: 'train.html' },
      // Writing the service worker (hashing ~35 MB of precache) takes seconds after the bundle is
      // done; Rolldown would report that as a slow plugin on every build.
      checks: { bundlerTimings: false },
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
