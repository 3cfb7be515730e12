import { describe, expect, it } from 'vitest';
import { cpuBetween, kindOf, type CpuSnapshot } from './cpu';

describe('browser CPU accounting', () => {
  it('tells Chromium processes apart by their command line', () => {
    expect(kindOf('/usr/lib/chromium/chromium --headless --no-sandbox')).toBe('browser');
    expect(kindOf('/usr/lib/chromium/chromium --type=gpu-process --use-angle=swiftshader')).toBe('gpu');
    expect(kindOf('/usr/lib/chromium/chromium --type=utility --utility-sub-type=network.mojom.NetworkService')).toBe('network');
    expect(kindOf('/usr/lib/chromium/chromium --type=utility --utility-sub-type=storage.mojom.StorageService')).toBe('utility');
    expect(kindOf('/usr/lib/chromium/chromium --type=renderer --top-chrome-webui --renderer-client-id=5')).toBe('webui renderer');
    expect(kindOf('/usr/lib/chromium/chromium --type=renderer --renderer-client-id=7')).toBe('renderer');
    expect(kindOf('/usr/lib/chromium/chromium --type=zygote')).toBe('other');
  });

  it('sums the time spent between two snapshots, in all and by kind; a new process counts from zero', () => {
    const before: CpuSnapshot = new Map([
      [1, { kind: 'browser', ms: 1000 }],
      [2, { kind: 'gpu', ms: 300 }],
    ]);
    const after: CpuSnapshot = new Map([
      [1, { kind: 'browser', ms: 1250 }],
      [2, { kind: 'gpu', ms: 310 }],
      [3, { kind: 'renderer', ms: 4000 }],
      [4, { kind: 'renderer', ms: 500 }],
    ]);
    const { total, byKind } = cpuBetween(before, after);
    expect(total).toBe(4760);
    expect(Object.fromEntries(byKind)).toEqual({ browser: 250, gpu: 10, renderer: 4500 });
  });
});
