/**
 * The training page's accepted samples as training sets for one member: model inputs made batch by
 * batch from the IndexedDB crop cache (so memory stays bounded), the member's expected ages on
 * them, and their metrics.
 */
import type * as tf from '@tensorflow/tfjs';
import { toModelInput } from '../age/member';
import { score } from '../age/metrics';
import { evaluateMember, type TrainingSet } from '../age/trainable/trainer';
import { openStore } from '../store/db';
import { decodeCrop } from './cropCache';
import { cropSpecKey, type TrainableMember } from './members';
import type { Metrics } from './protocol';

/** A sample that passed preprocessing: its label and, per crop spec, the IndexedDB key of its crop. */
export interface AcceptedSample {
  index: number;
  mean: number;
  std: number;
  split: 'train' | 'valid';
  cropKeys: Record<string, string>;
}

/** Model inputs of these samples for one member, straight from the crop cache (memory stays bounded). */
export async function inputsOf(member: TrainableMember, rows: readonly AcceptedSample[], mirrored: (i: number) => boolean): Promise<tf.Tensor4D> {
  const store = await openStore();
  const spec = cropSpecKey(member.manifest);
  const crops = await Promise.all(
    rows.map(async (s) => {
      const entry = await store.get('crops', s.cropKeys[spec]);
      if (!entry || 'rejected' in entry) throw new Error('a cached crop disappeared from IndexedDB; run the preprocessing again');
      return decodeCrop(entry.crop);
    }),
  );
  return toModelInput(crops, member.manifest.input, crops.map((_, i) => mirrored(i)));
}

/**
 * Samples as a TrainingSet of one member's inputs, made batch by batch from the crop cache; with
 * `frozen`, run through the member's frozen part (the trained tail's input); `mirror` draws which
 * faces are flipped.
 */
export function cropSet(member: TrainableMember, rows: readonly AcceptedSample[], options: { frozen?: tf.LayersModel; mirror?: () => boolean } = {}): TrainingSet {
  return {
    mean: rows.map((r) => r.mean),
    std: rows.map((r) => r.std),
    inputs: async (idx) => {
      const x = await inputsOf(member, idx.map((i) => rows[i]), () => options.mirror?.() ?? false);
      if (!options.frozen) return x;
      try {
        return options.frozen.predict(x) as tf.Tensor;
      } finally {
        x.dispose();
      }
    },
  };
}

/** Expected ages of the whole member on plain crops, 16 faces at a time. */
export async function expectedAges(member: TrainableMember & { model: tf.LayersModel }, rows: readonly AcceptedSample[]): Promise<number[]> {
  return (await evaluateMember(member.model, cropSet(member, rows), 1, 16)).predicted;
}

export function metricsOf(predicted: number[], rows: readonly AcceptedSample[]): Metrics {
  const s = score(predicted.map((p, i) => ({ predicted: p, mean: rows[i].mean, std: rows[i].std })));
  return { n: s.n, mae: s.mae, epsilon: s.epsilon ?? NaN, cs5: s.cs5 };
}
