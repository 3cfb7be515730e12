/**
 * Temporal fusion of one tracked face's age distributions (live video). Each frame's ensemble
 * output is read as a likelihood over ages 0..100, and the fused distribution is a product of
 * the frames' likelihoods in which older frames are forgotten exponentially (a Bayesian filter
 * with a random-walk prior, in log space):
 *
 *   log fused_t = s_t · L_t,   L_t = (d·w_{t-1}·L_{t-1} + log p_t) / w_t,   w_t = d·w_{t-1} + 1,
 *   d = 2^(-Δt / halfLife),    s_t = min(w_t, maxEvidence).
 *
 * L_t is the forgetting-weighted mean log-likelihood and w_t the number of frames it holds. With
 * s_t = w_t this is exactly the product of the last frames' likelihoods. Frames of a face that
 * stands still are strongly correlated (same face, same pose), so treating 20 of them as 20
 * independent observations would make the spread collapse to well under a year, a precision no
 * apparent-age estimate has; the evidence is therefore capped at `maxEvidence` frames: the
 * spread narrows by up to √maxEvidence, while the averaging over the half-life removes the
 * frame-to-frame jitter. A new person in the same place (the track id survives) is caught by a
 * change test: when several frames in a row disagree with the fused estimate by more than
 * `changeZ` combined standard deviations, the filter restarts from the newest frame.
 * Pure and DOM-free.
 */
import { AGE_BINS, summarize, type AgeEstimateKind, type AgeSummary } from './distribution';

export interface AgeFilterOptions {
  /** Time (ms) after which a frame counts half as much as a new one. */
  halfLifeMs?: number;
  /** Most frames' worth of evidence the fused distribution may hold (sharpening cap). */
  maxEvidence?: number;
  /** Disagreement (in combined std) that counts as evidence of a different person. */
  changeZ?: number;
  /** That many disagreeing frames in a row restart the filter. */
  changeFrames?: number;
}

/** Probabilities below this are clamped before the log, so one frame's zero cannot veto an age. */
const FLOOR = 1e-6;

export interface FusedAge {
  distribution: Float32Array;
  summary: AgeSummary;
  /** Frames' worth of evidence behind the fused estimate (w_t). */
  frames: number;
  /** True when this frame restarted the filter (first frame, or a change of person). */
  restarted: boolean;
}

export class AgeFilter {
  private meanLog: Float64Array | null = null;
  private weight = 0;
  private lastAt = 0;
  private fused: AgeSummary | null = null;
  private disagreements = 0;
  private readonly halfLifeMs: number;
  private readonly maxEvidence: number;
  private readonly changeZ: number;
  private readonly changeFrames: number;

  constructor(options: AgeFilterOptions = {}) {
    this.halfLifeMs = options.halfLifeMs ?? 2500;
    this.maxEvidence = options.maxEvidence ?? 3;
    this.changeZ = options.changeZ ?? 2.5;
    this.changeFrames = options.changeFrames ?? 3;
  }

  /** Folds in one frame's distribution (length AGE_BINS) seen at `now` (ms); `estimate` picks the fused summary's age. */
  update(frame: ArrayLike<number>, now: number, estimate: AgeEstimateKind = 'mean'): FusedAge {
    if (frame.length !== AGE_BINS) throw new Error(`expected ${AGE_BINS} bins, got ${frame.length}`);
    const latest = summarize(frame);
    let restarted = this.meanLog === null;
    if (this.fused) {
      const z = Math.abs(latest.mean - this.fused.mean) / Math.hypot(latest.std, this.fused.std);
      this.disagreements = z > this.changeZ ? this.disagreements + 1 : 0;
      if (this.disagreements >= this.changeFrames) restarted = true;
    }
    if (restarted || !this.meanLog) {
      this.meanLog = new Float64Array(AGE_BINS);
      this.weight = 0;
      this.disagreements = 0;
    }
    const decay = this.weight > 0 ? 2 ** (-Math.max(0, now - this.lastAt) / this.halfLifeMs) : 0;
    const weight = decay * this.weight + 1;
    for (let i = 0; i < AGE_BINS; i++) {
      this.meanLog[i] = (decay * this.weight * this.meanLog[i] + Math.log(Math.max(frame[i], FLOOR))) / weight;
    }
    this.weight = weight;
    this.lastAt = now;

    const sharpen = Math.min(weight, this.maxEvidence);
    let peak = -Infinity;
    for (let i = 0; i < AGE_BINS; i++) peak = Math.max(peak, this.meanLog[i]);
    const distribution = new Float32Array(AGE_BINS);
    let total = 0;
    for (let i = 0; i < AGE_BINS; i++) total += distribution[i] = Math.exp(sharpen * (this.meanLog[i] - peak));
    for (let i = 0; i < AGE_BINS; i++) distribution[i] /= total;
    this.fused = summarize(distribution, estimate);
    return { distribution, summary: this.fused, frames: weight, restarted };
  }

  reset(): void {
    this.meanLog = null;
    this.weight = 0;
    this.fused = null;
    this.disagreements = 0;
  }
}
