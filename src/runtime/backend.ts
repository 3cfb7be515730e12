/**
 * Sets up the tfjs backend in the worker, following decideBackend(). Self-hosted wasm binaries are
 * bundled by Vite (`?url`), so nothing is fetched from a CDN.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { decideBackend, fastest, type BackendName } from './backendChoice';

// tfjs-backend-wasm's threaded build starts its pthread workers from an inlined script that
// breaks once bundled ("e is not defined" in the blob worker), so the single-threaded SIMD build
// is used. Tried (issue 10): a build step that puts the package's own glue in that script made the
// threaded build load, but getThreadsCount() still said 1 (also unbundled, on a page's main
// thread) and it ran no faster on 2 cores. Members run side by side in member workers instead
// (src/worker/remoteMember.ts), and MediaPipe beside them.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
});

export interface BackendResult {
  backend: BackendName;
  reason: string;
  /** Present when this call measured candidates, so the page can remember the winner. */
  measuredMs?: Partial<Record<BackendName, number>>;
  adapterDescription?: string;
}

async function probeWebGpu(): Promise<{ isFallback: boolean; description: string } | undefined> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return undefined;
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return undefined;
    // Chromium exposes isFallbackAdapter on adapter.info (newer) or on the adapter (older).
    const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
    const legacy = adapter as GPUAdapter & { isFallbackAdapter?: boolean };
    const isFallback = Boolean(info?.isFallbackAdapter ?? legacy.isFallbackAdapter);
    return { isFallback, description: [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'unknown adapter' };
  } catch {
    return undefined;
  }
}

async function activate(name: BackendName): Promise<void> {
  let ok = false;
  try {
    ok = await tf.setBackend(name);
  } catch (error) {
    throw new Error(`the ${name} backend failed to start: ${(error as Error).message}`);
  }
  if (!ok) throw new Error(`the ${name} backend is not available in this browser`);
  await tf.ready();
}

/** A small conv stack, timed after a warm-up so shader compilation does not count. */
async function timeBackend(name: BackendName): Promise<number> {
  try {
    await activate(name);
    const run = () =>
      tf.tidy(() => {
        let x = tf.ones([1, 56, 56, 32]) as tf.Tensor4D;
        const w = tf.ones([3, 3, 32, 32]).div(288) as tf.Tensor4D;
        for (let i = 0; i < 4; i++) x = tf.relu(tf.conv2d(x, w, 1, 'same'));
        return x.mean();
      });
    await run().data();
    const t0 = performance.now();
    for (let i = 0; i < 3; i++) await run().data();
    return (performance.now() - t0) / 3;
  } catch {
    return Infinity;
  }
}

export async function setUpBackend(forced: BackendName | undefined, remembered: BackendName | undefined): Promise<BackendResult> {
  const adapter = forced ? undefined : await probeWebGpu();
  const decision = decideBackend({ forced, remembered, webgpuAdapter: adapter });
  if (decision.kind === 'use') {
    await activate(decision.backend);
    return { backend: decision.backend, reason: decision.reason, adapterDescription: adapter?.description };
  }
  const measuredMs: Partial<Record<BackendName, number>> = {};
  for (const candidate of decision.candidates) measuredMs[candidate] = await timeBackend(candidate);
  const winner = fastest(measuredMs) ?? 'cpu';
  await activate(winner);
  const summary = Object.entries(measuredMs).map(([n, ms]) => `${n} ${Number.isFinite(ms) ? ms.toFixed(0) + ' ms' : 'failed'}`).join(', ');
  return { backend: winner, reason: `${decision.reason}; measured ${summary}`, measuredMs, adapterDescription: adapter?.description };
}
