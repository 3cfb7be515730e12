/**
 * Stable identities for faces in live video. Each frame's detections are matched to the tracks
 * of earlier frames by box overlap (greedy, best pair first), falling back to centre distance for
 * a face that moved fast; unmatched detections start new tracks. A track that is not seen is kept
 * for a short grace period, so a face lost for a few frames (a blink of the detector, a hand in
 * front) comes back under its old id with its age history. MediaPipe's video mode sometimes
 * reports one face twice (a tracked mesh and a fresh detection of the same face), and now and
 * then one large false mesh spanning two people; so before matching, a box that holds two other
 * faces is dropped, and boxes mostly inside one another are merged, keeping the one that
 * continues a track. Pure: no DOM, no MediaPipe.
 */
import { centreDistance, intersection, iou, type FaceBox } from '../geometry/box';
import type { FivePoints } from '../geometry/points';

export interface Detection {
  box: FaceBox;
  points5: FivePoints;
}

export interface Track extends Detection {
  id: number;
  /** When the face was first and last seen (caller's clock, ms). */
  firstSeen: number;
  lastSeen: number;
}

export interface TrackerOptions {
  /** How long a lost face keeps its id (ms). */
  graceMs?: number;
  /** Box IoU that makes a detection a candidate for a track. */
  minIou?: number;
  /** Otherwise, centre distance (in face sizes) that still counts as the same face. */
  maxCentreDistance?: number;
  /** Two detections sharing more than this of the smaller box's area are one face. */
  duplicateOverlap?: number;
}

/** A detection in another scale of the same image (k = new pixels per old pixel). */
export function scaleDetection(d: Detection, k: number): Detection {
  return {
    box: { x: d.box.x * k, y: d.box.y * k, width: d.box.width * k, height: d.box.height * k },
    points5: d.points5.map(([x, y]) => [x * k, y * k]) as unknown as FivePoints,
  };
}

const area = (b: FaceBox) => b.width * b.height;

/** Intersection as a share of the smaller box: 1 when one box lies inside the other. */
function overlapOfSmaller(a: FaceBox, b: FaceBox): number {
  const small = Math.min(area(a), area(b));
  return small > 0 ? intersection(a, b) / small : 0;
}

export class FaceTracker {
  private tracks: Track[] = [];
  private nextId = 1;
  private readonly graceMs: number;
  private readonly minIou: number;
  private readonly maxCentreDistance: number;
  private readonly duplicateOverlap: number;

  constructor(options: TrackerOptions = {}) {
    this.graceMs = options.graceMs ?? 700;
    this.minIou = options.minIou ?? 0.2;
    this.maxCentreDistance = options.maxCentreDistance ?? 0.4;
    this.duplicateOverlap = options.duplicateOverlap ?? 0.6;
  }

  /** Drops detections that repeat a face already kept, preferring those that continue a track. */
  private distinct(detections: readonly Detection[]): Detection[] {
    const holdsTwo = (d: Detection) => detections.filter((o) => o !== d && overlapOfSmaller(d.box, o.box) > this.duplicateOverlap && area(o.box) < area(d.box)).length >= 2;
    const continuity = (d: Detection) => Math.max(0, ...this.tracks.map((t) => iou(d.box, t.box)));
    const ranked = detections
      .map((d, i) => ({ d, i, c: continuity(d) }))
      .filter((r) => !holdsTwo(r.d))
      .sort((a, b) => b.c - a.c);
    const kept: typeof ranked = [];
    for (const r of ranked) if (kept.every((k) => overlapOfSmaller(k.d.box, r.d.box) <= this.duplicateOverlap)) kept.push(r);
    return kept.sort((a, b) => a.i - b.i).map((k) => k.d);
  }

  /**
   * Matches this frame's detections; returns the visible tracks in detection order and the ids
   * of tracks whose grace period ran out (gone for good).
   */
  update(all: readonly Detection[], now: number): { visible: Track[]; ended: number[] } {
    const detections = this.distinct(all);
    const ended = this.tracks.filter((t) => now - t.lastSeen > this.graceMs).map((t) => t.id);
    this.tracks = this.tracks.filter((t) => now - t.lastSeen <= this.graceMs);

    const pairs: { d: number; t: Track; score: number }[] = [];
    detections.forEach((det, d) => {
      for (const t of this.tracks) {
        const overlap = iou(det.box, t.box);
        const near = centreDistance(det.box, t.box);
        // IoU ranks first; a near centre without overlap ranks below any real overlap.
        if (overlap >= this.minIou) pairs.push({ d, t, score: 1 + overlap });
        else if (near <= this.maxCentreDistance) pairs.push({ d, t, score: 1 - near });
      }
    });
    pairs.sort((a, b) => b.score - a.score);

    const matched = new Map<number, Track>();
    const taken = new Set<Track>();
    for (const { d, t } of pairs) {
      if (matched.has(d) || taken.has(t)) continue;
      matched.set(d, t);
      taken.add(t);
    }

    const visible = detections.map((det, d) => {
      const t = matched.get(d);
      if (t) {
        t.box = det.box;
        t.points5 = det.points5;
        t.lastSeen = now;
        return t;
      }
      const track: Track = { ...det, id: this.nextId++, firstSeen: now, lastSeen: now };
      this.tracks.push(track);
      return track;
    });
    return { visible: visible.map((t) => ({ ...t })), ended };
  }

  /** Ids of all tracks still remembered (visible or within their grace period). */
  get activeIds(): number[] {
    return this.tracks.map((t) => t.id);
  }

  reset(): void {
    this.tracks = [];
  }
}
