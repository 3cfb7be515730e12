import { describe, expect, it } from 'vitest';
import { decideBackend, fastest, isSoftwareRenderer, parseBackendName } from './backendChoice';

describe('decideBackend', () => {
  it('honours ?backend= over everything', () => {
    expect(decideBackend({ forced: 'cpu', webgpuAdapter: { isFallback: false } })).toMatchObject({ kind: 'use', backend: 'cpu' });
  });
  it('uses a hardware WebGPU adapter', () => {
    expect(decideBackend({ webgpuAdapter: { isFallback: false } })).toMatchObject({ kind: 'use', backend: 'webgpu' });
  });
  it('does not pick a software WebGPU adapter: measures wasm against webgl', () => {
    expect(decideBackend({ webgpuAdapter: { isFallback: true } })).toMatchObject({ kind: 'measure', candidates: ['wasm', 'webgl'] });
    expect(decideBackend({})).toMatchObject({ kind: 'measure' });
  });
  it('runs on wasm without measuring when WebGL is missing or renders in software', () => {
    const swiftShader = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
    expect(decideBackend({ webgpuAdapter: { isFallback: true }, webgl: { renderer: swiftShader } })).toMatchObject({ kind: 'use', backend: 'wasm', reason: expect.stringContaining('software (ANGLE') });
    expect(decideBackend({ webgl: null })).toMatchObject({ kind: 'use', backend: 'wasm', reason: 'no WebGPU; no WebGL' });
    const hardware = 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)';
    expect(decideBackend({ webgl: { renderer: hardware } })).toMatchObject({ kind: 'measure', candidates: ['wasm', 'webgl'] });
    // A remembered measurement still wins, and a hardware WebGPU adapter before that.
    expect(decideBackend({ webgl: { renderer: swiftShader }, remembered: 'webgl' })).toMatchObject({ kind: 'use', backend: 'webgl' });
    expect(decideBackend({ webgpuAdapter: { isFallback: false }, webgl: null })).toMatchObject({ kind: 'use', backend: 'webgpu' });
  });

  it('recognises the CPU renderers of WebGL', () => {
    for (const r of ['Google SwiftShader', 'llvmpipe (LLVM 15.0.6, 256 bits)', 'Mesa softpipe', 'Microsoft Basic Render Driver']) expect(isSoftwareRenderer(r)).toBe(true);
    for (const r of ['Apple M2', 'ANGLE (Intel, Intel(R) UHD Graphics 620 Direct3D11 vs_5_0 ps_5_0, D3D11)', 'Mali-G78']) expect(isSoftwareRenderer(r)).toBe(false);
  });

  it('reuses a remembered measurement', () => {
    expect(decideBackend({ webgpuAdapter: { isFallback: true }, remembered: 'webgl' })).toMatchObject({ kind: 'use', backend: 'webgl' });
    // A remembered webgpu (hardware changed?) is not trusted when the adapter is now software.
    expect(decideBackend({ webgpuAdapter: { isFallback: true }, remembered: 'webgpu' })).toMatchObject({ kind: 'measure' });
  });
});

describe('fastest / parseBackendName', () => {
  it('picks the smallest finite time', () => {
    expect(fastest({ wasm: 40, webgl: 900 })).toBe('wasm');
    expect(fastest({ wasm: Infinity, webgl: 900 })).toBe('webgl');
    expect(fastest({ wasm: NaN })).toBeUndefined();
  });
  it('parses only known names', () => {
    expect(parseBackendName('wasm')).toBe('wasm');
    expect(parseBackendName('WASM')).toBeUndefined();
    expect(parseBackendName(null)).toBeUndefined();
  });
});
