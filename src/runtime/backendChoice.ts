/**
 * Which tfjs backend to run on. Pure decision logic (tested in Node); backend.ts does the probing.
 *
 * - `?backend=` forces one.
 * - A hardware WebGPU adapter wins.
 * - With only a software (fallback) WebGPU adapter — SwiftShader, 50-100x slower than wasm here —
 *   or none, use the faster of wasm and webgl, measured once on this device and remembered;
 *   unless WebGL too renders in software (or is missing): then wasm, without measuring (here
 *   SwiftShader's WebGL lost 213 ms to 15, and measuring delayed a first visit's first estimate by
 *   0.8-2.8 s: docs/BENCHMARKS.md, "A first visit without a GPU").
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
  /**
   * What a WebGL context said it renders with (its unmasked renderer string), null when there is
   * no WebGL; probed only when the answer matters (undefined: not probed).
   */
  webgl?: { renderer: string } | null;
}

/** Renderer strings of WebGL implementations that run on the CPU. */
const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|lavapipe|software|microsoft basic render/i;

export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE_RENDERERS.test(renderer);
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
  if (facts.webgl === null) return { kind: 'use', backend: 'wasm', reason: `${why}; no WebGL` };
  if (facts.webgl && isSoftwareRenderer(facts.webgl.renderer)) {
    return { kind: 'use', backend: 'wasm', reason: `${why}; WebGL renders in software (${facts.webgl.renderer})` };
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
