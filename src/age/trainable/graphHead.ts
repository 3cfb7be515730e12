/**
 * A trained dense age head appended to a frozen TF.js graph model (e.g. a face-recognition
 * backbone such as MobileFaceNet), so that backbone + head ship as one "graph" member: the app
 * runs it like any other graph model (member.json `model.output` names the head's softmax) and
 * no runtime code changes. The head is a tf.LayersModel of Dense layers (`denseHead`), trained
 * on cached backbone features; its weights become Const nodes and MatMul/BiasAdd/activation
 * nodes read the backbone's feature node (reshaped to [batch, width]). No file system.
 */
import * as tf from '@tensorflow/tfjs';
import { AGE_BINS } from '../distribution';

/** Features [batch, width] → optional ReLU hidden layer → 101-way age softmax. */
export function denseHead(width: number, hidden = 0, seed = 1): tf.LayersModel {
  const input = tf.input({ shape: [width], name: 'features' });
  let h: tf.SymbolicTensor = input;
  if (hidden > 0) h = tf.layers.dense({ units: hidden, activation: 'relu', name: 'hidden', kernelInitializer: tf.initializers.glorotUniform({ seed }) }).apply(h) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: AGE_BINS, activation: 'softmax', name: 'age', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'age_head' });
}

/**
 * Per-feature mean and std over rows (std floored at `minStd`). Recognition embeddings can sit far
 * from zero with a small spread (MobileFaceNet: |x| ≈ 18, spread ≈ 0.5), where a head trained on
 * the raw values saturates: the head is trained on standardized features and the standardization
 * then folded into its first layer (foldStandardization).
 */
export function featureStats(rows: readonly Float32Array[], minStd = 1e-6): { mean: Float32Array; std: Float32Array } {
  const width = rows[0].length;
  const mean = new Float64Array(width);
  const sq = new Float64Array(width);
  for (const r of rows) for (let j = 0; j < width; j++) mean[j] += r[j];
  for (let j = 0; j < width; j++) mean[j] /= rows.length;
  for (const r of rows) for (let j = 0; j < width; j++) sq[j] += (r[j] - mean[j]) ** 2;
  return { mean: Float32Array.from(mean), std: Float32Array.from(sq, (v) => Math.max(Math.sqrt(v / rows.length), minStd)) };
}

export function standardize(row: Float32Array, stats: { mean: Float32Array; std: Float32Array }): Float32Array {
  return row.map((x, j) => (x - stats.mean[j]) / stats.std[j]);
}

/**
 * Makes a head trained on standardized features read raw ones: W' = W / std (per input row),
 * b' = b − (mean / std) · W, in place on its first Dense layer.
 */
export function foldStandardization(head: tf.LayersModel, stats: { mean: Float32Array; std: Float32Array }): void {
  const first = head.layers.find((l) => l.getClassName() === 'Dense');
  if (!first) throw new Error('the head has no Dense layer');
  const [kernel, bias] = first.getWeights();
  const folded = tf.tidy(() => {
    const inv = tf.tensor2d(Float32Array.from(stats.std, (s) => 1 / s), [stats.std.length, 1]);
    const k = tf.mul(kernel, inv);
    const b = tf.sub(bias, tf.matMul(tf.tensor2d(stats.mean, [1, stats.mean.length]), k).reshape([-1]));
    return [k, b];
  });
  first.setWeights(folded);
  tf.dispose(folded);
}

/** The parts of a graph model.json this module reads and writes. */
export interface GraphModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: { node: GraphNode[]; [key: string]: unknown };
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  signature?: unknown;
  userDefinedMetadata?: Record<string, unknown>;
  [key: string]: unknown;
}

interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, unknown>;
  [key: string]: unknown;
}

export const HEAD_OUTPUT = 'age_head/Softmax';
const F32 = { type: 'DT_FLOAT' };

function constNode(name: string, dtype: 'DT_FLOAT' | 'DT_INT32', shape: number[]): GraphNode {
  return { name, op: 'Const', attr: { value: { tensor: { dtype, tensorShape: { dim: shape.map((d) => ({ size: String(d) })) } } }, dtype: { type: dtype } } };
}

