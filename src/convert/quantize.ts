/**
 * Re-quantizes the weights of a TF.js model (model.json's weightsManifest + its weight files)
 * tensor by tensor, e.g. float16 → uint8 for a quarter of float32's download. TF.js reads every
 * format written here natively (weight spec `quantization`), so loaders need no change:
 *
 * - uint8: affine, one range per tensor: `value ≈ q · scale + min`, q in 0..255, scale = (max −
 *   min) / 255 from the tensor's own min and max; a range spanning 0 is shifted by at most half a
 *   step so that 0 is exactly representable (zero weights stay zero). Error at most scale / 2.
 * - float16: IEEE half precision.
 *
 * Tensors with fewer than `keepBelow` values (biases, depthwise kernels: a few KB each) and the
 * layers named in `keep` keep the format they were stored in, as do non-float tensors. With the
 * input means of layers measured on calibration data (`inputMeans`), the biases absorb the
 * average shift that rounding the kernels causes. No file system and no tfjs:
 * scripts/quantize.ts is the command line around it (and measures the means).
 */
import { fromFloat16Bits, toFloat16 } from '../age/trainable/float16';

/** One entry of model.json's `weightsManifest[].weights` (the subset of tf.io.WeightsManifestEntry used here). */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; min?: number; scale?: number; original_dtype?: string };
  [key: string]: unknown;
}

export interface WeightsGroup {
  paths: string[];
  weights: WeightSpec[];
}

export type QuantizeTo = 'uint8' | 'float16';

export interface TensorReport {
  name: string;
  values: number;
  from: string;
  to: string;
  /** Largest |re-quantized − stored| over the tensor's values. */
  maxError: number;
  /** max − min of the stored values. */
  range: number;
}

const elements = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);

const storedAs = (spec: WeightSpec) => spec.quantization?.dtype ?? spec.dtype;

function bytesPerValue(spec: WeightSpec): number {
  const dtype = storedAs(spec);
  if (dtype === 'uint8' || dtype === 'bool') return 1;
  if (dtype === 'uint16' || dtype === 'float16') return 2;
  if (dtype === 'float32' || dtype === 'int32') return 4;
  throw new Error(`weight ${spec.name}: cannot handle dtype ${dtype}`);
}

/** Size in bytes of one tensor as stored. */
export function storedBytes(spec: WeightSpec): number {
  return elements(spec.shape) * bytesPerValue(spec);
}

/** The values of one float tensor as TF.js would load them from `bytes` (its stored form). */
export function dequantize(spec: WeightSpec, bytes: Uint8Array): Float32Array {
  const n = elements(spec.shape);
  const copy = bytes.slice(0, n * bytesPerValue(spec)); // aligned
  const q = spec.quantization;
  if (!q) {
    if (spec.dtype !== 'float32') throw new Error(`weight ${spec.name} is ${spec.dtype}, not a float tensor`);
    return new Float32Array(copy.buffer, 0, n);
  }
  if (q.dtype === 'float16') return Float32Array.from(new Uint16Array(copy.buffer, 0, n), fromFloat16Bits);
  if (q.min === undefined || q.scale === undefined) throw new Error(`weight ${spec.name}: ${q.dtype} without min and scale`);
  const { min, scale } = q;
  const stored = q.dtype === 'uint8' ? copy : new Uint16Array(copy.buffer, 0, n);
  return Float32Array.from(stored, (v) => v * scale + min);
}

/**
 * Affine uint8 quantization of one tensor with its own range. The range is widened to include 0
 * and shifted so that 0 falls on a step (zero weights stay exactly zero).
 */
export function quantizeUint8(values: Float32Array): { data: Uint8Array; min: number; scale: number } {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) throw new Error('cannot quantize a non-finite value');
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) return { data: new Uint8Array(values.length), min: Number.isFinite(lo) ? lo : 0, scale: 1 };
  const scale = (hi - lo) / 255;
  // A range spanning 0 is shifted by at most scale / 2 so that 0 falls on a step: the loader
  // computes q · scale + min in doubles, and with min = −(zero · scale) that is exactly 0 at q = zero.
  const min = lo < 0 && hi > 0 ? -(Math.round(-lo / scale) * scale) : lo;
  const data = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = Math.min(255, Math.max(0, Math.round((values[i] - min) / scale)));
  return { data, min, scale };
}

export interface RequantizeOptions {
  to: QuantizeTo;
  /** Tensors with fewer values keep their stored format. Default 0. */
  keepBelow?: number;
  /** Tensors (or layers: a name before '/') that keep their stored format. */
  keep?: readonly string[];
  /**
   * Bias correction: per layer (Conv2D or Dense, kernel `LAYER/kernel` shaped [..., in, out],
   * bias `LAYER/bias`), the mean of its input channels over calibration data. When the kernel is
   * re-quantized, the bias absorbs the mean shift of the outputs: b − (Q − W)ᵀ·mean, so the
   * layer's outputs keep their average on such data (empirical bias correction, Nagel et al. 2019,
   * "Data-Free Quantization Through Weight Equalization and Bias Correction", sec. 4.2).
   */
  inputMeans?: ReadonlyMap<string, Float32Array>;
}

