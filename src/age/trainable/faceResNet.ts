/**
 * HSE FaceRes rebuilt as trainable TF.js. The shipped graph models are frozen: a Keras MobileNet
 * v1 (stem conv + 13 depthwise-separable blocks, batch norm folded into kernels and biases,
 * ReLU6), global average pooling, a 256-unit ReLU "feats" layer and a 100-way age softmax
 * (bin i = age i+1). Here every weight is a tf.Variable, so the head and the last N blocks can be
 * fine-tuned, and the age head becomes the DADL 101-way softmax over ages 0..100.
 */
import * as tf from '@tensorflow/tfjs';
import { AGE_BINS } from '../distribution';

/** Blocks whose depthwise conv has stride 2 (from the graph's conv_dw_k strides). */
const STRIDE_2_BLOCKS = new Set([2, 4, 6, 12]);
export const FACERES_BLOCKS = 13;
/**
 * The new age-0 bin starts with this logit below the smallest pretrained one, so it holds
 * e^-30 ≈ 1e-13 of the mass and the rebuilt net reproduces the graph model's ages 1..100 exactly.
 */
const NEW_BIN_LOGIT_OFFSET = 30;

interface Block {
  depthwise: tf.Variable<tf.Rank.R4>;
  depthwiseBias: tf.Variable<tf.Rank.R1>;
  pointwise: tf.Variable<tf.Rank.R4>;
  pointwiseBias: tf.Variable<tf.Rank.R1>;
  stride: 1 | 2;
}

type Weights = Record<string, tf.Tensor[]>;

function take(weights: Weights, name: string): tf.Tensor {
  const t = weights[name]?.[0];
  if (!t) throw new Error(`FaceRes graph model has no weight "${name}"`);
  return t;
}

const relu6 = (x: tf.Tensor) => tf.clipByValue(x, 0, 6);

export class FaceResNet {
  private trainableFrom = FACERES_BLOCKS + 1;

  private constructor(
    private readonly stem: { kernel: tf.Variable<tf.Rank.R4>; bias: tf.Variable<tf.Rank.R1> },
    private readonly blocks: Block[],
    private readonly feats: { kernel: tf.Variable<tf.Rank.R2>; bias: tf.Variable<tf.Rank.R1> },
    private readonly age: { kernel: tf.Variable<tf.Rank.R2>; bias: tf.Variable<tf.Rank.R1> },
  ) {}

  /** Copies the weights of a loaded FaceRes graph model (which stays usable and owned by the caller). */
  private static instances = 0;

  static fromGraphModel(model: tf.GraphModel): FaceResNet {
    const w = model.weights as Weights;
    // Variable names are global in tfjs; several rebuilt members may live side by side.
    const prefix = `faceres${FaceResNet.instances++}`;
    // Each variable gets its own copy, computed in a tidy scope so no intermediate is left over.
    const v = <R extends tf.Rank>(name: string, make: () => tf.Tensor) => {
      const t = tf.tidy(() => make().clone());
      const variable = tf.variable(t, false, `${prefix}/${name}`) as tf.Variable<R>;
      t.dispose();
      return variable;
    };
    const stem = { kernel: v<tf.Rank.R4>('stem/kernel', () => take(w, 'conv1/convolution/merged_input')), bias: v<tf.Rank.R1>('stem/bias', () => take(w, 'conv1_bn/batchnorm_1/sub')) };
    const blocks: Block[] = [];
    for (let k = 1; k <= FACERES_BLOCKS; k++) {
      blocks.push({
        // The graph scales the depthwise output per channel (folded batch norm); fold it into the kernel.
        depthwise: v<tf.Rank.R4>(`block${k}/depthwise`, () =>
          tf.mul(take(w, `conv_dw_${k}/depthwise_kernel`), take(w, `conv_dw_${k}_bn/batchnorm_1/mul`).reshape([1, 1, -1, 1])),
        ),
        depthwiseBias: v<tf.Rank.R1>(`block${k}/depthwise_bias`, () => take(w, `conv_dw_${k}_bn/batchnorm_1/sub`)),
        pointwise: v<tf.Rank.R4>(`block${k}/pointwise`, () => take(w, `conv_pw_${k}/convolution/merged_input`)),
        pointwiseBias: v<tf.Rank.R1>(`block${k}/pointwise_bias`, () => take(w, `conv_pw_${k}_bn/batchnorm_1/sub`)),
        stride: STRIDE_2_BLOCKS.has(k) ? 2 : 1,
      });
    }
    const feats = { kernel: v<tf.Rank.R2>('feats/kernel', () => take(w, 'feats/kernel')), bias: v<tf.Rank.R1>('feats/bias', () => take(w, 'feats/bias')) };
    // 100 bins for ages 1..100 → 101 bins for ages 0..100: prepend an age-0 column.
    const age = {
      kernel: v<tf.Rank.R2>('age/kernel', () => {
        const k = take(w, 'age_pred/kernel') as tf.Tensor2D;
        return tf.concat([tf.zeros([k.shape[0], 1]), k], 1);
      }),
      bias: v<tf.Rank.R1>('age/bias', () => {
        const b = take(w, 'age_pred/bias');
        return tf.concat([tf.sub(tf.min(b), NEW_BIN_LOGIT_OFFSET).reshape([1]), b]);
      }),
    };
    return new FaceResNet(stem, blocks, feats, age);
  }

