/**
 * The five alignment points of a MediaPipe face mesh. The alignment itself (DADL-style: a
 * least-squares similarity onto a crop template, then a resampled square crop) is plain geometry
 * and pixels shared with the age stage: geometry/similarity.ts, geometry/points.ts (the template)
 * and runtime/cropWarp.ts.
 */
import type { FivePoints, Point } from '../geometry/points';

/**
 * MediaPipe face-mesh indices for the five points, in image order (the eye that appears on the
 * left of the picture first). The v1 mesh has no iris points, so eye centres are the mean of
 * each eye's corners and lid midpoints.
 */
export const MESH_EYE_IMAGE_LEFT = [33, 133, 159, 145] as const;
export const MESH_EYE_IMAGE_RIGHT = [263, 362, 386, 374] as const;
export const MESH_NOSE_TIP = 1;
export const MESH_MOUTH_IMAGE_LEFT = 61;
export const MESH_MOUTH_IMAGE_RIGHT = 291;

export function fivePointsFromMesh(landmarks: readonly { x: number; y: number }[], width = 1, height = 1): FivePoints {
  const at = (i: number): Point => {
    const p = landmarks[i];
    if (!p) throw new Error(`landmark ${i} missing (got ${landmarks.length})`);
    return [p.x * width, p.y * height];
  };
  const mean = (ids: readonly number[]): Point => {
    const pts = ids.map(at);
    return [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
  };
  return [
    mean(MESH_EYE_IMAGE_LEFT),
    mean(MESH_EYE_IMAGE_RIGHT),
    at(MESH_NOSE_TIP),
    at(MESH_MOUTH_IMAGE_LEFT),
    at(MESH_MOUTH_IMAGE_RIGHT),
  ];
}
