/**
 * Types of the `window.agedistLab` API (src/app/lab.ts): the worker's results as plain JSON,
 * shared with the Node scripts that drive it and with npm run score (src/score).
 */
import type { StageTimings } from './protocol';

export interface LabFace {
  box: { x: number; y: number; width: number; height: number };
  points5: [number, number][];
  /** The age the app shows (AgeSummary.age: the expected age or the median, as the ensemble says). */
  age: number;
  median: number;
  /** Expected age. */
  mean: number;
  std: number;
  distribution: number[];
  members: { id: string; age: number; median: number; mean: number; std: number; distribution: number[] }[];
}

export interface LabResult {
  width: number;
  height: number;
  timings: StageTimings;
  faces: LabFace[];
}

export interface LabDetection {
  width: number;
  height: number;
  faces: { box: LabFace['box']; points5: [number, number][] }[];
}

export interface AgedistLab {
  /** Resolves when the models are loaded, with the ensemble's member ids in order. */
  ready: Promise<{ backend: string; members: string[] }>;
  estimate: (bytes: Uint8Array, kind?: 'photo' | 'video') => Promise<LabResult>;
  /** Landmarks only: the faces' boxes and five points, no age models. */
  detect: (bytes: Uint8Array, kind?: 'photo' | 'video') => Promise<LabDetection>;
}

declare global {
  interface Window {
    agedistLab: AgedistLab;
  }
}
