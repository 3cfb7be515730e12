/**
 * Messages between the page and the live landmark worker (webcam). Frames are transferred
 * ImageBitmaps; answers are plain data. Ages are not computed here (see ageScheduler.ts).
 */
import type { Detection } from '../face/tracker';
import type { RawFrame } from '../runtime/rawFrame';

export interface LiveInitRequest {
  type: 'init';
  /** Absolute URL of the folder with tasks-vision's wasm and face_landmarker.task. */
  mediapipeBase: string;
  maxFaces: number;
}

export interface LiveFrameRequest {
  type: 'frame';
  id: number;
  /**
   * The camera frame: raw planes (converted and scaled to `maxSide` by the worker), or where the
   * browser lacks WebCodecs a bitmap the page already scaled (closed by the worker).
   */
  frame: ImageBitmap | RawFrame;
  maxSide: number;
  /** The camera frame's size: answers are given in its pixels. */
  cameraWidth: number;
  cameraHeight: number;
  /** Strictly increasing (MediaPipe's video mode requires it), ms. */
  timestampMs: number;
}

export type LiveRequest = LiveInitRequest | LiveFrameRequest;

export interface LiveReadyMessage {
  type: 'ready';
  loadMs: number;
}

export interface LiveLandmarksMessage {
  type: 'landmarks';
  id: number;
  /** The camera frame's size; faces are in its pixels. */
  width: number;
  height: number;
  faces: Detection[];
  landmarksMs: number;
}

export interface LiveErrorMessage {
  type: 'error';
  id?: number;
  message: string;
}

export type LiveMessage = LiveReadyMessage | LiveLandmarksMessage | LiveErrorMessage;
