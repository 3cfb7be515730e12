/**
 * Which tracked face the age ensemble runs on next, and when (live video). Landmarks run on every
 * frame in their own worker; the ensemble is far slower, so it serves the faces in turn: always
 * the face that has waited longest (a new face first). On a slow machine the two workers compete
 * for the same cores, so the overlay's frame rate is watched: while it is below what the camera
 * delivers (and the target), the ensemble waits, but never so long that a face goes without a
 * new age for more than 1/minRefreshHz seconds, nor longer than `maxPauseMs`. Smooth boxes
 * first, ages as often as the rest of the machine allows. Pure: the caller passes the clock.
 */
export interface SchedulerOptions {
  /** Overlay frame rate to protect (frames/s); capped at 90% of the camera's own rate. */
  targetFps?: number;
  /** Longest wait after an ensemble run while the overlay lags (ms). */
  maxPauseMs?: number;
  /** Age updates per second each face gets at least, as far as the ensemble's speed allows. */
  minRefreshHz?: number;
}

const WINDOW_MS = 1000;

export class AgeScheduler {
  private readonly lastAge = new Map<number, number>();
  private readonly overlayFrames: number[] = [];
  private readonly videoFrames: number[] = [];
  private lastRunEnd = -Infinity;
  private lastDuration = 0;
  private readonly targetFps: number;
  private readonly maxPauseMs: number;
  private readonly minRefreshHz: number;

  constructor(options: SchedulerOptions = {}) {
    this.targetFps = options.targetFps ?? 25;
    this.maxPauseMs = options.maxPauseMs ?? 250;
    this.minRefreshHz = options.minRefreshHz ?? 1.5;
  }

  /** A frame arrived from the camera. */
  videoFrame(now: number): void {
    push(this.videoFrames, now);
  }

  /** The overlay was redrawn from new landmarks. */
  overlayFrame(now: number): void {
    push(this.overlayFrames, now);
  }

  /** Whether an ensemble run may start now, with `faces` faces to serve. */
  canRun(now: number, faces = 1): boolean {
    // With n faces served in turn, one run every 1000 / (minRefreshHz · n) ms keeps each fresh.
    const pause = Math.min(this.maxPauseMs, 1000 / (this.minRefreshHz * Math.max(1, faces)) - this.lastDuration);
    if (now - this.lastRunEnd >= pause) return true;
    // One frame of slack: the rate over a second jitters by a frame.
    return rate(this.overlayFrames, now) >= this.wantedFps(now) - 1;
  }

  /** The visible face to estimate now, or undefined while waiting. */
  pick(visible: readonly number[], now: number): number | undefined {
    if (visible.length === 0 || !this.canRun(now, visible.length)) return undefined;
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

  /** An ensemble run for `id` ended at `now` after `durationMs`. */
  finished(id: number, now: number, durationMs = 0): void {
    this.lastAge.set(id, now);
    this.lastRunEnd = now;
    this.lastDuration = durationMs;
  }

  /** The face left for good. */
  forget(id: number): void {
    this.lastAge.delete(id);
  }

  /** The measured rates (frames/s) and whether ages are held back right now. */
  stats(now: number): { overlayFps: number; videoFps: number; holding: boolean } {
    return { overlayFps: rate(this.overlayFrames, now), videoFps: rate(this.videoFrames, now), holding: !this.canRun(now) };
  }

  private wantedFps(now: number): number {
    return Math.min(this.targetFps, 0.9 * rate(this.videoFrames, now));
  }
}

function push(times: number[], now: number): void {
  times.push(now);
  while (times.length > 0 && now - times[0] > WINDOW_MS) times.shift();
}

/** Events per second over the last window. */
function rate(times: readonly number[], now: number): number {
  let n = 0;
  for (const t of times) if (now - t <= WINDOW_MS) n++;
  return (n * 1000) / WINDOW_MS;
}
