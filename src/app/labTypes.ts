/** Types of the `window.agedistLab` API (lab.ts), shared with the Node scripts that drive it. */
import type { StageTimings } from '../worker/protocol';

export interface LabFace {
  box: { x: number; y: number; width: number; height: number };
  points5: [number, number][];
  mean: number;
  std: number;
  distribution: number[];
  members: { id: string; mean: number; std: number; distribution: number[] }[];
}

export interface LabResult {
  width: number;
  height: number;
  timings: StageTimings;
  faces: LabFace[];
}

export interface AgedistLab {
  ready: Promise<unknown>;
  estimate: (bytes: Uint8Array, kind?: 'photo' | 'video') => Promise<LabResult>;
}

declare global {
  interface Window {
    agedistLab: AgedistLab;
  }
}
