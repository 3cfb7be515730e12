/**
 * DADL-style face alignment: five landmarks (eye centres, nose tip, mouth corners) are mapped onto a
 * canonical template by a least-squares similarity transform, and the face is resampled into the
 * square crop a model expects. Pure math on plain arrays, so Node tests and the worker share it.
 */
import type { CropSpec, Point, Similarity } from '../geometry/points';
import type { RegionReader, RgbaImage } from '../runtime/image';

export type { RegionReader, RgbaImage, Similarity };

export type FivePoints = readonly [Point, Point, Point, Point, Point];

/**
 * MediaPipe face-mesh indices for the five points, in image order (the eye that appears on the
 * left of the picture first). The v1 mesh has no iris points, so eye centres are the mean of
 * each eye's corners and lid midpoints.
 */
export const MESH_EYE_IMAGE_LEFT = [33, 133, 159, 145] as const;
export const MESH_EYE_IMAGE_RIGHT = [263, 362, 386, 374] as const;
export const MESH_NOSE_TIP = 1;
export const MESH_MOUTH_IMAGE_LEFT = 61;
export const MESH_MOUTH_IMAGE_RIGHT = 291;

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

export function fivePointsFromMesh(landmarks: readonly { x: number; y: number }[], width = 1, height = 1): FivePoints {
  const at = (i: number): Point => {
    const p = landmarks[i];
    if (!p) throw new Error(`landmark ${i} missing (got ${landmarks.length})`);
    return [p.x * width, p.y * height];
  };
  const mean = (ids: readonly number[]): Point => {
    const pts = ids.map(at);
    return [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
  };
  return [
    mean(MESH_EYE_IMAGE_LEFT),
    mean(MESH_EYE_IMAGE_RIGHT),
    at(MESH_NOSE_TIP),
    at(MESH_MOUTH_IMAGE_LEFT),
    at(MESH_MOUTH_IMAGE_RIGHT),
  ];
}

export function applySimilarity(t: Similarity, [x, y]: Point): Point {
  return [t.a * x - t.b * y + t.tx, t.b * x + t.a * y + t.ty];
}

export function invertSimilarity(t: Similarity): Similarity {
  const d = t.a * t.a + t.b * t.b;
  if (d === 0) throw new Error('degenerate similarity transform');
  const a = t.a / d;
  const b = -t.b / d;
  return { a, b, tx: -(a * t.tx - b * t.ty), ty: -(b * t.tx + a * t.ty) };
}

/**
 * Least-squares similarity mapping src onto dst (closed form, Umeyama 1991 restricted to 2-D
 * without reflection). Needs at least two distinct source points.
 */
export function fitSimilarity(src: readonly Point[], dst: readonly Point[]): Similarity {
  if (src.length !== dst.length || src.length < 2) throw new Error('need ≥ 2 matching point pairs');
  const n = src.length;
  let sx = 0, sy = 0, dx = 0, dy = 0;
  for (let i = 0; i < n; i++) {
    sx += src[i][0]; sy += src[i][1]; dx += dst[i][0]; dy += dst[i][1];
  }
  sx /= n; sy /= n; dx /= n; dy /= n;
  let num_a = 0, num_b = 0, den = 0;
  for (let i = 0; i < n; i++) {
    const ux = src[i][0] - sx, uy = src[i][1] - sy;
    const vx = dst[i][0] - dx, vy = dst[i][1] - dy;
    num_a += ux * vx + uy * vy;
    num_b += ux * vy - uy * vx;
    den += ux * ux + uy * uy;
  }
  if (den === 0) throw new Error('source points coincide');
  const a = num_a / den;
  const b = num_b / den;
  return { a, b, tx: dx - (a * sx - b * sy), ty: dy - (b * sx + a * sy) };
}

/** The transform from image pixels to crop pixels that puts the five points on the template. */
export function alignmentTransform(points: FivePoints, crop: CropSpec, size: number): Similarity {
  return fitSimilarity(points, crop.points.map(([x, y]) => [x * size, y * size] as const));
}

/**
 * Resamples `image` into a size×size RGB crop (Float32, 0..255, HWC) through `imageToCrop`.
 * Bilinear; when the face is being shrunk by more than 1.5x, several bilinear samples per output
 * pixel are averaged so small crops of big faces do not alias. Outside the image is edge-clamped,
 * as a replicate border keeps the network from seeing hard black edges.
 */
export function warpToCrop(image: RgbaImage, imageToCrop: Similarity, size: number): Float32Array {
  const inv = invertSimilarity(imageToCrop);
  const scale = Math.hypot(inv.a, inv.b); // image pixels per crop pixel
  const k = Math.min(4, Math.max(1, Math.round(scale / 1.5 + 0.49)));
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
 * region (see readsRegion) gives the very same crop as reading the whole image.
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

/** The same transform for an image cut out of this one at (dx, dy): x_cut = x − dx. */
export function shiftSimilarity(t: Similarity, dx: number, dy: number): Similarity {
  return { a: t.a, b: t.b, tx: t.tx + t.a * dx - t.b * dy, ty: t.ty + t.b * dx + t.a * dy };
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
