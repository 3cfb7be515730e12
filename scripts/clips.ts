/**
 * Fake-webcam clips (y4m, what Chromium's --use-file-for-fake-video-capture plays) made from
 * fixture photos, for the live e2e tests and `npm run bench`: faces cut out of photos and placed
 * in the frame, with seeded synthetic jitter per frame (shift, scale, brightness) as a hand-held
 * or breathing subject gives a real camera, scenes spliced one after another, and a small marker
 * square in the top-left corner (black or white per scene) that a test can read to know when the
 * scene changed. Node only (jpeg-js); frames are streamed to disk, never held together.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import jpeg from 'jpeg-js';

const CACHED_CLIPS = new URL('../.cache/clips/', import.meta.url).pathname;

/** The clip .cache/clips/`name` (git-ignored), written by `write` on first use; its path. */
export function cachedClip(name: string, write: (path: string) => void): string {
  mkdirSync(CACHED_CLIPS, { recursive: true });
  const path = `${CACHED_CLIPS}${name}`;
  if (!existsSync(path)) write(path);
  return path;
}

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

/** Renders one RGB frame. */
export function renderFrame(spec: Pick<ClipSpec, 'width' | 'height'>, scene: Scene, rand: () => number): Uint8ClampedArray {
  const { width, height } = spec;
  const rgb = new Uint8ClampedArray(width * height * 3).fill(40);
  const j = scene.jitter ?? { shift: 0, scale: 0, brightness: 0 };
  const u = () => 2 * rand() - 1;
  const dx = j.shift * u(), dy = j.shift * u(), s = 1 + j.scale * u(), gain = 1 + j.brightness * u();
  for (const { photo, from, to } of scene.placements) {
    const cx = to.x + to.width / 2, cy = to.y + to.height / 2;
    const src = photo.data, pw = photo.width, ph = photo.height;
    for (let y = Math.max(0, to.y); y < Math.min(height, to.y + to.height); y++) {
      // Frame pixel → place in the (shifted, scaled) cut-out → photo pixel, bilinear, clamped.
      const py = Math.min(Math.max(from.y + (((y - cy - dy) / s + to.height / 2) / to.height) * from.height, 0), ph - 1);
      const y0 = Math.floor(py), y1 = Math.min(y0 + 1, ph - 1), ay = py - y0;
      for (let x = Math.max(0, to.x); x < Math.min(width, to.x + to.width); x++) {
        const px = Math.min(Math.max(from.x + (((x - cx - dx) / s + to.width / 2) / to.width) * from.width, 0), pw - 1);
        const x0 = Math.floor(px), x1 = Math.min(x0 + 1, pw - 1), ax = px - x0;
        const a = (y0 * pw + x0) * 4, b = (y0 * pw + x1) * 4, c = (y1 * pw + x0) * 4, d = (y1 * pw + x1) * 4;
        const o = (y * width + x) * 3;
        for (let k = 0; k < 3; k++) {
          const v = ((src[a + k] * (1 - ax) + src[b + k] * ax) * (1 - ay) + (src[c + k] * (1 - ax) + src[d + k] * ax) * ay) * gain;
          rgb[o + k] = v; // clamped and rounded by the array
        }
      }
    }
  }
  const mark = scene.marker === 'white' ? 255 : 0;
  for (let y = 0; y < MARKER_SIZE; y++) for (let x = 0; x < MARKER_SIZE; x++) rgb.fill(mark, (y * width + x) * 3, (y * width + x) * 3 + 3);
  return rgb;
}

/** RGB → YUV 4:2:0 (BT.601, full range, as ffmpeg's C420jpeg). */
function toYuv420(rgb: Uint8ClampedArray, width: number, height: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height * 1.5);
  const cw = width / 2, ch = height / 2;
  for (let i = 0; i < width * height; i++) {
    out[i] = 0.299 * rgb[i * 3] + 0.587 * rgb[i * 3 + 1] + 0.114 * rgb[i * 3 + 2];
  }
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      const o1 = (2 * y * width + 2 * x) * 3, o2 = o1 + width * 3;
      const r = (rgb[o1] + rgb[o1 + 3] + rgb[o2] + rgb[o2 + 3]) / 4;
      const g = (rgb[o1 + 1] + rgb[o1 + 4] + rgb[o2 + 1] + rgb[o2 + 4]) / 4;
      const b = (rgb[o1 + 2] + rgb[o1 + 5] + rgb[o2 + 2] + rgb[o2 + 5]) / 4;
      out[width * height + y * cw + x] = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
      out[width * height * 1.25 + y * cw + x] = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
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
