/**
 * Fake-webcam clips (y4m, what Chromium's --use-file-for-fake-video-capture plays) made from
 * fixture photos, for the live e2e tests and `npm run bench`: faces cut out of photos and placed
 * in the frame, with seeded synthetic jitter per frame (shift, scale, brightness) as a hand-held
 * or breathing subject gives a real camera, scenes spliced one after another, and a small marker
 * square in the top-left corner (black or white per scene) that a test can read to know when the
 * scene changed. Node only (jpeg-js); frames are streamed to disk, never held together.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import jpeg from 'jpeg-js';

export interface Photo {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function loadJpeg(path: string): Photo {
  const { data, width, height } = jpeg.decode(readFileSync(path), { useTArray: true, formatAsRGBA: true });
  return { data, width, height };
}

/** Per-frame jitter amplitudes: each frame draws uniformly in ±amplitude. */
export interface Jitter {
  /** Pixels of the frame. */
  shift: number;
  /** Relative scale, e.g. 0.03 = ±3%. */
  scale: number;
  /** Relative brightness, e.g. 0.06 = ±6%. */
  brightness: number;
}

export interface Placement {
  photo: Photo;
  /** Part of the photo, in its pixels. */
  from: Rect;
  /** Where it goes in the frame. */
  to: Rect;
}

export interface Scene {
  placements: Placement[];
  frames: number;
  jitter?: Jitter;
  /** Colour of the corner marker square (scene tag). */
  marker?: 'black' | 'white';
}

export interface ClipSpec {
  width: number;
  height: number;
  fps: number;
  scenes: Scene[];
  seed?: number;
}

/** Side (px) of the corner marker square. */
export const MARKER_SIZE = 16;

/** mulberry32: small, seeded, good enough for jitter. */
function random(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Bilinear sample of channel c at (x, y), clamped to the photo. */
function sample(p: Photo, x: number, y: number, c: number): number {
  const fx = Math.min(Math.max(x, 0), p.width - 1), fy = Math.min(Math.max(y, 0), p.height - 1);
  const x0 = Math.floor(fx), y0 = Math.floor(fy);
  const x1 = Math.min(x0 + 1, p.width - 1), y1 = Math.min(y0 + 1, p.height - 1);
  const ax = fx - x0, ay = fy - y0;
  const at = (xx: number, yy: number) => p.data[(yy * p.width + xx) * 4 + c];
  return (at(x0, y0) * (1 - ax) + at(x1, y0) * ax) * (1 - ay) + (at(x0, y1) * (1 - ax) + at(x1, y1) * ax) * ay;
}

/** Renders one RGB frame. */
export function renderFrame(spec: Pick<ClipSpec, 'width' | 'height'>, scene: Scene, rand: () => number): Uint8Array {
  const { width, height } = spec;
  const rgb = new Uint8Array(width * height * 3).fill(40);
  const j = scene.jitter ?? { shift: 0, scale: 0, brightness: 0 };
  const u = () => 2 * rand() - 1;
  const dx = j.shift * u(), dy = j.shift * u(), s = 1 + j.scale * u(), gain = 1 + j.brightness * u();
  for (const { photo, from, to } of scene.placements) {
    const cx = to.x + to.width / 2, cy = to.y + to.height / 2;
    for (let y = Math.max(0, to.y); y < Math.min(height, to.y + to.height); y++) {
      for (let x = Math.max(0, to.x); x < Math.min(width, to.x + to.width); x++) {
        // Frame pixel → place in the (shifted, scaled) cut-out → photo pixel.
        const u01 = ((x - cx - dx) / s + to.width / 2) / to.width;
        const v01 = ((y - cy - dy) / s + to.height / 2) / to.height;
        const px = from.x + u01 * from.width, py = from.y + v01 * from.height;
        const o = (y * width + x) * 3;
        for (let c = 0; c < 3; c++) rgb[o + c] = Math.min(255, Math.max(0, Math.round(sample(photo, px, py, c) * gain)));
      }
    }
  }
  const mark = scene.marker === 'white' ? 255 : 0;
  for (let y = 0; y < MARKER_SIZE; y++) for (let x = 0; x < MARKER_SIZE; x++) rgb.fill(mark, (y * width + x) * 3, (y * width + x) * 3 + 3);
  return rgb;
}

/** RGB → YUV 4:2:0 (BT.601, full range, as ffmpeg's C420jpeg). */
function toYuv420(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 1.5);
  const cw = width / 2, ch = height / 2;
  for (let i = 0; i < width * height; i++) {
    out[i] = Math.round(0.299 * rgb[i * 3] + 0.587 * rgb[i * 3 + 1] + 0.114 * rgb[i * 3 + 2]);
  }
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      let r = 0, g = 0, b = 0;
      for (const [ox, oy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        const o = ((2 * y + oy) * width + 2 * x + ox) * 3;
        r += rgb[o];
        g += rgb[o + 1];
        b += rgb[o + 2];
      }
      r /= 4;
      g /= 4;
      b /= 4;
      out[width * height + y * cw + x] = Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
      out[width * height * 1.25 + y * cw + x] = Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
    }
  }
  return out;
}

/** Writes the clip; width and height must be even. */
export function writeClip(path: string, spec: ClipSpec): void {
  const { width, height, fps } = spec;
  if (width % 2 || height % 2) throw new Error('y4m 4:2:0 needs an even width and height');
  const rand = random(spec.seed ?? 1);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
    for (const scene of spec.scenes) {
      for (let f = 0; f < scene.frames; f++) {
        writeSync(fd, 'FRAME\n');
        writeSync(fd, toYuv420(renderFrame(spec, scene, rand), width, height));
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** A square around a face, `side` times its eye-to-mouth height, from its five points' bounds. */
export function faceSquare(points: readonly (readonly [number, number])[], side = 3.2): Rect {
  const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2, cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  const size = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) * side;
  return { x: Math.round(cx - size / 2), y: Math.round(cy - size / 2), width: Math.round(size), height: Math.round(size) };
}
