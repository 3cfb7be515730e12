/**
 * DADL training of a member: Gaussian label distributions, KL loss, Adam with step decay, early
 * stopping on validation ε (best weights restored). What is trained is whatever model it is given:
 * the head alone on cached backbone features (fast), or the whole member with its last blocks
 * unfrozen on images streamed batch by batch. Shared by `npm run train` (Node) and the training
 * page (browser); no DOM, no file system.
 */
import * as tf from '@tensorflow/tfjs';
import { AGE_BINS, gaussianTarget, summarize } from '../distribution';
import { score } from '../metrics';
import { ageBalanceWeights, weightedOrder } from './balance';
import { klLoss } from './loss';
import { seededRandom, shuffleInPlace } from '../../util/random';

export interface FeatureSet {
  /** One row per sample (augmented variants of one image are separate rows). */
  features: Float32Array[];
  mean: number[];
  std: (number | undefined)[];
}

/** Labelled samples whose model inputs are made on demand, one batch at a time. */
export interface TrainingSet {
  mean: number[];
  std: (number | undefined)[];
  /** The model's input for these rows, in this order, as one tensor the caller disposes. */
  inputs(rows: number[]): tf.Tensor | Promise<tf.Tensor>;
}

/** Cached features as a TrainingSet; `shape` (per row) when the head takes more than a vector. */
export function featureSet(set: FeatureSet, shape?: number[]): TrainingSet {
  return {
    mean: set.mean,
    std: set.std,
    inputs(rows) {
      const width = set.features[0].length;
      const x = new Float32Array(rows.length * width);
      rows.forEach((i, r) => x.set(set.features[i], r * width));
      return shape ? tf.tensor(x, [rows.length, ...shape]) : tf.tensor2d(x, [rows.length, width]);
    },
  };
}

export interface HeadTrainingOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Multiply the learning rate by `decay` every `decayEvery` epochs. */
  decay: number;
  decayEvery: number;
  /** Stop after this many epochs without a better validation ε. */
  patience: number;
  /** Std for labels that have none (years). */
  defaultStd: number;
  seed: number;
  /** Age-balanced sampling exponent (balance.ts): 0 or absent trains on the rows as they are. */
  balance?: number;
  onEpoch?: (stats: EpochStats) => void | Promise<void>;
  /** After each training step (awaited: a caller can pause training here). */
  onBatch?: (stats: BatchStats) => void | Promise<void>;
  /** Checked between batches; training stops early (keeping the best weights) when it returns true. */
  shouldStop?: () => boolean;
}

export const DEFAULT_HEAD_TRAINING: Omit<HeadTrainingOptions, 'onEpoch' | 'onBatch' | 'shouldStop'> = {
  epochs: 30,
  batchSize: 64,
  learningRate: 1e-3,
  decay: 0.5,
  decayEvery: 8,
  patience: 6,
  defaultStd: 3,
  seed: 1,
};

export interface EpochStats {
  epoch: number;
  trainKl: number;
  validKl: number;
  validMae: number;
  validEpsilon: number;
  learningRate: number;
  best: boolean;
}

export interface BatchStats {
  epoch: number;
  /** 1-based, of `batches` in this epoch. */
  batch: number;
  batches: number;
  kl: number;
}

/** Deterministic shuffling, so runs are reproducible. */
function shuffled(n: number, seed: number): number[] {
  return shuffleInPlace(Array.from({ length: n }, (_, i) => i), seededRandom(seed));
}

function targets(set: TrainingSet, rows: number[], defaultStd: number): tf.Tensor2D {
  const y = new Float32Array(rows.length * AGE_BINS);
  rows.forEach((i, r) => y.set(gaussianTarget(set.mean[i], set.std[i] ?? defaultStd), r * AGE_BINS));
  return tf.tensor2d(y, [rows.length, AGE_BINS]);
}

/**
 * Validation: KL, and ε/MAE of the expected age (one row per image: pass un-augmented inputs),
 * predicted in batches so a streamed image set never sits in memory whole.
 */
