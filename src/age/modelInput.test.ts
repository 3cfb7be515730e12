import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { toModelInput } from './member';
import type { InputSpec } from './manifest';

// 2×2 RGB crops whose red channel reads 1, 2 / 3, 4 (row-major), so a left-right flip is visible.
const crop = (offset: number) => Float32Array.from([1, 0, 0, 2, 0, 0, 3, 0, 0, 4, 0, 0].map((v, i) => (i % 3 === 0 ? v + offset : v)));
const input: InputSpec = { size: 2, colorOrder: 'RGB', mean: [0, 0, 0], std: [1, 1, 1] };
const reds = async (t: tf.Tensor) => {
  const v = await t.data();
  t.dispose();
  return Array.from({ length: v.length / 3 }, (_, i) => v[i * 3]);
};

describe('toModelInput mirroring', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('flips every crop with true and only the flagged ones with a list', async () => {
    expect(await reds(toModelInput([crop(0), crop(10)], input))).toEqual([1, 2, 3, 4, 11, 12, 13, 14]);
    expect(await reds(toModelInput([crop(0), crop(10)], input, true))).toEqual([2, 1, 4, 3, 12, 11, 14, 13]);
    expect(await reds(toModelInput([crop(0), crop(10)], input, [false, true]))).toEqual([1, 2, 3, 4, 12, 11, 14, 13]);
  });
});