/** How much each output's mean moves when `kernel` ([..., in, out]) becomes `quantized`, for inputs of mean `inputMean`. */
export function outputShift(kernel: Float32Array, quantized: Float32Array, inputMean: Float32Array, outputs: number): Float32Array {
  const inputs = inputMean.length;
  if (kernel.length % (inputs * outputs) !== 0) throw new Error(`a kernel of ${kernel.length} values is not [..., ${inputs}, ${outputs}]`);
  const shift = new Float64Array(outputs);
  for (let k = 0; k < kernel.length; k++) shift[k % outputs] += (quantized[k] - kernel[k]) * inputMean[Math.floor(k / outputs) % inputs];
  return Float32Array.from(shift);
}

/**
 * Re-quantizes the float tensors of the manifest's groups. `data` holds the weight files of all
 * groups concatenated in manifest order (as TF.js reads them). Returns the new specs for one
 * group (the caller names its single file), the bytes and a per-tensor report.
 */
export function requantize(groups: readonly WeightsGroup[], data: Uint8Array, options: RequantizeOptions): { weights: WeightSpec[]; data: Uint8Array; report: TensorReport[] } {
  const keepBelow = options.keepBelow ?? 0;
  const kept = (name: string) => (options.keep ?? []).some((k) => name === k || name.startsWith(`${k}/`));
  const specs = groups.flatMap((g) => g.weights);
  const stored: Uint8Array[] = [];
  let offset = 0;
  for (const spec of specs) {
    const size = storedBytes(spec);
    if (offset + size > data.length) throw new Error(`weight ${spec.name} runs past the end of the weight files (${data.length} bytes)`);
    stored.push(data.subarray(offset, offset + size));
    offset += size;
  }
  if (offset !== data.length) throw new Error(`the weight files hold ${data.length} bytes but the manifest accounts for ${offset}`);
  const converts = (spec: WeightSpec) => spec.dtype === 'float32' && elements(spec.shape) >= keepBelow && !kept(spec.name) && storedAs(spec) !== options.to;

  // Pass 1: the new values of the converted tensors, and the bias shifts they cause.
  const encoded = new Map<string, { spec: WeightSpec; bytes: Uint8Array; report: TensorReport }>();
  const shifts = new Map<string, Float32Array>();
  for (const [i, spec] of specs.entries()) {
    if (!converts(spec)) continue;
    const values = dequantize(spec, stored[i]);
    let lo = Infinity, hi = -Infinity;
    for (const v of values) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const { spec: next, bytes, back } = encode(spec, values, options.to);
    let maxError = 0;
    for (let k = 0; k < values.length; k++) maxError = Math.max(maxError, Math.abs(back[k] - values[k]));
    encoded.set(spec.name, { spec: next, bytes, report: { name: spec.name, values: values.length, from: storedAs(spec), to: options.to, maxError, range: hi - lo } });
    const layer = spec.name.endsWith('/kernel') ? spec.name.slice(0, -'/kernel'.length) : undefined;
    const mean = layer === undefined ? undefined : options.inputMeans?.get(layer);
    if (layer !== undefined && mean) shifts.set(`${layer}/bias`, outputShift(values, back, mean, spec.shape[spec.shape.length - 1]));
  }

  // Pass 2: every tensor in order; corrected biases are written in their (new or stored) format.
  const parts: Uint8Array[] = [];
  const weights: WeightSpec[] = [];
  const report: TensorReport[] = [];
  for (const [i, spec] of specs.entries()) {
    const shift = shifts.get(spec.name);
    if (shift) {
      if (spec.dtype !== 'float32' || elements(spec.shape) !== shift.length) throw new Error(`bias ${spec.name} does not match its kernel`);
      const corrected = dequantize(spec, stored[i]).map((b, j) => b - shift[j]);
      const to = converts(spec) ? options.to : ((spec.quantization?.dtype ?? 'float32') as QuantizeTo | 'float32' | 'uint16');
      if (to === 'uint16') throw new Error(`bias ${spec.name}: cannot rewrite uint16`);
      const { spec: next, bytes } = encode(spec, corrected, to);
      parts.push(bytes);
      weights.push(next);
      if (encoded.has(spec.name)) report.push(encoded.get(spec.name)!.report);
      continue;
    }
    const done = encoded.get(spec.name);
    parts.push(done ? done.bytes : stored[i]);
    weights.push(done ? done.spec : spec);
    if (done) report.push(done.report);
  }
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
  return { weights, data: joined, report };
}

function encode(spec: WeightSpec, values: Float32Array, to: QuantizeTo | 'float32'): { spec: WeightSpec; bytes: Uint8Array; back: Float32Array } {
  const rest: WeightSpec = { ...spec };
  delete rest.quantization;
  if (to === 'uint8') {
    const q = quantizeUint8(values);
    return { spec: { ...rest, quantization: { dtype: 'uint8', min: q.min, scale: q.scale } }, bytes: q.data, back: Float32Array.from(q.data, (v) => v * q.scale + q.min) };
  }
  if (to === 'float16') {
    const half = toFloat16(values);
    return { spec: { ...rest, quantization: { dtype: 'float16' } }, bytes: new Uint8Array(half.buffer), back: Float32Array.from(half, fromFloat16Bits) };
  }
  const copy = Float32Array.from(values);
  return { spec: rest, bytes: new Uint8Array(copy.buffer), back: copy };
}
