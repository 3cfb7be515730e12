import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { serializeLayersModel } from '../age/trainable/serialize';
import { dequantize, outputShift, quantizeUint8, requantize, type WeightsGroup } from './quantize';

describe('quantizeUint8', () => {
  it('stays within half a step of every value, keeps 0 exact and loads back through TF.js', () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 0 : Math.sin(i) * 3 - 0.5));
    const { data, min, scale } = quantizeUint8(values);
    expect(scale).toBeCloseTo(6 / 255, 2);
    const spec = { name: 'w', shape: [1000], dtype: 'float32' as const, quantization: { dtype: 'uint8' as const, min, scale } };
    const back = tf.io.decodeWeights(data.slice().buffer, [spec]).w;
    const decoded = back.dataSync();
    for (let i = 0; i < values.length; i++) {
      expect(Math.abs(decoded[i] - values[i])).toBeLessThanOrEqual(scale / 2 + 1e-6);
      if (values[i] === 0) expect(decoded[i]).toBe(0);
    }
    expect(Array.from(dequantize(spec, data))).toEqual(Array.from(decoded));
    back.dispose();
  });

  it('handles constant and one-signed tensors', () => {
    expect(Array.from(dequantize({ name: 'c', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', ...quantizeUint8(Float32Array.of(2, 2, 2)) } }, quantizeUint8(Float32Array.of(2, 2, 2)).data))).toEqual([2, 2, 2]);
    const positive = Float32Array.of(1, 1.5, 2);
    const q = quantizeUint8(positive);
    expect(q.min).toBe(1); // no widening to 0 when 0 is not in the range
    expect(q.data[2]).toBe(255);
  });
});

describe('requantize', () => {
  it('turns a float16 model into uint8 (kernels) at about half the size, with the same predictions within tolerance', async () => {
    await tf.setBackend('cpu');
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 8, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }), biasInitializer: tf.initializers.randomNormal({ seed: 2, stddev: 0.1 }) }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ units: 101, activation: 'softmax', kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }) }),
      ],
    });
    const half = await serializeLayersModel(model, { float16: true });
    const parsed = JSON.parse(half.modelJson) as { modelTopology: object; weightsManifest: WeightsGroup[] };
    // Biases (8 and 101 values) stay float16, the two kernels (216 and 808 values) become uint8.
    const result = requantize(parsed.weightsManifest, half.weights, { to: 'uint8', keepBelow: 200 });
    expect(result.weights.map((w) => w.quantization?.dtype)).toEqual(['uint8', 'float16', 'uint8', 'float16']);
    expect(result.report.map((r) => r.name)).toEqual(result.weights.filter((w) => w.quantization?.dtype === 'uint8').map((w) => w.name));
    for (const r of result.report) expect(r.maxError).toBeLessThanOrEqual(r.range / 255 / 2 + 1e-3); // half a step, plus float16's own rounding
    expect(result.data.length).toBe(216 + 8 * 2 + 808 + 101 * 2);
    expect(result.data.length).toBeLessThan(half.weights.length * 0.6);

    const load = (weights: Uint8Array, specs: tf.io.WeightsManifestEntry[]) => tf.loadLayersModel(tf.io.fromMemory({ modelTopology: parsed.modelTopology, weightSpecs: specs, weightData: weights.slice().buffer }));
    const [a, b] = [await load(half.weights, parsed.weightsManifest[0].weights as tf.io.WeightsManifestEntry[]), await load(result.data, result.weights as tf.io.WeightsManifestEntry[])];
    const x = tf.randomUniform([4, 8, 8, 3], -1, 1, 'float32', 5);
    const [pa, pb] = [(a.predict(x) as tf.Tensor).dataSync(), (b.predict(x) as tf.Tensor).dataSync()];
    let worst = 0;
    for (let i = 0; i < pa.length; i++) worst = Math.max(worst, Math.abs(pa[i] - pb[i]));
    expect(worst).toBeLessThan(2e-3);
    expect(worst).toBeGreaterThan(0); // it did change the weights
    // A layer named in keep stays as stored.
    const convLayer = parsed.weightsManifest[0].weights[0].name.split('/')[0];
    expect(requantize(parsed.weightsManifest, half.weights, { to: 'uint8', keepBelow: 200, keep: [convLayer] }).weights.map((w) => w.quantization?.dtype)).toEqual(['float16', 'float16', 'uint8', 'float16']);
    // Tensors already in uint8 are left alone (the float16 biases are what is left to convert).
    const again = requantize([{ paths: ['weights.bin'], weights: result.weights }], result.data, { to: 'uint8' });
    expect(again.report.map((r) => r.from)).toEqual(['float16', 'float16']);
    tf.dispose([x]);
    [model, a, b].forEach((m) => m.dispose());
  });

  it('refuses weight files that do not match the manifest', () => {
    const groups: WeightsGroup[] = [{ paths: ['weights.bin'], weights: [{ name: 'w', shape: [4], dtype: 'float32' }] }];
    expect(() => requantize(groups, new Uint8Array(8), { to: 'uint8' })).toThrow(/runs past the end/);
    expect(() => requantize(groups, new Uint8Array(20), { to: 'uint8' })).toThrow(/accounts for 16/);
  });
});

