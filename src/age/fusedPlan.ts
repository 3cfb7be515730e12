/**
 * Inference for a layers-format member that is a plain chain of convolutions (the FaceRes /
 * MobileNet members): each convolution runs as one fused op with its bias and the ReLU layer
 * after it. tfjs-layers runs a DepthwiseConv2D, its bias and a following ReLU layer as three ops
 * (a Conv2D as two), each a full pass over the activations; fused, the wasm backend's XNNPACK
 * applies bias and clamp inside the convolution. Same weights, same arithmetic up to float
 * rounding; 4-13 % less time per member call on wasm (docs/BENCHMARKS.md).
 *
 * A model with anything else (branches, custom layers such as the converted MatConvNet ones,
 * batch norm, other activations) gets no plan, and runs through `model.predict` as before.
 */
import * as tf from '../runtime/tf';

type Step = (x: tf.Tensor) => tf.Tensor;
type Activation = 'linear' | 'relu' | 'relu6';
type LayerConfig = Record<string, unknown>;

/** The fused activation a ReLU layer's config amounts to, if any (tfjs's ReLU has only maxValue). */
function reluActivation(config: LayerConfig): Activation | undefined {
  const maxValue = config.maxValue;
  if (maxValue === null || maxValue === undefined) return 'relu';
  return maxValue === 6 ? 'relu6' : undefined;
}

const pair = (v: unknown): [number, number] | undefined => {
  if (typeof v === 'number') return [v, v];
  return Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number') ? [v[0], v[1]] : undefined;
};

/** Whether every layer takes exactly the previous one's output (the first takes the model's one input). */
function isChain(model: tf.LayersModel, layers: readonly tf.layers.Layer[]): boolean {
  if (model.outputs.length !== 1 || layers.length === 0) return false;
  let previous: tf.layers.Layer | undefined = model.inputLayers[0];
  for (const layer of layers) {
    const nodes = (layer as unknown as { inboundNodes: { inboundLayers: tf.layers.Layer[] }[] }).inboundNodes;
    if (nodes.length !== 1 || nodes[0].inboundLayers.length !== 1 || nodes[0].inboundLayers[0] !== previous) return false;
    previous = layer;
  }
  return model.outputLayers.length === 1 && model.outputLayers[0] === previous;
}

/** One convolution (plain or depthwise) with bias and activation, or undefined if it is not a plain one. */
function convolution(layer: tf.layers.Layer, activation: Activation): Step | undefined {
  const config = layer.getConfig() as LayerConfig;
  const strides = pair(config.strides);
  const dilations = pair(config.dilationRate ?? 1);
  const padding = config.padding;
  if (!strides || !dilations || (padding !== 'same' && padding !== 'valid')) return undefined;
  if ((config.dataFormat ?? 'channelsLast') !== 'channelsLast') return undefined;
  // The layer's variables themselves: a member being fine-tuned computes with its current weights.
  const [filter, bias] = layer.getWeights() as [tf.Tensor4D, tf.Tensor1D | undefined];
  const depthwise = layer.getClassName() === 'DepthwiseConv2D';
  return (x) =>
    depthwise
      ? tf.fused.depthwiseConv2d({ x: x as tf.Tensor4D, filter, bias, strides, pad: padding, dilations, activation })
      : tf.fused.conv2d({ x: x as tf.Tensor4D, filter, bias, strides, pad: padding, dilations, activation });
}

/** The fused-op plan for `model`, or undefined when it is not a chain this module knows. */
export function fusedPlan(model: tf.LayersModel): ((batch: tf.Tensor4D) => tf.Tensor) | undefined {
  if (model.inputs.length !== 1 || model.inputs[0].shape.length !== 4) return undefined;
  const layers = model.layers.filter((layer) => layer.getClassName() !== 'InputLayer');
  // A Sequential is a chain by construction (and keeps its graph in an inner model built lazily).
  if (!(model instanceof tf.Sequential ? layers.length > 0 : isChain(model, layers))) return undefined;
  const steps: Step[] = [];
  let rank = 4; // of the tensor between steps: NHWC until pooled or flattened
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    const config = layer.getConfig() as LayerConfig;
    const kind = layer.getClassName();
    if (kind === 'Conv2D' || kind === 'DepthwiseConv2D') {
      if (rank !== 4) return undefined;
      const own = config.activation;
      if (own !== 'linear' && own !== 'relu') return undefined;
      // A ReLU layer right after a linear convolution is folded into it.
      const next = layers[i + 1];
      const folded = own === 'linear' && next?.getClassName() === 'ReLU' ? reluActivation(next.getConfig() as LayerConfig) : undefined;
      const step = convolution(layer, folded ?? own);
      if (!step) return undefined;
      steps.push(step);
      if (folded) i++;
    } else if (kind === 'ReLU') {
      const activation = reluActivation(config);
      if (!activation) return undefined;
      steps.push(activation === 'relu' ? (x) => tf.relu(x) : (x) => tf.relu6(x));
    } else if (kind === 'GlobalAveragePooling2D') {
      if (rank !== 4 || config.keepDims || (config.dataFormat ?? 'channelsLast') !== 'channelsLast') return undefined;
      steps.push((x) => tf.mean(x, [1, 2]));
      rank = 2;
    } else if (kind === 'Flatten') {
      steps.push((x) => tf.reshape(x, [x.shape[0], -1]));
      rank = 2;
    } else if (kind === 'Dropout') {
      continue; // identity at inference
    } else if (kind === 'Dense') {
      const activation = config.activation;
      if (rank !== 2 || (activation !== 'linear' && activation !== 'relu' && activation !== 'softmax')) return undefined;
      const [b, bias] = layer.getWeights() as [tf.Tensor2D, tf.Tensor1D | undefined];
      steps.push((x) => {
        const y = tf.fused.matMul({ a: x as tf.Tensor2D, b, bias, activation: activation === 'relu' ? 'relu' : 'linear' });
        return activation === 'softmax' ? tf.softmax(y) : y;
      });
    } else {
      return undefined;
    }
  }
  return (batch) => tf.tidy(() => steps.reduce<tf.Tensor>((x, step) => step(x), batch));
}
