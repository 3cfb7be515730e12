/**
 * Face landmarks from MediaPipe's FaceLandmarker, run on self-hosted assets (see
 * scripts/build-mediapipe-assets.ts). Lifetime: create → detect … → close.
 */
import { FaceLandmarker } from '@mediapipe/tasks-vision';
import { versioned, wasmFileset, type MediapipeFiles } from './mediapipeFiles';
import type { FivePoints } from '../geometry/points';
import { fivePointsFromMesh } from './align';
import { iou, type FaceBox } from '../geometry/box';
import { applyAffine, invertAffine, PAD_VIEWS, padTransform, type PadView } from './padding';
import type { Point } from '../geometry/points';
import { cutByTileEdge, detectionSize, mergeFaces, needsSearch, photoTiles, refinementRegion, stripTiles } from './tiles';
import type { FullRangeFaceDetector } from './faceDetector';
import { withResizedCopy } from './resizedCopy';

export type { FaceBox } from '../geometry/box';

export interface DetectedFace {
  /** Tight box around all mesh points, in image pixels. */
  box: FaceBox;
  /** Eye centres, nose tip, mouth corners (image order), in image pixels. */
  points5: FivePoints;
}

/** Told of each face as soon as its landmarks are final (detectInPhoto, refine). */
export type FaceListener = (face: DetectedFace) => void;

/** A face found by a first, coarse pass: a box, and five points when the pass was the landmarker's. */
type FirstPassFace = { box: FaceBox; points5?: FivePoints };

/** Where the files are: mediapipeFiles(base) (src/face/mediapipeFiles.ts) gives them all. */
export interface LandmarkerOptions extends Pick<MediapipeFiles, 'wasmBase' | 'landmarkerUrl' | 'version'> {
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
/**
 * Crops tried in turn around a detection for its landmarks, as multiples of its box: the landmarker
 * runs its own detector first, which misses some faces at one scale and finds them at another.
 */
const MESH_CONTEXTS = [2.5, 3.5, 1.8];
/**
 * Side (px) a refinement crop is scaled to at most: the detector works at 128 px and the mesh at
 * 192 px anyway. 384 rather than 512 made each crop about a third cheaper, with the points on
 * sample1.jpg as close to the hand-checked ones (mean 6.5 px either way, e2e/landmarks.spec.ts).
 */
const REFINE_SIZE = 384;
/** What a padded view shows around the frame unless it says otherwise (see detectPadded). */
const PAD_FILL = '#808080';

/** Box and five points of one mesh given in coordinates normalised to `region`. */
function faceFromMesh(normalized: readonly { x: number; y: number }[], region: FaceBox): DetectedFace {
  return faceFromPoints(normalized.slice(0, MESH_POINTS).map((p) => [region.x + p.x * region.width, region.y + p.y * region.height]));
}

/** Box and five points of one mesh's real points in frame pixels. */
function faceFromPoints(mesh: readonly Point[]): DetectedFace {
  const xs = mesh.map((p) => p[0]);
  const ys = mesh.map((p) => p[1]);
  const x = Math.min(...xs), y = Math.min(...ys);
  return { box: { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y }, points5: fivePointsFromMesh(mesh.map(([px, py]) => ({ x: px, y: py }))) };
}

export class FaceLandmarks {
  private constructor(private landmarker: FaceLandmarker | null) {}

