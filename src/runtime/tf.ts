/**
 * The parts of TensorFlow.js that inference needs: core ops, layers and graph models, without the
 * union package's data API and its CPU and WebGL backends. Member workers (wasm only) import
 * this instead of `@tensorflow/tfjs`, so their script is a fraction of the inference worker's and
 * starts sooner on a cold page. Same objects as the union re-exports: code that imports both
 * shares one engine.
 */
// Without the union's chained ops: code that uses this module calls tf.reshape(t), not t.reshape().
export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
export * from '@tensorflow/tfjs-converter';
