/**
 * An ImageBitmap's RGBA pixels, in a worker. One OffscreenCanvas is kept and reused while frames
 * keep their size (a webcam's frames, a dataset's crops), so reading pixels allocates no canvas.
 */
import type { Similarity } from '../geometry/points';
import { SMOOTHING_SHRINK } from './cropWarp';
import type { RegionReader } from './image';

let canvas: OffscreenCanvas | undefined;

/** The shared canvas's context with `frame` drawn on it at (0, 0). */
function drawn(frame: ImageBitmap): OffscreenCanvasRenderingContext2D {
  if (!canvas || canvas.width !== frame.width || canvas.height !== frame.height) {
    canvas = new OffscreenCanvas(frame.width, frame.height);
  }
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('2D canvas is not available in this browser');
  ctx.drawImage(frame, 0, 0);
  return ctx;
}

export function pixelsOf(frame: ImageBitmap): ImageData {
  return drawn(frame).getImageData(0, 0, frame.width, frame.height);
}

/**
 * The frame read region by region, only around the faces: for a 1920-px photo, drawing and reading
 * every pixel cost more than aligning all its faces. Each region is copied 1:1 (whole pixels, no
 * scaling), so its pixels are the frame's own. The frame must stay open while regions are read.
 */
export function regionsOf(frame: ImageBitmap): RegionReader {
  return {
    width: frame.width,
    height: frame.height,
    read: (x, y, width, height) => {
      const region = new OffscreenCanvas(width, height);
      const ctx = region.getContext('2d', { willReadFrequently: true });
      if (!ctx) throw new Error('2D canvas is not available in this browser');
      ctx.drawImage(frame, x, y, width, height, 0, 0, width, height);
      return ctx.getImageData(0, 0, width, height);
    },
    warp: (imageToCrop, size) => warpOnCanvas(frame, imageToCrop, size),
  };
}

let warpCanvas: OffscreenCanvas | undefined;

/** RegionReader.warp: the frame drawn through the transform onto a size² canvas, read back. */
function warpOnCanvas(frame: ImageBitmap, { a, b, tx, ty }: Similarity, size: number): ImageData {
  if (!warpCanvas || warpCanvas.width !== size || warpCanvas.height !== size) warpCanvas = new OffscreenCanvas(size, size);
  const ctx = warpCanvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('2D canvas is not available in this browser');
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, size, size);
  // Image pixels per crop pixel: plain bilinear up to SMOOTHING_SHRINK (as warpToCrop, which
  // averages several bilinear samples beyond that), mipmapped beyond.
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 1 / Math.hypot(a, b) < SMOOTHING_SHRINK ? 'low' : 'medium';
  ctx.setTransform(a, b, -b, a, tx, ty);
  drawWithRepeatedEdges(ctx, frame, (2 * size) / Math.hypot(a, b));
  return ctx.getImageData(0, 0, size, size);
}

/**
 * The frame, and beyond its edges its outermost rows, columns and corner pixels stretched outward
 * by `reach` pixels: the crop of a face near the border sees the edge repeated, as warpToCrop's
 * clamped samples do, instead of transparent black. The strips go first so that the frame's own
 * anti-aliased border lands on colours that match it. Strips that miss the crop cost nothing.
 */
function drawWithRepeatedEdges(ctx: OffscreenCanvasRenderingContext2D, frame: ImageBitmap, reach: number): void {
  const { width: w, height: h } = frame;
  const r = reach + Math.max(w, h);
  ctx.drawImage(frame, 0, 0, 1, h, -r, 0, r, h);
  ctx.drawImage(frame, w - 1, 0, 1, h, w, 0, r, h);
  ctx.drawImage(frame, 0, 0, w, 1, 0, -r, w, r);
  ctx.drawImage(frame, 0, h - 1, w, 1, 0, h, w, r);
  ctx.drawImage(frame, 0, 0, 1, 1, -r, -r, r, r);
  ctx.drawImage(frame, w - 1, 0, 1, 1, w, -r, r, r);
  ctx.drawImage(frame, 0, h - 1, 1, 1, -r, h, r, r);
  ctx.drawImage(frame, w - 1, h - 1, 1, 1, w, h, r, r);
  ctx.drawImage(frame, 0, 0);
}
