/**
 * `npm run train -- --data DIR [--member faceres-deep,faceres] [--blocks N] [--limit N] [--epochs 30] ...`
 *
 * DADL fine-tuning of ensemble members in Node (tfjs, wasm backend) with KL against Gaussian label
 * distributions. Head only (default, `--blocks 0`): the backbone's pooled features are computed
 * once per image and augmentation and cached, then the head (feats + 101-way age softmax) is
 * trained on them. `--blocks N` also trains the last N of the 13 backbone blocks: every batch is
 * then decoded, aligned, augmented (random mirror + jitter) and run through the whole network.
 *
 * Faces go through the app's own pipeline: landmarks come from the built app in headless Chromium
 * (scripts/lab.ts), and crops from src/face/align.ts with each member's template. Images without
 * landmarks are reported, not silently dropped.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import jpeg from 'jpeg-js';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { parseMemberManifest, type MemberManifest } from '../src/age/manifest';
import { toModelInput } from '../src/age/member';
import { DEFAULT_HEAD_TRAINING, featureSet, trainMember, type EpochStats, type FeatureSet, type TrainingSet } from '../src/age/trainable/trainer';
import { registerWasmTrainingKernels } from '../src/runtime/wasmTrainingKernels';
import { seededRandom } from '../src/util/random';
import { faceResFromGraphModel, lastFrozenLayer, setTrainableBlocks, splitAfter, splitAtPooling } from '../src/age/trainable/faceResNet';
import { serializeLayersModel } from '../src/age/trainable/serialize';
import { alignmentTransform, warpToCrop, type FivePoints, type Similarity } from '../src/face/align';
import { parseLabelCsv, type LabelRow } from '../src/data/labels';
import { centralFace, openLab, serveBuild } from './lab';
import { modelCard } from './model-card';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    labels: { type: 'string' },
    member: { type: 'string', default: 'faceres-deep' },
    limit: { type: 'string' },
    epochs: { type: 'string', default: String(DEFAULT_HEAD_TRAINING.epochs) },
    batch: { type: 'string', default: String(DEFAULT_HEAD_TRAINING.batchSize) },
    lr: { type: 'string', default: String(DEFAULT_HEAD_TRAINING.learningRate) },
    jitter: { type: 'string', default: '1' },
    blocks: { type: 'string', default: '0' },
    init: { type: 'string' },
    name: { type: 'string' },
    cache: { type: 'string', default: '.cache/train' },
    out: { type: 'string', default: 'public/models' },
    'skip-build': { type: 'boolean', default: false },
  },
});

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');

function progress(label: string, done: number, total: number, started: number): void {
  const rate = done / Math.max(1e-3, (Date.now() - started) / 1000);
  const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
  const bar = '#'.repeat(Math.round((done / total) * 30)).padEnd(30, '-');
  process.stderr.write(`\r${label} [${bar}] ${done}/${total} ${rate.toFixed(1)}/s ETA ${Math.floor(eta / 60)}m${String(eta % 60).padStart(2, '0')}s `);
  if (done === total) process.stderr.write('\n');
}

/** Seeded small perturbations of the alignment (scale ±5 %, rotation ±5°, shift ±3 % of the crop). */
function jitterFor(seed: number, size: number): Similarity {
  const r = (k: number) => {
    const x = Math.sin(seed * 12.9898 + k * 78.233) * 43758.5453;
    return (x - Math.floor(x)) * 2 - 1;
  };
  const scale = 1 + 0.05 * r(1);
  const angle = (5 * Math.PI * r(2)) / 180;
  const a = scale * Math.cos(angle), b = scale * Math.sin(angle);
  const c = size / 2;
  // About the crop centre, then shifted.
  return { a, b, tx: c - (a * c - b * c) + 0.03 * size * r(3), ty: c - (b * c + a * c) + 0.03 * size * r(4) };
}

function compose(outer: Similarity, inner: Similarity): Similarity {
  return {
    a: outer.a * inner.a - outer.b * inner.b,
    b: outer.a * inner.b + outer.b * inner.a,
    tx: outer.a * inner.tx - outer.b * inner.ty + outer.tx,
    ty: outer.b * inner.tx + outer.a * inner.ty + outer.ty,
  };
}

type Landmarks = Record<string, FivePoints | null>;

async function findLandmarks(rows: LabelRow[], dir: string, cacheFile: string): Promise<Landmarks> {
  const cached: Landmarks = existsSync(cacheFile) ? JSON.parse(await readFile(cacheFile, 'utf8')) : {};
  const todo = rows.filter((r) => !(r.file in cached));
  if (todo.length > 0) {
    const served = await serveBuild({ skipBuild: values['skip-build'] });
    try {
      const lab = await openLab(served);
      const started = Date.now();
      for (const [i, row] of todo.entries()) {
        const d = await lab.detectFile(join(dir, row.file), 'video').catch(() => undefined);
        const face = centralFace(d);
        cached[row.file] = face ? (face.points5 as unknown as FivePoints) : null;
        if (i % 50 === 0 || i === todo.length - 1) progress('landmarks', i + 1, todo.length, started);
      }
    } finally {
      await served.close();
    }
    await mkdir(dirname(cacheFile), { recursive: true });
    await writeFile(cacheFile, JSON.stringify(cached));
  }
  return cached;
}

