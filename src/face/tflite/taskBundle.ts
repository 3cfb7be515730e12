/**
 * A MediaPipe `.task` file is a plain zip of the graph's models, stored without compression so
 * the runtime can use each entry's bytes in place. FaceLandmarker looks the entries up by name.
 */
import { zipSync } from 'fflate';

export const FACE_DETECTOR_ENTRY = 'face_detector.tflite';
export const FACE_LANDMARKS_ENTRY = 'face_landmarks_detector.tflite';

/**
 * DOS timestamp for every entry. fflate encodes mtime with the local-time getters, so building
 * the Date from local fields gives the same bytes in any time zone.
 */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

export function buildFaceLandmarkerTask(detector: Uint8Array, landmarks: Uint8Array): Uint8Array {
  return zipSync(
    { [FACE_DETECTOR_ENTRY]: detector, [FACE_LANDMARKS_ENTRY]: landmarks },
    { level: 0, mtime: FIXED_MTIME },
  );
}
