/**
 * Warm-up runs while a worker is idle after loading. A page's first photos run up to twice as
 * slowly as later ones: V8 compiles a wasm or JavaScript function with its optimising compiler only
 * once the function has run enough (for wasm, dynamic tiering), and the networks' code gets there
 * only after a dozen or so calls. Spending those calls on stand-in inputs (the worker's step: a small
 * face photo, blank crops) before the visitor gives a photo makes the first photos about as fast as
 * later ones.
 *
 * A step starts only after the worker has been idle (no request in progress or waiting) for
 * `idleMs`, so requests never wait behind more than one step, and a steady stream of requests
 * (live video) never sees one. The steps are counted, requests that run the networks included:
 * `steps` in all, then none.
 */
export interface IdleWarmUpOptions {
  /** Warm-up steps in all, over the worker's life, less one per request that runs the networks. */
  steps: number;
  /** How long the worker must have been idle before a step starts. */
  idleMs: number;
  /** Runs a task on the worker's request queue (steps and requests never overlap). */
  schedule: (task: () => Promise<void>) => Promise<void>;
}

export class IdleWarmUp {
  private step?: () => Promise<void>;
  private finished?: () => void;
  private left: number;
  private requests = 0;
  private timer?: ReturnType<typeof setTimeout>;
  private running = false;

  constructor(private readonly options: IdleWarmUpOptions) {
    this.left = options.steps;
  }

  /** Steps left to run. */
  get remaining(): number {
    return this.left;
  }

  /**
   * The models are loaded: `step` warms them, from the next idle moment on. `finished` is called
   * once, when no step is running and none will run again (all ran, requests took their places,
   * or stop), so that what the steps share (an image) can be freed.
   */
  start(step: () => Promise<void>, finished?: () => void): void {
    this.step = step;
    this.finished = finished;
    this.arm();
    this.finishIfDone();
  }

  /**
   * A request arrived: no step starts until it and every other request have ended. One that runs
   * the networks (`warms`: a photo, a video frame's ages) warms them as a step would and takes a
   * step's place, so live video, which sends many, soon leaves none to run.
   */
  requestStarted(warms: boolean): void {
    this.requests++;
    if (warms) this.left = Math.max(0, this.left - 1);
    clearTimeout(this.timer);
    this.finishIfDone();
  }

  requestEnded(): void {
    this.requests = Math.max(0, this.requests - 1);
    this.arm();
  }

  /** No more steps (the worker is closing, or a step failed). */
  stop(): void {
    this.left = 0;
    clearTimeout(this.timer);
    this.finishIfDone();
  }

  private finishIfDone(): void {
    if (this.left > 0 || this.running || !this.finished) return;
    const finished = this.finished;
    this.finished = undefined;
    finished();
  }

  private arm(): void {
    clearTimeout(this.timer);
    if (!this.step || this.left <= 0 || this.requests > 0 || this.running) return;
    this.timer = setTimeout(() => void this.run(), this.options.idleMs);
  }

  private async run(): Promise<void> {
    const step = this.step;
    if (!step) return;
    this.running = true;
    try {
      while (this.left > 0 && this.requests === 0) {
        this.left--;
        await this.options.schedule(step);
      }
    } catch (error) {
      // A warm-up is an optimisation: a failure here is the request's to report, not the warm-up's.
      console.warn(`idle warm-up stopped: ${error instanceof Error ? error.message : String(error)}`);
      this.stop();
    } finally {
      this.running = false;
      this.arm(); // a request that came and went while a step ran
      this.finishIfDone();
    }
  }
}