export async function evaluateMember(model: tf.LayersModel, set: TrainingSet, defaultStd: number, batchSize = 256): Promise<{ kl: number; mae: number; epsilon: number; predicted: number[] }> {
  const predicted: number[] = [];
  let klSum = 0;
  for (let start = 0; start < set.mean.length; start += batchSize) {
    const rows = Array.from({ length: Math.min(batchSize, set.mean.length - start) }, (_, k) => start + k);
    const x = await set.inputs(rows);
    const y = targets(set, rows, defaultStd);
    try {
      const probs = model.predict(x) as tf.Tensor2D;
      const loss = klLoss(y, probs);
      klSum += (await loss.data())[0] * rows.length;
      const p = await probs.data();
      tf.dispose([probs, loss]);
      rows.forEach((_, r) => predicted.push(summarize(p.subarray(r * AGE_BINS, (r + 1) * AGE_BINS)).mean));
    } finally {
      tf.dispose([x, y]);
    }
  }
  const s = score(predicted.map((pred, i) => ({ predicted: pred, mean: set.mean[i], std: set.std[i] ?? defaultStd })));
  return { kl: klSum / Math.max(1, predicted.length), mae: s.mae, epsilon: s.epsilon!, predicted };
}

/**
 * Trains `model` in place (its trainable layers only) and leaves it holding the weights of the
 * epoch with the lowest validation ε. `model` may be a head sharing its layers with a full member
 * (train it on featureSet(...)) or a full member with some blocks unfrozen (train it on images).
 */
export async function trainMember(model: tf.LayersModel, train: TrainingSet, valid: TrainingSet, options: HeadTrainingOptions): Promise<EpochStats[]> {
  const optimizer = tf.train.adam(options.learningRate);
  model.compile({ optimizer, loss: klLoss });
  const history: EpochStats[] = [];
  let best = { epsilon: Infinity, weights: model.getWeights().map((w) => w.clone()) };
  let stale = 0;
  const balanceWeights = options.balance ? ageBalanceWeights(train.mean, options.balance) : undefined;
  try {
    for (let epoch = 1; epoch <= options.epochs && !options.shouldStop?.(); epoch++) {
      const learningRate = options.learningRate * options.decay ** Math.floor((epoch - 1) / options.decayEvery);
      (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
      const order = balanceWeights ? weightedOrder(balanceWeights, options.seed + epoch) : shuffled(train.mean.length, options.seed + epoch);
      const total = Math.ceil(order.length / options.batchSize);
      let klSum = 0;
      let batches = 0;
      for (let start = 0; start < order.length && !options.shouldStop?.(); start += options.batchSize) {
        const rows = order.slice(start, start + options.batchSize);
        const x = await train.inputs(rows);
        const y = targets(train, rows, options.defaultStd);
        let kl: number;
        try {
          kl = (await model.trainOnBatch(x, y)) as number;
        } finally {
          tf.dispose([x, y]);
        }
        klSum += kl;
        batches++;
        await options.onBatch?.({ epoch, batch: batches, batches: total, kl });
        await new Promise((r) => setTimeout(r, 0)); // let a UI or a progress bar breathe
      }
      if (options.shouldStop?.()) break;
      const v = await evaluateMember(model, valid, options.defaultStd);
      const improved = v.epsilon < best.epsilon;
      if (improved) {
        tf.dispose(best.weights);
        best = { epsilon: v.epsilon, weights: model.getWeights().map((w) => w.clone()) };
        stale = 0;
      } else stale++;
      const stats = { epoch, trainKl: klSum / Math.max(1, batches), validKl: v.kl, validMae: v.mae, validEpsilon: v.epsilon, learningRate, best: improved };
      history.push(stats);
      await options.onEpoch?.(stats);
      if (stale >= options.patience) break;
    }
    model.setWeights(best.weights);
    return history;
  } finally {
    tf.dispose(best.weights);
    optimizer.dispose();
  }
}
