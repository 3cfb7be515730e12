/**
 * Points, the five-point crop template and the similarity transform, shared by alignment (face/),
 * member manifests (age/) and the pixel readers that resample crops (runtime/).
 */
export type Point = readonly [number, number];

/** Similarity transform x' = a·x − b·y + tx, y' = b·x + a·y + ty (rotation, uniform scale, shift). */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

/** Where the five alignment points (eye centres, nose tip, mouth corners) go in the crop, in 0..1. */
export interface CropSpec {
  points: readonly [Point, Point, Point, Point, Point];
}
