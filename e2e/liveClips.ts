/**
 * The fake-webcam clips of the live e2e tests and `npm run bench` (see scripts/clips.ts), all cut
 * from the MIT fixture photos.
 */
import { faceSquare, loadJpeg, writeClip, type Jitter, type Placement, type Rect } from '../scripts/clips';
import { FIXTURES } from './paths';
import { HAND_CHECKED_SAMPLE1 } from './sample1Points';

/** A visitor standing still: small shifts, breathing-sized scale changes, light flicker. */
export const STILL_JITTER: Jitter = { shift: 3, scale: 0.02, brightness: 0.05 };

function sample1Face(index: number, to: Rect, side = 2.6): Placement {
  return { photo: loadJpeg(`${FIXTURES}sample1.jpg`), from: faceSquare(HAND_CHECKED_SAMPLE1[index], side), to };
}

function oneFace(to: Rect): Placement {
  const photo = loadJpeg(`${FIXTURES}one-face.jpg`);
  return { photo, from: { x: 0, y: 0, width: photo.width, height: photo.height }, to };
}

/**
 * e2e: two faces side by side for 15 s (marker black), then a different photo, one face in the
 * middle, for 4 s (marker white), at 12 frames/s; the camera loops it.
 */
export function writeTwoFacesClip(path: string): void {
  writeClip(path, {
    width: 512,
    height: 288,
    fps: 12,
    seed: 2,
    scenes: [
      { frames: 180, jitter: STILL_JITTER, marker: 'black', placements: [sample1Face(0, { x: 12, y: 24, width: 240, height: 240 }), sample1Face(1, { x: 260, y: 24, width: 240, height: 240 })] },
      { frames: 48, jitter: STILL_JITTER, marker: 'white', placements: [oneFace({ x: 112, y: 0, width: 288, height: 288 })] },
    ],
  });
}

/** Bench: one face, still with jitter, 640x480 at 30 frames/s (5 s, looped). */
export function writeOneFaceClip(path: string): void {
  writeClip(path, { width: 640, height: 480, fps: 30, seed: 3, scenes: [{ frames: 150, jitter: STILL_JITTER, placements: [oneFace({ x: 80, y: 0, width: 480, height: 480 })] }] });
}

/** Bench: three faces side by side, 640x360 at 30 frames/s (5 s, looped). */
export function writeThreeFacesClip(path: string): void {
  writeClip(path, {
    width: 640,
    height: 360,
    fps: 30,
    seed: 4,
    scenes: [{ frames: 150, jitter: STILL_JITTER, placements: [0, 1, 2].map((i) => sample1Face(i, { x: 4 + i * 212, y: 74, width: 208, height: 208 }, 3.2)) }],
  });
}
