/** The model card written into an ensemble trained on the training page (and its exported zip). */
import { DEFAULT_HEAD_TRAINING } from '../age/trainable/trainer';
import type { ResultRow, TrainingSettings } from './protocol';

const row = (r: ResultRow) =>
  `| ${r.name} | ${r.before.mae.toFixed(2)} → ${r.after.mae.toFixed(2)} | ${r.before.epsilon.toFixed(4)} → ${r.after.epsilon.toFixed(4)} | ${r.before.cs5.toFixed(3)} → ${r.after.cs5.toFixed(3)} |`;

export function trainedModelCard(name: string, result: { rows: ResultRow[]; settings: TrainingSettings; trainImages: number; validImages: number; weights: number[] }): string {
  const s = result.settings;
  return `# Model card: ${name}

**What it is.** An agedist ensemble whose FaceRes members were fine-tuned in the browser on the
agedist training page with Deep Age Distribution Learning (KL divergence against a Gaussian over
ages 0..100 built from each face's mean and std). Outputs a probability for every age 0..100.

**Training data.** A dataset dropped by the user: ${result.trainImages} training and ${result.validImages}
validation faces (faces without landmarks were skipped and listed in the page's report). Whoever
trained it knows where the data came from and under which terms; those terms apply to these weights.

**Settings.** Members trained: ${s.members.join(', ')}; ${s.blocks === 0 ? 'heads only' : `heads and the last ${s.blocks} backbone blocks`};
epochs ${s.epochs} (early stopping after ${s.patience} without a better validation ε); batch ${s.batchSize};
learning rate ${s.learningRate} (Adam, × ${DEFAULT_HEAD_TRAINING.decay} every ${DEFAULT_HEAD_TRAINING.decayEvery} epochs); mirror augmentation ${s.mirror ? 'on' : 'off'}.
Mixture weights re-fitted on the validation split: ${result.weights.map((w) => w.toFixed(2)).join(' / ')}.

**Validation (before → after).**

| model | MAE | ε-error | CS(5) |
|---|---|---|---|
${result.rows.map(row).join('\n')}

The validation split also chose the epoch and the weights, so these numbers are optimistic.

**Limits.** Apparent age as the dataset's annotators saw it. Not for decisions about people.
`;
}
