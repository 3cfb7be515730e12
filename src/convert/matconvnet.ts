/**
 * MatConvNet networks (as read by matFile.ts) → a plain list of layers with their parameters in
 * TF.js order. Both wrappers are understood: simplenn (a `layers` cell array of structs; the file
 * holds `layers`/`meta`, a `net` struct, or the old layout with top-level `normalization` and
 * `classes`) and DagNN (`layers`, `params`, `vars` struct arrays), as long as the DAG is a chain.
 * Pure: no tfjs; buildModel.ts turns the list into a tf.LayersModel.
 */
import { charRows, rowMajor, type MatValue } from './matFile';

export type Pad4 = [top: number, bottom: number, left: number, right: number];

export type NetLayer =
  | { type: 'conv'; name: string; kernel: Float32Array; kernelShape: [number, number, number, number]; bias?: Float32Array; stride: [number, number]; pad: Pad4; dilate: [number, number] }
  | { type: 'relu'; name: string; leak: number }
  | { type: 'pool'; name: string; method: 'max' | 'avg'; size: [number, number]; stride: [number, number]; pad: Pad4 }
  | { type: 'lrn'; name: string; depth: number; kappa: number; alpha: number; beta: number }
  | { type: 'bnorm'; name: string; multipliers: Float32Array; biases: Float32Array; mean: Float32Array; sigma: Float32Array }
  | { type: 'softmax'; name: string };

export interface Normalization {
  imageSize?: number[];
  /** Per channel (RGB) or a full H×W×3 image (row-major), subtracted from the input. */
  averageImage?: { shape: number[]; data: Float32Array };
  interpolation?: string;
}

export interface NetDescription {
  layers: NetLayer[];
  normalization: Normalization;
  classes?: { name: string[]; description: string[] };
  /** Layers left out: losses, dropout. */
  dropped: string[];
  wrapper: 'simplenn' | 'dagnn';
}

type Struct = Record<string, MatValue>;

const isNumeric = (v: MatValue | undefined): v is Extract<MatValue, { type: 'numeric' }> => v?.type === 'numeric';
const numbers = (v: MatValue | undefined, fallback: number[] = []): number[] => (isNumeric(v) ? Array.from(v.data as ArrayLike<number | bigint>, Number) : fallback);
const text = (v: MatValue | undefined): string => (v?.type === 'char' && v.dims.every((d) => d > 0) ? charRows(v).join('') : '');
const cellItems = (v: MatValue | undefined): MatValue[] => (v?.type === 'cell' ? v.cells : v ? [v] : []);
const pair = (v: MatValue | undefined, fallback: number): [number, number] => {
  const n = numbers(v, [fallback]);
  return [n[0], n.length > 1 ? n[1] : n[0]];
};
const pad4 = (v: MatValue | undefined): Pad4 => {
  const n = numbers(v, [0]);
  return n.length === 4 ? [n[0], n[1], n[2], n[3]] : [n[0], n[0], n[0], n[0]];
};
function float32(v: MatValue, where: string): { data: Float32Array; dims: number[] } {
  if (!isNumeric(v)) throw new Error(`${where}: expected a numeric array`);
  const data = v.data instanceof Float32Array ? v.data : Float32Array.from(v.data as ArrayLike<number | bigint>, Number);
  return { data, dims: v.dims };
}

/** MATLAB [h w cin cout] filters (trailing singleton dims dropped) → row-major [h, w, cin, cout]. */
function kernelOf(v: MatValue, where: string): { kernel: Float32Array; kernelShape: [number, number, number, number] } {
  const { data, dims } = float32(v, where);
  const shape = [0, 1, 2, 3].map((k) => dims[k] ?? 1) as [number, number, number, number];
  return { kernel: rowMajor(data, shape), kernelShape: shape };
}

const DROPPED = new Set(['softmaxloss', 'loss', 'klloss', 'dropout', 'pdist']);

function layerFrom(type: string, name: string, params: MatValue[], s: Struct, where: string): NetLayer | undefined {
  switch (type) {
    case 'conv':
    case 'convolution': {
      if (!params[0]) throw new Error(`${where}: a conv layer without filters`);
      const { kernel, kernelShape } = kernelOf(params[0], `${where} filters`);
      const bias = params[1] && numbers(params[1]).length > 0 ? float32(params[1], `${where} biases`).data.slice() : undefined;
      return { type: 'conv', name, kernel, kernelShape, bias, stride: pair(s.stride, 1), pad: pad4(s.pad), dilate: pair(s.dilate, 1) };
    }
    case 'relu':
      return { type: 'relu', name, leak: numbers(s.leak, [0])[0] };
    case 'pool':
    case 'pooling': {
      const method = text(s.method) || 'max';
      if (method !== 'max' && method !== 'avg') throw new Error(`${where}: pooling method "${method}" is not supported`);
      return { type: 'pool', name, method, size: pair(s.pool ?? s.poolSize, 1), stride: pair(s.stride, 1), pad: pad4(s.pad) };
    }
    case 'normalize':
    case 'lrn': {
      const [depth, kappa, alpha, beta] = numbers(s.param ?? s.params, [5, 1, 1e-4, 0.75]);
      return { type: 'lrn', name, depth, kappa, alpha, beta };
    }
    case 'bnorm':
    case 'batchnorm': {
      const [m, b, moments] = params;
      if (!m || !b || !moments) throw new Error(`${where}: bnorm needs multipliers, biases and moments`);
      const mom = float32(moments, `${where} moments`);
      const c = mom.dims[0];
      // moments is C×2, column-major: means first, then sigmas (which already include epsilon).
      return { type: 'bnorm', name, multipliers: float32(m, where).data.slice(), biases: float32(b, where).data.slice(), mean: mom.data.slice(0, c), sigma: mom.data.slice(c, 2 * c) };
    }
    case 'softmax':
      return { type: 'softmax', name };
    default:
      if (DROPPED.has(type)) return undefined;
      throw new Error(`${where}: layer type "${type}" is not supported`);
  }
}

