import { describe, expect, it } from 'vitest';
import { PhotoQueue } from './photoQueue';

/** A runner whose runs finish when the test says so. */
function controlledRunner() {
  const started: string[] = [];
  const finish = new Map<string, (ok: boolean) => void>();
  const run = (item: string) =>
    new Promise<void>((resolve, reject) => {
      started.push(item);
      finish.set(item, (ok) => (ok ? resolve() : reject(new Error(item))));
    });
  const done = async (item: string, ok = true) => {
    finish.get(item)!(ok);
    await new Promise((r) => setTimeout(r, 0));
  };
  return { started, run, done };
}

describe('PhotoQueue', () => {
  it('waits for a runner, then runs items in the order added, at most `limit` at a time', async () => {
    const queue = new PhotoQueue<string>(2);
    const runner = controlledRunner();
    queue.add(['a', 'b', 'c']);
    queue.add(['d']);
    expect(queue.size).toBe(4);
    queue.setRunner(runner.run);
    expect(runner.started).toEqual(['a', 'b']);
    await runner.done('b');
    expect(runner.started).toEqual(['a', 'b', 'c']);
    await runner.done('a', false); // a failed run does not stop the queue
    expect(runner.started).toEqual(['a', 'b', 'c', 'd']);
    expect(queue.size).toBe(0);
  });

  it('stops starting items while it has no runner, and resumes with the next one', async () => {
    const queue = new PhotoQueue<string>(1);
    const first = controlledRunner();
    queue.setRunner(first.run);
    queue.add(['a', 'b']);
    queue.setRunner(undefined);
    await first.done('a');
    expect(first.started).toEqual(['a']);
    const second = controlledRunner();
    queue.setRunner(second.run);
    expect(second.started).toEqual(['b']);
  });

  it('drops removed items and hands out the rest', () => {
    const queue = new PhotoQueue<string>(1);
    queue.add(['a', 'b', 'c', 'b']);
    queue.remove((item) => item === 'b');
    expect(queue.takeAll()).toEqual(['a', 'c']);
    expect(queue.size).toBe(0);
  });
});
