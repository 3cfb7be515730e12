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
}
