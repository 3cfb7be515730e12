/**
 * A face's crop resampled out of a frame through its alignment transform: Float32 RGB, 0..255, HWC,
 * the members' input. In JavaScript (any RgbaImage, Node tests included) or through a
 * RegionReader, which reads only the crop's footprint or lets the browser's canvas resample it.
 */
import type { Similarity } from '../geometry/points';
import { applySimilarity, invertSimilarity, shiftSimilarity } from '../geometry/similarity';
import type { RegionReader, RgbaImage } from './image';

/**
 * Image pixels per crop pixel beyond which one bilinear sample per crop pixel would alias: from
 * there warpToCrop averages several and the canvas (pixels.ts) mipmaps.
 */
export const SMOOTHING_SHRINK = 1.5;

/**
 * Resamples `image` into a size×size RGB crop (Float32, 0..255, HWC) through `imageToCrop`.
 * Bilinear; when the face is being shrunk by more than 1.5x, several bilinear samples per output
 * pixel are averaged so small crops of big faces do not alias. Outside the image is edge-clamped,
 * as a replicate border keeps the network from seeing hard black edges.
 */
export function warpToCrop(image: RgbaImage, imageToCrop: Similarity, size: number): Float32Array {
  const inv = invertSimilarity(imageToCrop);
  const scale = Math.hypot(inv.a, inv.b); // image pixels per crop pixel
  const k = Math.min(4, Math.max(1, Math.round(scale / SMOOTHING_SHRINK + 0.49)));
  const out = new Float32Array(size * size * 3);
  const { data, width, height } = image;
  const px = [0, 0, 0];
  const sample = (x: number, y: number) => {
    const cx = Math.min(Math.max(x, 0), width - 1);
    const cy = Math.min(Math.max(y, 0), height - 1);
    const x0 = Math.floor(cx), y0 = Math.floor(cy);
    const x1 = Math.min(x0 + 1, width - 1), y1 = Math.min(y0 + 1, height - 1);
    const fx = cx - x0, fy = cy - y0;
    const i00 = (y0 * width + x0) * 4, i01 = (y0 * width + x1) * 4;
    const i10 = (y1 * width + x0) * 4, i11 = (y1 * width + x1) * 4;
    for (let c = 0; c < 3; c++) {
      const top = data[i00 + c] + (data[i01 + c] - data[i00 + c]) * fx;
      const bottom = data[i10 + c] + (data[i11 + c] - data[i10 + c]) * fx;
      px[c] += top + (bottom - top) * fy;
    }
  };
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      px[0] = px[1] = px[2] = 0;
      for (let j = 0; j < k; j++) {
        for (let i = 0; i < k; i++) {
          // Sample at sub-pixel centres; the +0.5/−0.5 keeps pixel centres aligned.
          const cu = u + (i + 0.5) / k, cv = v + (j + 0.5) / k;
          sample(inv.a * cu - inv.b * cv + inv.tx - 0.5, inv.b * cu + inv.a * cv + inv.ty - 0.5);
        }
      }
      const o = (v * size + u) * 3;
      const n = k * k;
      out[o] = px[0] / n;
      out[o + 1] = px[1] / n;
      out[o + 2] = px[2] / n;
    }
  }
  return out;
}

/**
 * The pixels warpToCrop reads for a crop: the bounding box of the crop's corners mapped back into
 * the image, widened by 2 px for bilinear neighbours and clamped to the image. Reading only this
 * region (warpRegionToCrop) gives the very same crop as reading the whole image.
 */
export function cropFootprint(imageToCrop: Similarity, size: number, width: number, height: number): { x: number; y: number; width: number; height: number } {
  const inv = invertSimilarity(imageToCrop);
  const corners = [[0, 0], [size, 0], [0, size], [size, size]].map(([u, v]) => applySimilarity(inv, [u, v]));
  const clampX = (x: number) => Math.min(Math.max(x, 0), width - 1);
  const clampY = (y: number) => Math.min(Math.max(y, 0), height - 1);
  const x0 = clampX(Math.floor(Math.min(...corners.map((c) => c[0])) - 2)), x1 = clampX(Math.ceil(Math.max(...corners.map((c) => c[0])) + 2));
  const y0 = clampY(Math.floor(Math.min(...corners.map((c) => c[1])) - 2)), y1 = clampY(Math.ceil(Math.max(...corners.map((c) => c[1])) + 2));
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/**
 * warpToCrop on a RegionReader: reads only the crop's footprint. Identical to warping the whole
 * image (samples are clamped to the image's edges, which the footprint keeps when it reaches them).
 * The reader resamples the crop itself when it can (RegionReader.warp, the browser's canvas: the
 * same bilinear up to 8-bit rounding, several times faster).
 */
export function warpRegionToCrop(source: RegionReader | RgbaImage, imageToCrop: Similarity, size: number): Float32Array {
  if (!('read' in source)) return warpToCrop(source, imageToCrop, size);
  if (source.warp) return rgbOf(source.warp(imageToCrop, size));
  const region = cropFootprint(imageToCrop, size, source.width, source.height);
  return warpToCrop(source.read(region.x, region.y, region.width, region.height), shiftSimilarity(imageToCrop, region.x, region.y), size);
}

/** RGBA pixels → Float32 RGB (HWC, 0..255), the crops' format. */
export function rgbOf({ data, width, height }: RgbaImage): Float32Array {
  const out = new Float32Array(width * height * 3);
  for (let i = 0, o = 0; i < width * height * 4; i += 4, o += 3) {
    out[o] = data[i];
    out[o + 1] = data[i + 1];
    out[o + 2] = data[i + 2];
  }
  return out;
}
