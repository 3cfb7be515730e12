/**
 * The tfjs wasm backend, self-hosted: its binaries are bundled by Vite (`?url`), so nothing is
 * fetched from a CDN. Imported by every worker that may run on wasm; member workers (wasm only)
 * import nothing else of the backends.
 */
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

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

/** Makes `name` the active backend, or throws a message that says why it cannot be. */
export async function activateBackend(name: string): Promise<void> {
  let ok = false;
  try {
    ok = await tf.setBackend(name);
  } catch (error) {
    throw new Error(`the ${name} backend failed to start: ${(error as Error).message}`);
  }
  if (!ok) throw new Error(`the ${name} backend is not available in this browser`);
  await tf.ready();
}
