/**
 * Photos dropped on the page wait here, as files, in the order they were dropped, and are handed
 * to the runner at most `limit` at a time: a folder of photos dropped at once is decoded a few at
 * a time (a decoded 12-megapixel photo takes 48 MB) rather than all at once. While there is no
 * runner (the models are loading, or a new ensemble is) they wait.
 */
export class PhotoQueue<T> {
  private readonly waiting: T[] = [];
  private running = 0;
  private runner?: (item: T) => Promise<void>;

  constructor(private readonly limit: number) {}

  /** Adds items after those already waiting and starts what the limit allows. */
  add(items: readonly T[]): void {
    this.waiting.push(...items);
    this.pump();
  }

  /** Sets who runs the items (undefined: nobody for now) and starts what the limit allows. */
  setRunner(runner: ((item: T) => Promise<void>) | undefined): void {
    this.runner = runner;
    this.pump();
  }

  /** Drops the waiting items that match (a photo removed before its turn). */
  remove(matches: (item: T) => boolean): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) if (matches(this.waiting[i])) this.waiting.splice(i, 1);
  }

  /** Takes every waiting item out of the queue (to fail them when the estimator cannot start). */
  takeAll(): T[] {
    return this.waiting.splice(0);
  }

  get size(): number {
    return this.waiting.length;
  }

  private pump(): void {
    while (this.runner && this.running < this.limit && this.waiting.length > 0) {
      const item = this.waiting.shift() as T;
      this.running += 1;
      // A runner reports its own failures; a rejection here must not stop the queue.
      void this.runner(item)
        .catch(() => undefined)
        .finally(() => {
          this.running -= 1;
          this.pump();
        });
    }
  }
}