describe('bias correction', () => {
  it('keeps a quantized dense layer’s mean output on inputs with the calibration mean', async () => {
    await tf.setBackend('cpu');
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [64], units: 16, kernelInitializer: tf.initializers.randomNormal({ seed: 7, stddev: 0.3 }) })] });
    // A few large weights make the step coarse for the rest, as in the FaceRes members.
    const [kernel, bias] = model.getWeights();
    model.setWeights([tf.tidy(() => kernel.add(tf.oneHot(tf.tensor1d([3], 'int32'), 64 * 16).reshape([64, 16]).mul(8))), bias]);
    const full = await serializeLayersModel(model);
    const parsed = JSON.parse(full.modelJson) as { modelTopology: object; weightsManifest: WeightsGroup[] };
    const layer = parsed.weightsManifest[0].weights[0].name.split('/')[0];
    const x = tf.randomNormal([256, 64], 2, 1, 'float32', 9); // inputs with mean 2
    const mean = x.mean(0).dataSync() as Float32Array;
    const plain = requantize(parsed.weightsManifest, full.weights, { to: 'uint8', keepBelow: 100 });
    const corrected = requantize(parsed.weightsManifest, full.weights, { to: 'uint8', keepBelow: 100, inputMeans: new Map([[layer, mean]]) });
    expect(corrected.weights.map((w) => w.quantization?.dtype)).toEqual(['uint8', undefined]); // the bias stays float32, corrected
    const meanError = async (r: ReturnType<typeof requantize>) => {
      const m = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: parsed.modelTopology, weightSpecs: r.weights as tf.io.WeightsManifestEntry[], weightData: r.data.slice().buffer }));
      const d = tf.tidy(() => tf.sub((m.predict(x) as tf.Tensor).mean(0), (model.predict(x) as tf.Tensor).mean(0)).abs().max().dataSync()[0]);
      m.dispose();
      return d;
    };
    const [before, after] = [await meanError(plain), await meanError(corrected)];
    expect(before).toBeGreaterThan(1e-3);
    expect(after).toBeLessThan(before / 10);
    x.dispose();
    model.dispose();
  });

  it('sums the shift over the kernel’s leading dimensions', () => {
    // [1, 1, in 2, out 2]: shift_j = Σ_i (Q − W)[i, j] · mean_i
    const kernel = Float32Array.of(1, 2, 3, 4);
    const quantized = Float32Array.of(1.5, 2, 3, 3);
    expect(Array.from(outputShift(kernel, quantized, Float32Array.of(2, 10), 2))).toEqual([1, -10]);
  });
});
