/**
 * Temporal fusion for live video: the same person seen in consecutive frames should not get a
 * jumpy estimate. Faces are matched to tracks by box overlap, and each track keeps an
 * exponential moving average of its distributions (the ensemble's and every member's), which is
 * again a distribution. Pure and DOM-free.
 */
import { iou } from '../face/tiles';
import type { FaceBox } from '../face/landmarker';

export interface FusionInput {
  box: FaceBox;
  /** Distributions to smooth together (ensemble first, then members); all the same length. */
  distributions: readonly Float32Array[];
}

interface Track {
  id: number;
  box: FaceBox;
  distributions: Float32Array[];
  lastSeen: number;
}

export class TemporalFusion {
  private tracks: Track[] = [];
  private nextId = 1;

  /**
   * @param alpha weight of the newest frame (1 = no smoothing). 0.35 settles within about five
   *   frames, about a second at the webcam rates measured here.
   * @param forgetMs a track unseen for this long is dropped (the person left).
   * @param minOverlap box IoU needed to call two detections the same face.
   */
  constructor(
    private readonly alpha = 0.35,
    private readonly forgetMs = 1500,
    private readonly minOverlap = 0.3,
  ) {}

  /** Smoothed distributions for this frame's faces, in input order, with stable track ids. */
  update(faces: readonly FusionInput[], now: number): { trackId: number; distributions: Float32Array[] }[] {
    this.tracks = this.tracks.filter((t) => now - t.lastSeen <= this.forgetMs);
    const free = new Set(this.tracks);
    return faces.map((face) => {
      let best: Track | undefined;
      for (const t of free) if (iou(t.box, face.box) > (best ? iou(best.box, face.box) : this.minOverlap)) best = t;
      if (!best || best.distributions.length !== face.distributions.length) {
        const track = { id: this.nextId++, box: face.box, distributions: face.distributions.map((d) => Float32Array.from(d)), lastSeen: now };
        this.tracks.push(track);
        return { trackId: track.id, distributions: track.distributions.map((d) => Float32Array.from(d)) };
      }
      free.delete(best);
      best.box = face.box;
      best.lastSeen = now;
      best.distributions = best.distributions.map((old, k) => {
        const fresh = face.distributions[k];
        return old.map((p, i) => (1 - this.alpha) * p + this.alpha * fresh[i]);
      });
      return { trackId: best.id, distributions: best.distributions.map((d) => Float32Array.from(d)) };
    });
  }

  reset(): void {
    this.tracks = [];
  }
}
