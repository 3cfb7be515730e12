/**
 * Similarity transforms (rotation, uniform scale, shift) on plain points: fitted to point pairs,
 * applied, inverted, shifted; and the one that aligns a face's five points with a crop template.
 */
import type { CropSpec, FivePoints, Point, Similarity } from './points';

export function applySimilarity(t: Similarity, [x, y]: Point): Point {
  return [t.a * x - t.b * y + t.tx, t.b * x + t.a * y + t.ty];
}

export function invertSimilarity(t: Similarity): Similarity {
  const d = t.a * t.a + t.b * t.b;
  if (d === 0) throw new Error('degenerate similarity transform');
  const a = t.a / d;
  const b = -t.b / d;
  return { a, b, tx: -(a * t.tx - b * t.ty), ty: -(b * t.tx + a * t.ty) };
}

/**
 * Least-squares similarity mapping src onto dst (closed form, Umeyama 1991 restricted to 2-D
 * without reflection). Needs at least two distinct source points.
 */
export function fitSimilarity(src: readonly Point[], dst: readonly Point[]): Similarity {
  if (src.length !== dst.length || src.length < 2) throw new Error('need ≥ 2 matching point pairs');
  const n = src.length;
  let sx = 0, sy = 0, dx = 0, dy = 0;
  for (let i = 0; i < n; i++) {
    sx += src[i][0]; sy += src[i][1]; dx += dst[i][0]; dy += dst[i][1];
  }
  sx /= n; sy /= n; dx /= n; dy /= n;
  let num_a = 0, num_b = 0, den = 0;
  for (let i = 0; i < n; i++) {
    const ux = src[i][0] - sx, uy = src[i][1] - sy;
    const vx = dst[i][0] - dx, vy = dst[i][1] - dy;
    num_a += ux * vx + uy * vy;
    num_b += ux * vy - uy * vx;
    den += ux * ux + uy * uy;
  }
  if (den === 0) throw new Error('source points coincide');
  const a = num_a / den;
  const b = num_b / den;
  return { a, b, tx: dx - (a * sx - b * sy), ty: dy - (b * sx + a * sy) };
}

/** The transform from image pixels to crop pixels that puts the five points on the template. */
export function alignmentTransform(points: FivePoints, crop: CropSpec, size: number): Similarity {
  return fitSimilarity(points, crop.points.map(([x, y]) => [x * size, y * size] as const));
}

/** The same transform for an image cut out of this one at (dx, dy): x_cut = x − dx. */
export function shiftSimilarity(t: Similarity, dx: number, dy: number): Similarity {
  return { a: t.a, b: t.b, tx: t.tx + t.a * dx - t.b * dy, ty: t.ty + t.b * dx + t.a * dy };
}
