/**
 * Which tracked face the age ensemble runs on next, and when (live video). Landmarks run on every
 * frame in their own worker; the ensemble is far slower, so it serves the faces in turn: always
 * the face that has waited longest (a new face first). On a slow machine the two workers compete
 * for the same cores, so the scheduler watches the overlay's frame rate and, when it falls below
 * what the camera delivers, leaves a pause between ensemble runs (grown while the overlay lags,
 * shrunk while it keeps up): smooth boxes first, ages as often as the rest of the machine allows.
 * Pure: the caller passes the clock.
 */
export interface SchedulerOptions {
  /** Overlay frame rate to protect (frames/s); capped at 90% of the camera's own rate. */
  targetFps?: number;
  /** Longest pause between two ensemble runs (ms). */
  maxPauseMs?: number;
}

const WINDOW_MS = 1000;

export class AgeScheduler {
  private readonly lastAge = new Map<number, number>();
  private readonly overlayFrames: number[] = [];
  private readonly videoFrames: number[] = [];
  private pause = 0;
  private readyAt = 0;
  private readonly targetFps: number;
  private readonly maxPauseMs: number;

  constructor(options: SchedulerOptions = {}) {
    this.targetFps = options.targetFps ?? 25;
    this.maxPauseMs = options.maxPauseMs ?? 1000;
  }

  /** A frame arrived from the camera. */
  videoFrame(now: number): void {
    push(this.videoFrames, now);
  }

  /** The overlay was redrawn from new landmarks. */
  overlayFrame(now: number): void {
    push(this.overlayFrames, now);
  }

  /** Whether an ensemble run may start now (not within the pause after the last one). */
  canRun(now: number): boolean {
    return now >= this.readyAt;
  }

  /** The visible face to estimate now, or undefined while pausing. */
  pick(visible: readonly number[], now: number): number | undefined {
    if (!this.canRun(now) || visible.length === 0) return undefined;
    let best: number | undefined;
    let oldest = Infinity;
    for (const id of visible) {
      const at = this.lastAge.get(id) ?? -Infinity;
      if (at < oldest) {
        oldest = at;
        best = id;
      }
    }
    return best;
  }

  /** An ensemble run for `id` ended at `now` after `durationMs`; adapts the pause. */
  finished(id: number, now: number, durationMs: number): void {
    this.lastAge.set(id, now);
    const overlay = rate(this.overlayFrames, now);
    const wanted = Math.min(this.targetFps, 0.9 * rate(this.videoFrames, now));
    // A frame of slack either way, so that the rate's one-frame jitter does not move the pause.
    const step = Math.max(10, 0.25 * durationMs);
    if (overlay < wanted - 1) this.pause = Math.min(this.maxPauseMs, this.pause + step);
    else if (overlay >= wanted) this.pause = Math.max(0, this.pause - step);
    this.readyAt = now + this.pause;
  }

  /** The face left for good. */
  forget(id: number): void {
    this.lastAge.delete(id);
  }

  /** Current pause between ensemble runs (ms), and the measured rates (frames/s). */
  stats(now: number): { pauseMs: number; overlayFps: number; videoFps: number } {
    return { pauseMs: this.pause, overlayFps: rate(this.overlayFrames, now), videoFps: rate(this.videoFrames, now) };
  }
}

function push(times: number[], now: number): void {
  times.push(now);
  while (times.length > 0 && now - times[0] > WINDOW_MS) times.shift();
}

/** Events per second over the last window. */
function rate(times: readonly number[], now: number): number {
  const recent = times.filter((t) => now - t <= WINDOW_MS);
  return (recent.length * 1000) / WINDOW_MS;
}
