import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { compressedAssets } from './scripts/vite/compressedAssets.ts';
import { readFileSync } from 'node:fs';
import { dirname, posix } from 'node:path';

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

/**
 * The files of the shipped (default) ensemble, relative to public/: ensemble.json, each member's
 * member.json, its model.json and the weight files that model.json lists. Read from the files
 * themselves, so a retrained or re-weighted default needs no change here. The other model folders
 * (earlier members, ensembles/) are left to the network.
 */
function defaultEnsembleFiles(): string[] {
  const read = (path: string) => JSON.parse(readFileSync(new URL(`public/${path}`, import.meta.url), 'utf8'));
  const files = ['models/ensemble.json'];
  for (const { path } of read('models/ensemble.json').members as { path: string }[]) {
    const memberJson = posix.join('models', path);
    const modelJson = posix.join(dirname(memberJson), read(memberJson).model.url);
    const model = read(modelJson) as { weightsManifest: { paths: string[] }[] };
    files.push(memberJson, modelJson, ...model.weightsManifest.flatMap((group) => group.paths.map((p) => posix.join(dirname(modelJson), p))));
  }
  return files;
}

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
      'mediapipe/face_landmarker.task',
      'mediapipe/wasm/vision_wasm_module_internal.{js,wasm}',
      ...defaultEnsembleFiles(),
    ],
    // MediaPipe's wasm is 13 MB, a member's weights 7 MB.
    maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
    // Queries (?backend=wasm) choose behaviour, not content: /train?backend=wasm is train.html.
    ignoreURLParametersMatching: [/.*/],
    // Other navigations (/models/MODEL_CARD.md, …) go to the network as before.
    navigateFallback: 'index.html',
    navigateFallbackAllowlist: [/^\/(index\.html)?(\?.*)?$/],
    cleanupOutdatedCaches: true,
  },
});

export default defineConfig({
  plugins: [react(), pwa, compressedAssets()],
  server: { headers: isolationHeaders, host: '127.0.0.1', port: 5173 },
  preview: { headers: { ...isolationHeaders, 'Content-Security-Policy': contentSecurityPolicy }, host: '127.0.0.1', port: 4173 },
  worker: { format: 'es' },
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
