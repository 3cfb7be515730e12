import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { fromFloat16Bits, toFloat16, toFloat16Bits } from './float16';

describe('toFloat16', () => {
  it('encodes hand-checked values', () => {
    expect(toFloat16Bits(1)).toBe(0x3c00);
    expect(toFloat16Bits(-2)).toBe(0xc000);
    expect(toFloat16Bits(0.5)).toBe(0x3800);
    expect(toFloat16Bits(65504)).toBe(0x7bff); // largest half
    expect(toFloat16Bits(1e6)).toBe(0x7c00); // overflow → Inf
    expect(toFloat16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(toFloat16Bits(0)).toBe(0);
  });

  it('decodes halves exactly (normal, subnormal, zero, infinity)', () => {
    for (const v of [1, -2, 0.5, 65504, 2 ** -24, 0, 1.5, -0.333251953125]) expect(fromFloat16Bits(toFloat16Bits(v))).toBe(v);
    expect(fromFloat16Bits(0x7c00)).toBe(Infinity);
    expect(fromFloat16Bits(0x7e00)).toBeNaN();
  });

  it('round-trips through TF.js’ own float16 weight decoding within half precision', () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 10 ** ((i % 7) - 3));
    const half = toFloat16(values);
    const decoded = tf.io.decodeWeights(half.buffer as ArrayBuffer, [{ name: 'w', shape: [1000], dtype: 'float32', quantization: { dtype: 'float16' } }]);
    const back = decoded.w.dataSync();
    for (let i = 0; i < values.length; i++) expect(Math.abs(back[i] - values[i])).toBeLessThanOrEqual(Math.abs(values[i]) * 2 ** -11 + 6e-8);
    decoded.w.dispose();
  });
});

describe('serializeLayersModel', () => {
  it('saves float16 weights at half the size that load back with the same predictions (1e-2)', async () => {
    const { serializeLayersModel } = await import('./serialize');
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [8], units: 16, activation: 'relu' }), tf.layers.dense({ units: 101, activation: 'softmax' })] });
    const full = await serializeLayersModel(model);
    const half = await serializeLayersModel(model, { float16: true });
    expect(half.weights.length).toBe(full.weights.length / 2);
    const parsed = JSON.parse(half.modelJson) as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
    const loaded = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: parsed.modelTopology, weightSpecs: parsed.weightsManifest[0].weights, weightData: half.weights.slice().buffer }),
    );
    const x = tf.randomNormal([3, 8], 0, 1, 'float32', 4);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (loaded.predict(x) as tf.Tensor).dataSync();
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-2);
    tf.dispose([x]);
    model.dispose();
    loaded.dispose();
  });
});
