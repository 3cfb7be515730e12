/**
 * `npm run train -- --data DIR [--member faceres-deep,faceres] [--blocks N] [--crop-scale S] [--balance A] [--limit N] [--epochs 30] ...`
 *
 * DADL fine-tuning of ensemble members in Node (tfjs, wasm backend) with KL against Gaussian label
 * distributions. Head only (default, `--blocks 0`): the backbone's pooled features are computed
 * once per image and augmentation and cached, then the head (feats + 101-way age softmax) is
 * trained on them. `--blocks N` also trains the last N of the 13 backbone blocks: every batch is
 * then decoded, aligned, augmented (random mirror + jitter) and run through the whole network.
 *
 * Faces go through the app's own pipeline: landmarks come from the built app in headless Chromium
 * (scripts/lab.ts), and crops (src/geometry/similarity.ts, src/runtime/cropWarp.ts) with each member's template. Images without
 * landmarks are reported, not silently dropped.
 *
 * Other network families: `--member-dir DIR --features NODE [--hidden N]` trains a DADL head
 * (src/age/trainable/graphHead.ts: optional ReLU layer + 101-way softmax) on the features a frozen
 * graph model (DIR/model.json, e.g. MobileFaceNet) gives at NODE, and ships backbone + head as one
 * graph member (head only; DIR/member.json says how to feed the backbone). `--pool` averages a
 * feature map at NODE over height and width first.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { parseMemberManifest, type MemberManifest } from '../src/age/manifest';
import { DEFAULT_HEAD_TRAINING, featureSet, trainMember, type EpochStats, type FeatureSet } from '../src/age/trainable/trainer';
import { faceResFromGraphModel, lastFrozenLayer, setTrainableBlocks, splitAfter, splitAtPooling } from '../src/age/trainable/faceResNet';
import { serializeLayersModel } from '../src/age/trainable/serialize';
import { appendHeadToGraph, denseHead, featureStats, foldStandardization, HEAD_OUTPUT, standardize, type GraphModelJson } from '../src/age/trainable/graphHead';
import { parseLabelCsv, type LabelRow } from '../src/data/labels';
import { registerWasmTrainingKernels } from '../src/runtime/wasmTrainingKernels';
import { cachedFeatures, findLandmarks, graphFeatures, imageSet, layersFeatures, loadGraph, loadLayers, progress, type FeatureExtractor } from './faces';
import { modelCard } from './model-card';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    labels: { type: 'string' },
    member: { type: 'string', default: 'faceres-deep' },
    'member-dir': { type: 'string' },
    features: { type: 'string' },
    hidden: { type: 'string', default: '0' },
    pool: { type: 'boolean', default: false },
    limit: { type: 'string' },
    epochs: { type: 'string', default: String(DEFAULT_HEAD_TRAINING.epochs) },
    batch: { type: 'string', default: String(DEFAULT_HEAD_TRAINING.batchSize) },
    lr: { type: 'string', default: String(DEFAULT_HEAD_TRAINING.learningRate) },
    jitter: { type: 'string', default: '1' },
    blocks: { type: 'string', default: '0' },
    init: { type: 'string' },
    /** Scale the member's crop template about the crop's centre: below 1 shows more context (hair, chin), above 1 less. */
    'crop-scale': { type: 'string', default: '1' },
    /** Age-balanced sampling exponent (src/age/trainable/balance.ts); 0 = off. */
    balance: { type: 'string', default: '0' },
    name: { type: 'string' },
    cache: { type: 'string', default: '.cache/train' },
    out: { type: 'string', default: 'public/models' },
    'skip-build': { type: 'boolean', default: false },
  },
});

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');

async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const { modelJson, weights } = await serializeLayersModel(model, { float16: true, generatedBy: 'agedist scripts/train.ts' });
  await writeFile(join(dir, 'model.json'), modelJson);
  await writeFile(join(dir, 'weights.bin'), weights);
}

/** The backbone's graph (its weight files concatenated in manifest order) with the trained head appended. */
async function saveGraphWithHead(memberDir: string, head: tf.LayersModel, node: string, pool: boolean, dir: string): Promise<void> {
  const graph = JSON.parse(await readFile(join(memberDir, 'model.json'), 'utf8')) as GraphModelJson;
  const files = await Promise.all(graph.weightsManifest.flatMap((g) => g.paths).map((p) => readFile(join(memberDir, p))));
  const { modelJson, weights } = appendHeadToGraph(graph, new Uint8Array(Buffer.concat(files)), head, node, { pool });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.json'), JSON.stringify({ ...modelJson, generatedBy: `${modelJson.generatedBy ?? ''} + agedist scripts/train.ts (DADL head)` }));
  await writeFile(join(dir, 'weights.bin'), weights);
}

