/**
 * Camera frames as raw planes (WebCodecs VideoFrame.copyTo), and their conversion to RGBA in a
 * worker. Taking a bitmap of a <video> converts the frame on the page's thread: profiled on the
 * live view, two createImageBitmap calls per frame took over half of that thread, and the camera's
 * frames were dropped for it. Copying the planes is a memcpy; the colour conversion (with any
 * downscaling) then runs here, in the worker that needs the pixels. Pure: typed arrays only.
 */
export interface RawFrame {
  data: ArrayBuffer;
  format: 'I420' | 'NV12' | 'RGBA' | 'RGBX' | 'BGRA' | 'BGRX';
  /** Visible size in pixels (planes start at the visible rect; see copyTo). */
  width: number;
  height: number;
  /** Offset and stride (bytes) of each plane in `data`. */
  layout: { offset: number; stride: number }[];
  /** YUV → RGB matrix and range (VideoFrame.colorSpace); ignored for RGB formats. */
  matrix: 'bt601' | 'bt709';
  fullRange: boolean;
}

export const RAW_FORMATS: readonly string[] = ['I420', 'NV12', 'RGBA', 'RGBX', 'BGRA', 'BGRX'];

export interface RgbaPixels {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/**
 * RGBA pixels of the frame scaled by `scale` (≤ 1; each output pixel samples the source pixel at
 * its centre, which at the 2:1 and 1:1 scales used here is the nearest source pixel).
 */
export function rawFrameToRgba(raw: RawFrame, scale = 1): RgbaPixels {
  const width = Math.max(1, Math.round(raw.width * scale));
  const height = Math.max(1, Math.round(raw.height * scale));
  const out = new Uint8ClampedArray(width * height * 4);
  const src = new Uint8Array(raw.data);
  const sx = raw.width / width, sy = raw.height / height;
  if (raw.format === 'I420' || raw.format === 'NV12') {
    const [kr, kb] = raw.matrix === 'bt709' ? [0.2126, 0.0722] : [0.299, 0.114];
    const kg = 1 - kr - kb;
    // Y'CbCr → R'G'B' coefficients, with the range expansion folded in.
    const ys = raw.fullRange ? 1 : 255 / 219, cs = raw.fullRange ? 1 : 255 / 224, y0 = raw.fullRange ? 0 : 16;
    const rv = 2 * (1 - kr) * cs, bu = 2 * (1 - kb) * cs;
    const gu = ((2 * (1 - kb) * kb) / kg) * cs, gv = ((2 * (1 - kr) * kr) / kg) * cs;
    const [yPlane, uPlane, vPlane] = raw.layout;
    const nv12 = raw.format === 'NV12';
    for (let y = 0; y < height; y++) {
      const py = Math.min(raw.height - 1, Math.floor((y + 0.5) * sy));
      const yRow = yPlane.offset + py * yPlane.stride;
      const cRow = (py >> 1) * uPlane.stride;
      for (let x = 0; x < width; x++) {
        const px = Math.min(raw.width - 1, Math.floor((x + 0.5) * sx));
        const cx = px >> 1;
        const Y = (src[yRow + px] - y0) * ys;
        const U = (nv12 ? src[uPlane.offset + cRow + 2 * cx] : src[uPlane.offset + cRow + cx]) - 128;
        const V = (nv12 ? src[uPlane.offset + cRow + 2 * cx + 1] : src[vPlane.offset + (py >> 1) * vPlane.stride + cx]) - 128;
        const o = (y * width + x) * 4;
        out[o] = Y + rv * V;
        out[o + 1] = Y - gu * U - gv * V;
        out[o + 2] = Y + bu * U;
        out[o + 3] = 255;
      }
    }
    return { data: out, width, height };
  }
  const [plane] = raw.layout;
  const bgr = raw.format === 'BGRA' || raw.format === 'BGRX';
  for (let y = 0; y < height; y++) {
    const row = plane.offset + Math.min(raw.height - 1, Math.floor((y + 0.5) * sy)) * plane.stride;
    for (let x = 0; x < width; x++) {
      const i = row + Math.min(raw.width - 1, Math.floor((x + 0.5) * sx)) * 4;
      const o = (y * width + x) * 4;
      out[o] = src[i + (bgr ? 2 : 0)];
      out[o + 1] = src[i + 1];
      out[o + 2] = src[i + (bgr ? 0 : 2)];
      out[o + 3] = 255;
    }
  }
  return { data: out, width, height };
}
