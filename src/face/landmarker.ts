/**
 * Face landmarks from MediaPipe's FaceLandmarker, run on self-hosted assets (see
 * scripts/build-mediapipe-assets.ts). Lifetime: create → detect … → close.
 */
import { FaceDetector, FaceLandmarker, FilesetResolver } from '@mediapipe/tasks-vision';
import { unzipSync } from 'fflate';
import { fivePointsFromMesh, type FivePoints } from './align';
import { iou, type FaceBox } from '../geometry/box';
import { cutByTileEdge, detectionSize, mergeFaces, photoTiles, refinementRegion } from './tiles';
import { FACE_DETECTOR_ENTRY } from './tflite/taskBundle';

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
  /** Most faces reported per image. Default 8. */
  maxFaces?: number;
  /** Minimum face-detector score. Default 0.5, MediaPipe's own default. */
  minDetectionConfidence?: number;
  /**
   * 'video' tracks the mesh from frame to frame (the detector runs only while fewer faces than
   * maxFaces are tracked) and needs increasing timestamps; 'image' (default) detects every time.
   */
  mode?: 'image' | 'video';
  /**
   * Also create a face detector alone (the landmarker's own, from the same .task file) for
   * detectInPhoto's tile search. Photos only; the live landmark worker does not need it.
   */
  photoSearch?: boolean;
}

/**
 * The v1 mesh model yields 468 real points; the graph pads to 478 and the last 10 (irises) are
 * zeros, so only the first 468 are used for boxes.
 */
const MESH_POINTS = 468;
/**
 * Crops tried in turn around a detection for its landmarks, as multiples of its box: the landmarker
 * runs its own detector first, which misses some faces at one scale and finds them at another.
 */
const MESH_CONTEXTS = [2.5, 3.5, 1.8];
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

export class FaceLandmarks {
  private detector: Promise<FaceDetector | null> | undefined;
  private closed = false;

  private constructor(
    private landmarker: FaceLandmarker | null,
    /** Makes the photo-search detector; null when this instance has none (see create()). */
    private readonly makeDetector: (() => Promise<FaceDetector>) | null,
  ) {}

  /**
   * The detector, made on first use: it is a second instance of MediaPipe's wasm (a few hundred
   * ms), needed only once a big photo arrives, so it stays off the path to the first estimate.
   * null when it cannot be made (group photos are then searched in one landmarker pass).
   */
  private photoDetector(): Promise<FaceDetector | null> {
    this.detector ??= (this.makeDetector?.() ?? Promise.reject(new Error('not requested'))).catch((error: unknown) => {
      if (this.makeDetector) console.warn(`No face detector for group photos, so small faces may be missed: ${(error as Error).message}`);
      return null;
    });
    return this.detector;
  }

  static async create(options: LandmarkerOptions): Promise<FaceLandmarks> {
    // useModule: this runs inside a module worker, where importScripts() is not available.
    const [fileset, task] = await Promise.all([
      FilesetResolver.forVisionTasks(options.wasmBase, true),
      fetch(options.modelUrl).then(async (response) => {
        if (!response.ok) throw new Error(`${options.modelUrl}: HTTP ${response.status}`);
        return new Uint8Array(await response.arrayBuffer());
      }),
    ]);
    const minDetectionConfidence = options.minDetectionConfidence ?? 0.5;
    const landmarker = await FaceLandmarker.createFromOptions(fileset, {
      baseOptions: { modelAssetBuffer: task, delegate: 'CPU' },
      runningMode: options.mode === 'video' ? 'VIDEO' : 'IMAGE',
      numFaces: options.maxFaces ?? 8,
      minFaceDetectionConfidence: minDetectionConfidence,
      minFacePresenceConfidence: 0.5,
      outputFaceBlendshapes: false,
      outputFacialTransformationMatrixes: false,
    });
    const makeDetector = options.photoSearch ? () => createDetector(fileset, detectorModel(task), minDetectionConfidence) : null;
    return new FaceLandmarks(landmarker, makeDetector);
  }

  /**
   * Faces in `image`, in the pixel coordinates of the frame `region` was cut from (by default the
   * image is the whole frame).
   */
  detect(image: ImageBitmap | ImageData, region: FaceBox = { x: 0, y: 0, width: image.width, height: image.height }): DetectedFace[] {
    if (!this.landmarker) throw new Error('face landmarker is closed');
    return this.landmarker.detect(image).faceLandmarks.map((normalized) => faceFromMesh(normalized, region));
  }

  /** One pass on a small blank image: MediaPipe prepares its graph on the first call. */
  warmUp(): void {
    this.detect(new ImageData(64, 64));
  }

  /** Faces in one video frame (landmarker created with mode 'video'); timestamps must increase. */
  detectVideoFrame(frame: ImageBitmap | ImageData, timestampMs: number): DetectedFace[] {
    if (!this.landmarker) throw new Error('face landmarker is closed');
    const region = { x: 0, y: 0, width: frame.width, height: frame.height };
    return this.landmarker.detectForVideo(frame, timestampMs).faceLandmarks.map((normalized) => faceFromMesh(normalized, region));
  }

