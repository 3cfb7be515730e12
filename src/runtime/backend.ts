/**
 * Sets up the tfjs backend in the worker, following decideBackend(). The wasm backend's own setup
 * (self-hosted binaries, single-threaded) is in wasmBackend.ts. The other backends are imported
 * only when tried: on a CPU-only visit the worker's script does not carry (nor start) the WebGPU,
 * WebGL and CPU backends, about a third of its code.
 */
import * as tf from '@tensorflow/tfjs-core';
import { decideBackend, fastest, type BackendFacts, type BackendName } from './backendChoice';
import { activateBackend } from './wasmBackend';

const BACKEND_MODULES: Record<BackendName, () => Promise<unknown>> = {
  webgpu: () => import('@tensorflow/tfjs-backend-webgpu'),
  webgl: () => import('@tensorflow/tfjs-backend-webgl'),
  wasm: async () => undefined, // wasmBackend.ts registers it
  cpu: () => import('@tensorflow/tfjs-backend-cpu'),
};

async function activate(name: BackendName): Promise<void> {
  try {
    await BACKEND_MODULES[name]();
  } catch (error) {
    throw new Error(`the ${name} backend could not be loaded: ${(error as Error).message}`);
  }
  await activateBackend(name);
}

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

/** A small conv stack, timed after a warm-up so shader compilation does not count. */
async function timeBackend(name: BackendName): Promise<number> {
  try {
    await activate(name);
    const run = () =>
      tf.tidy(() => {
        let x = tf.ones([1, 56, 56, 32]) as tf.Tensor4D;
        const w = tf.div(tf.ones([3, 3, 32, 32]), 288) as tf.Tensor4D;
        for (let i = 0; i < 4; i++) x = tf.relu(tf.conv2d(x, w, 1, 'same'));
        return tf.mean(x);
      });
    await run().data();
    const t0 = performance.now();
    for (let i = 0; i < 3; i++) await run().data();
    return (performance.now() - t0) / 3;
  } catch {
    return Infinity;
  }
}

/**
 * The renderer a WebGL context reports (unmasked where the browser allows), null without WebGL.
 * The context is released at once; tfjs's WebGL backend makes its own if it is measured.
 */
function probeWebGl(): BackendFacts['webgl'] {
  try {
    const canvas = new OffscreenCanvas(1, 1);
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { renderer };
  } catch {
    return null;
  }
}

export async function setUpBackend(forced: BackendName | undefined, remembered: BackendName | undefined): Promise<BackendResult> {
  const adapter = forced ? undefined : await probeWebGpu();
  let decision = decideBackend({ forced, remembered, webgpuAdapter: adapter });
  // WebGL is looked at only when it would otherwise be measured against wasm.
  if (decision.kind === 'measure') decision = decideBackend({ forced, remembered, webgpuAdapter: adapter, webgl: probeWebGl() });
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
