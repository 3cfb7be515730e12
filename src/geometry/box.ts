/**
 * Axis-aligned boxes in image pixels, shared by face finding, tracking and drawing. Pure geometry:
 * a small module at the bottom of the dependency graph so face/ and age/ can both use it.
 */
export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Area of the boxes' overlap. */
export function intersection(a: FaceBox, b: FaceBox): number {
  const ix = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  return ix * iy;
}

/** Intersection over union, 0 for disjoint boxes. */
export function iou(a: FaceBox, b: FaceBox): number {
  const inter = intersection(a, b);
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

/** Distance between the boxes' centres, in units of the larger box's longer side. */
export function centreDistance(a: FaceBox, b: FaceBox): number {
  const dx = a.x + a.width / 2 - (b.x + b.width / 2);
  const dy = a.y + a.height / 2 - (b.y + b.height / 2);
  const side = Math.max(a.width, a.height, b.width, b.height);
  return side > 0 ? Math.hypot(dx, dy) / side : Infinity;
}

/**
 * Whether every point lies inside a width × height frame, allowing `margin` (a share of the
 * frame's sides) beyond its edges.
 */
export function pointsInside(points: readonly (readonly [number, number])[], width: number, height: number, margin = 0.02): boolean {
  const mx = width * margin, my = height * margin;
  return points.every(([x, y]) => x >= -mx && y >= -my && x <= width + mx && y <= height + my);
}

/**
 * A box in the pixels of a `size` copy of `region` (a scaled-down crop a detector saw) mapped back
 * into the frame `region` was cut from.
 */
export function boxInRegion(box: FaceBox, size: { width: number; height: number }, region: FaceBox): FaceBox {
  const sx = region.width / size.width, sy = region.height / size.height;
  return { x: region.x + box.x * sx, y: region.y + box.y * sy, width: box.width * sx, height: box.height * sy };
}
