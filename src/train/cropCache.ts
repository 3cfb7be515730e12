/**
 * The training page's crop cache: each photo's aligned crop per crop spec, stored in IndexedDB as
 * a JPEG under the photo's SHA-256, so preprocessing a dataset again (or resuming) skips the
 * landmarks and alignment of every photo seen before.
 */
import { alignmentTransform } from '../geometry/similarity';
import { rgbOf, warpToCrop } from '../runtime/cropWarp';
import type { CropSpec } from '../geometry/points';
import { centralFace } from '../face/central';
import type { FaceLandmarks } from '../face/landmarker';
import { pixelsOf } from '../runtime/pixels';
import type { CachedCrop } from '../store/db';

export async function sha256(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Float RGB crop → JPEG Blob (what the cache stores and the thumbnails show). */
export async function encodeCrop(crop: Float32Array, size: number): Promise<Blob> {
  const rgba = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    rgba[i * 4] = crop[i * 3];
    rgba[i * 4 + 1] = crop[i * 3 + 1];
    rgba[i * 4 + 2] = crop[i * 3 + 2];
    rgba[i * 4 + 3] = 255;
  }
  const canvas = new OffscreenCanvas(size, size);
  canvas.getContext('2d')!.putImageData(new ImageData(rgba, size, size), 0, 0);
  return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.95 });
}

/** A cached JPEG crop → Float RGB (HWC, 0..255), as the members take it. */
export async function decodeCrop(blob: Blob): Promise<Float32Array> {
  const bitmap = await createImageBitmap(blob);
  try {
    return rgbOf(pixelsOf(bitmap));
  } finally {
    bitmap.close();
  }
}

/**
 * The cache entry for one photo and crop spec: its central face aligned into a size² crop, or
 * why it was rejected (not an image, no face).
 */
export async function alignPhoto(landmarks: FaceLandmarks, file: Blob, key: string, size: number, crop: CropSpec): Promise<CachedCrop> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return { key, rejected: 'not an image that can be read' };
  }
  try {
    const faces = await landmarks.refine(bitmap, landmarks.detect(bitmap));
    const face = centralFace({ width: bitmap.width, height: bitmap.height, faces });
    if (!face) return { key, rejected: 'no face found' };
    const aligned = warpToCrop(pixelsOf(bitmap), alignmentTransform(face.points5, crop, size), size);
    return { key, points5: face.points5, crop: await encodeCrop(aligned, size) };
  } finally {
    bitmap.close();
  }
}
