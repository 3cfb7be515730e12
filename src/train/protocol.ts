/**
 * Messages between the training page and its worker (preprocessing and training both run there,
 * so the page's thread only draws). Plain data; image files travel as Blobs (shared, not copied).
 */
import type { BackendName } from '../runtime/backendChoice';
import type { Split } from '../data/dataset';

export interface TrainingSettings {
  /** Member ids of the base ensemble to fine-tune; the others keep their weights. */
  members: string[];
  /** 0: heads only (backbone features cached once); N: heads and the last N backbone blocks. */
  blocks: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Horizontal flips (heads only: a mirrored copy of every face; with blocks: random per batch). */
  mirror: boolean;
  /** Stop after this many epochs without a better validation ε. */
  patience: number;
}

export const DEFAULT_TRAINING_SETTINGS: TrainingSettings = {
  members: [],
  blocks: 0,
  epochs: 10,
  batchSize: 32,
  learningRate: 1e-3,
  mirror: true,
  patience: 4,
};

export interface SampleIn {
  index: number;
  path: string;
  file: Blob;
  mean: number;
  std: number;
  split: Split;
}

export type TrainRequest =
  | { type: 'init'; forcedBackend?: BackendName; ensembleUrl: string; mediapipeBase: string }
  | { type: 'preprocess'; samples: SampleIn[] }
  /** `resume`: start from the last checkpoint (its samples, settings and weights). */
  | { type: 'train'; settings: TrainingSettings; resume?: boolean }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'cancel' }
  | { type: 'save'; name: string }
  | { type: 'export'; name: string };

export interface MemberOption {
  id: string;
  name: string;
  weight: number;
  /** Why it cannot be fine-tuned here (not a FaceRes-family model), if so. */
  notTrainable?: string;
}

export interface Metrics {
  n: number;
  mae: number;
  epsilon: number;
  cs5: number;
}

export interface ResultRow {
  id: string;
  name: string;
  before: Metrics;
  after: Metrics;
}

export type TrainMessage =
  | { type: 'ready'; backend: BackendName; backendReason: string; ensembleName: string; members: MemberOption[] }
  | { type: 'preprocessed-one'; index: number; crop?: Blob; rejected?: string; cached: boolean }
  | { type: 'preprocess-progress'; done: number; total: number; etaSeconds: number }
  | { type: 'preprocess-done'; accepted: number; rejected: number; cached: number; seconds: number }
  | { type: 'phase'; message: string }
  | { type: 'batch'; member: string; epoch: number; batch: number; batches: number; kl: number; etaSeconds: number }
  | { type: 'epoch'; member: string; epoch: number; trainKl: number; validKl: number; validMae: number; validEpsilon: number; best: boolean }
  | { type: 'paused' }
  | { type: 'resumed' }
  | {
      type: 'trained';
      rows: ResultRow[];
      weightsBefore: number[];
      weightsAfter: number[];
      cancelled: boolean;
      seconds: number;
      /** Training steps only (inputs made, forward, backward, update), validation excluded. */
      trainImagesPerSecond: number;
      /** Heads only: the one-off backbone feature pass. */
      featureImagesPerSecond?: number;
    }
  | { type: 'checkpoint-available'; savedAt: string; epoch: number; member: string; completed: string[]; settings: TrainingSettings; faces: number }
  | { type: 'saved'; name: string }
  | { type: 'exported'; name: string; zip: Uint8Array }
  | { type: 'error'; message: string; during: 'init' | 'preprocess' | 'train' | 'save' };