/** A layers-format member (e.g. a trained -dadl one) to start from instead of the pretrained graph. */
async function loadLayers(memberDir: string): Promise<tf.LayersModel> {
  const fileFetch = (async (input: RequestInfo | URL) => new Response(await readFile(join(memberDir, new URL(String(input)).pathname.split('/').pop()!)))) as typeof fetch;
  return tf.loadLayersModel('http://local/model.json', { fetchFunc: fileFetch });
}

async function loadGraph(memberDir: string): Promise<tf.GraphModel> {
  const fileFetch = (async (input: RequestInfo | URL) => new Response(await readFile(join(memberDir, new URL(String(input)).pathname.split('/').pop()!)))) as typeof fetch;
  return tf.loadGraphModel('http://local/model.json', { fetchFunc: fileFetch });
}

/**
 * computeFeatures, cached on disk under --cache: the key covers the member's weights, its input
 * spec (template included), the images and the variant count, so a rerun with other training
 * settings skips the slow part and any change that alters features recomputes them.
 */
async function cachedFeatures(rows: LabelRow[], landmarks: Landmarks, dir: string, manifest: MemberManifest, memberDir: string, features: tf.LayersModel, variants: number) {
  const key = createHash('sha1')
    .update(await readFile(join(memberDir, 'model.json')))
    .update(JSON.stringify([manifest.input, variants, rows.map((r) => [r.file, landmarks[r.file]])]))
    .digest('hex')
    .slice(0, 16);
  const file = join(values.cache!, `features-${manifest.id}-${key}.bin`);
  const counts = rows.map((r) => (landmarks[r.file] ? variants : 0));
  if (existsSync(file)) {
    const all = new Float32Array(new Uint8Array(await readFile(file)).buffer);
    let offset = 0;
    return counts.map((n) => Array.from({ length: n }, () => all.slice(offset, (offset += 1024))));
  }
  const computed = await computeFeatures(rows, landmarks, dir, manifest, features, variants);
  const flat = computed.flat();
  const all = new Float32Array(flat.length * 1024);
  flat.forEach((f, i) => all.set(f, i * 1024));
  await mkdir(values.cache!, { recursive: true });
  await writeFile(file, new Uint8Array(all.buffer));
  return computed;
}

/** Pooled features for every image × variant (0 = plain, 1 = mirrored, 2.. = jittered ± mirror). */
async function computeFeatures(rows: LabelRow[], landmarks: Landmarks, dir: string, manifest: MemberManifest, features: tf.LayersModel, variants: number) {
  const size = manifest.input.size;
  const crop = manifest.input.crop!;
  const out: Float32Array[][] = [];
  const started = Date.now();
  for (const [i, row] of rows.entries()) {
    const points = landmarks[row.file];
    if (!points) {
      out.push([]);
      continue;
    }
    const decoded = jpeg.decode(await readFile(join(dir, row.file)), { useTArray: true, formatAsRGBA: true });
    const base = alignmentTransform(points, crop, size);
    // Even variants are fed as they are, odd ones mirrored: one batch each.
    const crops = Array.from({ length: variants }, (_, v) => warpToCrop(decoded, v < 2 ? base : compose(jitterFor(i * 31 + v, size), base), size));
    const variantFeatures: Float32Array[] = new Array(variants);
    for (const mirrored of [false, true]) {
      const which = crops.map((_, v) => v).filter((v) => v % 2 === (mirrored ? 1 : 0));
      if (which.length === 0) continue;
      const batch = toModelInput(which.map((v) => crops[v]), manifest.input, mirrored);
      const pooled = features.predict(batch) as tf.Tensor2D;
      const data = (await pooled.data()) as Float32Array;
      which.forEach((v, k) => (variantFeatures[v] = data.slice(k * 1024, (k + 1) * 1024)));
      tf.dispose([batch, pooled]);
    }
    out.push(variantFeatures);
    if (i % 20 === 0 || i === rows.length - 1) progress(`features ${manifest.id}`, i + 1, rows.length, started);
  }
  return out;
}

/**
 * Aligned face crops made batch by batch (for `--blocks N`) and run through the frozen part of the
 * member: nothing is held but the labels. With `augment`, each draw mirrors half the faces and
 * jitters the alignment at random (seeded).
 */
