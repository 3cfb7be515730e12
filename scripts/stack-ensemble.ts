/**
 * Stacking, the third way to combine members (after the uniform and the weighted mixture): a small
 * learned combiner on the members' last-layer features, as the seed did with its "whole_data"
 * features. Everything is measured on the valid split with 2-fold cross-validation (faces split
 * alternately, as crossValidatedEpsilon does for the mixture weights): the combiner is trained on
 * one half, with early stopping on a fifth of that half, and scored on the other half.
 *
 *   npx tsx scripts/stack-ensemble.ts --data ../shared/data/appa-real [--members faceres-deep-dadl,faceres-dadl] [--also-fit-on train]
 *
 * --also-fit-on SPLIT adds a combiner trained on that split's features, early-stopped on one valid
 * half and scored on the other.
 *
 * Faces go through the app's pipeline (landmarks from the built app, src/runtime/cropWarp.ts crops, the
 * members' own preprocessing); faces without landmarks count as ε = 1 for every variant.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { MIN_STD, summarize } from '../src/age/distribution';
import { fitMixtureWeights, type FitSample } from '../src/age/ensembleFit';
import { parseMemberManifest } from '../src/age/manifest';
import { score } from '../src/age/metrics';
import { AGE_LAYER, FEATS_LAYER } from '../src/age/trainable/faceResNet';
import { DEFAULT_HEAD_TRAINING, evaluateMember, featureSet, trainMember, type FeatureSet } from '../src/age/trainable/trainer';
import { parseLabelCsv, type LabelRow } from '../src/data/labels';
import { cachedFeatures, findLandmarks, layersFeatures, loadLayers } from './faces';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    labels: { type: 'string' },
    members: { type: 'string', default: 'faceres-deep-dadl,faceres-dadl' },
    split: { type: 'string', default: 'valid' },
    /** Also train a combiner on this split's features (early-stopped on one valid half, scored on the other). */
    'also-fit-on': { type: 'string' },
    cache: { type: 'string', default: '.cache/train' },
    'skip-build': { type: 'boolean', default: false },
  },
});

const FEATS = 256;

/** Per face: each member's 256-d feats and its age distribution. */
async function memberOutputs(id: string, rows: LabelRow[], landmarks: Awaited<ReturnType<typeof findLandmarks>>, dir: string) {
  const memberDir = resolve('public/models', id);
  const manifest = parseMemberManifest(JSON.parse(await readFile(join(memberDir, 'member.json'), 'utf8')));
  const model = await loadLayers(memberDir);
  const both = tf.layers.concatenate().apply([model.getLayer(FEATS_LAYER).output, model.getLayer(AGE_LAYER).output] as tf.SymbolicTensor[]) as tf.SymbolicTensor;
  const outputs = await cachedFeatures(rows, landmarks, dir, manifest, memberDir, layersFeatures(tf.model({ inputs: model.inputs, outputs: both })), 1, values.cache!);
  model.dispose();
  return outputs.map((o) => (o.length ? { feats: o[0].subarray(0, FEATS), probs: o[0].subarray(FEATS) } : undefined));
}

/** Standardises columns with the training rows' statistics (the combiner is a plain softmax layer). */
function standardiser(rows: Float32Array[]) {
  const width = rows[0].length;
  const mean = new Float32Array(width);
  const std = new Float32Array(width);
  for (const r of rows) for (let j = 0; j < width; j++) mean[j] += r[j] / rows.length;
  for (const r of rows) for (let j = 0; j < width; j++) std[j] += (r[j] - mean[j]) ** 2 / rows.length;
  for (let j = 0; j < width; j++) std[j] = Math.sqrt(std[j]) + 1e-6;
  return (r: Float32Array) => r.map((v, j) => (v - mean[j]) / std[j]);
}

/** Trains a softmax combiner on `fit` (early stopping on `stop`) and returns expected ages for `test`. */
async function stackedPredictions(fit: FeatureSet, stop: FeatureSet, test: FeatureSet): Promise<number[]> {
  const standardise = standardiser(fit.features);
  const scaled = (s: FeatureSet): FeatureSet => ({ ...s, features: s.features.map(standardise) });
  const combiner = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [fit.features[0].length], units: 101, activation: 'softmax', kernelRegularizer: tf.regularizers.l2({ l2: 1e-3 }), kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) })],
  });
  await trainMember(combiner, featureSet(scaled(fit)), featureSet(scaled(stop)), { ...DEFAULT_HEAD_TRAINING, epochs: 60, patience: 10, decayEvery: 20 });
  const { predicted } = await evaluateMember(combiner, featureSet(scaled(test)), MIN_STD);
  combiner.dispose();
  return predicted;
}

