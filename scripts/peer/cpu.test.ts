import { describe, expect, it } from 'vitest';
import { cpuBetween, kindOf, threadKindOf, type CpuSnapshot } from './cpu';

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

  it("tells a renderer's threads apart by their names", () => {
    expect(threadKindOf('chromium', true)).toBe('main thread');
    expect(threadKindOf('DedicatedWorker', false)).toBe('workers');
    expect(threadKindOf('ThreadPoolForeg', false)).toBe('thread pool');
    expect(threadKindOf('ThreadPoolSingl', false)).toBe('thread pool');
    expect(threadKindOf('Chrome_ChildIOT', false)).toBe('other');
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

  it("sums a renderer's threads by kind; a thread started meanwhile counts from zero", () => {
    const before: CpuSnapshot = new Map([[7, { kind: 'renderer', ms: 100, threads: new Map([[7, { kind: 'main thread', ms: 100 }]]) }]]);
    const after: CpuSnapshot = new Map([
      [
        7,
        {
          kind: 'renderer',
          ms: 1600,
          threads: new Map([
            [7, { kind: 'main thread', ms: 300 }],
            [8, { kind: 'workers', ms: 900 }],
            [9, { kind: 'workers', ms: 200 }],
            [10, { kind: 'thread pool', ms: 200 }],
          ]),
        },
      ],
      [11, { kind: 'webui renderer', ms: 50 }],
    ]);
    expect(Object.fromEntries(cpuBetween(before, after).rendererThreads)).toEqual({ 'main thread': 200, workers: 1100, 'thread pool': 200 });
  });
});
