/**
 * What the live webcam pipeline (livePipeline.ts) hands the page: the faces of each frame with
 * their latest and fused ages, its running statistics, and the options it is made with.
 */
import type { FusedAge } from '../age/temporal';
import type { FaceBox } from '../geometry/box';
import type { FivePoints } from '../geometry/points';
import type { AgeWorkerClient } from './client';
import type { AgeResult } from './protocol';

export interface LiveFace {
  trackId: number;
  box: FaceBox;
  points5: FivePoints;
  /** The newest frame's ensemble estimate (undefined until the first age run). */
  latest?: AgeResult;
  /** The estimate fused over the frames seen so far. */
  fused?: FusedAge;
  /** Ensemble runs on this face so far. */
  ageUpdates: number;
}

export interface LiveFrame {
  width: number;
  height: number;
  /** In track order, so "Face 1" stays the same person while they stay. */
  faces: LiveFace[];
  /** performance.now() of the frame the landmarks are from. */
  at: number;
}

/** One age update, kept for measurement (bench, tests): the raw and fused expected ages. */
export interface AgeTraceEntry {
  at: number;
  trackId: number;
  raw: number;
  fused: number;
  fusedStd: number;
  rawStd: number;
}

export interface LiveStats {
  overlayFps: number;
  videoFps: number;
  /** Age updates per second for each visible track (over the last 3 s). */
  agesPerSecond: Record<number, number>;
  /** Ages are held back right now (the overlay lags). */
  holding: boolean;
  /** Taking the newest camera frame and its landmark-sized copy, on the page (ms). */
  grabMs: number;
  /** The landmark worker's time for the newest frame (ms). */
  landmarkMs: number;
  ageMs: number;
  overlayFrames: number;
  /** Camera frames presented so far (the overlay can draw no more than these). */
  videoFrames: number;
}

export interface LiveOptions {
  mediapipeBase: string;
  ages: AgeWorkerClient;
  onFrame: (frame: LiveFrame) => void;
  onError: (message: string) => void;
  maxFaces?: number;
}
