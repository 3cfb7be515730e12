import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleWarmUp } from './idleWarmUp';

/** A serial queue like the worker's, and a log of what ran on it. */
function workerQueue() {
  let queue: Promise<void> = Promise.resolve();
  const log: string[] = [];
  const schedule = (task: () => Promise<void>) => {
    const done = queue.then(task);
    queue = done.catch(() => undefined);
    return done;
  };
  return { log, schedule };
}

/** Lets timers fire and every promise chain they start settle. */
async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
}

describe('IdleWarmUp', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs its steps once the worker has been idle for idleMs, then stops', async () => {
    const { log, schedule } = workerQueue();
    const warmUp = new IdleWarmUp({ steps: 3, idleMs: 400, schedule });
    warmUp.start(async () => void log.push('step'));
    await advance(399);
    expect(log).toEqual([]);
    await advance(1);
    expect(log).toEqual(['step', 'step', 'step']);
    expect(warmUp.remaining).toBe(0);
    await advance(10_000);
    expect(log).toHaveLength(3);
  });

  it('starts no step while a request is in progress, and waits idleMs after the last one ends', async () => {
    const { log, schedule } = workerQueue();
    const warmUp = new IdleWarmUp({ steps: 3, idleMs: 400, schedule });
    warmUp.requestStarted(false); // init, which calls start() before it ends
    warmUp.start(async () => void log.push('step'));
    await advance(1000);
    expect(log).toEqual([]);
    warmUp.requestEnded();
    await advance(300);
    warmUp.requestStarted(true); // a photo arrives before the worker has been idle long enough
    await advance(1000);
    expect(log).toEqual([]);
    warmUp.requestEnded();
    await advance(400);
    expect(log).toEqual(['step', 'step']); // the photo took the third step's place
  });

  it('lets a request in after the step in progress, and resumes the rest when idle again', async () => {
    const { log, schedule } = workerQueue();
    const warmUp = new IdleWarmUp({ steps: 5, idleMs: 400, schedule });
    warmUp.start(async () => {
      log.push('step');
      await new Promise((resolve) => setTimeout(resolve, 50)); // a step takes 50 ms
    });
    await advance(400 + 75); // idle, then the first step and half of the second
    expect(log).toEqual(['step', 'step']);
    // A request arrives mid-step: it is queued behind that step, and no further step starts.
    warmUp.requestStarted(false);
    void schedule(async () => {
      log.push('request');
      await new Promise((resolve) => setTimeout(resolve, 200));
      warmUp.requestEnded();
    });
    await advance(500);
    expect(log).toEqual(['step', 'step', 'request']);
    expect(warmUp.remaining).toBe(3);
    await advance(400 + 3 * 50);
    expect(log).toEqual(['step', 'step', 'request', 'step', 'step', 'step']);
    expect(warmUp.remaining).toBe(0);
  });

  it('runs no step once requests that run the networks have taken the place of every step', async () => {
    const { log, schedule } = workerQueue();
    const warmUp = new IdleWarmUp({ steps: 12, idleMs: 400, schedule });
    warmUp.start(async () => void log.push('step'));
    for (let frame = 0; frame < 12; frame++) {
      warmUp.requestStarted(true); // live video: a face's ages every 150 ms
      await advance(100);
      warmUp.requestEnded();
      await advance(50);
    }
    expect(warmUp.remaining).toBe(0);
    await advance(10_000);
    expect(log).toEqual([]);
  });

  it('stops for good when a step fails, and the queue still serves requests', async () => {
    const { log, schedule } = workerQueue();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const warmUp = new IdleWarmUp({ steps: 4, idleMs: 100, schedule });
    let calls = 0;
    warmUp.start(async () => {
      calls++;
      if (calls === 2) throw new Error('out of memory');
      log.push('step');
    });
    await advance(1000);
    expect(log).toEqual(['step']);
    expect(warmUp.remaining).toBe(0);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('out of memory'));
    await schedule(async () => void log.push('request'));
    expect(log).toEqual(['step', 'request']);
    warn.mockRestore();
  });

  it('does nothing before start, and nothing after stop', async () => {
    const { log, schedule } = workerQueue();
    const warmUp = new IdleWarmUp({ steps: 3, idleMs: 100, schedule });
    warmUp.requestStarted(false);
    warmUp.requestEnded();
    await advance(1000);
    expect(log).toEqual([]);
    warmUp.start(async () => void log.push('step'));
    warmUp.stop();
    await advance(1000);
    expect(log).toEqual([]);
  });

  it('calls finished once, when no step runs and none will: after the last step, not during it', async () => {
    const { log, schedule } = workerQueue();
    const warmUp = new IdleWarmUp({ steps: 2, idleMs: 400, schedule });
    const finished = vi.fn();
    warmUp.start(async () => {
      log.push('step');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }, finished);
    await advance(400 + 25); // the first step is half done
    warmUp.requestStarted(true); // a photo takes the second step's place
    expect(warmUp.remaining).toBe(0);
    expect(finished).not.toHaveBeenCalled(); // the step in progress still uses what it shares
    await advance(25);
    expect(finished).toHaveBeenCalledTimes(1);
    warmUp.requestEnded();
    warmUp.stop();
    await advance(1000);
    expect(log).toEqual(['step']);
    expect(finished).toHaveBeenCalledTimes(1);
  });

  it('calls finished when stopped before any step, and when requests took every place before start', async () => {
    const { schedule } = workerQueue();
    const stopped = new IdleWarmUp({ steps: 3, idleMs: 100, schedule });
    const finishedOnStop = vi.fn();
    stopped.start(async () => undefined, finishedOnStop);
    stopped.stop();
    expect(finishedOnStop).toHaveBeenCalledTimes(1);

    const used = new IdleWarmUp({ steps: 1, idleMs: 100, schedule });
    used.requestStarted(true);
    used.requestEnded();
    const finishedAtStart = vi.fn();
    used.start(async () => undefined, finishedAtStart);
    expect(finishedAtStart).toHaveBeenCalledTimes(1);
  });
});
