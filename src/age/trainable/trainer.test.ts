import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import '../../test/wasmBackend';
import { registerWasmTrainingKernels } from '../../runtime/wasmTrainingKernels';
import { faceResArchitecture, lastFrozenLayer, setTrainableBlocks, splitAfter } from './faceResNet';
import { DEFAULT_HEAD_TRAINING, evaluateMember, featureSet, trainMember, type FeatureSet, type TrainingSet } from './trainer';

/** Synthetic "features" that encode the age, so a head can learn it. */
function set(ages: number[]): FeatureSet {
  return {
    features: ages.map((a) => Float32Array.from([a / 100, Math.sin(a / 10), Math.cos(a / 10), 1])),
    mean: ages,
    std: ages.map(() => 4),
  };
}

describe('trainMember on cached features (a head)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('lowers validation ε, reports every epoch and keeps the best epoch’s weights', async () => {
    const head = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 32, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }), tf.layers.dense({ units: 101, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) })] });
    const train = set(Array.from({ length: 200 }, (_, i) => 5 + ((i * 37) % 80)));
    const valid = set([12, 25, 33, 47, 58, 71]);
    const before = await evaluateMember(head, featureSet(valid), 3);
    const seen: number[] = [];
    const history = await trainMember(head, featureSet(train), featureSet(valid), { ...DEFAULT_HEAD_TRAINING, epochs: 12, learningRate: 0.02, batchSize: 32, onEpoch: (s) => void seen.push(s.epoch) });
    expect(seen).toEqual(history.map((h) => h.epoch));
    const after = await evaluateMember(head, featureSet(valid), 3);
    expect(after.epsilon).toBeLessThan(before.epsilon);
    expect(after.epsilon).toBeCloseTo(Math.min(...history.map((h) => h.validEpsilon)), 5); // best weights restored
    expect(history[history.length - 1].trainKl).toBeLessThan(history[0].trainKl);
    head.dispose();
  });

  it('stops when asked, between batches', async () => {
    const head = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 101, activation: 'softmax' })] });
    const history = await trainMember(head, featureSet(set([20, 30, 40])), featureSet(set([25])), { ...DEFAULT_HEAD_TRAINING, epochs: 50, shouldStop: () => true });
    expect(history).toEqual([]);
    head.dispose();
  });
});

describe('trainMember with the last blocks unfrozen, on wasm, from a streamed set', () => {
  it('lowers the training KL, asks for one batch at a time and frees what it made', async () => {
    await tf.setBackend('wasm');
    registerWasmTrainingKernels();
    const model = faceResArchitecture(32);
    setTrainableBlocks(model, 2);
    const { features: frozen, head: tail } = splitAfter(model, lastFrozenLayer(2));
    // "Images" whose brightness encodes the age, made on demand like decoded and aligned crops.
    const ages = Array.from({ length: 48 }, (_, i) => 10 + ((i * 29) % 60));
    const requested: number[] = [];
    const images = (mean: number[]): TrainingSet => ({
      mean,
      std: mean.map(() => 5),
      inputs: (rows) => {
        requested.push(rows.length);
        return tf.tidy(() => frozen.predict(tf.stack(rows.map((i) => tf.fill([32, 32, 3], mean[i] - 40)))) as tf.Tensor);
      },
    });
    const before = tf.memory().numTensors;
    const history = await trainMember(tail, images(ages), images([15, 35, 55]), { ...DEFAULT_HEAD_TRAINING, epochs: 4, batchSize: 16, learningRate: 3e-3 });
    expect(tf.memory().numTensors).toBe(before);
    expect(Math.max(...requested)).toBeLessThanOrEqual(16);
    expect(history[history.length - 1].trainKl).toBeLessThan(history[0].trainKl);
    model.dispose();
    await tf.setBackend('cpu');
  });
});
