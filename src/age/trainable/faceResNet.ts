/**
 * HSE FaceRes rebuilt as a trainable tf.LayersModel. The shipped graph models are frozen: a Keras
 * MobileNet v1 (stem conv + 13 depthwise-separable blocks, batch norm folded into kernels and
 * biases, ReLU6), global average pooling, a 256-unit ReLU "feats" layer and a 100-way age softmax
 * (bin i = age i+1). Rebuilt with tf.layers and the graph's weights, the head and the last N
 * blocks can be fine-tuned, the model saves in the standard layers format (so the app loads it as
 * a "layers" member), and the age head becomes the DADL 101-way softmax over ages 0..100.
 */
import * as tf from '@tensorflow/tfjs';
import { AGE_BINS } from '../distribution';

/** Blocks whose depthwise conv has stride 2 (from the graph's conv_dw_k strides). */
const STRIDE_2_BLOCKS = new Set([2, 4, 6, 12]);
export const FACERES_BLOCKS = 13;
export const FACERES_FEATURES = 1024;
/**
 * The new age-0 bin starts with this logit below the smallest pretrained one, so it holds
 * e^-30 ≈ 1e-13 of the mass and the rebuilt net reproduces the graph model's ages 1..100.
 */
const NEW_BIN_LOGIT_OFFSET = 30;

type Weights = Record<string, tf.Tensor[]>;

function take(weights: Weights, name: string): tf.Tensor {
  const t = weights[name]?.[0];
  if (!t) throw new Error(`FaceRes graph model has no weight "${name}"`);
  return t;
}

export const POOLED_LAYER = 'global_pool';
export const FEATS_LAYER = 'feats';
export const AGE_LAYER = 'age';
const blockLayers = (k: number) => [`block${k}_dw`, `block${k}_dw_relu`, `block${k}_pw`, `block${k}_pw_relu`];

/** The architecture, with fresh weights, for any square input size ≥ 32. */
export function faceResArchitecture(inputSize = 224): tf.LayersModel {
  const input = tf.input({ shape: [inputSize, inputSize, 3], name: 'input' });
  const relu6 = (name: string) => tf.layers.reLU({ maxValue: 6, name });
  let h = tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', name: 'stem' }).apply(input) as tf.SymbolicTensor;
  h = relu6('stem_relu').apply(h) as tf.SymbolicTensor;
  const filters = [64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024];
  for (let k = 1; k <= FACERES_BLOCKS; k++) {
    const [dw, dwRelu, pw, pwRelu] = blockLayers(k);
    h = tf.layers.depthwiseConv2d({ kernelSize: 3, strides: STRIDE_2_BLOCKS.has(k) ? 2 : 1, padding: 'same', name: dw }).apply(h) as tf.SymbolicTensor;
    h = relu6(dwRelu).apply(h) as tf.SymbolicTensor;
    h = tf.layers.conv2d({ filters: filters[k - 1], kernelSize: 1, padding: 'same', name: pw }).apply(h) as tf.SymbolicTensor;
    h = relu6(pwRelu).apply(h) as tf.SymbolicTensor;
  }
  h = tf.layers.globalAveragePooling2d({ name: POOLED_LAYER }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: 256, activation: 'relu', name: FEATS_LAYER }).apply(h) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: AGE_BINS, activation: 'softmax', name: AGE_LAYER }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'faceres_dadl' });
}

/** Builds the trainable model and copies a loaded FaceRes graph model's weights into it. */
export function faceResFromGraphModel(graph: tf.GraphModel, inputSize = 224): tf.LayersModel {
  const model = faceResArchitecture(inputSize);
  const w = graph.weights as Weights;
  tf.tidy(() => {
    model.getLayer('stem').setWeights([take(w, 'conv1/convolution/merged_input'), take(w, 'conv1_bn/batchnorm_1/sub')]);
    for (let k = 1; k <= FACERES_BLOCKS; k++) {
      const [dw, , pw] = blockLayers(k);
      // The graph scales the depthwise output per channel (folded batch norm); fold it into the kernel.
      const scale = take(w, `conv_dw_${k}_bn/batchnorm_1/mul`).reshape([1, 1, -1, 1]);
      model.getLayer(dw).setWeights([tf.mul(take(w, `conv_dw_${k}/depthwise_kernel`), scale), take(w, `conv_dw_${k}_bn/batchnorm_1/sub`)]);
      model.getLayer(pw).setWeights([take(w, `conv_pw_${k}/convolution/merged_input`), take(w, `conv_pw_${k}_bn/batchnorm_1/sub`)]);
    }
    model.getLayer(FEATS_LAYER).setWeights([take(w, 'feats/kernel'), take(w, 'feats/bias')]);
    // 100 bins for ages 1..100 → 101 bins for ages 0..100: prepend an age-0 column.
    const kernel = take(w, 'age_pred/kernel') as tf.Tensor2D;
    const bias = take(w, 'age_pred/bias');
    model.getLayer(AGE_LAYER).setWeights([
      tf.concat([tf.zeros([kernel.shape[0], 1]), kernel], 1),
      tf.concat([tf.sub(tf.min(bias), NEW_BIN_LOGIT_OFFSET).reshape([1]), bias]),
    ]);
  });
  return model;
}

/**
 * Makes the head (feats + age) and the last `lastBlocks` of the 13 blocks trainable; the rest is
 * frozen. 0 = head only. Recompile (or rebuild the optimizer) after changing it.
 */
export function setTrainableBlocks(model: tf.LayersModel, lastBlocks: number): void {
  if (!(lastBlocks >= 0 && lastBlocks <= FACERES_BLOCKS)) throw new Error(`lastBlocks must be 0..${FACERES_BLOCKS}`);
  const firstTrainable = FACERES_BLOCKS - lastBlocks + 1;
  for (const layer of model.layers) {
    const block = /^block(\d+)_/.exec(layer.name);
    layer.trainable = layer.name === FEATS_LAYER || layer.name === AGE_LAYER || (block !== null && Number(block[1]) >= firstTrainable);
  }
}

/**
 * Splits the chain of layers after `layerName`: a frozen part (image → that layer's output) and
 * the rest, which shares the full model's layers, so training the rest trains the full model.
 * Running the frozen part outside the gradient tape keeps its activations out of memory: with
 * them, a 32-face batch at 224 px overflows the wasm backend's 2 GB heap.
 */
export function splitAfter(model: tf.LayersModel, layerName: string): { features: tf.LayersModel; head: tf.LayersModel } {
  const at = model.layers.findIndex((l) => l.name === layerName);
  if (at < 0) throw new Error(`no layer ${layerName}`);
  const split = model.layers[at].output as tf.SymbolicTensor;
  const features = tf.model({ inputs: model.inputs, outputs: split });
  const input = tf.input({ shape: split.shape.slice(1) as number[], name: `${layerName}_in` });
  const output = model.layers.slice(at + 1).reduce((h, layer) => layer.apply(h) as tf.SymbolicTensor, input);
  return { features, head: tf.model({ inputs: input, outputs: output }) };
}

/** The last frozen layer when the last `lastBlocks` blocks are trained (0: the pooling). */
export function lastFrozenLayer(lastBlocks: number): string {
  if (lastBlocks === 0) return POOLED_LAYER;
  const block = FACERES_BLOCKS - lastBlocks;
  return block === 0 ? 'stem_relu' : `block${block}_pw_relu`;
}

/** splitAfter at the global pooling: a 1024-d feature extractor and the head. */
export function splitAtPooling(model: tf.LayersModel): { features: tf.LayersModel; head: tf.LayersModel } {
  return splitAfter(model, POOLED_LAYER);
}
