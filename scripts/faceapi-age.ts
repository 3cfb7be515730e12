/**
 * face-api's age/gender net (TinyXception with 2 main blocks, then 7x7 average pool and a linear age
 * head; @vladmandic/face-api src/xception/TinyXception.ts and src/ageGenderNet/AgeGenderNet.ts)
 * rebuilt from tf.layers and loaded from its weights manifest, so it runs without face-api's code and
 * can be saved as an ordinary tfjs layers model. Input: 112x112 RGB, (x - [122.782, 117.001, 104.298]) / 255.
 * Output: one regressed age in years. The gender head is left out.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

interface ManifestGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

/** Reads a tfjs weights manifest and the shards it names, dequantising to float32 tensors. */
export function readWeights(manifestPath: string): tf.NamedTensorMap {
  const groups = JSON.parse(readFileSync(manifestPath, 'utf8')) as ManifestGroup[];
  const map: tf.NamedTensorMap = {};
  for (const group of groups) {
    const buffers = group.paths.map((p) => readFileSync(join(dirname(manifestPath), p)));
    const data = new Uint8Array(Buffer.concat(buffers));
    Object.assign(map, tf.io.decodeWeights(data.buffer, group.weights));
  }
  return map;
}

export function faceApiAgeModel(manifestPath: string): tf.LayersModel {
  const w = readWeights(manifestPath);
  const weightsOf = new Map<tf.layers.Layer, tf.Tensor[]>();
  const conv = (name: string, filters: number, kernel: number, strides: number, activation: 'relu' | 'linear') => {
    const layer = tf.layers.conv2d({ name: name.replaceAll('/', '_'), filters, kernelSize: kernel, strides, padding: 'same', activation });
    weightsOf.set(layer, [w[`${name}/filters`], w[`${name}/bias`]]);
    return layer;
  };
  const sep = (name: string, filters: number) => {
    const layer = tf.layers.separableConv2d({ name: name.replaceAll('/', '_'), filters, kernelSize: 3, padding: 'same' });
    weightsOf.set(layer, [w[`${name}/depthwise_filter`], w[`${name}/pointwise_filter`], w[`${name}/bias`]]);
    return layer;
  };
  const relu = (x: tf.SymbolicTensor) => tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  const add = (a: tf.SymbolicTensor, b: tf.SymbolicTensor) => tf.layers.add().apply([a, b]) as tf.SymbolicTensor;
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor) => layer.apply(x) as tf.SymbolicTensor;

  const reduction = (x: tf.SymbolicTensor, name: string, filters: number, activateInput: boolean) => {
    let out = apply(sep(`${name}/separable_conv0`, filters), activateInput ? relu(x) : x);
    out = apply(sep(`${name}/separable_conv1`, filters), relu(out));
    out = apply(tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }), out);
    return add(out, apply(conv(`${name}/expansion_conv`, filters, 1, 2, 'linear'), x));
  };
  const main = (x: tf.SymbolicTensor, name: string) => {
    let out = x;
    for (let i = 0; i < 3; i++) out = apply(sep(`${name}/separable_conv${i}`, 128), relu(out));
    return add(out, x);
  };

  const input = tf.input({ shape: [112, 112, 3] });
  let x = apply(conv('entry_flow/conv_in', 32, 3, 2, 'relu'), input);
  x = reduction(x, 'entry_flow/reduction_block_0', 64, false);
  x = reduction(x, 'entry_flow/reduction_block_1', 128, true);
  x = main(x, 'middle_flow/main_block_0');
  x = main(x, 'middle_flow/main_block_1');
  x = reduction(x, 'exit_flow/reduction_block', 256, true);
  x = relu(apply(sep('exit_flow/separable_conv', 512), x));
  x = apply(tf.layers.averagePooling2d({ poolSize: 7, strides: 2, padding: 'valid' }), x);
  const head = tf.layers.dense({ name: 'fc_age', units: 1 });
  weightsOf.set(head, [w['fc/age/weights'], w['fc/age/bias']]);
  const age = apply(head, apply(tf.layers.flatten(), x));

  const model = tf.model({ inputs: input, outputs: age, name: 'faceapi_age' });
  for (const [layer, tensors] of weightsOf) layer.setWeights(tensors);
  tf.dispose(Object.values(w));
  return model;
}