async function main() {
  if (!values.data) throw new Error('--data DIR is required');
  const dir = values.data;
  const labels = parseLabelCsv(await readFile(values.labels ?? join(dir, 'labels.csv'), 'utf8'));
  const rows = labels.rows.filter((r) => r.split === values.split);
  if (!rows.length) throw new Error(`no ${values.split} rows in the labels`);
  const fitRows = values['also-fit-on'] ? labels.rows.filter((r) => r.split === values['also-fit-on']) : [];
  const landmarks = await findLandmarks([...rows, ...fitRows], dir, join(values.cache!, 'landmarks.json'), values['skip-build']);

  setWasmPaths(resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
  await tf.setBackend('wasm');
  const ids = values.members!.split(',');
  const outputs: Awaited<ReturnType<typeof memberOutputs>>[] = [];
  for (const id of ids) outputs.push(await memberOutputs(id, rows, landmarks, dir));
  const fitOutputs: Awaited<ReturnType<typeof memberOutputs>>[] = [];
  for (const id of ids) if (fitRows.length) fitOutputs.push(await memberOutputs(id, fitRows, landmarks, dir));

  const faces = rows.map((r, i) => ({ row: r, members: outputs.map((o) => o[i]) })).filter((f) => f.members.every(Boolean));
  const missed = rows.length - faces.length;
  const stdOf = (r: LabelRow) => Math.max(r.std ?? MIN_STD, MIN_STD);
  const expected = faces.map((f) => f.members.map((m) => summarize(m!.probs).mean));
  const samples: FitSample[] = faces.map((f, i) => ({ members: expected[i], mean: f.row.mean, std: stdOf(f.row) }));
  const inputsFeats = faces.map((f) => Float32Array.from(f.members.flatMap((m) => Array.from(m!.feats))));
  const inputsFeatsAndLogProbs = faces.map((f, i) => Float32Array.from([...inputsFeats[i], ...f.members.flatMap((m) => Array.from(m!.probs, (p) => Math.log(p + 1e-7)))]));

  // Folds as in crossValidatedEpsilon: alternate faces.
  const folds = [faces.map((_, i) => i).filter((i) => i % 2 === 0), faces.map((_, i) => i).filter((i) => i % 2 === 1)];
  const subset = (inputs: Float32Array[], idx: number[]): FeatureSet => ({ features: idx.map((i) => inputs[i]), mean: idx.map((i) => faces[i].row.mean), std: idx.map((i) => stdOf(faces[i].row)) });
  const crossValidated = async (inputs: Float32Array[]) => {
    const predicted = new Array<number>(faces.length);
    for (const [k, test] of folds.entries()) {
      const train = folds[1 - k];
      const fit = train.filter((_, j) => j % 5 !== 0);
      const stop = train.filter((_, j) => j % 5 === 0);
      const p = await stackedPredictions(subset(inputs, fit), subset(inputs, stop), subset(inputs, test));
      test.forEach((i, j) => (predicted[i] = p[j]));
    }
    return predicted;
  };
  const mixtureCv = () => {
    const predicted = new Array<number>(faces.length);
    for (const [k, test] of folds.entries()) {
      const { weights } = fitMixtureWeights(folds[1 - k].map((i) => samples[i]));
      for (const i of test) predicted[i] = expected[i].reduce((s, e, j) => s + e * weights[j], 0);
    }
    return predicted;
  };

  const report = (name: string, predicted: number[]) => {
    const s = score([...faces.map((f, i) => ({ predicted: predicted[i], mean: f.row.mean, std: stdOf(f.row) })), ...Array.from({ length: missed }, () => ({ mean: 0, std: 1 }))]);
    const mae = faces.reduce((sum, f, i) => sum + Math.abs(predicted[i] - f.row.mean), 0) / faces.length;
    console.log(`| ${name} | ${s.epsilon!.toFixed(4)} | ${mae.toFixed(3)} | ${s.cs5.toFixed(3)} |`);
  };
  console.log(`\n${dir} ${values.split}: ${rows.length} images, ${missed} without a face (ε = 1), members ${ids.join(', ')}\n`);
  console.log('| variant | ε | MAE | CS(5) |\n|---|---|---|---|');
  ids.forEach((id, k) => report(id, expected.map((e) => e[k])));
  report('uniform mixture', expected.map((e) => e.reduce((a, b) => a + b, 0) / e.length));
  report('weighted mixture, 2-fold CV', mixtureCv());
  report(`stacking on feats (${inputsFeats[0].length}-d), 2-fold CV`, await crossValidated(inputsFeats));
  report(`stacking on feats + log-probabilities (${inputsFeatsAndLogProbs[0].length}-d), 2-fold CV`, await crossValidated(inputsFeatsAndLogProbs));
  if (fitRows.length) {
    // The members' heads were fitted on these images, so their features here are optimistic;
    // there are many more of them than valid faces, though.
    const fitFaces = fitRows.map((r, i) => ({ row: r, members: fitOutputs.map((o) => o[i]) })).filter((f) => f.members.every(Boolean));
    const fitSet: FeatureSet = {
      features: fitFaces.map((f) => Float32Array.from(f.members.flatMap((m) => Array.from(m!.feats)))),
      mean: fitFaces.map((f) => f.row.mean),
      std: fitFaces.map((f) => stdOf(f.row)),
    };
    const predicted = new Array<number>(faces.length);
    for (const [k, test] of folds.entries()) {
      const p = await stackedPredictions(fitSet, subset(inputsFeats, folds[1 - k]), subset(inputsFeats, test));
      test.forEach((i, j) => (predicted[i] = p[j]));
    }
    report(`stacking on feats, combiner trained on ${values['also-fit-on']} (${fitFaces.length} faces), stopped/scored on valid halves`, predicted);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
