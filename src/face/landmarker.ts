/**
 * Face landmarks from MediaPipe's FaceLandmarker, run on self-hosted assets (see
 * scripts/build-mediapipe-assets.ts). Lifetime: create → detect … → close.
 */
import { FaceLandmarker, FilesetResolver } from '@mediapipe/tasks-vision';
import { fivePointsFromMesh, type FivePoints } from './align';
import { iou, type FaceBox } from '../geometry/box';
import { cutByTileEdge, mergeFaces, photoTiles, refinementRegion } from './tiles';

export type { FaceBox } from '../geometry/box';

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
  /**
   * Appended as `?v=` to the loader's, the binary's and the model's URLs: the content hash the
   * service worker precaches them under (vite.config.ts), so the page and the precache share one
   * download. Optional (the dev server and tests need none).
   */
  version?: string;
  /** Most faces reported per image. Default 8. */
  maxFaces?: number;
  /** Minimum face-detector score. Default 0.5, MediaPipe's own default. */
  minDetectionConfidence?: number;
  /**
   * 'video' tracks the mesh from frame to frame (the detector runs only while fewer faces than
   * maxFaces are tracked) and needs increasing timestamps; 'image' (default) detects every time.
   */
  mode?: 'image' | 'video';
}

/**
 * The v1 mesh model yields 468 real points; the graph pads to 478 and the last 10 (irises) are
 * zeros, so only the first 468 are used for boxes.
 */
const MESH_POINTS = 468;
/** Side (px) a refinement crop is scaled to at most; the detector works at 128 px anyway. */
const REFINE_SIZE = 512;

/** Box and five points of one mesh given in coordinates normalised to `region`. */
function faceFromMesh(normalized: readonly { x: number; y: number }[], region: FaceBox): DetectedFace {
  const mesh = normalized.slice(0, MESH_POINTS).map((p) => ({ x: region.x + p.x * region.width, y: region.y + p.y * region.height }));
  const xs = mesh.map((p) => p.x);
  const ys = mesh.map((p) => p.y);
  const x = Math.min(...xs), y = Math.min(...ys);
  return { box: { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y }, points5: fivePointsFromMesh(mesh) };
}

declare const __MEDIAPIPE_VERSION__: string | undefined;

/** Landmarker options for the MediaPipe files under `base` (the app's mediapipe/ folder), as the build versioned them. */
export function mediapipeFiles(base: string): Pick<LandmarkerOptions, 'wasmBase' | 'modelUrl' | 'version'> {
  return {
    wasmBase: new URL('wasm', base).href,
    modelUrl: new URL('face_landmarker.task', base).href,
    version: typeof __MEDIAPIPE_VERSION__ === 'string' ? __MEDIAPIPE_VERSION__ : undefined,
  };
}

export class FaceLandmarks {
  private constructor(private landmarker: FaceLandmarker | null) {}

  static async create(options: LandmarkerOptions): Promise<FaceLandmarks> {
    // useModule: this runs inside a module worker, where importScripts() is not available.
    const fileset = await FilesetResolver.forVisionTasks(options.wasmBase, true);
    const versioned = (url: string) => (options.version ? `${url}${url.includes('?') ? '&' : '?'}v=${options.version}` : url);
    fileset.wasmLoaderPath = versioned(fileset.wasmLoaderPath);
    fileset.wasmBinaryPath = versioned(fileset.wasmBinaryPath);
    const landmarker = await FaceLandmarker.createFromOptions(fileset, {
      baseOptions: { modelAssetPath: versioned(options.modelUrl), delegate: 'CPU' },
      runningMode: options.mode === 'video' ? 'VIDEO' : 'IMAGE',
      numFaces: options.maxFaces ?? 8,
      minFaceDetectionConfidence: options.minDetectionConfidence ?? 0.5,
      minFacePresenceConfidence: 0.5,
      outputFaceBlendshapes: false,
      outputFacialTransformationMatrixes: false,
    });
    return new FaceLandmarks(landmarker);
  }

  /**
   * Faces in `image`, in the pixel coordinates of the frame `region` was cut from (by default the
   * image is the whole frame).
   */
  detect(image: ImageBitmap | ImageData, region: FaceBox = { x: 0, y: 0, width: image.width, height: image.height }): DetectedFace[] {
    if (!this.landmarker) throw new Error('face landmarker is closed');
    return this.landmarker.detect(image).faceLandmarks.map((normalized) => faceFromMesh(normalized, region));
  }

  /** Faces in one video frame (landmarker created with mode 'video'); timestamps must increase. */
  detectVideoFrame(frame: ImageBitmap | ImageData, timestampMs: number): DetectedFace[] {
    if (!this.landmarker) throw new Error('face landmarker is closed');
    const region = { x: 0, y: 0, width: frame.width, height: frame.height };
    return this.landmarker.detectForVideo(frame, timestampMs).faceLandmarks.map((normalized) => faceFromMesh(normalized, region));
  }

  /**
   * Whole photo plus overlapping tiles (see tiles.ts), merged, for group photos whose faces are
   * too small for one pass. Costs about 14 detector passes; used for photos, not live video.
   */
  async detectInPhoto(photo: ImageBitmap): Promise<DetectedFace[]> {
    const { width, height } = photo;
    const whole = { x: 0, y: 0, width, height };
    const found = this.detect(photo).map((f) => ({ ...f, tileArea: width * height }));
    for (const tile of photoTiles(width, height)) {
      const crop = await createImageBitmap(photo, tile.x, tile.y, tile.width, tile.height);
      try {
        for (const face of this.detect(crop, tile)) {
          if (!cutByTileEdge(face.box, tile, whole.width, whole.height)) found.push({ ...face, tileArea: tile.width * tile.height });
        }
      } finally {
        crop.close();
      }
    }
    return this.refine(photo, mergeFaces(found).map(({ box, points5 }) => ({ box, points5 })));
  }

  /**
   * Second pass per face on a crop around it. The detector's eye keypoints set the rotation of the
   * mesh's input crop, and seen in a whole frame at 128 px they are too coarse: tilted faces came
   * out 20-35 px off on the fixture photos. Re-running on a crop 2.5x the face size puts the points
   * on the eyes, nose and mouth. A face the second pass does not find again is kept as it was.
   */
  async refine(frame: ImageBitmap, faces: readonly DetectedFace[]): Promise<DetectedFace[]> {
    const refined: DetectedFace[] = [];
    for (const face of faces) {
      const region = refinementRegion(face.box, frame.width, frame.height);
      if (!region) {
        refined.push(face);
        continue;
      }
      const side = Math.min(REFINE_SIZE, region.width);
      const crop = await createImageBitmap(frame, region.x, region.y, region.width, region.height, { resizeWidth: side, resizeHeight: side, resizeQuality: 'high' });
      try {
        const again = this.detect(crop, region);
        const best = again.reduce<DetectedFace | undefined>((b, f) => (iou(f.box, face.box) > (b ? iou(b.box, face.box) : 0.3) ? f : b), undefined);
        refined.push(best ?? face);
      } finally {
        crop.close();
      }
    }
    return refined;
  }

  close(): void {
    this.landmarker?.close();
    this.landmarker = null;
  }
}
