/** Points and the five-point crop template, shared by alignment (face/) and member manifests (age/). */
export type Point = readonly [number, number];

/** Where the five alignment points (eye centres, nose tip, mouth corners) go in the crop, in 0..1. */
export interface CropSpec {
  points: readonly [Point, Point, Point, Point, Point];
}
