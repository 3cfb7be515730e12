/** Test helper: the similarity that rotates by `angle` (radians), scales by `scale`, then shifts by (tx, ty). */
import type { Similarity } from '../geometry/points';

export const rotScale = (angle: number, scale: number, tx: number, ty: number): Similarity => ({
  a: scale * Math.cos(angle),
  b: scale * Math.sin(angle),
  tx,
  ty,
});
