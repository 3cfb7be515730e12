/**
 * Which tfjs backend to run on. Pure decision logic (tested in Node); backend.ts does the probing.
 *
 * - `?backend=` forces one.
 * - A hardware WebGPU adapter wins.
 * - With only a software (fallback) WebGPU adapter — SwiftShader, 50-100x slower than wasm here —
 *   or none, use the faster of wasm and webgl, measured once on this device and remembered.
 */
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export function parseBackendName(value: string | null | undefined): BackendName | undefined {
  return BACKENDS.find((b) => b === value);
}

export interface BackendFacts {
  forced?: BackendName;
  /** What navigator.gpu.requestAdapter() said; undefined when WebGPU is absent. */
  webgpuAdapter?: { isFallback: boolean };
  /** A previous measurement on this device. */
  remembered?: BackendName;
}

export type BackendDecision =
  | { kind: 'use'; backend: BackendName; reason: string }
  | { kind: 'measure'; candidates: BackendName[]; reason: string };

export function decideBackend(facts: BackendFacts): BackendDecision {
  if (facts.forced) return { kind: 'use', backend: facts.forced, reason: 'forced by ?backend=' };
  if (facts.webgpuAdapter && !facts.webgpuAdapter.isFallback) {
    return { kind: 'use', backend: 'webgpu', reason: 'hardware WebGPU adapter' };
  }
  const why = facts.webgpuAdapter ? 'WebGPU adapter is software (fallback)' : 'no WebGPU';
  if (facts.remembered === 'wasm' || facts.remembered === 'webgl') {
    return { kind: 'use', backend: facts.remembered, reason: `${why}; ${facts.remembered} measured fastest earlier` };
  }
  return { kind: 'measure', candidates: ['wasm', 'webgl'], reason: why };
}

/** Picks the fastest measured candidate; failed candidates (NaN/Infinity) lose. */
export function fastest(times: Partial<Record<BackendName, number>>): BackendName | undefined {
  let best: BackendName | undefined;
  for (const [name, ms] of Object.entries(times) as [BackendName, number][]) {
    if (Number.isFinite(ms) && (best === undefined || ms < (times[best] ?? Infinity))) best = name;
  }
  return best;
}
