import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import '../test/wasmBackend';
import { depthwiseFilterGradient, registerWasmTrainingKernels } from './wasmTrainingKernels';

/** Gradients of sum(op(x, w) · r) with respect to x and w, on one backend. */
type Shape4 = [number, number, number, number];

async function gradients(backend: string, op: (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D, xShape: Shape4, wShape: Shape4) {
  await tf.setBackend(backend);
  const x = tf.randomUniform(xShape, -1, 1, 'float32', 1) as tf.Tensor4D;
  const w = tf.randomUniform(wShape, -1, 1, 'float32', 2) as tf.Tensor4D;
  const before = tf.memory().numTensors;
  const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => {
    const y = op(a as tf.Tensor4D, b as tf.Tensor4D);
    return tf.sum(tf.mul(y, tf.randomUniform(y.shape, -1, 1, 'float32', 3)));
  })([x, w]);
  const result = { dx: await dx.data(), dw: await dw.data() };
  tf.dispose([dx, dw]);
  const leaked = tf.memory().numTensors - before;
  tf.dispose([x, w]);
  return { ...result, leaked };
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tolerance = 1e-4) {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
  expect(worst).toBeLessThan(tolerance);
}

describe('wasm training kernels', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    registerWasmTrainingKernels();
  });

  const cases: [string, (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D, Shape4, Shape4][] = [
    ['pointwise conv (matrix-product path)', (x, w) => tf.conv2d(x, w, 1, 'same'), [2, 5, 4, 6], [1, 1, 6, 3]],
    ['3×3 conv, stride 2, same padding (cpu path)', (x, w) => tf.conv2d(x, w, 2, 'same'), [2, 7, 6, 3], [3, 3, 3, 4]],
    ['depthwise 3×3, stride 1, same', (x, w) => tf.depthwiseConv2d(x, w, 1, 'same'), [2, 5, 5, 4], [3, 3, 4, 1]],
    ['depthwise 3×3, stride 2, same (asymmetric padding)', (x, w) => tf.depthwiseConv2d(x, w, 2, 'same'), [2, 8, 6, 3], [3, 3, 3, 1]],
    ['depthwise 3×3, stride 2, valid, multiplier 2', (x, w) => tf.depthwiseConv2d(x, w, 2, 'valid'), [1, 7, 7, 2], [3, 3, 2, 2]],
  ];

  for (const [name, op, xShape, wShape] of cases) {
    it(`${name}: same gradients as the cpu backend, no leaked tensors`, async () => {
      const want = await gradients('cpu', op, xShape, wShape);
      const got = await gradients('wasm', op, xShape, wShape);
      expectClose(got.dx, want.dx);
      expectClose(got.dw, want.dw);
      expect(got.leaked).toBe(0);
    });
  }

  it('depthwiseFilterGradient matches a hand-computed value', () => {
    // x = 1..4 in a 2×2 single channel, dy = 1 at the one output of a 2×2 valid filter: dW = x.
    const dw = depthwiseFilterGradient([1, 2, 3, 4], [1], {
      batch: 1, inHeight: 2, inWidth: 2, channels: 1, multiplier: 1, outHeight: 1, outWidth: 1,
      filterHeight: 2, filterWidth: 2, strideHeight: 1, strideWidth: 1, padTop: 0, padLeft: 0,
    });
    expect(Array.from(dw)).toEqual([1, 2, 3, 4]);
  });
});
