/**
 * Training kernels for tfjs-backend-wasm. The wasm backend runs every op the members need forward,
 * but fine-tuning convolution blocks needs gradients it lacks (conv filter gradient, both depthwise
 * gradients) or runs slowly (the input gradient of a 1×1 conv: ~15× slower than a matrix product).
 * Measured on one batch of 16 faces at 224 px, last 2 FaceRes blocks trainable: the cpu backend's
 * kernels bridged in took 270 s a step; with the paths below, about 1.5 s.
 *
 * - 1×1 stride-1 convs (MobileNet's pointwise layers, most trainable weights): both gradients
 *   are one matrix product, run with wasm's own Transpose + BatchMatMul kernels.
 * - depthwise filter gradient (dilation 1): a direct loop, depthwiseFilterGradient below.
 * - anything else: the cpu backend's kernel, with inputs and outputs copied across.
 */
import * as tf from '@tensorflow/tfjs';

type Values = ReturnType<tf.KernelBackend['readSync']>;
/** What the wasm backend offers besides KernelBackend: make an output tensor from values. */
interface WasmBackend extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: Values): tf.TensorInfo;
}
type Kernel = (args: { inputs: tf.NamedTensorInfoMap; backend: WasmBackend; attrs: tf.NamedAttrMap }) => tf.TensorInfo | undefined;

interface ConvAttrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | number[][];
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape?: [number, number, number, number];
  inputShape?: [number, number, number, number];
}

const ones = (v: number | number[] | undefined) => v === undefined || [v].flat().every((s) => s === 1);

/** A 1×1 conv with unit strides and dilations in NHWC: padding is zero whatever `pad` says. */
function isPointwise(filterShape: number[], attrs: ConvAttrs): boolean {
  const zeroPad = typeof attrs.pad === 'string' || attrs.pad === 0;
  return filterShape[0] === 1 && filterShape[1] === 1 && ones(attrs.strides) && ones(attrs.dilations) && zeroPad && (attrs.dataFormat ?? 'NHWC') === 'NHWC';
}

/** a[rows, k]ᵀ-or-not · b, with the transposes done explicitly (wasm's transposed matmul is ~40× slower). */
function matMul(backend: WasmBackend, a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): tf.TensorInfo {
  const run = (name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap) => tf.getKernel(name, 'wasm')!.kernelFunc({ inputs, backend, attrs }) as tf.TensorInfo;
  const temporaries: tf.TensorInfo[] = [];
  const transposed = (t: tf.TensorInfo) => {
    const out = run('Transpose', { x: t }, { perm: [1, 0] });
    temporaries.push(out);
    return out;
  };
  try {
    const left = transposeA ? transposed(a) : a;
    const right = transposeB ? transposed(b) : b;
    return run('BatchMatMul', { a: { ...left, shape: [1, ...left.shape] }, b: { ...right, shape: [1, ...right.shape] } }, { transposeA: false, transposeB: false });
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

/** dW[1,1,in,out] = x[N,in]ᵀ · dy[N,out]. */
const pointwiseFilterGradient: Kernel = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { filterShape } = attrs as unknown as ConvAttrs;
  if (!filterShape || !isPointwise(filterShape, attrs as unknown as ConvAttrs)) return undefined;
  const [, , inChannels, outChannels] = filterShape;
  const rows = x.shape.reduce((p, d) => p * d, 1) / inChannels;
  const product = matMul(backend, { ...x, shape: [rows, inChannels] }, { ...dy, shape: [rows, outChannels] }, true, false);
  return { ...product, shape: filterShape };
};

/** dx[N,in] = dy[N,out] · W[in,out]ᵀ. */
const pointwiseInputGradient: Kernel = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { inputShape } = attrs as unknown as ConvAttrs;
  if (!inputShape || !isPointwise(filter.shape, attrs as unknown as ConvAttrs)) return undefined;
  const [, , inChannels, outChannels] = filter.shape;
  const rows = dy.shape.reduce((p, d) => p * d, 1) / outChannels;
  const product = matMul(backend, { ...dy, shape: [rows, outChannels] }, { ...filter, shape: [inChannels, outChannels] }, false, true);
  return { ...product, shape: inputShape };
};

export interface DepthwiseGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  channels: number;
  multiplier: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

/**
 * Filter gradient of a depthwise conv (NHWC, dilation 1): dW[kh,kw,c,m] = Σ over batch and
 * output positions of x[b, oy·sy + kh − top, ox·sx + kw − left, c] · dy[b, oy, ox, c·M + m];
 * taps that fall in the padding contribute nothing.
 */
