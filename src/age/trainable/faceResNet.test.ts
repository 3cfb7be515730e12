import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gaussianTarget } from '../distribution';
import { publicFileFetch, TEST_ORIGIN } from '../../test/fileFetch';
import { faceResArchitecture, faceResFromGraphModel, lastFrozenLayer, setTrainableBlocks, splitAfter, splitAtPooling } from './faceResNet';
import { klLoss } from './loss';

describe('trainable FaceRes (tf.layers rebuild of the graph model)', () => {
  let graph: tf.GraphModel;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    graph = await tf.loadGraphModel(`${TEST_ORIGIN}models/faceres-deep/model.json`, { fetchFunc: publicFileFetch });
  });
  afterAll(() => graph?.dispose());

  it('gives the graph model’s age distribution before training (ages 1..100, tolerance 1e-4)', async () => {
    const model = faceResFromGraphModel(graph);
    // A preprocessed input (BGR minus ImageNet mean): pixel values spread over the 0..255 range.
    const x = tf.tidy(() => tf.sub(tf.randomUniform([2, 224, 224, 3], 0, 255, 'float32', 7), tf.tensor1d([103.939, 116.779, 123.68])));
    const expected = graph.execute(x, 'age_pred/Softmax:0') as tf.Tensor2D;
    const got = model.predict(x) as tf.Tensor2D;
    expect(got.shape).toEqual([2, 101]);
    const e = (await expected.array()) as number[][];
    const g = (await got.array()) as number[][];
    for (let i = 0; i < 2; i++) {
      expect(g[i][0]).toBeLessThan(1e-9); // the new age-0 bin starts empty
      for (let age = 1; age <= 100; age++) expect(Math.abs(g[i][age] - e[i][age - 1])).toBeLessThan(1e-4);
    }
    tf.dispose([x, expected, got]);
    model.dispose();
  });

  it('the head split off at the pooling shares weights and gives the same output', async () => {
    const model = faceResFromGraphModel(graph, 32);
    const { features, head } = splitAtPooling(model);
    const x = tf.randomUniform([2, 32, 32, 3], -100, 150, 'float32', 5);
    const whole = model.predict(x) as tf.Tensor;
    const f = features.predict(x) as tf.Tensor;
    const parts = head.predict(f) as tf.Tensor;
    expect(f.shape).toEqual([2, 1024]);
    expect(Array.from(await parts.data())).toEqual(Array.from(await whole.data()));
    tf.dispose([x, whole, f, parts]);
    model.dispose();
  });

  it('split before the last 2 blocks, the two parts chain to the whole model', async () => {
    const model = faceResFromGraphModel(graph, 64);
    const { features, head } = splitAfter(model, lastFrozenLayer(2));
    expect(lastFrozenLayer(2)).toBe('block11_pw_relu');
    const x = tf.randomUniform([2, 64, 64, 3], -100, 150, 'float32', 6);
    const whole = model.predict(x) as tf.Tensor;
    const f = features.predict(x) as tf.Tensor;
    const parts = head.predict(f) as tf.Tensor;
    expect(f.shape).toEqual([2, 4, 4, 512]);
    expect(Array.from(await parts.data())).toEqual(Array.from(await whole.data()));
    tf.dispose([x, whole, f, parts]);
    model.dispose();
  });

  it('one training step on synthetic samples lowers the KL loss and leaves frozen layers alone', async () => {
    // The layers are fully convolutional up to the global pooling, so small inputs keep this fast.
    const model = faceResFromGraphModel(graph, 32);
    setTrainableBlocks(model, 1); // head + block 13
    expect(model.trainableWeights.map((w) => w.name.split('/')[0])).toEqual(['block13_dw', 'block13_dw', 'block13_pw', 'block13_pw', 'feats', 'feats', 'age', 'age']);
    const x = tf.randomUniform([4, 32, 32, 3], -100, 150, 'float32', 3);
    const targets = tf.tensor2d([10, 25, 40, 70].map((age) => Array.from(gaussianTarget(age, 4))));
    const stemBefore = model.getLayer('stem').getWeights()[0].dataSync().slice();
    model.compile({ optimizer: tf.train.adam(1e-3), loss: klLoss });
    const first = await model.trainOnBatch(x, targets);
    await model.trainOnBatch(x, targets);
    const after = (await model.evaluate(x, targets) as tf.Scalar).dataSync()[0];
    expect(after).toBeLessThan(first as number);
    expect(Array.from(model.getLayer('stem').getWeights()[0].dataSync())).toEqual(Array.from(stemBefore));
    tf.dispose([x, targets]);
    model.dispose();
  });

  it('builds at other input sizes with the same weights shapes', () => {
    const small = faceResArchitecture(64);
    expect(small.outputs[0].shape).toEqual([null, 101]);
    small.dispose();
  });
});

describe('klLoss', () => {
  it('is zero when the prediction equals the target and matches a hand value otherwise', async () => {
    const target = tf.tensor2d([[0.5, 0.5]]);
    expect((await klLoss(target, tf.tensor2d([[0.5, 0.5]])).data())[0]).toBeCloseTo(0, 6);
    // KL([.5,.5] ‖ [.25,.75]) = 0.5 ln 2 + 0.5 ln(2/3)
    expect((await klLoss(target, tf.tensor2d([[0.25, 0.75]])).data())[0]).toBeCloseTo(0.5 * Math.log(2) + 0.5 * Math.log(2 / 3), 6);
  });
});
