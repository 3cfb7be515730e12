/**
 * A MatConvNet layer list (matconvnet.ts) → a trainable tf.LayersModel taking NHWC images.
 * Convolutions keep their shape (fully connected layers stored as convolutions stay 1×1-output
 * convolutions); explicit asymmetric padding becomes a zero-padding layer; the output is
 * flattened to one vector per image.
 */
import * as tf from '@tensorflow/tfjs';
import type { NetDescription } from './matconvnet';
import { MatConvNetGroupedConv, MatConvNetLrn, MatConvNetPool, MatConvNetSubtract } from './layers';

/** `probabilities`: end in a softmax even when the file's network ended in a (dropped) loss. */
export function buildModel(net: NetDescription, inputShape: [number, number, number], options: { probabilities?: boolean } = {}): tf.LayersModel {
  const input = tf.input({ shape: inputShape, name: 'input' });
  let h = input;
  const weights: [string, tf.Tensor[]][] = [];
  const apply = (layer: tf.layers.Layer) => (h = layer.apply(h) as tf.SymbolicTensor);
  const average = net.normalization.averageImage;
  if (average && average.shape.length === 3) {
    const layer = new MatConvNetSubtract({ shape: average.shape, name: 'average_image' });
    apply(layer);
    weights.push(['average_image', [tf.tensor(average.data, average.shape)]]);
  }
  const names = new Set<string>();
  const unique = (name: string) => {
    let n = name.replace(/[^\w.-]/g, '_') || 'layer';
    while (names.has(n)) n += '_';
    names.add(n);
    return n;
  };
  for (const l of net.layers) {
    const name = unique(l.name);
    switch (l.type) {
      case 'conv': {
        const [kh, kw, cin, cout] = l.kernelShape;
        const channels = h.shape[3] as number;
        // Filters deeper than 1/k of the input (k whole) are k groups, as in vl_nnconv.
        const groups = channels / cin;
        if (!Number.isInteger(groups) || cout % groups !== 0) throw new Error(`${l.name}: filters expect ${cin} channels, the input has ${channels}`);
        const [t, b, left, r] = l.pad;
        if (t || b || left || r) apply(tf.layers.zeroPadding2d({ padding: [[t, b], [left, r]], name: `${name}_pad` }));
        apply(
          groups === 1
            ? tf.layers.conv2d({ filters: cout, kernelSize: [kh, kw], strides: l.stride, dilationRate: l.dilate, padding: 'valid', useBias: !!l.bias, name })
            : new MatConvNetGroupedConv({ kernelShape: l.kernelShape, groups, strides: l.stride, dilation: l.dilate, useBias: !!l.bias, name }),
        );
        weights.push([name, [tf.tensor4d(l.kernel, l.kernelShape), ...(l.bias ? [tf.tensor1d(l.bias)] : [])]]);
        break;
      }
      case 'relu':
        apply(l.leak ? tf.layers.leakyReLU({ alpha: l.leak, name }) : tf.layers.reLU({ name }));
        break;
      case 'pool':
        apply(new MatConvNetPool({ method: l.method, size: l.size, stride: l.stride, pad: l.pad, name }));
        break;
      case 'lrn':
        apply(new MatConvNetLrn({ depth: l.depth, kappa: l.kappa, alpha: l.alpha, beta: l.beta, name }));
        break;
      case 'bnorm':
        // MatConvNet's sigma already includes epsilon: use it as the variance's square root.
        apply(tf.layers.batchNormalization({ epsilon: 1e-12, name }));
        weights.push([name, [tf.tensor1d(l.multipliers), tf.tensor1d(l.biases), tf.tensor1d(l.mean), tf.tensor1d(l.sigma.map((s) => s * s))]]);
        break;
      case 'softmax':
        apply(tf.layers.softmax({ axis: -1, name }));
        break;
    }
  }
  if (options.probabilities && net.layers[net.layers.length - 1]?.type !== 'softmax') apply(tf.layers.softmax({ axis: -1, name: unique('prob') }));
  apply(tf.layers.flatten({ name: 'output' }));
  const model = tf.model({ inputs: input, outputs: h, name: 'matconvnet' });
  for (const [name, values] of weights) {
    model.getLayer(name).setWeights(values);
    tf.dispose(values);
  }
  return model;
}