export function depthwiseFilterGradient(x: ArrayLike<number>, dy: ArrayLike<number>, g: DepthwiseGeometry): Float32Array {
  const { channels: C, multiplier: M } = g;
  const dw = new Float32Array(g.filterHeight * g.filterWidth * C * M);
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      for (let ox = 0; ox < g.outWidth; ox++) {
        const dyOffset = ((b * g.outHeight + oy) * g.outWidth + ox) * C * M;
        for (let kh = 0; kh < g.filterHeight; kh++) {
          const iy = oy * g.strideHeight + kh - g.padTop;
          if (iy < 0 || iy >= g.inHeight) continue;
          for (let kw = 0; kw < g.filterWidth; kw++) {
            const ix = ox * g.strideWidth + kw - g.padLeft;
            if (ix < 0 || ix >= g.inWidth) continue;
            const xOffset = ((b * g.inHeight + iy) * g.inWidth + ix) * C;
            const wOffset = (kh * g.filterWidth + kw) * C * M;
            for (let c = 0; c < C; c++) {
              const xv = x[xOffset + c];
              for (let m = 0; m < M; m++) dw[wOffset + c * M + m] += xv * dy[dyOffset + c * M + m];
            }
          }
        }
      }
    }
  }
  return dw;
}

const depthwiseFilterGradientKernel: Kernel = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = attrs as unknown as ConvAttrs;
  if (!ones(a.dilations) || !a.filterShape) return undefined;
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], a.filterShape, a.strides, 1, a.pad as 'same', a.dimRoundingMode, true);
  const values = depthwiseFilterGradient(backend.readSync(x.dataId) as Float32Array, backend.readSync(dy.dataId) as Float32Array, {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    channels: info.inChannels,
    multiplier: info.outChannels / info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  });
  return backend.makeOutput(a.filterShape, 'float32', undefined, values);
};

/** Runs the cpu backend's kernel on copies of the inputs and copies the outputs back. */
function onCpu(kernelName: string): Kernel {
  const cpuKernel = tf.getKernel(kernelName, 'cpu');
  if (!cpuKernel) throw new Error(`the cpu backend has no ${kernelName} kernel to fall back on`);
  return ({ inputs, backend, attrs }) => {
    const cpu = tf.findBackend('cpu');
    if (!cpu) throw new Error('the cpu backend is not available');
    const copies: Record<string, tf.TensorInfo> = {};
    for (const [name, info] of Object.entries(inputs)) {
      if (info) copies[name] = { ...info, dataId: cpu.write(backend.readSync(info.dataId), info.shape, info.dtype) };
    }
    try {
      const out = cpuKernel.kernelFunc({ inputs: copies, backend: cpu, attrs }) as tf.TensorInfo;
      const values = cpu.readSync(out.dataId) as Values;
      cpu.disposeData(out.dataId);
      return backend.makeOutput(out.shape, out.dtype, undefined, values);
    } finally {
      for (const info of Object.values(copies)) cpu.disposeData(info.dataId);
    }
  };
}

/** The first path that handles the call wins; the last one must handle everything. */
function firstOf(...paths: Kernel[]): tf.KernelFunc {
  return (args) => {
    for (const path of paths) {
      const out = path(args as Parameters<Kernel>[0]);
      if (out) return out;
    }
    throw new Error('no kernel path handled the call');
  };
}

let registered = false;

/**
 * Registers the training kernels for the 'wasm' backend (once; later calls do nothing). The
 * wasm backend's own Conv2DBackpropInput stays the path for anything that is not a 1×1 conv.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  const replace = (kernelName: string, kernelFunc: tf.KernelFunc) => {
    if (tf.getKernel(kernelName, 'wasm')) tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  };
  const own = tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc as Kernel | undefined;
  replace('Conv2DBackpropInput', firstOf(pointwiseInputGradient, own ?? onCpu('Conv2DBackpropInput')));
  replace('Conv2DBackpropFilter', firstOf(pointwiseFilterGradient, onCpu('Conv2DBackpropFilter')));
  replace('DepthwiseConv2dNativeBackpropFilter', firstOf(depthwiseFilterGradientKernel, onCpu('DepthwiseConv2dNativeBackpropFilter')));
  replace('DepthwiseConv2dNativeBackpropInput', firstOf(onCpu('DepthwiseConv2dNativeBackpropInput')));
}
