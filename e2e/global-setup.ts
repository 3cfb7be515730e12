/**
 * Makes e2e media from fixture photos with ffmpeg: the fake webcam feed (a y4m clip in which the
 * face drifts a little from frame to frame, so successive estimates differ as with a real camera)
 * and a JPEG whose pixels are stored sideways with an EXIF orientation tag, as phones write them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { writeTwoFacesClip } from './liveClips';
import { CAMERA_Y4M, EXIF_ROTATED_JPEG, FIXTURES, GENERATED, TWO_FACES_Y4M } from './paths';

/** An APP1 segment holding only EXIF Orientation = 6 ("rotate 90° clockwise to display"). */
function exifOrientation6(): Buffer {
  return Buffer.from([
    0xff, 0xe1, 0x00, 0x22, // APP1, length 34
    0x45, 0x78, 0x69, 0x66, 0x00, 0x00, // "Exif\0\0"
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, // big-endian TIFF header, IFD0 at 8
    0x00, 0x01, // one entry
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00, // Orientation, SHORT, 1, value 6
    0x00, 0x00, 0x00, 0x00, // no next IFD
  ]);
}

function ffmpeg(args: string[]): void {
  try {
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', ...args]);
  } catch (error) {
    throw new Error(`ffmpeg is needed to make e2e media (apt-get install ffmpeg): ${(error as Error).message}`);
  }
}

export default function globalSetup(): void {
  mkdirSync(GENERATED, { recursive: true });
  if (!existsSync(EXIF_ROTATED_JPEG)) {
    // A 560x400 landscape crop, stored turned 90° counter-clockwise (400x560) plus the EXIF tag
    // that tells viewers to turn it back: upright only if orientation is honoured.
    const stored = `${GENERATED}stored-rotated.jpg`;
    ffmpeg(['-i', `${FIXTURES}one-face.jpg`, '-vf', 'crop=560:400:0:60,transpose=2', '-q:v', '3', stored]);
    const jpeg = readFileSync(stored);
    writeFileSync(EXIF_ROTATED_JPEG, Buffer.concat([jpeg.subarray(0, 2), exifOrientation6(), jpeg.subarray(2)]));
  }
  if (!existsSync(TWO_FACES_Y4M)) writeTwoFacesClip(TWO_FACES_Y4M);
  if (existsSync(CAMERA_Y4M)) return;
  {
    // The face moves up to 30 px across and 25 px down and up, and stays whole in every frame: a
    // face whose eyes leave the frame is dropped by the live pipeline (livePipeline.ts), and the
    // first clip (drifting 8 px a frame off the top) made the face a new track every loop, with
    // too few ages each for camera.spec.ts on a busy machine.
    ffmpeg([
      '-loop', '1', '-i', `${FIXTURES}one-face.jpg`,
      '-vf', 'scale=720:720,crop=640:480:40+30*sin(n):40+25*sin(0.8*n),format=yuv420p',
      '-frames:v', '12', '-r', '5', CAMERA_Y4M,
    ]);
  }
}
