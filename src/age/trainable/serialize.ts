/**
 * A LayersModel as the two files the app loads (model.json + weights.bin), optionally with
 * float16 weights (half the download; TF.js dequantizes on load). No file system: the Node
 * trainer writes the result to disk, the training page can zip or store it.
 */
import * as tf from '@tensorflow/tfjs';
import { toFloat16 } from './float16';

export interface SerializedModel {
  modelJson: string;
  weights: Uint8Array;
}

export async function serializeLayersModel(model: tf.LayersModel, options: { float16?: boolean; generatedBy?: string } = {}): Promise<SerializedModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved?.weightSpecs || !saved.weightData) throw new Error('model has no weights to save');
  const data = new Uint8Array(tf.io.concatenateArrayBuffers(Array.isArray(saved.weightData) ? saved.weightData : [saved.weightData]));
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const spec of saved.weightSpecs) {
    const bytes = spec.shape.reduce((n, d) => n * d, 1) * 4;
    const raw = data.slice(offset, offset + bytes);
    offset += bytes;
    if (options.float16 && spec.dtype === 'float32') {
      parts.push(new Uint8Array(toFloat16(new Float32Array(raw.buffer)).buffer));
      specs.push({ ...spec, quantization: { dtype: 'float16' } });
    } else {
      parts.push(raw);
      specs.push(spec);
    }
  }
  const weights = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((o, p) => (weights.set(p, o), o + p.length), 0);
  const modelJson = JSON.stringify({
    format: 'layers-model',
    generatedBy: options.generatedBy ?? 'agedist',
    modelTopology: saved.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
  });
  return { modelJson, weights };
}
