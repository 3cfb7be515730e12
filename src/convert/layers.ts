/**
 * Custom tf.layers for what MatConvNet computes differently from Keras layers, registered for
 * (de)serialisation so a converted model loads with tf.loadLayersModel wherever this module is
 * imported (the app's members, the trainer, the converter):
 *
 * - MatConvNetPool: pooling with explicit (possibly asymmetric) padding where max pooling ignores
 *   the padding and average pooling divides by the part of the window inside the image, and the
 *   output size is floor((H + padTop + padBottom − pool) / stride) + 1.
 * - MatConvNetLrn: cross-channel normalisation y = x / (κ + α Σ x²)^β over a window of `depth`
 *   channels, with α not divided by the depth (unlike Caffe).
 * - MatConvNetSubtract: subtracts a fixed average image (meta.normalization.averageImage).
 * - MatConvNetGroupedConv: a convolution whose filters each see 1/groups of the input channels
 *   (AlexNet-style), which tf.layers.conv2d cannot express.
 */
import * as tf from '../runtime/tf';

type Pad4 = [number, number, number, number];

export class MatConvNetPool extends tf.layers.Layer {
  static className = 'MatConvNetPool';
  readonly method: 'max' | 'avg';
  readonly size: [number, number];
  readonly stride: [number, number];
  readonly pad: Pad4;

  constructor(config: { method: 'max' | 'avg'; size: [number, number]; stride: [number, number]; pad: Pad4; name?: string }) {
    super(config);
    this.method = config.method;
    this.size = config.size;
    this.stride = config.stride;
    this.pad = config.pad;
  }

  computeOutputShape(shape: tf.Shape): tf.Shape {
    const [n, h, w, c] = shape as number[];
    const out = (x: number, p0: number, p1: number, k: number, s: number) => (x == null ? x : Math.floor((x + p0 + p1 - k) / s) + 1);
    return [n, out(h, this.pad[0], this.pad[1], this.size[0], this.stride[0]), out(w, this.pad[2], this.pad[3], this.size[1], this.stride[1]), c];
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const [t, b, l, r] = this.pad;
      const paddings: [number, number][] = [[0, 0], [t, b], [l, r], [0, 0]];
      if (this.method === 'max') {
        // Padding never wins a max: pad with the lowest float.
        return tf.maxPool(tf.pad(x, paddings, -3.4e38), this.size, this.stride, 'valid');
      }
      const sums = tf.mul(tf.avgPool(tf.pad(x, paddings), this.size, this.stride, 'valid'), this.size[0] * this.size[1]);
      const inside = tf.pad(tf.ones([1, x.shape[1], x.shape[2], 1]), paddings) as tf.Tensor4D;
      const counts = tf.mul(tf.avgPool(inside, this.size, this.stride, 'valid'), this.size[0] * this.size[1]);
      return tf.div(sums, counts);
    });
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), method: this.method, size: this.size, stride: this.stride, pad: this.pad };
  }
}

export class MatConvNetLrn extends tf.layers.Layer {
  static className = 'MatConvNetLrn';
  readonly depth: number;
  readonly kappa: number;
  readonly alpha: number;
  readonly beta: number;

  constructor(config: { depth: number; kappa: number; alpha: number; beta: number; name?: string }) {
    super(config);
    this.depth = config.depth;
    this.kappa = config.kappa;
    this.alpha = config.alpha;
    this.beta = config.beta;
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    // tf's radius r sums channels d−r..d+r: MatConvNet's window of `depth` (odd) channels.
    return tf.localResponseNormalization(x, (this.depth - 1) / 2, this.kappa, this.alpha, this.beta);
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), depth: this.depth, kappa: this.kappa, alpha: this.alpha, beta: this.beta };
  }
}

export class MatConvNetSubtract extends tf.layers.Layer {
  static className = 'MatConvNetSubtract';
  readonly shape: number[];
  private average!: tf.LayerVariable;

  constructor(config: { shape: number[]; name?: string }) {
    super(config);
    this.shape = config.shape;
    this.trainable = false;
  }

  build(): void {
    this.average = this.addWeight('average', this.shape, 'float32', tf.initializers.zeros(), undefined, false);
    this.built = true;
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.sub(x, this.average.read());
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), shape: this.shape };
  }
}

export class MatConvNetGroupedConv extends tf.layers.Layer {
  static className = 'MatConvNetGroupedConv';
  readonly kernelShape: [number, number, number, number];
  readonly groups: number;
  readonly strides: [number, number];
  readonly dilation: [number, number];
  readonly useBias: boolean;
  private kernel!: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  constructor(config: { kernelShape: [number, number, number, number]; groups: number; strides: [number, number]; dilation: [number, number]; useBias: boolean; name?: string }) {
    super(config);
    this.kernelShape = config.kernelShape;
    this.groups = config.groups;
    this.strides = config.strides;
    this.dilation = config.dilation;
    this.useBias = config.useBias;
  }

  build(): void {
    this.kernel = this.addWeight('kernel', this.kernelShape, 'float32', tf.initializers.glorotUniform({}));
    if (this.useBias) this.bias = this.addWeight('bias', [this.kernelShape[3]], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  computeOutputShape(shape: tf.Shape): tf.Shape {
    const [n, h, w] = shape as number[];
    const [kh, kw, , cout] = this.kernelShape;
    const out = (x: number, k: number, s: number, d: number) => (x == null ? x : Math.floor((x - ((k - 1) * d + 1)) / s) + 1);
    return [n, out(h, kh, this.strides[0], this.dilation[0]), out(w, kw, this.strides[1], this.dilation[1]), cout];
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const xs = tf.split(x, this.groups, 3);
      const ks = tf.split(this.kernel.read() as tf.Tensor4D, this.groups, 3);
      let y: tf.Tensor = tf.concat(xs.map((xg, g) => tf.conv2d(xg as tf.Tensor4D, ks[g] as tf.Tensor4D, this.strides, 'valid', 'NHWC', this.dilation)), 3);
      if (this.bias) y = tf.add(y, this.bias.read());
      return y;
    });
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), kernelShape: this.kernelShape, groups: this.groups, strides: this.strides, dilation: this.dilation, useBias: this.useBias };
  }
}

tf.serialization.registerClass(MatConvNetGroupedConv);
tf.serialization.registerClass(MatConvNetPool);
tf.serialization.registerClass(MatConvNetLrn);
tf.serialization.registerClass(MatConvNetSubtract);
