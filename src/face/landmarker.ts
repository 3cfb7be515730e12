/**
 * Face landmarks from MediaPipe's FaceLandmarker, run on self-hosted assets (see
 * scripts/build-mediapipe-assets.ts). Lifetime: create → detect … → close.
 */
import { FaceLandmarker, FilesetResolver } from '@mediapipe/tasks-vision';
import { fivePointsFromMesh, type FivePoints } from './align';

export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DetectedFace {
  /** Tight box around all mesh points, in image pixels. */
  box: FaceBox;
  /** Eye centres, nose tip, mouth corners (image order), in image pixels. */
  points5: FivePoints;
}

export interface LandmarkerOptions {
  /** Folder holding tasks-vision's wasm loader and binary. */
  wasmBase: string;
  /** URL of face_landmarker.task. */
  modelUrl: string;
  /** Most faces reported per image. Default 8. */
  maxFaces?: number;
  /** Minimum face-detector score. Default 0.5, MediaPipe's own default. */
  minDetectionConfidence?: number;
}

/**
 * The v1 mesh model yields 468 real points; the graph pads to 478 and the last 10 (irises) are
 * zeros, so only the first 468 are used for boxes.
 */
const MESH_POINTS = 468;

export class FaceLandmarks {
  private constructor(private landmarker: FaceLandmarker | null) {}

  static async create(options: LandmarkerOptions): Promise<FaceLandmarks> {
    // useModule: this runs inside a module worker, where importScripts() is not available.
    const fileset = await FilesetResolver.forVisionTasks(options.wasmBase, true);
    const landmarker = await FaceLandmarker.createFromOptions(fileset, {
      baseOptions: { modelAssetPath: options.modelUrl, delegate: 'CPU' },
      runningMode: 'IMAGE',
      numFaces: options.maxFaces ?? 8,
      minFaceDetectionConfidence: options.minDetectionConfidence ?? 0.5,
      minFacePresenceConfidence: 0.5,
      outputFaceBlendshapes: false,
      outputFacialTransformationMatrixes: false,
    });
    return new FaceLandmarks(landmarker);
  }

  detect(image: ImageBitmap | ImageData | OffscreenCanvas, width: number, height: number): DetectedFace[] {
    if (!this.landmarker) throw new Error('face landmarker is closed');
    const result = this.landmarker.detect(image);
    return result.faceLandmarks.map((mesh) => {
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (const p of mesh.slice(0, MESH_POINTS)) {
        minX = Math.min(minX, p.x); maxX = Math.max(maxX, p.x);
        minY = Math.min(minY, p.y); maxY = Math.max(maxY, p.y);
      }
      return {
        box: { x: minX * width, y: minY * height, width: (maxX - minX) * width, height: (maxY - minY) * height },
        points5: fivePointsFromMesh(mesh, width, height),
      };
    });
  }

  close(): void {
    this.landmarker?.close();
    this.landmarker = null;
  }
}
