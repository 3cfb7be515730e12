/**
 * Writes MODEL_CARD.md for a member trained by `npm run train`, from its member.json (which
 * records the training data, settings and validation metrics).
 *
 *   npx tsx scripts/model-card.ts public/models/faceres-deep-dadl
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface TrainedMember {
  id: string;
  name: string;
  input: { size: number; colorOrder: string; crop?: unknown };
  provenance: {
    origin?: string;
    license: string;
    training?: {
      /** The pretrained member it started from, and the trained member it was initialised with, if any. */
      member?: string;
      init?: string;
      /** The crop template scaled about the crop's centre (train --crop-scale), if not 1. */
      cropScale?: number;
      /** A frozen graph backbone's feature node the head reads (another network family), and its hidden units. */
      features?: string;
      hidden?: number;
      data: string;
      trainImages: number;
      validImages: number;
      /** Per image, for head-only training on cached features; absent when trained on the fly. */
      variants?: number;
      /** How many of the last backbone blocks were fine-tuned with the head (0: head only). */
      trainedBlocks?: number;
      options: Record<string, number>;
      bestEpoch: number;
      valid: { mae: number; epsilon: number; kl: number };
    };
  };
}

export function modelCard(m: TrainedMember): string {
  const t = m.provenance.training;
  if (!t) throw new Error(`${m.id} has no provenance.training: not a trained member`);
  const base = t.member ?? m.id.replace(/-dadl$/, '');
  const blocks = t.trainedBlocks ?? 0;
  const what = t.features
    ? `Backbone: \`${base}\`, frozen (${m.provenance.origin?.split('. DADL head')[0].replace(/\.$/, '') ?? base}; see NOTICE). Head (${t.hidden ? `${t.hidden}-unit ReLU layer + ` : ''}101-way softmax) on the backbone's
\`${t.features}\`, trained from scratch and appended to the graph model`
    : `Backbone: HSE FaceRes (\`${base}\`, MobileNet v1, pretrained by A. V. Savchenko, converted to TF.js by
Vladimir Mandic; see NOTICE), ${blocks === 0 ? (t.init ? `as in \`${t.init}\` (frozen here)` : 'unchanged') : `its last ${blocks} of 13 blocks fine-tuned`}. Head (256-unit ReLU layer + 101-way softmax) fine-tuned`;
  return `# Model card: ${m.name} (\`${m.id}\`)

**What it is.** An apparent-age estimator that outputs a probability distribution over ages 0..100.
${what}
with Deep Age Distribution Learning: KL divergence against a Gaussian N(mean, std) of the annotators'
votes (std floored at 1 year). ${t.features ? 'Weights as in the files (see docs/RESULTS.md for their format).' : 'Weights stored as float16.'}

**Training data.** APPA-REAL / ChaLearn LAP 2016 apparent age, official train split
(${t.trainImages} images; faces without landmarks are skipped and listed by the trainer), early stopping
on the official valid split (${t.validImages} images). ChaLearn LAP data is released for research and
educational use only; image copyright stays with the owners. These weights were trained on it:
use them under the same research-and-education terms. No image is included here.

**Input.** ${m.input.size}x${m.input.size} ${m.input.colorOrder} crop${t.features ? ', (x − mean) / std as in member.json' : ' minus the ImageNet mean'}, aligned
by the app: MediaPipe landmarks → five points (eye centres, nose tip, mouth corners) → least-squares
similarity onto the template in member.json (\`input.crop\`, ${t.features ? `as in scripts/backbones/${base}/member.json` : 'fitted to APPA-REAL train crops'}).
${t.cropScale ? `The template's points are scaled by ${t.cropScale} about the crop's centre (${t.cropScale < 1 ? 'more context: hair, chin, background' : 'a tighter crop'}). ` : ''}${t.options.balance ? `Age-balanced sampling: rows drawn with weights ∝ (faces in their 5-year age bin)^-${t.options.balance} (src/age/trainable/balance.ts). ` : ''}Augmentation: ${t.variants ? `${t.variants} variants per image (plain, mirrored${t.variants > 2 ? ', jittered alignment ± mirror' : ''})` : 'a random mirror and alignment jitter drawn for every image in every batch'}.

**Training settings.** ${Object.entries(t.options).map(([k, v]) => `${k} ${v}`).join(', ')}; best epoch ${t.bestEpoch}.

**Validation (APPA-REAL valid, faces with landmarks, during training).** MAE ${t.valid.mae.toFixed(3)},
ε-error ${t.valid.epsilon.toFixed(4)}, KL ${t.valid.kl.toFixed(4)}. The valid split also chose the epoch,
so these numbers are slightly optimistic; docs/RESULTS.md has the full-pipeline numbers from
\`npm run eval\`, which count faces without landmarks as misses.

**Reproduce.** \`npm run train -- --data ${t.data} --member ${base}${t.features ? ` --member-dir scripts/backbones/${base} --features ${t.features} --hidden ${t.hidden ?? 0}` : ''}${t.variants && t.variants !== 4 ? ` --jitter ${(t.variants - 2) / 2}` : ''} --epochs ${t.options.epochs} --batch ${t.options.batchSize} --lr ${t.options.learningRate}${t.cropScale ? ` --crop-scale ${t.cropScale}` : ''}${t.options.balance ? ` --balance ${t.options.balance}` : ''}${blocks ? ` --blocks ${blocks}` : ''}${t.init ? ` --init ${t.init}` : ''}${m.id !== `${base}-dadl` ? ` --name ${m.id}` : ''}\`
(2-core x86_64, no GPU: ${t.features ? 'feature caching about 15 minutes, then seconds per epoch' : blocks ? 'about 10 minutes per epoch: every batch runs the whole network, about 9 images/s' : 'about 25 minutes per member'}).

**Limits.** Apparent age as judged by annotators of mostly adult, web-sourced faces; few children
and elderly faces, so errors are larger there. Not for decisions about people.
`;
}

async function main() {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: npx tsx scripts/model-card.ts public/models/<member>-dadl');
  const member = JSON.parse(await readFile(join(dir, 'member.json'), 'utf8')) as TrainedMember;
  await writeFile(join(dir, 'MODEL_CARD.md'), modelCard(member));
  console.log(`wrote ${join(dir, 'MODEL_CARD.md')}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
