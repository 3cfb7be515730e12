/**
 * Where the faces of a group photo are: MediaPipe's full-range face detector (BlazeFace at 192 px,
 * made to find small faces), boxes only, no mesh. One pass on a scaled copy of a 1920-px group
 * photo finds faces the short-range detector inside the landmarker sees only in 13 tiles (see
 * FaceLandmarks.detectInPhoto). Lifetime: create → detect … → close.
 */
import { FaceDetector } from '@mediapipe/tasks-vision';
import { versioned, wasmFileset, type MediapipeFiles } from './mediapipeFiles';
import { boxInRegion, type FaceBox } from '../geometry/box';
import { detectionSize } from './tiles';
import { withResizedCopy } from './resizedCopy';

/** Where the files are: mediapipeFiles(base) (src/face/mediapipeFiles.ts) gives them all. */
export interface FaceDetectorOptions extends Pick<MediapipeFiles, 'wasmBase' | 'detectorUrl' | 'version'> {
  /** Minimum detection score. Default 0.5, MediaPipe's own default. */
  minDetectionConfidence?: number;
}

export interface FoundFace {
  /** The detector's box, in the pixels of the frame the searched region was cut from. */
  box: FaceBox;
  score: number;
}

export class FullRangeFaceDetector {
  private constructor(private detector: FaceDetector | null) {}

  static async create(options: FaceDetectorOptions): Promise<FullRangeFaceDetector> {
    const fileset = await wasmFileset(options.wasmBase, options.version, 'detector');
    const detector = await FaceDetector.createFromOptions(fileset, {
      baseOptions: { modelAssetPath: versioned(options.detectorUrl, options.version), delegate: 'CPU' },
      runningMode: 'IMAGE',
      minDetectionConfidence: options.minDetectionConfidence ?? 0.5,
    });
    return new FullRangeFaceDetector(detector);
  }

  /**
   * Faces in `region` of `frame` (default: all of it), searched on a copy scaled down to
   * DETECTION_SIDE: the detector sees 192 px anyway.
   */
  async detect(frame: ImageBitmap, region: FaceBox = { x: 0, y: 0, width: frame.width, height: frame.height }): Promise<FoundFace[]> {
    const detector = this.detector;
    if (!detector) throw new Error('face detector is closed');
    const size = detectionSize(region.width, region.height);
    return withResizedCopy(frame, region, size, 'medium', (copy) =>
      detector.detect(copy).detections.flatMap((d) => {
        const b = d.boundingBox;
        if (!b) return [];
        return [{ box: boxInRegion({ x: b.originX, y: b.originY, width: b.width, height: b.height }, size, region), score: d.categories[0]?.score ?? 0 }];
      }),
    );
  }

  /** One pass on a small blank image: MediaPipe prepares its graph on the first call. */
  warmUp(): void {
    this.detector?.detect(new ImageData(64, 64));
  }

  close(): void {
    this.detector?.close();
    this.detector = null;
  }
}
