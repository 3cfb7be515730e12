/**
 * Second tries for an image in which the landmarker found no face. MediaPipe's short-range
 * detector works on a 128x128 copy of the whole frame and misses some faces that fill most of it
 * (tight face crops such as APPA-REAL's): placing the image in the middle of a larger square canvas
 * makes the face smaller relative to the frame, and the detector then finds it; some faces it
 * finds only mirrored or turned. Pure geometry, no DOM: the image-to-canvas transform of each try
 * and its inverse.
 */
import type { Point } from '../geometry/points';

/** A 2-D affine map in canvas setTransform order: x' = a·x + c·y + e, y' = b·x + d·y + f. */
export interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

export interface PadView {
  /** Canvas side as a multiple of the image's longest side. */
  factor: number;
  /** Mirror the image left-right. */
  mirror?: boolean;
  /** Turn the image by this many degrees (clockwise on screen) about its centre. */
  degrees?: number;
  /** CSS colour around the image. Default mid grey. */
  fill?: string;
}

/**
 * The tries. On the 10 of APPA-REAL's 1500 valid crops that the plain pass misses, grey padding
 * of 1.25-2x finds 7 (two of them only mirrored), and one more only mirrored in a white 1.5x frame;
 * turning by ±25° found nothing new. All are tried and their faces merged (a view can also find a
 * second person the others miss), about 10-20 ms a view on a 256-px crop.
 */
export const PAD_VIEWS: readonly PadView[] = [
  { factor: 1.25 },
  { factor: 1.5 },
  { factor: 2 },
  { factor: 1.25, mirror: true },
  { factor: 1.5, mirror: true },
  { factor: 2, mirror: true },
  { factor: 1.5, mirror: true, fill: '#ffffff' },
];

/** Longest side (px) of a padded canvas; the detector sees 128 px anyway. */
export const PAD_CANVAS_SIDE = 384;

/** Canvas side (px) and the image-to-canvas map for one try on a width × height image. */
export function padTransform(width: number, height: number, view: PadView, maxSide = PAD_CANVAS_SIDE): { side: number; toCanvas: Affine } {
  if (!(view.factor >= 1)) throw new Error(`padding factor must be at least 1 (got ${view.factor})`);
  const sideInImage = Math.max(width, height) * view.factor;
  const side = Math.max(1, Math.round(Math.min(maxSide, sideInImage)));
  const s = side / sideInImage; // canvas pixels per image pixel
  const angle = ((view.degrees ?? 0) * Math.PI) / 180;
  const cos = Math.cos(angle) * s, sin = Math.sin(angle) * s;
  const m = view.mirror ? -1 : 1;
  // Centre the image at the origin, mirror, turn and scale, then move to the canvas centre.
  const cx = width / 2, cy = height / 2;
  return {
    side,
    toCanvas: { a: m * cos, b: m * sin, c: -sin, d: cos, e: side / 2 - m * cos * cx + sin * cy, f: side / 2 - m * sin * cx - cos * cy },
  };
}

export function applyAffine(t: Affine, [x, y]: Point): Point {
  return [t.a * x + t.c * y + t.e, t.b * x + t.d * y + t.f];
}

export function invertAffine(t: Affine): Affine {
  const det = t.a * t.d - t.b * t.c;
  if (det === 0) throw new Error('degenerate affine map');
  const a = t.d / det, b = -t.b / det, c = -t.c / det, d = t.a / det;
  return { a, b, c, d, e: -(a * t.e + c * t.f), f: -(b * t.e + d * t.f) };
}
