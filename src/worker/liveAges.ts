/**
 * The ages of the faces the live pipeline (livePipeline.ts) tracks: for each track, its newest
 * ensemble estimate, that estimate fused over time (AgeFilter), and how often it is updated; plus
 * a bounded trace of every update for measurement (bench, tests). DOM-free.
 */
import { AgeFilter, type FusedAge } from '../age/temporal';
import type { FaceBox } from '../geometry/box';
import type { FivePoints } from '../geometry/points';
import type { AgeTraceEntry, LiveFace } from './liveTypes';
import type { AgeResult } from './protocol';

interface TrackAge {
  filter: AgeFilter;
  latest?: AgeResult;
  fused?: FusedAge;
  /** When the newest updates came (performance.now()), those within the rate window. */
  updates: number[];
  count: number;
}

/** Updates counted for a face's rate: the last 3 s, long enough to span a slow face's updates. */
export const AGE_RATE_WINDOW_MS = 3000;
/** Trace entries kept: about 12 minutes of one face's updates at the 5.6 a second measured (docs/BENCHMARKS.md). */
export const TRACE_LENGTH = 4000;

export class LiveAges {
  private readonly tracks = new Map<number, TrackAge>();
  readonly trace: AgeTraceEntry[] = [];

  /** Records the ensemble's estimate of one tracked face at time `now`. */
  update(trackId: number, latest: AgeResult, now: number): void {
    let track = this.tracks.get(trackId);
    if (!track) this.tracks.set(trackId, (track = { filter: new AgeFilter(), updates: [], count: 0 }));
    track.latest = latest;
    track.fused = track.filter.update(latest.distribution, now, latest.summary.estimate);
    track.count += 1;
    track.updates.push(now);
    while (track.updates.length > 0 && now - track.updates[0] > AGE_RATE_WINDOW_MS) track.updates.shift();
    this.trace.push({ at: now, trackId, raw: latest.summary.age, fused: track.fused.summary.age, rawStd: latest.summary.std, fusedStd: track.fused.summary.std });
    if (this.trace.length > TRACE_LENGTH) this.trace.splice(0, this.trace.length - TRACE_LENGTH);
  }

  /** A face as the page shows it: where it is now, with its ages so far. */
  face(trackId: number, box: FaceBox, points5: FivePoints): LiveFace {
    const track = this.tracks.get(trackId);
    return { trackId, box, points5, latest: track?.latest, fused: track?.fused, ageUpdates: track?.count ?? 0 };
  }

  /** Age updates per second of a face over the last AGE_RATE_WINDOW_MS before `now`. */
  perSecond(trackId: number, now: number): number {
    const recent = this.tracks.get(trackId)?.updates.filter((t) => now - t <= AGE_RATE_WINDOW_MS) ?? [];
    return (recent.length * 1000) / AGE_RATE_WINDOW_MS;
  }

  /** A track that ended: its ages go with it (a new face there starts afresh). */
  forget(trackId: number): void {
    this.tracks.delete(trackId);
  }

  /** Every track forgotten; the trace is kept. */
  clear(): void {
    this.tracks.clear();
  }
}
