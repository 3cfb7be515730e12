/**
 * One result line per image: what `npm run score` writes, the queue's workers return, and
 * `--collect` merges. Shaped from the lab page's LabResult (the app's own pipeline).
 */
import { summarize } from '../age/distribution';
import type { LabFace, LabResult } from '../worker/labTypes';

/** A face as the lab page gives it, rounded, with its members' estimates by id. */
export interface FaceLine extends Pick<LabFace, 'box' | 'points5' | 'std'> {
  /** The ensemble's estimate, as the app shows it (its expected age or median, as its manifest says). */
  age: number;
  /** Most probable age. */
  mode: number;
  /** Each member's estimate (the same statistic), by member id. */
  members: Record<string, number>;
  /** P(age = 0..100), with --distribution. */
  distribution?: number[];
}

export type ResultLine = { file: string; width: number; height: number; faces: FaceLine[] } | { file: string; error: string };

export function isError(line: ResultLine): line is { file: string; error: string } {
  return 'error' in line;
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));
const roundBox = (b: FaceLine['box']) => ({ x: round(b.x, 2), y: round(b.y, 2), width: round(b.width, 2), height: round(b.height, 2) });

/** Ages to 1e-4 years, pixels to 1e-2, probabilities to 1e-7: smaller lines, same meaning. */
export function resultLine(file: string, result: LabResult, options: { distribution?: boolean } = {}): ResultLine {
  return {
    file,
    width: result.width,
    height: result.height,
    faces: result.faces.map((f) => {
      const face: FaceLine = {
        box: roundBox(f.box),
        points5: f.points5.map(([x, y]) => [round(x, 2), round(y, 2)]),
        age: round(f.age, 4),
        std: round(f.std, 4),
        mode: summarize(f.distribution).mode,
        members: Object.fromEntries(f.members.map((m) => [m.id, round(m.age, 4)])),
      };
      if (options.distribution) face.distribution = f.distribution.map((p) => round(p, 7));
      return face;
    }),
  };
}

export function errorLine(file: string, error: unknown): ResultLine {
  const message = error instanceof Error ? error.message : String(error);
  return { file, error: message.split('\n')[0].trim() || 'unknown error' };
}

function startsWith(bytes: Uint8Array, prefix: number[], at = 0): boolean {
  return prefix.every((b, i) => bytes[at + i] === b);
}

function lastIndexOfPair(bytes: Uint8Array, a: number, b: number): number {
  for (let i = bytes.length - 2; i >= 0; i--) if (bytes[i] === a && bytes[i + 1] === b) return i;
  return -1;
}

/**
 * Why these bytes are not a complete JPEG, PNG or WebP, or undefined when they look whole.
 * Browsers decode a truncated JPEG or PNG without complaint (the missing part grey), so an image
 * cut short by a failed copy would be scored as if it were whole; this catches it first.
 * JPEG: an end-of-image marker after the last start-of-scan. PNG: an IEND chunk at the end.
 * WebP: the RIFF size covers the file.
 */
export function checkImageBytes(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return 'empty file (0 bytes)';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) {
    const scan = lastIndexOfPair(bytes, 0xff, 0xda);
    if (scan < 0) return 'truncated JPEG: no image data (start of scan)';
    const end = lastIndexOfPair(bytes, 0xff, 0xd9);
    return end > scan ? undefined : 'truncated JPEG: no end-of-image marker after the image data';
  }
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    // IEND: length 0, type "IEND", CRC; some writers pad after it, so look near the end.
    const tail = bytes.subarray(Math.max(0, bytes.length - 64));
    const iend = Buffer.from(tail.buffer, tail.byteOffset, tail.byteLength).indexOf('IEND');
    return iend >= 0 ? undefined : 'truncated PNG: no IEND chunk at the end';
  }
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) {
    const size = bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) | (bytes[7] << 24);
    return size + 8 <= bytes.length ? undefined : `truncated WebP: ${bytes.length} of ${size + 8} bytes`;
  }
  return 'not a JPEG, PNG or WebP image';
}
