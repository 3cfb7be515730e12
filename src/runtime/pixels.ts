/**
 * An ImageBitmap's (or a camera VideoFrame's) RGBA pixels, in a worker. One OffscreenCanvas is kept and reused while frames
 * keep their size (a webcam's frames, a dataset's crops), so reading pixels allocates no canvas.
 */
let canvas: OffscreenCanvas | undefined;

/** A frame's size in pixels: a camera VideoFrame's displayed size, else the bitmap's. */
export function frameSize(frame: ImageBitmap | VideoFrame): { width: number; height: number } {
  return 'displayWidth' in frame ? { width: frame.displayWidth, height: frame.displayHeight } : { width: frame.width, height: frame.height };
}

export function pixelsOf(frame: ImageBitmap | VideoFrame): ImageData {
  const { width, height } = frameSize(frame);
  if (!canvas || canvas.width !== width || canvas.height !== height) {
    canvas = new OffscreenCanvas(width, height);
  }
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('2D canvas is not available in this browser');
  ctx.drawImage(frame, 0, 0, width, height);
  return ctx.getImageData(0, 0, width, height);
}