/** A FaceRes model cut at its pooling: the frozen part as the feature source, the head to train. */
function pooledSplit(model: tf.LayersModel): { features: FeatureExtractor; head: tf.LayersModel } {
  const { features, head } = splitAtPooling(model);
  return { features: layersFeatures(features), head };
}

/** The manifest with its crop template's points scaled by `scale` about the crop's centre (0.5, 0.5). */
function withCropScale(manifest: MemberManifest, scale: number): MemberManifest {
  if (scale === 1) return manifest;
  if (!(scale > 0.3 && scale < 2)) throw new Error(`--crop-scale ${scale}: expected a factor between 0.3 and 2`);
  const crop = manifest.input.crop;
  if (!crop) throw new Error(`${manifest.id} has no crop template to scale`);
  const about = (v: number) => Math.round((0.5 + (v - 0.5) * scale) * 1e4) / 1e4;
  const [a, b, c, d, e] = crop.points.map(([x, y]): [number, number] => [about(x), about(y)]);
  return { ...manifest, input: { ...manifest.input, crop: { ...crop, points: [a, b, c, d, e] } } };
}

async function main() {
  if (!values.data) throw new Error('--data DIR is required');
  const dir = values.data;
  const labels = parseLabelCsv(await readFile(values.labels ?? join(dir, 'labels.csv'), 'utf8'));
  for (const p of labels.problems) process.stderr.write(`label line ${p.line}: ${p.reason}\n`);
  const limit = values.limit ? Number(values.limit) : Infinity;
  const train = labels.rows.filter((r) => r.split === 'train').slice(0, limit);
  const valid = labels.rows.filter((r) => r.split === 'valid').slice(0, limit);
  if (!train.length || !valid.length) throw new Error('labels need a split column with train and valid rows');

  if (values.name && values.member!.includes(',')) throw new Error('--name names one output: train one --member at a time with it');
  const landmarks = await findLandmarks([...train, ...valid], dir, join(values.cache!, 'landmarks.json'), values['skip-build']);
  const missing = [...train, ...valid].filter((r) => !landmarks[r.file]);
  console.log(`landmarks: ${train.length + valid.length - missing.length} faces found, ${missing.length} without a face (not trained on; counted as misses in eval): ${missing.map((r) => r.file).join(' ')}`);

  setWasmPaths(join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist/') + '/');
  await tf.setBackend('wasm');
  registerWasmTrainingKernels();
  const blocks = Number(values.blocks);
  const cropScale = Number(values['crop-scale']);
  const balance = Number(values.balance);
  const variants = 2 + 2 * Number(values.jitter);

  const node = values.features;
  if (node && blocks > 0) throw new Error('--features trains a head on a frozen graph backbone: --blocks must be 0');
  for (const id of values.member!.split(',')) {
    const memberDir = values['member-dir'] ? resolve(values['member-dir']) : join(ROOT, 'public/models', id);
    const manifest = withCropScale(parseMemberManifest(JSON.parse(await readFile(join(memberDir, 'member.json'), 'utf8'))), cropScale);
    let model: tf.LayersModel;
    let backbone: FeatureExtractor | undefined;
    if (node) {
      const graph = await loadGraph(memberDir);
      backbone = graphFeatures(graph, node, manifest.input.size, values.pool);
      model = denseHead(backbone.width, Number(values.hidden));
      console.log(`${id}: a DADL head (hidden ${values.hidden}) on ${backbone.width} features at ${node}`);
    } else if (values.init) {
      model = await loadLayers(resolve(values.init));
      console.log(`${id}: starting from ${values.init}`);
    } else {
      const graph = await loadGraph(memberDir);
      model = faceResFromGraphModel(graph, manifest.input.size);
      graph.dispose();
    }
    const options = { ...DEFAULT_HEAD_TRAINING, epochs: Number(values.epochs), batchSize: Number(values.batch), learningRate: Number(values.lr), ...(balance > 0 && { balance }) };
    const onEpoch = async (s: EpochStats) => {
      console.log(`epoch ${s.epoch}: train KL ${s.trainKl.toFixed(4)}  valid KL ${s.validKl.toFixed(4)}  MAE ${s.validMae.toFixed(3)}  ε ${s.validEpsilon.toFixed(4)}  lr ${s.learningRate.toExponential(1)}${s.best ? '  *' : ''}`);
      // Checkpoint every new best, so an interrupted run keeps its best model.
      if (s.best && !node) await saveLayersModel(model, join(values.cache!, 'checkpoints', id));
    };
    let history: EpochStats[];
    if (blocks === 0) {
      const { features, head } = backbone ? { features: backbone, head: model } : pooledSplit(model);
      // The features come from the --init model when there is one: its files key the cache.
      const weightsDir = values.init ? resolve(values.init) : memberDir;
      const trainFeatures = await cachedFeatures(train, landmarks, dir, manifest, weightsDir, features, variants, values.cache!);
      const validFeatures = await cachedFeatures(valid, landmarks, dir, manifest, weightsDir, features, 1, values.cache!);
      // A new head on a graph backbone trains on standardized features (folded into it afterwards).
      const stats = backbone ? featureStats(trainFeatures.flat()) : undefined;
      const toSet = (rows: LabelRow[], feats: Float32Array[][]): FeatureSet => {
        const set: FeatureSet = { features: [], mean: [], std: [] };
        rows.forEach((r, i) => feats[i].forEach((f) => (set.features.push(stats ? standardize(f, stats) : f), set.mean.push(r.mean), set.std.push(r.std))));
        return set;
      };
      console.log(`\n${id}: training the head on ${train.length} images × ${variants} variants, validating on ${valid.length}`);
      history = await trainMember(head, featureSet(toSet(train, trainFeatures)), featureSet(toSet(valid, validFeatures)), { ...options, onEpoch });
      if (stats) foldStandardization(head, stats);
    } else {
      setTrainableBlocks(model, blocks);
      const { features: frozen, head: tail } = splitAfter(model, lastFrozenLayer(blocks));
      const trainSet = imageSet(train, landmarks, dir, manifest, frozen, true, options.seed);
      console.log(`\n${id}: training the head and the last ${blocks} blocks on ${trainSet.mean.length} images (augmented on the fly), validating on ${valid.length}`);
      const started = Date.now();
      let epochStarted = started;
      history = await trainMember(tail, trainSet, imageSet(valid, landmarks, dir, manifest, frozen, false, 0), {
        ...options,
        onEpoch: async (s) => {
          await onEpoch(s);
          epochStarted = Date.now();
        },
        // Counted in images, so the rate reads as training throughput.
        onBatch: (b) => progress(`epoch ${b.epoch} (KL ${b.kl.toFixed(3)}) images`, Math.min(b.batch * options.batchSize, trainSet.mean.length), trainSet.mean.length, epochStarted),
      });
      console.log(`${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    const best = history.reduce((a, b) => (b.validEpsilon < a.validEpsilon ? b : a));
    const outId = values.name ?? `${id}-dadl`;
    const outDir = resolve(values.out!, outId);
    if (node) await saveGraphWithHead(memberDir, model, node, values.pool, outDir);
    else await saveLayersModel(model, outDir);
    const member = {
      id: outId,
      name: `${manifest.name}, DADL ${blocks === 0 ? 'head' : `head + last ${blocks} blocks`}`,
      model: node ? { url: 'model.json', format: 'graph', output: HEAD_OUTPUT } : { url: 'model.json', format: 'layers' },
      input: manifest.input,
      output: { kind: 'softmax', ages: Array.from({ length: 101 }, (_, a) => a) },
      provenance: {
        ...manifest.provenance,
        license: manifest.provenance.license,
        origin: `${manifest.provenance.origin ?? manifest.name}. ${node ? `DADL head (${values.hidden === '0' ? '' : `${values.hidden}-unit ReLU layer + `}101-way age softmax) on the frozen network's ${node}` : 'Head (feats + 101-way age softmax)'}${blocks === 0 ? '' : ` and the last ${blocks} blocks`} fine-tuned by agedist's scripts/train.ts with KL against Gaussian label distributions on APPA-REAL / ChaLearn LAP 2016 train (research and educational use only).`,
        training: { member: id, cropScale: cropScale === 1 ? undefined : cropScale, features: node, pool: node ? values.pool : undefined, hidden: node ? Number(values.hidden) : undefined, init: values.init, data: dir, trainImages: train.length, validImages: valid.length, trainedBlocks: blocks, variants: blocks === 0 ? variants : undefined, options, bestEpoch: best.epoch, valid: { mae: best.validMae, epsilon: best.validEpsilon, kl: best.validKl } },
      },
    };
    await writeFile(join(outDir, 'member.json'), JSON.stringify(member, null, 2) + '\n');
    await writeFile(join(outDir, 'MODEL_CARD.md'), modelCard(member));
    console.log(`${id}: best epoch ${best.epoch}, valid MAE ${best.validMae.toFixed(3)}, ε ${best.validEpsilon.toFixed(4)} → ${outDir}`);
    model.dispose();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
