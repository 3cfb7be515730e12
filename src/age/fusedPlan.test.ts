import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import '../test/wasmBackend';
import { publicFileFetch, TEST_ORIGIN } from '../test/fileFetch';
import { fusedPlan } from './fusedPlan';

/** A MobileNet-shaped chain: linear convolutions each followed by a ReLU layer, pooled, two dense layers. */
function tinyChain(seed: number): tf.LayersModel {
  const init = (s: number) => tf.initializers.randomNormal({ stddev: 0.3, seed: seed + s });
  const input = tf.input({ shape: [12, 12, 3] });
  let x = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: init(1), biasInitializer: init(2) }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.reLU({ maxValue: 6 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthwiseInitializer: init(3), biasInitializer: init(4) }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({}).apply(x) as tf.SymbolicTensor;
  x = tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'valid', depthMultiplier: 2, depthwiseInitializer: init(5), biasInitializer: init(6) }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 6, kernelSize: 1, activation: 'relu', kernelInitializer: init(7), biasInitializer: init(8) }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: 5, activation: 'relu', kernelInitializer: init(9), biasInitializer: init(10) }).apply(x) as tf.SymbolicTensor;
  const output = tf.layers.dense({ units: 101, activation: 'softmax', kernelInitializer: init(11) }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

async function expectSameOutput(model: tf.LayersModel, x: tf.Tensor4D, tolerance: number): Promise<void> {
  const plan = fusedPlan(model);
  expect(plan).toBeDefined();
  const want = model.predict(x) as tf.Tensor;
  const before = tf.memory().numTensors;
  const got = plan!(x);
  expect(tf.memory().numTensors).toBe(before + 1); // the output only: every intermediate freed
  expect(got.shape).toEqual(want.shape);
  const [g, w] = [await got.data(), await want.data()];
  let worst = 0;
  for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(g[i] - w[i]));
  expect(worst).toBeLessThan(tolerance);
  tf.dispose([want, got]);
}

describe('fusedPlan', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`gives model.predict's output on a conv/ReLU chain (${backend})`, async () => {
      await tf.setBackend(backend);
      const model = tinyChain(1);
      const x = tf.randomUniform([3, 12, 12, 3], -2, 2, 'float32', 3) as tf.Tensor4D;
      await expectSameOutput(model, x, 1e-6);
      x.dispose();
      model.dispose();
    });
  }

  it('computes with the layers’ current weights (a member being fine-tuned)', async () => {
    await tf.setBackend('cpu');
    const model = tinyChain(2);
    const plan = fusedPlan(model)!;
    const x = tf.randomUniform([1, 12, 12, 3], -2, 2, 'float32', 4) as tf.Tensor4D;
    const before = plan(x);
    const last = model.layers[model.layers.length - 1];
    last.setWeights(last.getWeights().map((w) => tf.mul(w, 3)));
    await expectSameOutput(model, x, 1e-6);
    const after = plan(x);
    expect(Math.max(...(await tf.abs(tf.sub(after, before)).data()))).toBeGreaterThan(1e-4);
    tf.dispose([x, before, after]);
    model.dispose();
  });

  it('declines what it does not know: a branch, batch norm, another activation', async () => {
    await tf.setBackend('cpu');
    const input = tf.input({ shape: [8, 8, 3] });
    const a = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
    const b = tf.layers.conv2d({ filters: 4, kernelSize: 1 }).apply(input) as tf.SymbolicTensor;
    const sum = tf.layers.add().apply([a, b]) as tf.SymbolicTensor;
    const pooled = tf.layers.globalAveragePooling2d({}).apply(sum) as tf.SymbolicTensor;
    const branched = tf.model({ inputs: input, outputs: pooled });
    const withNorm = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3 }), tf.layers.batchNormalization(), tf.layers.globalAveragePooling2d({})] });
    const tanh = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, activation: 'tanh' }), tf.layers.globalAveragePooling2d({})] });
    for (const model of [branched, withNorm, tanh]) {
      expect(fusedPlan(model)).toBeUndefined();
      model.dispose();
    }
  });

  it('plans a sequential model too', async () => {
    await tf.setBackend('cpu');
    const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3 }), tf.layers.reLU({}), tf.layers.flatten(), tf.layers.dense({ units: 3 })] });
    const x = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    await expectSameOutput(model, x, 1e-6);
    x.dispose();
    model.dispose();
  });

  it('plans the shipped default members and gives their output (wasm, 224 px)', async () => {
    await tf.setBackend('wasm');
    for (const id of ['faceres-deep-dadl-b2', 'faceres-dadl']) {
      const model = await tf.loadLayersModel(`${TEST_ORIGIN}models/${id}/model.json`, { fetchFunc: publicFileFetch });
      const x = tf.tidy(() => tf.sub(tf.randomUniform([1, 224, 224, 3], 0, 255, 'float32', 6), tf.tensor1d([103.939, 116.779, 123.68]))) as tf.Tensor4D;
      await expectSameOutput(model, x, 1e-5);
      x.dispose();
      model.dispose();
    }
  });
});
