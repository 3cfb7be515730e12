/**
 * A resized copy of part of a frame, handed to MediaPipe and closed right after: the detector and
 * the landmarker see 128-192 px anyway, and a small copy is cheap to hand over.
 */
import type { FaceBox } from '../geometry/box';

/** Runs `run` on `region` of `frame` resized to `size`; the copy is closed however `run` ends. */
export async function withResizedCopy<T>(
  frame: ImageBitmap,
  region: FaceBox,
  size: { width: number; height: number },
  quality: ResizeQuality,
  run: (copy: ImageBitmap) => T,
): Promise<T> {
  const copy = await createImageBitmap(frame, region.x, region.y, region.width, region.height, { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: quality });
  try {
    return run(copy);
  } finally {
    copy.close();
  }
}
