import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from './buildModel';
import { readMat, rowMajor, type MatValue } from './matFile';
import { describeNetwork } from './matconvnet';

const read = (name: string) => readMat(new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)))).variables;

/** A MATLAB H×W×C single (trailing singleton dims dropped) → row-major values and [H, W, C]. */
function hwc(v: MatValue): { data: Float32Array; shape: [number, number, number] } {
  if (v.type !== 'numeric') throw new Error('not numeric');
  const shape = [v.dims[0], v.dims[1] ?? 1, v.dims[2] ?? 1] as [number, number, number];
  return { data: rowMajor(v.data as Float32Array, shape), shape };
}

// Kept layers and the index of their reference output (dropout, index 6, and the loss are dropped).
const KEPT = ['conv1', 'relu1', 'pool1', 'norm1', 'bn1', 'pool2', 'fc', 'prob'];
const REFERENCE_INDEX = [0, 1, 2, 3, 4, 5, 7, 8];

describe.each([
  ['simplenn.mat (layers + meta variables)', 'simplenn.mat', 'simplenn.mat'],
  ['simplenn-net.mat (a net struct)', 'simplenn-net.mat', 'simplenn-net.mat'],
  ['dagnn.mat (DagNN layers/params/vars)', 'dagnn.mat', 'dagnn-io.mat'],
])('MatConvNet %s', (_, netFile, ioFile) => {
  const net = describeNetwork(read(netFile));
  const io = read(ioFile);
  const x = hwc(io.x);
  const expected = io.expected.type === 'cell' ? io.expected.cells : [];

  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('finds the layers, drops dropout and the loss, reads normalization and classes', () => {
    expect(net.layers.map((l) => l.name)).toEqual(KEPT);
    expect(net.dropped).toEqual(['drop (dropout)', 'loss (softmaxloss)'].map((d) => (net.wrapper === 'dagnn' ? d.replace('(dropout)', '(dropout)').replace('(softmaxloss)', '(loss)') : d)));
    expect(net.normalization.imageSize).toEqual([7, 6, 3]);
    expect(Array.from(net.normalization.averageImage!.data)).toEqual([10, 20, 30]);
    expect(net.normalization.interpolation).toBe('bilinear');
    expect(net.classes?.name).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it.each(KEPT.map((name, k) => [name, k] as const))('after %s, equals the Octave reference (1e-4)', async (_name, k) => {
    const model = buildModel({ ...net, layers: net.layers.slice(0, k + 1) }, x.shape);
    const input = tf.tensor4d(x.data, [1, ...x.shape]);
    const got = (await (model.predict(input) as tf.Tensor).data()) as Float32Array;
    const want = hwc(expected[REFERENCE_INDEX[k]]);
    expect(got.length).toBe(want.data.length);
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want.data[i]) / Math.max(1, Math.abs(want.data[i])));
    expect(worst).toBeLessThan(1e-4);
    tf.dispose(input);
    model.dispose();
  });
});

describe('a grouped, dilated convolution with asymmetric padding (grouped.mat)', () => {
  it('equals the Octave reference (1e-4)', async () => {
    await tf.setBackend('cpu');
    const v = read('grouped.mat');
    const net = describeNetwork(v);
    const x = hwc(v.x);
    const model = buildModel(net, x.shape);
    expect(model.layers.some((l) => l.getClassName() === 'MatConvNetGroupedConv')).toBe(true);
    const got = (await (model.predict(tf.tensor4d(x.data, [1, ...x.shape])) as tf.Tensor).data()) as Float32Array;
    const want = hwc(v.expected);
    expect(want.shape).toEqual([8, 7, 6]); // (9+2+1 − 5) + 1 by (8+1+2 − 5) + 1, dilated 3×3 = 5×5
    expect(got.length).toBe(want.data.length);
    for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - want.data[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(want.data[i])));
    model.dispose();
  });
});
