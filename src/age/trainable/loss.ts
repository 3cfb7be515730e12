/** The DADL loss on tensors: KL(target ‖ softmax(logits)), averaged over the batch. */
import * as tf from '@tensorflow/tfjs';

/**
 * Computed from log-softmax, so a prediction that gives a target bin almost no mass is penalised
 * heavily but never produces log(0); target bins with zero mass contribute nothing.
 */
export function klLoss(targets: tf.Tensor2D, logits: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const logTarget = tf.log(tf.maximum(targets, 1e-12));
    const perBin = tf.mul(targets, tf.sub(logTarget, tf.logSoftmax(logits)));
    return tf.mean(tf.sum(perBin, 1)) as tf.Scalar;
  });
}