  /**
   * Faces in a photo. Small photos: one landmark pass plus the per-face refinement. Big photos
   * (group photos, whose faces can be too small for one 128-px detector pass) are searched whole
   * and in overlapping tiles (tiles.ts) by the face detector alone, on copies scaled down to a few
   * times its input size; the merged detections then get one landmark pass each, on a crop around
   * the face (refine). The earlier search ran the whole landmarker (detector and a mesh for every
   * face in every tile) on full-resolution tiles: about 4x the time for the same faces.
   */
  async detectInPhoto(photo: ImageBitmap): Promise<DetectedFace[]> {
    const { width, height } = photo;
    const tiles = photoTiles(width, height);
    if (tiles.length === 0) return this.refine(photo, this.detect(photo));
    const detector = await this.photoDetector();
    if (!detector || this.closed) return this.refine(photo, this.detect(photo));
    const whole = { x: 0, y: 0, width, height };
    const found: { box: FaceBox; tileArea: number }[] = [];
    for (const region of [whole, ...tiles]) {
      for (const box of await this.detectBoxes(detector, photo, region)) {
        if (region === whole || !cutByTileEdge(box, region, width, height)) found.push({ box, tileArea: region.width * region.height });
      }
    }
    return this.landmarksAt(photo, mergeFaces(found).map((f) => f.box));
  }

  /** Detector boxes in `region` of the photo, in photo pixels. */
  private async detectBoxes(detector: FaceDetector, photo: ImageBitmap, region: FaceBox): Promise<FaceBox[]> {
    const size = detectionSize(region.width, region.height);
    const scaled = await createImageBitmap(photo, region.x, region.y, region.width, region.height, { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'medium' });
    try {
      const sx = region.width / size.width, sy = region.height / size.height;
      return detector.detect(scaled).detections.flatMap(({ boundingBox: b }) =>
        b ? [{ x: region.x + b.originX * sx, y: region.y + b.originY * sy, width: b.width * sx, height: b.height * sy }] : [],
      );
    } finally {
      scaled.close();
    }
  }

  /**
   * One landmark pass per detected face, on the refinement crop around it (or on the whole photo
   * for a face that fills most of it). A detection the mesh does not confirm is dropped, as the
   * landmarker itself would drop it (face presence below 0.5).
   */
  private async landmarksAt(photo: ImageBitmap, boxes: readonly FaceBox[]): Promise<DetectedFace[]> {
    let wholePhoto: DetectedFace[] | undefined;
    const faces: DetectedFace[] = [];
    for (const box of boxes) {
      let best: DetectedFace | undefined;
      for (const context of MESH_CONTEXTS) {
        const region = refinementRegion(box, photo.width, photo.height, context);
        const candidates = region ? await this.detectInCrop(photo, region) : (wholePhoto ??= this.detect(photo));
        best = bestMatch(candidates, box);
        if (best || !region) break;
      }
      // Two detections of one face (from tiles that saw it differently) mesh to the same face.
      if (best && faces.every((f) => iou(f.box, best.box) <= 0.5)) faces.push(best);
    }
    return faces;
  }

  /** Landmarks in a square crop of the frame, scaled to at most REFINE_SIZE, in frame pixels. */
  private async detectInCrop(frame: ImageBitmap, region: FaceBox): Promise<DetectedFace[]> {
    const side = Math.min(REFINE_SIZE, region.width);
    const crop = await createImageBitmap(frame, region.x, region.y, region.width, region.height, { resizeWidth: side, resizeHeight: side, resizeQuality: 'high' });
    try {
      return this.detect(crop, region);
    } finally {
      crop.close();
    }
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
      refined.push(bestMatch(await this.detectInCrop(frame, region), face.box) ?? face);
    }
    return refined;
  }

  close(): void {
    this.closed = true;
    this.landmarker?.close();
    this.landmarker = null;
    void this.detector?.then((detector) => detector?.close());
  }
}

/** The face among `faces` overlapping `box` most (IoU above 0.3), if any. */
function bestMatch(faces: readonly DetectedFace[], box: FaceBox): DetectedFace | undefined {
  return faces.reduce<DetectedFace | undefined>((b, f) => (iou(f.box, box) > (b ? iou(b.box, box) : 0.3) ? f : b), undefined);
}

type Fileset = Awaited<ReturnType<typeof FilesetResolver.forVisionTasks>>;

/**
 * A FaceDetector beside the landmarker in the same worker. tasks-vision reads the wasm loader's
 * factory from a global that it clears after each task is made, and the module-worker loader
 * (an ES module, imported once) does not set it again; so it is set here from the loader's
 * default export before the second task is made.
 */
async function createDetector(fileset: Fileset, model: Uint8Array, minDetectionConfidence: number): Promise<FaceDetector> {
  const loader = (await import(/* @vite-ignore */ fileset.wasmLoaderPath)) as { default: unknown };
  (globalThis as { ModuleFactory?: unknown }).ModuleFactory = loader.default;
  return FaceDetector.createFromOptions(fileset, {
    baseOptions: { modelAssetBuffer: model, delegate: 'CPU' },
    runningMode: 'IMAGE',
    minDetectionConfidence,
  });
}

/** The face detector's model, stored uncompressed inside the landmarker's .task zip. */
function detectorModel(task: Uint8Array): Uint8Array {
  const model = unzipSync(task, { filter: (file) => file.name === FACE_DETECTOR_ENTRY })[FACE_DETECTOR_ENTRY];
  if (!model) throw new Error(`${FACE_DETECTOR_ENTRY} is missing from the face landmarker task file`);
  return model;
}
