/**
 * Makes the fake webcam feed (a y4m clip) from a fixture photo with ffmpeg. The face drifts a
 * little from frame to frame, so successive estimates differ as with a real camera.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { CAMERA_Y4M, FIXTURES, GENERATED } from './paths';

export default function globalSetup(): void {
  if (existsSync(CAMERA_Y4M)) return;
  mkdirSync(GENERATED, { recursive: true });
  try {
    execFileSync('ffmpeg', [
      '-loglevel', 'error', '-y', '-loop', '1', '-i', `${FIXTURES}one-face.jpg`,
      '-vf', 'scale=720:720,crop=640:480:40+30*sin(n):100+8*n,format=yuv420p',
      '-frames:v', '12', '-r', '5', CAMERA_Y4M,
    ]);
  } catch (error) {
    throw new Error(`ffmpeg is needed to make the fake webcam clip (apt-get install ffmpeg): ${(error as Error).message}`);
  }
}
