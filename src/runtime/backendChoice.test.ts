import { describe, expect, it } from 'vitest';
import { decideBackend, fastest, parseBackendName } from './backendChoice';

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
