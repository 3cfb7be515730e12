/** The DADL loss on tensors: KL(target ‖ predicted), averaged over the batch. */
import * as tf from '@tensorflow/tfjs';

/**
 * `predicted` are probabilities (the models end in a softmax, so they load in the app as they
 * are). They are clipped at 1e-7 before the log, so a target bin the model gives no mass costs a
 * large but finite amount; target bins with zero mass contribute nothing.
 */
export function klLoss(targets: tf.Tensor, predicted: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const logTarget = tf.log(tf.maximum(targets, 1e-12));
    const logPredicted = tf.log(tf.clipByValue(predicted, 1e-7, 1));
    return tf.mean(tf.sum(tf.mul(targets, tf.sub(logTarget, logPredicted)), -1)) as tf.Scalar;
  });
}
