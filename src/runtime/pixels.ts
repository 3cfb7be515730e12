/**
 * An ImageBitmap's RGBA pixels, in a worker. One OffscreenCanvas is kept and reused while frames
 * keep their size (a webcam's frames, a dataset's crops), so reading pixels allocates no canvas.
 */
let canvas: OffscreenCanvas | undefined;

export function pixelsOf(frame: ImageBitmap): ImageData {
  if (!canvas || canvas.width !== frame.width || canvas.height !== frame.height) {
    canvas = new OffscreenCanvas(frame.width, frame.height);
  }
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('2D canvas is not available in this browser');
  ctx.drawImage(frame, 0, 0);
  return ctx.getImageData(0, 0, frame.width, frame.height);
}
