/**
 * DADL training of a member's head on cached backbone features: Gaussian label distributions,
 * KL loss, Adam with step decay, early stopping on validation ε (best weights restored).
 * Shared by `npm run train` (Node) and the training page (browser); no DOM, no file system.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussianTarget, summarize } from '../distribution';
import { score } from '../metrics';
import { klLoss } from './loss';
import { seededRandom } from '../../util/random';

export interface FeatureSet {
  /** One row per sample (augmented variants of one image are separate rows). */
  features: Float32Array[];
  mean: number[];
  std: (number | undefined)[];
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
  onEpoch?: (stats: EpochStats) => void | Promise<void>;
  /** Checked between batches; training stops early (keeping the best weights) when it returns true. */
  shouldStop?: () => boolean;
}

export const DEFAULT_HEAD_TRAINING: Omit<HeadTrainingOptions, 'onEpoch' | 'shouldStop'> = {
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

/** Deterministic shuffling, so runs are reproducible. */
function shuffled(n: number, seed: number): number[] {
  const random = seededRandom(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

function batchTensors(set: FeatureSet, idx: number[], defaultStd: number) {
  const width = set.features[0].length;
  const x = new Float32Array(idx.length * width);
  const y = new Float32Array(idx.length * 101);
  idx.forEach((i, r) => {
    x.set(set.features[i], r * width);
    y.set(gaussianTarget(set.mean[i], set.std[i] ?? defaultStd), r * 101);
  });
  return { x: tf.tensor2d(x, [idx.length, width]), y: tf.tensor2d(y, [idx.length, 101]) };
}

/** Validation: KL, and ε/MAE of the expected age (one row per image: pass un-augmented features). */
export async function evaluateHead(head: tf.LayersModel, set: FeatureSet, defaultStd: number): Promise<{ kl: number; mae: number; epsilon: number; predicted: number[] }> {
  const idx = set.features.map((_, i) => i);
  const { x, y } = batchTensors(set, idx, defaultStd);
  try {
    const probs = head.predict(x) as tf.Tensor2D;
    const loss = klLoss(y, probs);
    const [kl] = await loss.data();
    const p = await probs.data();
    tf.dispose([probs, loss]);
    const predicted = idx.map((i) => summarize(p.subarray(i * 101, (i + 1) * 101)).mean);
    const s = score(predicted.map((pred, i) => ({ predicted: pred, mean: set.mean[i], std: set.std[i] ?? defaultStd })));
    return { kl, mae: s.mae, epsilon: s.epsilon!, predicted };
  } finally {
    tf.dispose([x, y]);
  }
}

/**
 * Trains `head` (1024-d features → 101 ages, its layers shared with the full model) in place and
 * leaves it holding the weights of the epoch with the lowest validation ε.
 */
export async function trainHead(head: tf.LayersModel, train: FeatureSet, valid: FeatureSet, options: HeadTrainingOptions): Promise<EpochStats[]> {
  const optimizer = tf.train.adam(options.learningRate);
  head.compile({ optimizer, loss: klLoss });
  const history: EpochStats[] = [];
  let best = { epsilon: Infinity, weights: head.getWeights().map((w) => w.clone()) };
  let stale = 0;
  try {
    for (let epoch = 1; epoch <= options.epochs && !options.shouldStop?.(); epoch++) {
      const learningRate = options.learningRate * options.decay ** Math.floor((epoch - 1) / options.decayEvery);
      (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
      const order = shuffled(train.features.length, options.seed + epoch);
      let klSum = 0;
      let batches = 0;
      for (let start = 0; start < order.length && !options.shouldStop?.(); start += options.batchSize) {
        const { x, y } = batchTensors(train, order.slice(start, start + options.batchSize), options.defaultStd);
        klSum += (await head.trainOnBatch(x, y)) as number;
        batches++;
        tf.dispose([x, y]);
        await new Promise((r) => setTimeout(r, 0)); // let a UI or a progress bar breathe
      }
      const v = await evaluateHead(head, valid, options.defaultStd);
      const improved = v.epsilon < best.epsilon;
      if (improved) {
        tf.dispose(best.weights);
        best = { epsilon: v.epsilon, weights: head.getWeights().map((w) => w.clone()) };
        stale = 0;
      } else stale++;
      const stats = { epoch, trainKl: klSum / Math.max(1, batches), validKl: v.kl, validMae: v.mae, validEpsilon: v.epsilon, learningRate, best: improved };
      history.push(stats);
      await options.onEpoch?.(stats);
      if (stale >= options.patience) break;
    }
    head.setWeights(best.weights);
    return history;
  } finally {
    tf.dispose(best.weights);
    optimizer.dispose();
  }
}