function imageSet(rows: LabelRow[], landmarks: Landmarks, dir: string, manifest: MemberManifest, frozen: tf.LayersModel, augment: boolean, seed: number): TrainingSet {
  const faces = rows.filter((r) => landmarks[r.file]);
  const random = seededRandom(seed);
  const size = manifest.input.size;
  return {
    mean: faces.map((r) => r.mean),
    std: faces.map((r) => r.std),
    async inputs(indices) {
      const crops = await Promise.all(
        indices.map(async (i) => {
          const decoded = jpeg.decode(await readFile(join(dir, faces[i].file)), { useTArray: true, formatAsRGBA: true });
          const base = alignmentTransform(landmarks[faces[i].file]!, manifest.input.crop!, size);
          const transform = augment ? compose(jitterFor(random() * 1e6, size), base) : base;
          return { crop: warpToCrop(decoded, transform, size), mirrored: augment && random() < 0.5 };
        }),
      );
      return tf.tidy(() => frozen.predict(tf.concat(crops.map((c) => toModelInput([c.crop], manifest.input, c.mirrored)))) as tf.Tensor);
    },
  };
}

async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const { modelJson, weights } = await serializeLayersModel(model, { float16: true, generatedBy: 'agedist scripts/train.ts' });
  await writeFile(join(dir, 'model.json'), modelJson);
  await writeFile(join(dir, 'weights.bin'), weights);
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
  const landmarks = await findLandmarks([...train, ...valid], dir, join(values.cache!, 'landmarks.json'));
  const missing = [...train, ...valid].filter((r) => !landmarks[r.file]);
  console.log(`landmarks: ${train.length + valid.length - missing.length} faces found, ${missing.length} without a face (not trained on; counted as misses in eval): ${missing.map((r) => r.file).join(' ')}`);

  setWasmPaths(join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist/') + '/');
  await tf.setBackend('wasm');
  registerWasmTrainingKernels();
  const blocks = Number(values.blocks);
  const variants = 2 + 2 * Number(values.jitter);

  for (const id of values.member!.split(',')) {
    const memberDir = join(ROOT, 'public/models', id);
    const manifest = parseMemberManifest(JSON.parse(await readFile(join(memberDir, 'member.json'), 'utf8')));
    let model: tf.LayersModel;
    if (values.init) {
      model = await loadLayers(resolve(values.init));
      console.log(`${id}: starting from ${values.init}`);
    } else {
      const graph = await loadGraph(memberDir);
      model = faceResFromGraphModel(graph, manifest.input.size);
      graph.dispose();
    }
    const options = { ...DEFAULT_HEAD_TRAINING, epochs: Number(values.epochs), batchSize: Number(values.batch), learningRate: Number(values.lr) };
    const onEpoch = async (s: EpochStats) => {
      console.log(`epoch ${s.epoch}: train KL ${s.trainKl.toFixed(4)}  valid KL ${s.validKl.toFixed(4)}  MAE ${s.validMae.toFixed(3)}  ε ${s.validEpsilon.toFixed(4)}  lr ${s.learningRate.toExponential(1)}${s.best ? '  *' : ''}`);
      // Checkpoint every new best, so an interrupted run keeps its best model.
      if (s.best) await saveLayersModel(model, join(values.cache!, 'checkpoints', id));
    };
    let history: EpochStats[];
    if (blocks === 0) {
      const { features, head } = splitAtPooling(model);
      const trainFeatures = await cachedFeatures(train, landmarks, dir, manifest, memberDir, features, variants);
      const validFeatures = await cachedFeatures(valid, landmarks, dir, manifest, memberDir, features, 1);
      const toSet = (rows: LabelRow[], feats: Float32Array[][]): FeatureSet => {
        const set: FeatureSet = { features: [], mean: [], std: [] };
        rows.forEach((r, i) => feats[i].forEach((f) => (set.features.push(f), set.mean.push(r.mean), set.std.push(r.std))));
        return set;
      };
      console.log(`\n${id}: training the head on ${train.length} images × ${variants} variants, validating on ${valid.length}`);
      history = await trainMember(head, featureSet(toSet(train, trainFeatures)), featureSet(toSet(valid, validFeatures)), { ...options, onEpoch });
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
    await saveLayersModel(model, outDir);
    const member = {
      id: outId,
      name: `${manifest.name}, DADL ${blocks === 0 ? 'head' : `head + last ${blocks} blocks`}`,
      model: { url: 'model.json', format: 'layers' },
      input: manifest.input,
      output: { kind: 'softmax', ages: Array.from({ length: 101 }, (_, a) => a) },
      provenance: {
        ...manifest.provenance,
        license: manifest.provenance.license,
        origin: `${manifest.provenance.origin ?? manifest.name}. Head (feats + 101-way age softmax)${blocks === 0 ? '' : ` and the last ${blocks} blocks`} fine-tuned by agedist's scripts/train.ts with KL against Gaussian label distributions on APPA-REAL / ChaLearn LAP 2016 train (research and educational use only).`,
        training: { member: id, init: values.init, data: dir, trainImages: train.length, validImages: valid.length, trainedBlocks: blocks, variants: blocks === 0 ? variants : undefined, options, bestEpoch: best.epoch, valid: { mae: best.validMae, epsilon: best.validEpsilon, kl: best.validKl } },
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
