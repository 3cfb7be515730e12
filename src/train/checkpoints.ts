/**
 * Training checkpoints in IndexedDB: after each best epoch the trained members' float32 weights
 * are saved, so a closed tab or a crash resumes where it stopped instead of starting over.
 */
import * as tf from '@tensorflow/tfjs';
import { serializeLayersModel } from '../age/trainable/serialize';
import { openStore, type Checkpoint } from '../store/db';
import { filesFetch, savedEnsembleUrl, textFile, type EnsembleFiles } from '../store/ensembleFiles';
import type { TrainableMember } from './members';

type LoadedMember = TrainableMember & { model: tf.LayersModel };

/** Files of a member's current weights (float32: a resumed run continues exactly). */
export async function memberFiles(member: LoadedMember): Promise<EnsembleFiles> {
  const { modelJson, weights } = await serializeLayersModel(member.model, { generatedBy: 'agedist training page checkpoint' });
  return { [`${member.manifest.id}/model.json`]: textFile(modelJson), [`${member.manifest.id}/weights.bin`]: weights };
}

/** Saves the run's state; `files` are merged over the previous checkpoint's (other members keep theirs). */
export async function saveCheckpoint(update: Omit<Checkpoint, 'runKey' | 'savedAt' | 'files'>, files: EnsembleFiles): Promise<void> {
  const store = await openStore();
  const previous = await store.get('checkpoints', 'latest');
  await store.put('checkpoints', { ...update, runKey: 'latest', savedAt: new Date().toISOString(), files: { ...(previous?.files ?? {}), ...files } });
}

/** Loads checkpointed weights into the members (the architecture is the members' own). */
export async function restoreCheckpoint(checkpoint: Checkpoint, members: readonly LoadedMember[]): Promise<void> {
  for (const member of members) {
    const id = member.manifest.id;
    if (!checkpoint.files[`${id}/model.json`]) continue;
    const url = new URL(`${id}/model.json`, savedEnsembleUrl('checkpoint')).href;
    const saved = await tf.loadLayersModel(url, { fetchFunc: (async (u: RequestInfo | URL) => filesFetch(checkpoint.files, String(u))) as typeof fetch });
    // Layer by layer: a model's weight order puts trainable layers first, and that differs
    // between the member (some blocks frozen) and the checkpoint as loaded (all trainable).
    for (const layer of member.model.layers) layer.setWeights(saved.getLayer(layer.name).getWeights());
    saved.dispose();
  }
}