  static async create(options: LandmarkerOptions): Promise<FaceLandmarks> {
    const fileset = await wasmFileset(options.wasmBase, options.version);
    const landmarker = await FaceLandmarker.createFromOptions(fileset, {
      baseOptions: { modelAssetPath: versioned(options.landmarkerUrl, options.version), delegate: 'CPU' },
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

  /**
   * One pass: MediaPipe prepares its graph on the first call. A blank image runs the detector only;
   * a face (warmUpFace.ts) also runs the mesh network.
   */
  warmUp(image: ImageBitmap | ImageData = new ImageData(64, 64)): void {
    this.detect(image);
  }

  /** Faces in one video frame (landmarker created with mode 'video'); timestamps must increase. */
  detectVideoFrame(frame: ImageBitmap | ImageData, timestampMs: number): DetectedFace[] {
    if (!this.landmarker) throw new Error('face landmarker is closed');
    const region = { x: 0, y: 0, width: frame.width, height: frame.height };
    return this.landmarker.detectForVideo(frame, timestampMs).faceLandmarks.map((normalized) => faceFromMesh(normalized, region));
  }

  /**
   * Faces in a photo. Small photos get one landmark pass and the per-face refinement. A big photo
   * (a group photo, whose faces can be too small for the landmarker's 128-px short-range
   * detector) is first searched for face boxes, then each box gets its landmarks on a crop around
   * it (landmarksAt). With `detector` (the full-range detector) the search is one pass on a
   * scaled copy, plus strips along an extreme aspect ratio; without it (it could not be loaded,
   * say offline before it was ever cached) the landmarker searches the photo and 13 overlapping
   * tiles (tiles.ts), all on scaled copies, as it did before the full-range detector: the same
   * faces on the fixture photos, the landmark step taking 3-4 times as long (docs/BENCHMARKS.md).
   * `onFace` sees each face as soon as its landmarks are final, in the order of the result, so
   * the ages of the first faces can be computed elsewhere while the others are looked for.
   */
  async detectInPhoto(photo: ImageBitmap, detector?: FullRangeFaceDetector, onFace?: FaceListener): Promise<DetectedFace[]> {
    const { width, height } = photo;
    if (!needsSearch(width, height)) return this.refine(photo, this.detect(photo), onFace);
    const whole = { x: 0, y: 0, width, height };
    const found: (FirstPassFace & { tileArea: number })[] = [];
    const regions = [whole, ...(detector ? stripTiles(width, height) : photoTiles(width, height))];
    for (const region of regions) {
      const faces: FirstPassFace[] = detector ? await detector.detect(photo, region) : await this.detectScaled(photo, region);
      for (const face of faces) {
        if (region === whole || !cutByTileEdge(face.box, region, width, height)) found.push({ ...face, tileArea: region.width * region.height });
      }
    }
    return this.landmarksAt(photo, mergeFaces(found).map(({ box, points5 }) => ({ box, points5 })), onFace);
  }

  /** Landmarks on a copy of `region` of the photo scaled down to DETECTION_SIDE, in photo pixels. */
  private async detectScaled(photo: ImageBitmap, region: FaceBox): Promise<DetectedFace[]> {
    return withResizedCopy(photo, region, detectionSize(region.width, region.height), 'medium', (copy) => this.detect(copy, region));
  }

  /**
   * Final landmarks of each face on a crop around it, at up to REFINE_SIZE (or from the whole
   * photo for a face that fills most of it). The landmarker runs its own detector on the crop
   * first, which misses some faces at one crop size and finds them at another (MESH_CONTEXTS); a
   * face found at none keeps its first-pass points, and a box with none (from the full-range
   * detector) is dropped: the mesh never confirmed a face there.
   */
  private async landmarksAt(photo: ImageBitmap, first: readonly FirstPassFace[], onFace?: FaceListener): Promise<DetectedFace[]> {
    let wholePhoto: DetectedFace[] | undefined;
    const faces: DetectedFace[] = [];
    for (const face of first) {
      let best: DetectedFace | undefined;
      for (const context of MESH_CONTEXTS) {
        const region = refinementRegion(face.box, photo.width, photo.height, context);
        const candidates = region ? await this.detectInCrop(photo, region) : (wholePhoto ??= this.detect(photo));
        best = bestMatch(candidates, face.box);
        if (best || !region) break;
      }
      const final = best ?? (face.points5 ? { box: face.box, points5: face.points5 } : undefined);
      if (!final) continue;
      // Two first-pass faces (tiles that saw one face differently) can refine to the same face.
      if (faces.every((f) => iou(f.box, final.box) <= 0.5)) {
        faces.push(final);
        onFace?.(final);
      }
    }
    return faces;
  }

  /** Landmarks in a square crop of the frame, scaled to at most REFINE_SIZE, in frame pixels. */
  private async detectInCrop(frame: ImageBitmap, region: FaceBox): Promise<DetectedFace[]> {
    const side = Math.min(REFINE_SIZE, region.width);
    return withResizedCopy(frame, region, { width: side, height: side }, 'high', (crop) => this.detect(crop, region));
  }

  /**
   * Second pass per face on a crop around it. The detector's eye keypoints set the rotation of the
   * mesh's input crop, and seen in a whole frame at 128 px they are too coarse: tilted faces came
   * out 20-35 px off on the fixture photos. Re-running on a crop 2.5x the face size puts the points
   * on the eyes, nose and mouth. A face the second pass does not find again is kept as it was.
   * `onFace` sees each face as it is refined (see detectInPhoto).
   */
  async refine(frame: ImageBitmap, faces: readonly DetectedFace[], onFace?: FaceListener): Promise<DetectedFace[]> {
    const refined: DetectedFace[] = [];
    for (const face of faces) {
      const region = refinementRegion(face.box, frame.width, frame.height);
      const final = region ? (bestMatch(await this.detectInCrop(frame, region), face.box) ?? face) : face;
      refined.push(final);
      onFace?.(final);
    }
    return refined;
  }

  /**
   * Faces the normal passes missed, found on padded (and some mirrored) copies of the frame
   * (padding.ts PAD_VIEWS), merged: a face seen in several views is kept once, as the first view
   * saw it. Only faces whose nose lies inside the frame count (a padded canvas can show the
   * detector half a face at an edge as a whole one). For frames where the normal passes found
   * nothing.
   */
  detectPadded(frame: ImageBitmap, views: readonly PadView[] = PAD_VIEWS): DetectedFace[] {
    const faces: DetectedFace[] = [];
    for (const view of views) {
      for (const face of this.detectInView(frame, view)) {
        const [x, y] = face.points5[2];
        const inside = x >= 0 && y >= 0 && x < frame.width && y < frame.height;
        if (inside && faces.every((f) => iou(f.box, face.box) <= 0.3)) faces.push(face);
      }
    }
    return faces;
  }

  /** Faces on one padded view of the frame, in frame pixels. */
  private detectInView(frame: ImageBitmap, view: PadView): DetectedFace[] {
    if (!this.landmarker) throw new Error('face landmarker is closed');
    const { side, toCanvas } = padTransform(frame.width, frame.height, view);
    const canvas = new OffscreenCanvas(side, side);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2d canvas context in this worker');
    ctx.fillStyle = view.fill ?? PAD_FILL;
    ctx.fillRect(0, 0, side, side);
    ctx.setTransform(toCanvas.a, toCanvas.b, toCanvas.c, toCanvas.d, toCanvas.e, toCanvas.f);
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(frame, 0, 0);
    const bitmap = canvas.transferToImageBitmap();
    const toFrame = invertAffine(toCanvas);
    try {
      return this.landmarker.detect(bitmap).faceLandmarks.map((normalized) => {
        const face = faceFromPoints(normalized.slice(0, MESH_POINTS).map((p) => applyAffine(toFrame, [p.x * side, p.y * side])));
        if (!view.mirror) return face;
        // Mirrored, the mesh's "image-left" eye and mouth corner are on the right of the frame.
        const [l, r, nose, ml, mr] = face.points5;
        return { box: face.box, points5: [r, l, nose, mr, ml] };
      });
    } finally {
      bitmap.close();
    }
  }

  close(): void {
    this.landmarker?.close();
    this.landmarker = null;
  }
}

/** The face among `faces` overlapping `box` most (IoU above 0.3), if any. */
function bestMatch(faces: readonly DetectedFace[], box: FaceBox): DetectedFace | undefined {
  return faces.reduce<DetectedFace | undefined>((b, f) => (iou(f.box, box) > (b ? iou(b.box, box) : 0.3) ? f : b), undefined);
}
