/**
 * Finding small faces in big photos. MediaPipe's short-range face detector sees the image at
 * 128x128, so a face narrower than about a tenth of a group photo is missed. Photos are therefore
 * also searched in overlapping tiles (2x2 and 3x3), and the detections merged: one face per
 * place, preferring the finest tile that holds the whole face (it saw the face at the highest
 * resolution); each merged face then gets its final landmarks on a crop around it. Pure geometry,
 * no DOM.
 */
import { intersection, iou, type FaceBox } from '../geometry/box';

export { iou };

export type Tile = FaceBox;

/** Images smaller than this (longest side, px) are only searched whole. */
export const MIN_SIDE_FOR_TILES = 720;
/** Each tile is this much larger than an exact n×n split, so faces on a seam appear whole in a neighbour. */
const OVERLAP = 1.4;

/**
 * Images at least this much longer than high (or the reverse) are also searched in a row of
 * squarish tiles along the long side (stripTiles): the detector letterboxes a frame to a square,
 * so in a 4000x500 panorama a face as high as half the picture shrinks to a few pixels, in the
 * whole image and in every grid tile alike.
 */
export const EXTREME_ASPECT = 2.5;
/** A strip tile is this many times the short side long, and tiles start half a short side apart. */
const STRIP_LENGTH = 1.5;

/**
 * Whether a photo is searched beyond one landmark pass (a big photo, or an extreme aspect ratio):
 * the landmarker's 128-px detector would miss its small faces.
 */
export function needsSearch(width: number, height: number): boolean {
  return Math.max(width, height) >= MIN_SIDE_FOR_TILES || stripTiles(width, height).length > 0;
}

export function photoTiles(width: number, height: number, grids: readonly number[] = [2, 3]): Tile[] {
  const strips = stripTiles(width, height);
  if (Math.max(width, height) < MIN_SIDE_FOR_TILES) return strips;
  const tiles: Tile[] = [...strips];
  for (const n of grids) {
    const w = Math.min(width, Math.round((width / n) * OVERLAP));
    const h = Math.min(height, Math.round((height / n) * OVERLAP));
    for (let row = 0; row < n; row++) {
      for (let col = 0; col < n; col++) {
        tiles.push({
          x: Math.round(((width - w) * col) / (n - 1)),
          y: Math.round(((height - h) * row) / (n - 1)),
          width: w,
          height: h,
        });
      }
    }
  }
  return tiles;
}

/**
 * For an extreme aspect ratio (EXTREME_ASPECT), tiles the full short side high and 1.5 short
 * sides long, evenly spaced along the long side at most half a short side apart: every face up to
 * the short side lies whole in one of them. None for other images.
 */
export function stripTiles(width: number, height: number): Tile[] {
  const long = Math.max(width, height), short = Math.min(width, height);
  if (short <= 0 || long / short < EXTREME_ASPECT) return [];
  const length = Math.min(long, Math.round(short * STRIP_LENGTH));
  const count = Math.ceil((long - length) / (short / 2)) + 1;
  const tiles: Tile[] = [];
  for (let i = 0; i < count; i++) {
    const start = Math.round(((long - length) * i) / (count - 1));
    tiles.push(width >= height ? { x: start, y: 0, width: length, height } : { x: 0, y: start, width, height: length });
  }
  return tiles;
}

/** True when the face box reaches within `margin` (fraction of the tile side) of a tile edge that is not an image edge. */
export function cutByTileEdge(box: FaceBox, tile: Tile, imageWidth: number, imageHeight: number, margin = 0.02): boolean {
  const mx = tile.width * margin, my = tile.height * margin;
  return (
    (tile.x > 0 && box.x < tile.x + mx) ||
    (tile.y > 0 && box.y < tile.y + my) ||
    (tile.x + tile.width < imageWidth && box.x + box.width > tile.x + tile.width - mx) ||
    (tile.y + tile.height < imageHeight && box.y + box.height > tile.y + tile.height - my)
  );
}

/** Intersection over the smaller box's area: 1 when one box lies inside the other. */
export function overlapOfSmaller(a: FaceBox, b: FaceBox): number {
  const smaller = Math.min(a.width * a.height, b.width * b.height);
  return smaller > 0 ? intersection(a, b) / smaller : 0;
}

/**
 * Merges detections from the whole image and from tiles. `tileArea` ranks them: the smallest
 * tile (highest resolution) wins where several are one face: overlapping by more than
 * `maxOverlap` IoU, or one lying mostly (`maxContained`) inside the other, as a coarse box from
 * the scaled-down whole photo does around the finer box of the same face.
 */
export function mergeFaces<T extends { box: FaceBox; tileArea: number }>(faces: readonly T[], maxOverlap = 0.3, maxContained = 0.6): T[] {
  const kept: T[] = [];
  for (const face of [...faces].sort((a, b) => a.tileArea - b.tileArea)) {
    if (kept.every((k) => iou(k.box, face.box) <= maxOverlap && overlapOfSmaller(k.box, face.box) <= maxContained)) kept.push(face);
  }
  // Reading order (top-to-bottom bands, then left-to-right) so face numbers are stable.
  return kept.sort((a, b) => a.box.x - b.box.x || a.box.y - b.box.y);
}

/**
 * Longest side (px) of the scaled copy of a photo or tile searched for faces. MediaPipe's detector
 * sees 128x128, so 2.5x that keeps every face it can find, while the copy and MediaPipe's own
 * conversion of it stay cheap (a full-resolution 900-px tile costs several times more).
 */
export const DETECTION_SIDE = 320;

/** Size of the scaled copy of a width × height region for the detector (never enlarged). */
export function detectionSize(width: number, height: number, side = DETECTION_SIDE): { width: number; height: number } {
  const scale = Math.min(1, side / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** How much larger than the face box the refinement crop is (see FaceLandmarks.refine). */
export const REFINE_CONTEXT = 2.5;

/**
 * The square (clamped to the image) around a face for a second landmark pass, or undefined when
 * it would be most of the image anyway (a big face: the first pass already saw it well). In an
 * image of extreme aspect ratio a big face gets the square as high as the image instead.
 */
export function refinementRegion(box: FaceBox, width: number, height: number, context = REFINE_CONTEXT): Tile | undefined {
  const short = Math.min(width, height);
  let side = Math.round(Math.max(box.width, box.height) * context);
  if (side >= 0.8 * short) {
    // In a panorama "the whole image" is no refinement: a square as high as the image is.
    if (Math.max(width, height) / short < EXTREME_ASPECT) return undefined;
    side = short;
  }
  const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
  const x = Math.round(Math.min(Math.max(cx - side / 2, 0), width - side));
  const y = Math.round(Math.min(Math.max(cy - side / 2, 0), height - side));
  return { x, y, width: side, height: side };
}