  /**
   * Makes the head (feats + age layers) and the last `lastBlocks` of the 13 blocks trainable;
   * everything before stays frozen. 0 = head only.
   */
  setTrainable(lastBlocks: number): void {
    if (lastBlocks < 0 || lastBlocks > FACERES_BLOCKS) throw new Error(`lastBlocks must be 0..${FACERES_BLOCKS}`);
    this.trainableFrom = FACERES_BLOCKS - lastBlocks + 1;
    this.blocks.forEach((b, i) => {
      const on = i + 1 >= this.trainableFrom;
      for (const x of [b.depthwise, b.depthwiseBias, b.pointwise, b.pointwiseBias]) x.trainable = on;
    });
    for (const x of [this.feats.kernel, this.feats.bias, this.age.kernel, this.age.bias]) x.trainable = true;
  }

  trainableVariables(): tf.Variable[] {
    return this.allVariables().filter((x) => x.trainable);
  }

  /** Activations after block `upTo` (0 = after the stem) for a preprocessed NHWC batch. */
  backbone(x: tf.Tensor4D, upTo = FACERES_BLOCKS, from = 0): tf.Tensor4D {
    return tf.tidy(() => {
      let h = x;
      if (from === 0) h = relu6(tf.add(tf.conv2d(h, this.stem.kernel, 2, 'same'), this.stem.bias)) as tf.Tensor4D;
      for (let k = Math.max(1, from + 1); k <= upTo; k++) {
        const b = this.blocks[k - 1];
        h = relu6(tf.add(tf.depthwiseConv2d(h, b.depthwise, b.stride, 'same'), b.depthwiseBias)) as tf.Tensor4D;
        h = relu6(tf.add(tf.conv2d(h, b.pointwise, 1, 'same'), b.pointwiseBias)) as tf.Tensor4D;
      }
      return h;
    });
  }

  /** Global-average-pooled 1024-d features (the graph's global_pooling/Mean). */
  pooled(x: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => tf.mean(this.backbone(x), [1, 2]) as tf.Tensor2D);
  }

  /** Age logits over 0..100 from pooled features (the part that head-only training needs). */
  headLogits(pooled: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const f = tf.relu(tf.add(tf.matMul(pooled, this.feats.kernel), this.feats.bias));
      return tf.add(tf.matMul(f, this.age.kernel), this.age.bias) as tf.Tensor2D;
    });
  }

  logits(x: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => this.headLogits(this.pooled(x)));
  }

  /** Distribution over ages 0..100, [batch, 101]. */
  predict(x: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => tf.softmax(this.logits(x)));
  }

  get bins(): number {
    return AGE_BINS;
  }

  dispose(): void {
    for (const x of this.allVariables()) x.dispose();
  }

  private allVariables(): tf.Variable[] {
    return [
      this.stem.kernel,
      this.stem.bias,
      ...this.blocks.flatMap((b) => [b.depthwise, b.depthwiseBias, b.pointwise, b.pointwiseBias]),
      this.feats.kernel,
      this.feats.bias,
      this.age.kernel,
      this.age.bias,
    ];
  }
}
