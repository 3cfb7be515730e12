import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gaussianTarget } from '../distribution';
import { publicFileFetch, TEST_ORIGIN } from '../../test/fileFetch';
import { FaceResNet } from './faceResNet';
import { klLoss } from './loss';

describe('FaceResNet (trainable rebuild of the FaceRes graph model)', () => {
  let graph: tf.GraphModel;
  let net: FaceResNet;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    graph = await tf.loadGraphModel(`${TEST_ORIGIN}models/faceres-deep/model.json`, { fetchFunc: publicFileFetch });
    net = FaceResNet.fromGraphModel(graph);
  });
  afterAll(() => {
    net?.dispose();
    graph?.dispose();
  });

  it('gives the graph model’s age distribution before training (ages 1..100, tolerance 1e-4)', async () => {
    // A preprocessed input (BGR minus ImageNet mean): pixel values spread over the 0..255 range.
    const x = tf.tidy(() => tf.sub(tf.randomUniform([2, 224, 224, 3], 0, 255, 'float32', 7), tf.tensor1d([103.939, 116.779, 123.68]))) as tf.Tensor4D;
    const expected = graph.execute(x, 'age_pred/Softmax:0') as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const got = net.predict(x);
    expect(tf.memory().numTensors).toBe(before + 1); // only the result
    expect(got.shape).toEqual([2, 101]);
    const e = (await expected.array()) as number[][];
    const g = (await got.array()) as number[][];
    for (let i = 0; i < 2; i++) {
      expect(g[i][0]).toBeLessThan(1e-9); // the new age-0 bin starts empty
      for (let age = 1; age <= 100; age++) expect(Math.abs(g[i][age] - e[i][age - 1])).toBeLessThan(1e-4);
    }
    tf.dispose([x, expected, got]);
  });

  it('one training step on synthetic samples lowers the KL loss and leaves frozen blocks alone', async () => {
    net.setTrainable(1); // head + block 13
    // MobileNet is fully convolutional up to the global pooling, so small inputs keep this fast.
    const x = tf.randomUniform([4, 32, 32, 3], -100, 150, 'float32', 3) as tf.Tensor4D;
    const targets = tf.tensor2d([10, 25, 40, 70].map((age) => Array.from(gaussianTarget(age, 4))));
    const loss = () => klLoss(targets, net.logits(x));
    const measure = async () => {
      const l = loss();
      const value = (await l.data())[0];
      l.dispose();
      return value;
    };
    const stemOut = net.backbone(x, 0);
    const stemBefore = await stemOut.data();
    stemOut.dispose();
    const lossBefore = await measure();
    const optimizer = tf.train.adam(1e-3);
    for (let step = 0; step < 3; step++) optimizer.minimize(loss, true, net.trainableVariables())?.dispose();
    expect(await measure()).toBeLessThan(lossBefore);
    const stemAfter = net.backbone(x, 0);
    expect(Array.from(await stemAfter.data())).toEqual(Array.from(stemBefore));
    stemAfter.dispose();
    expect(net.trainableVariables().length).toBe(4 + 4); // block 13 (4) + feats and age (4)
    optimizer.dispose();
    tf.dispose([x, targets]);
  });
});

describe('klLoss', () => {
  it('is zero when the prediction equals the target and matches a hand value otherwise', async () => {
    const target = tf.tensor2d([[0.5, 0.5]]);
    expect((await klLoss(target, tf.tensor2d([[0, 0]])).data())[0]).toBeCloseTo(0, 6);
    // softmax([0, ln 3]) = [0.25, 0.75]; KL([.5,.5] ‖ [.25,.75]) = 0.5 ln 2 + 0.5 ln(2/3)
    expect((await klLoss(target, tf.tensor2d([[0, Math.log(3)]])).data())[0]).toBeCloseTo(0.5 * Math.log(2) + 0.5 * Math.log(2 / 3), 6);
  });
});
