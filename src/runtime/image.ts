import type { Similarity } from '../geometry/points';

/**
 * The image shapes the pipeline passes around, independent of where the pixels come from (a
 * decoded photo, a video frame, a test's array): face alignment reads them, pixels.ts makes them.
 */

/** RGBA pixels, row by row (ImageData has this shape). */
export interface RgbaImage {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

/** A frame read region by region (only the pixels asked for are copied out). */
export interface RegionReader {
  width: number;
  height: number;
  read(x: number, y: number, width: number, height: number): RgbaImage;
  /**
   * The size² crop that `imageToCrop` maps the frame onto, resampled by the browser's 2D canvas
   * (bilinear; mipmapped when shrinking by 1.5× or more): several times faster than reading the
   * region and resampling it in JavaScript. Beyond the frame's edges it repeats them, as
   * warpToCrop does.
   */
  warp?(imageToCrop: Similarity, size: number): RgbaImage;
}