/**
 * Appends `head` (Dense layers only, as made by denseHead) after `featureNode` of the graph
 * (averaged over height and width first with `pool`, for a [batch, h, w, c] feature map).
 * `graphWeights` are the graph's weight files concatenated in manifest order; the result has a
 * single weights file, `weightsPath`, holding them followed by the head's float32 weights.
 */
export function appendHeadToGraph(graph: GraphModelJson, graphWeights: Uint8Array, head: tf.LayersModel, featureNode: string, { pool = false, weightsPath = 'weights.bin' } = {}): { modelJson: GraphModelJson; weights: Uint8Array } {
  const nodes = graph.modelTopology.node;
  if (!nodes.some((n) => n.name === featureNode)) throw new Error(`graph has no node ${featureNode}`);
  if (nodes.some((n) => n.name.startsWith('age_head/'))) throw new Error('graph already has an age head');
  const width = head.inputs[0].shape[1] as number;
  const added: GraphNode[] = [];
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [graphWeights];
  const addConst = (name: string, dtype: 'DT_FLOAT' | 'DT_INT32', shape: number[], values: Float32Array | Int32Array) => {
    added.push(constNode(name, dtype, shape));
    specs.push({ name, shape, dtype: dtype === 'DT_FLOAT' ? 'float32' : 'int32' });
    parts.push(new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)));
  };
  let from = featureNode;
  if (pool) {
    addConst('age_head/pool_axes', 'DT_INT32', [2], Int32Array.from([1, 2]));
    added.push({ name: 'age_head/pool', op: 'Mean', input: [featureNode, 'age_head/pool_axes'], attr: { T: F32, Tidx: { type: 'DT_INT32' }, keep_dims: { b: false } } });
    from = 'age_head/pool';
  }
  addConst('age_head/shape', 'DT_INT32', [2], Int32Array.from([-1, width]));
  added.push({ name: 'age_head/flat', op: 'Reshape', input: [from, 'age_head/shape'], attr: { T: F32, Tshape: { type: 'DT_INT32' } } });
  let h = 'age_head/flat';
  const dense = head.layers.filter((l) => l.getClassName() === 'Dense');
  if (dense.length !== head.layers.filter((l) => l.getClassName() !== 'InputLayer').length) throw new Error('the head must hold Dense layers only');
  dense.forEach((layer, k) => {
    const [kernel, bias] = layer.getWeights();
    const prefix = `age_head/dense${k}`;
    addConst(`${prefix}/kernel`, 'DT_FLOAT', kernel.shape, kernel.dataSync() as Float32Array);
    addConst(`${prefix}/bias`, 'DT_FLOAT', bias.shape, bias.dataSync() as Float32Array);
    added.push({ name: `${prefix}/MatMul`, op: 'MatMul', input: [h, `${prefix}/kernel`], attr: { T: F32, transpose_a: { b: false }, transpose_b: { b: false } } });
    added.push({ name: `${prefix}/BiasAdd`, op: 'BiasAdd', input: [`${prefix}/MatMul`, `${prefix}/bias`], attr: { T: F32, data_format: { s: 'TkhXQw==' } } });
    h = `${prefix}/BiasAdd`;
    const activation = (layer.getConfig() as { activation?: string }).activation ?? 'linear';
    if (activation === 'relu' || activation === 'softmax') {
      const name = k === dense.length - 1 && activation === 'softmax' ? HEAD_OUTPUT : `${prefix}/Relu`;
      added.push({ name, op: activation === 'relu' ? 'Relu' : 'Softmax', input: [h], attr: { T: F32 } });
      h = name;
    } else if (activation !== 'linear') throw new Error(`unsupported activation ${activation}`);
  });
  if (h !== HEAD_OUTPUT) throw new Error('the head must end in a softmax');
  const weights = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((o, p) => (weights.set(p, o), o + p.length), 0);
  // The backbone's signature names its old outputs: dropped (member.json names the head's).
  const modelJson: GraphModelJson = {
    ...graph,
    modelTopology: { ...graph.modelTopology, node: [...nodes, ...added] },
    weightsManifest: [{ paths: [weightsPath], weights: [...graph.weightsManifest.flatMap((g) => g.weights), ...specs] }],
  };
  delete modelJson.signature;
  if (modelJson.userDefinedMetadata) modelJson.userDefinedMetadata = Object.fromEntries(Object.entries(modelJson.userDefinedMetadata).filter(([k]) => k !== 'signature'));
  return { modelJson, weights };
}
