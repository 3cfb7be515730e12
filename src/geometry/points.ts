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

/** Eye centres (the eye on the left of the picture first), nose tip, mouth corners (same order). */
export type FivePoints = readonly [Point, Point, Point, Point, Point];

/**
 * Default crop: the widely used 5-point template of 112-px face-recognition crops, shrunk about
 * the crop centre so hair, chin and some background stay in view as in APPA-REAL's crops.
 */
const TIGHT_TEMPLATE: FivePoints = [
  [0.3419, 0.4616],
  [0.6565, 0.4598],
  [0.5002, 0.6405],
  [0.371, 0.8247],
  [0.6315, 0.8232],
];
export const DEFAULT_CROP_SCALE = 0.55;
export const DEFAULT_CROP: CropSpec = {
  points: TIGHT_TEMPLATE.map(([x, y]) => [0.5 + (x - 0.5) * DEFAULT_CROP_SCALE, 0.5 + (y - 0.55) * DEFAULT_CROP_SCALE]) as unknown as FivePoints,
};
