/**
 * The training page's members: the base ensemble's members loaded as trainable FaceRes layers
 * models (a trained `-dadl` layers member as it is, a pretrained FaceRes graph model rebuilt by
 * faceResFromGraphModel), their crops and their files for saving. No DOM.
 */
import * as tf from '@tensorflow/tfjs';
import { loadEnsembleManifest } from '../age/ensemble';
import type { EnsembleManifest, MemberManifest } from '../age/manifest';
import { loadMemberManifest, loadMemberModel } from '../age/member';
import { AGE_BINS } from '../age/distribution';
import { AGE_LAYER, FEATS_LAYER, POOLED_LAYER, faceResFromGraphModel, lastFrozenLayer, setTrainableBlocks, splitAfter } from '../age/trainable/faceResNet';
import { serializeLayersModel } from '../age/trainable/serialize';
import { textFile, type EnsembleFiles } from '../store/ensembleFiles';

export interface TrainableMember {
  path: string;
  weight: number;
  manifest: MemberManifest;
  model?: tf.LayersModel;
  /** 'faceres': head = feats + age, blocks = MobileNet blocks. 'chain': any chain of layers (a converted MatConvNet net): head = the last layer with weights, blocks = the ones before it. */
  kind?: 'faceres' | 'chain';
  notTrainable?: string;
}

const hasWeights = (l: tf.layers.Layer) => l.getWeights().length > 0 && l.name !== 'average_image';

/**
 * Freezes all but the head and the last `blocks` blocks and splits the member there: `frozen`
 * (image → features, run once or outside the gradient tape) and `trained` (shares the member's
 * layers, so training it trains the member).
 */
export function trainableParts(member: TrainableMember & { model: tf.LayersModel }, blocks: number): { frozen: tf.LayersModel; trained: tf.LayersModel } {
  const model = member.model;
  if (member.kind === 'faceres') {
    setTrainableBlocks(model, blocks);
    const split = splitAfter(model, lastFrozenLayer(blocks));
    return { frozen: split.features, trained: split.head };
  }
  const weighted = model.layers.filter(hasWeights);
  const first = weighted[Math.max(0, weighted.length - 1 - blocks)];
  const at = model.layers.indexOf(first);
  model.layers.forEach((l, i) => (l.trainable = i >= at));
  // Split before the first trained layer (and its zero padding, which belongs to it).
  let splitIndex = at - 1;
  while (splitIndex > 0 && model.layers[splitIndex].name.endsWith('_pad')) splitIndex--;
  const split = splitAfter(model, model.layers[splitIndex].name);
  return { frozen: split.features, trained: split.head };
}

/** Why a loaded layers model cannot be trained here, if it cannot. */
function chainProblem(model: tf.LayersModel, manifest: MemberManifest): string | undefined {
  const chain = model.layers.every((l, i) => i === 0 || (l.inboundNodes[0]?.inboundLayers.length === 1 && l.inboundNodes[0].inboundLayers[0] === model.layers[i - 1]));
  if (!chain) return 'only chains of layers can be fine-tuned here';
  const out = manifest.output;
  if (out.kind !== 'softmax' || out.ages.length !== AGE_BINS || out.ages.some((a, i) => a !== i)) return 'fine-tuning needs a 101-way softmax over ages 0..100';
  if (!model.layers.some(hasWeights)) return 'the model has no weights to train';
  return undefined;
}

export async function loadBaseEnsemble(ensembleUrl: string, fetchFunc: typeof fetch): Promise<{ manifest: EnsembleManifest; members: TrainableMember[] }> {
  const { manifest, memberUrls } = await loadEnsembleManifest(ensembleUrl, fetchFunc);
  const members = await Promise.all(
    manifest.members.map(async (entry, i): Promise<TrainableMember> => {
      const member = await loadMemberManifest(memberUrls[i], fetchFunc);
      const base = { path: entry.path, weight: entry.weight, manifest: member };
      try {
        const loaded = await loadMemberModel(member, memberUrls[i], { fetchFunc });
        if (loaded instanceof tf.LayersModel) {
          const names = new Set(loaded.layers.map((l) => l.name));
          if ([POOLED_LAYER, FEATS_LAYER, AGE_LAYER].every((n) => names.has(n))) return { ...base, model: loaded, kind: 'faceres' };
          const problem = chainProblem(loaded, member);
          if (problem) {
            loaded.dispose();
            return { ...base, notTrainable: problem };
          }
          return { ...base, model: loaded, kind: 'chain' };
        }
        try {
          return { ...base, model: faceResFromGraphModel(loaded, member.input.size), kind: 'faceres' };
        } finally {
          loaded.dispose();
        }
      } catch {
        return { ...base, notTrainable: 'only FaceRes-family members can be fine-tuned here' };
      }
    }),
  );
  return { manifest, members };
}

/** Members sharing a crop size and template share one cached crop per image. */
export function cropSpecKey(manifest: MemberManifest): string {
  return JSON.stringify([manifest.input.size, manifest.input.crop?.points ?? 'default']);
}

export interface TrainingRecord {
  settings: unknown;
  trainImages: number;
  validImages: number;
  before: unknown;
  after: unknown;
}

/** Files of an ensemble of the trainable members (weights float16), with the given weights. */
export async function ensembleFiles(name: string, members: readonly TrainableMember[], weights: readonly number[], record: TrainingRecord, card: string): Promise<EnsembleFiles> {
  const files: EnsembleFiles = {};
  const entries: { path: string; weight: number }[] = [];
  for (const [k, m] of members.entries()) {
    if (!m.model) continue;
    const id = m.manifest.id;
    const { modelJson, weights: bin } = await serializeLayersModel(m.model, { float16: true, generatedBy: 'agedist training page' });
    files[`${id}/model.json`] = textFile(modelJson);
    files[`${id}/weights.bin`] = bin;
    files[`${id}/member.json`] = textFile({
      ...m.manifest,
      name: m.manifest.name.includes('fine-tuned') ? m.manifest.name : `${m.manifest.name}, fine-tuned`,
      model: { url: 'model.json', format: 'layers' },
      output: { kind: 'softmax', ages: Array.from({ length: 101 }, (_, a) => a) },
      provenance: { ...m.manifest.provenance, origin: `${m.manifest.provenance.origin ?? m.manifest.name}. Fine-tuned on the agedist training page.`, training: record },
    });
    files[`${id}/MODEL_CARD.md`] = textFile(card);
    entries.push({ path: `${id}/member.json`, weight: weights[k] });
  }
  files['ensemble.json'] = textFile({ name, description: 'Fine-tuned on the agedist training page; weights re-fitted on the validation split.', members: entries.filter((e) => e.weight > 0) });
  files['MODEL_CARD.md'] = textFile(card);
  return files;
}