function normalizationOf(meta: Struct | undefined): Normalization {
  const n = (meta?.normalization?.type === 'struct' ? meta.normalization.elements[0] : undefined) as Struct | undefined;
  if (!n) return {};
  const avg = n.averageImage;
  let averageImage: Normalization['averageImage'];
  if (isNumeric(avg) && avg.data.length > 0) {
    const { data, dims } = float32(avg, 'meta.normalization.averageImage');
    averageImage = data.length <= 3 ? { shape: [data.length], data: data.slice() } : { shape: dims.slice(0, 3), data: rowMajor(data, dims.slice(0, 3)) };
  }
  return { imageSize: numbers(n.imageSize), averageImage, interpolation: text(n.interpolation) || undefined };
}

function classesOf(meta: Struct | undefined): NetDescription['classes'] {
  const c = (meta?.classes?.type === 'struct' ? meta.classes.elements[0] : undefined) as Struct | undefined;
  if (!c) return undefined;
  const item = (v: MatValue) => (isNumeric(v) ? numbers(v).map(String).join(' ') : text(v));
  const names = (v: MatValue | undefined) => (v?.type === 'cell' ? v.cells.map(item) : v?.type === 'char' ? charRows(v) : isNumeric(v) ? numbers(v).map(String) : []);
  return { name: names(c.name), description: names(c.description) };
}

/** Finds the network in a MAT-file's variables, whichever way it was saved. */
export function describeNetwork(variables: Record<string, MatValue>): NetDescription {
  const net = variables.net?.type === 'struct' ? (variables.net.elements[0] as Struct) : variables;
  const meta = (net.meta?.type === 'struct' ? (net.meta.elements[0] as Struct) : undefined) ?? (net.normalization ? ({ normalization: net.normalization, classes: net.classes } as Struct) : undefined);
  const layersValue = net.layers;
  if (!layersValue) throw new Error('no network here: expected a "layers" variable (simplenn), a "net" struct, or DagNN layers/params/vars');
  const dropped: string[] = [];
  const layers: NetLayer[] = [];
  if (layersValue.type === 'cell') {
    layersValue.cells.forEach((cell, i) => {
      if (cell.type !== 'struct') throw new Error(`layers{${i + 1}} is not a struct`);
      const s = cell.elements[0] as Struct;
      const type = text(s.type);
      const name = text(s.name) || `layer${i + 1}`;
      const params = s.weights ? cellItems(s.weights) : [s.filters, s.biases].filter((x): x is MatValue => !!x);
      const layer = layerFrom(type, name, params, s, `layers{${i + 1}} (${type} ${name})`);
      if (layer) layers.push(layer);
      else dropped.push(`${name} (${type})`);
    });
    return { layers, normalization: normalizationOf(meta), classes: classesOf(meta), dropped, wrapper: 'simplenn' };
  }
  if (layersValue.type === 'struct' && net.params?.type === 'struct') {
    // DagNN: layers(i).type is a class name ('dagnn.Conv'); params are looked up by name; block holds the options.
    const params = new Map(net.params.elements.map((p) => [text(p.name), p.value]));
    let previous: string | undefined;
    for (const [i, l] of layersValue.elements.entries()) {
      const type = text(l.type).replace(/^dagnn\./, '').toLowerCase();
      const name = text(l.name) || `layer${i + 1}`;
      const inputs = cellItems(l.inputs).map(text);
      if (previous !== undefined && !inputs.includes(previous) && !DROPPED.has(type)) throw new Error(`DagNN layer ${name} does not take the previous layer's output: only chains are supported`);
      const block = (l.block?.type === 'struct' ? l.block.elements[0] : {}) as Struct;
      const layerParams = cellItems(l.params).map((p) => params.get(text(p)));
      if (layerParams.some((p) => !p)) throw new Error(`DagNN layer ${name} names a parameter that is missing`);
      const layer = layerFrom(type, name, layerParams as MatValue[], { ...block, size: block.size } as Struct, `layers(${i + 1}) (${type} ${name})`);
      // A dropped layer (dropout) passes its input through: its output names the same values.
      if (layer) layers.push(layer);
      else dropped.push(`${name} (${type})`);
      previous = cellItems(l.outputs).map(text)[0];
    }
    return { layers, normalization: normalizationOf(meta), classes: classesOf(meta), dropped, wrapper: 'dagnn' };
  }
  throw new Error('"layers" is neither a simplenn cell array nor a DagNN struct array with params');
}
