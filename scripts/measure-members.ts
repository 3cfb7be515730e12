/**
 * Which pretrained age CNNs earn a place in the ensemble? Runs every candidate on APPA-REAL crops
 * (each whole 256px crop resized bilinearly to the model's input; no landmark alignment), turns
 * every output into a distribution over ages 0..100 exactly as the app does (src/age/member.ts,
 * src/age/outputMapping.ts) and reports per member and per mixture: MAE of the expected age,
 * ε-error, KL to the label Gaussian and seconds per face. Everything that is chosen (preprocessing
 * variant, scalar std, mixture weights) is chosen on a subset of the TRAIN split; `--split` is only
 * scored.
 *
 *   npx tsx scripts/measure-members.ts --data ../shared/data/appa-real --split valid
 *     [--limit N] [--train-limit 800] [--select-limit 200] [--cache /tmp/members-cache]
 *     [--candidates /tmp/hm/node_modules/@vladmandic] [--write public/models/ensemble.json]
 *
 * Raw model outputs are cached per model, preprocessing and image, so a rerun only scores.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import jpeg from 'jpeg-js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MIN_STD, epsilonError, gaussianTarget, klDivergence, mixture, summarize } from '../src/age/distribution';
import type { InputSpec, MemberManifest, OutputSpec } from '../src/age/manifest';
import { AgeMember } from '../src/age/member';
import { toAgeDistribution } from '../src/age/outputMapping';
import { faceApiAgeModel } from './faceapi-age';
import { epsilon, fitWeights, meanOf, pairedBootstrap, type Label } from './member-metrics';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/appa-real' },
    split: { type: 'string', default: 'valid' },
    limit: { type: 'string' },
    'train-limit': { type: 'string', default: '800' },
    'select-limit': { type: 'string', default: '200' },
    cache: { type: 'string', default: '/tmp/members-cache' },
    candidates: { type: 'string', default: '/tmp/hm/node_modules/@vladmandic' },
    write: { type: 'string' },
  },
});

// ---------------------------------------------------------------- candidates and their variants
const BGR_IMAGENET: Pick<InputSpec, 'colorOrder' | 'mean' | 'std'> = { colorOrder: 'BGR', mean: [103.939, 116.779, 123.68], std: [1, 1, 1] };
const RGB_255: Pick<InputSpec, 'colorOrder' | 'mean' | 'std'> = { colorOrder: 'RGB', mean: [0, 0, 0], std: [1, 1, 1] };
const BGR_255: Pick<InputSpec, 'colorOrder' | 'mean' | 'std'> = { colorOrder: 'BGR', mean: [0, 0, 0], std: [1, 1, 1] };
const RGB_01: Pick<InputSpec, 'colorOrder' | 'mean' | 'std'> = { colorOrder: 'RGB', mean: [0, 0, 0], std: [255, 255, 255] };
const BGR_01: Pick<InputSpec, 'colorOrder' | 'mean' | 'std'> = { colorOrder: 'BGR', mean: [0, 0, 0], std: [255, 255, 255] };

/** Bin i of the FaceRes softmax is age i+1. */
const FACERES_AGES: OutputSpec = { kind: 'softmax', ages: Array.from({ length: 100 }, (_, i) => i + 1) };
/** GEAR's groups: below 20, 21-25, 26-30, 31-40, 41-50, 51-60, above 60 (open ends closed at 10 and 70). */
const GEAR_GROUPS: OutputSpec = { kind: 'groups', ranges: [[10, 20], [21, 25], [26, 30], [31, 40], [41, 50], [51, 60], [61, 70]] };
/** Placeholder: the real std of a scalar member is fitted on train below. */
const SCALAR: OutputSpec = { kind: 'scalar', scalarStd: 5 };

interface Candidate {
  id: string;
  /** model.json of a graph model, or face-api's weights manifest. */
  path: string;
  loader: 'graph' | 'faceapi';
  size: number;
  output: OutputSpec;
  tensor?: string;
  variants: Record<string, Pick<InputSpec, 'colorOrder' | 'mean' | 'std'>>;
}

const models = join(args.candidates, 'human-models/models');
const CANDIDATES: Candidate[] = [
  { id: 'faceres-deep', path: 'public/models/faceres-deep/model.json', loader: 'graph', size: 224, output: FACERES_AGES, tensor: 'age_pred/Softmax:0', variants: { hse: BGR_IMAGENET, human: RGB_255 } },
  { id: 'faceres', path: 'public/models/faceres/model.json', loader: 'graph', size: 224, output: FACERES_AGES, tensor: 'age_pred/Softmax:0', variants: { hse: BGR_IMAGENET, human: RGB_255 } },
  { id: 'gear', path: join(models, 'gear.json'), loader: 'graph', size: 198, output: GEAR_GROUPS, tensor: 'Identity:0', variants: { 'rgb0..1': RGB_01, 'bgr0..1': BGR_01 } },
  { id: 'ssrnet', path: join(models, 'age.json'), loader: 'graph', size: 64, output: SCALAR, tensor: 'Identity:0', variants: { 'rgb0..255': RGB_255, 'bgr0..255': BGR_255 } },
  {
    id: 'face-api', path: join(args.candidates, 'face-api/model/age_gender_model-weights_manifest.json'), loader: 'faceapi', size: 112, output: SCALAR,
    variants: { 'face-api': { colorOrder: 'RGB', mean: [122.782, 117.001, 104.298], std: [255, 255, 255] } },
  },
];

// ---------------------------------------------------------------- data
function readLabels(dir: string): (Label & { split: string })[] {
  const [header, ...rows] = readFileSync(join(dir, 'labels.csv'), 'utf8').trim().split('\n');
  const col = header.split(',');
  return rows.map((row) => {
    const cells = row.split(',');
    const get = (name: string) => cells[col.indexOf(name)];
    return { file: get('file'), mean: Number(get('age_mean')), std: Number(get('age_std')), split: get('split') };
  });
}

/** `n` rows spread evenly over `rows` (deterministic, no clustering by file order). */
function spread<T>(rows: readonly T[], n: number): T[] {
  if (n >= rows.length) return [...rows];
  return Array.from({ length: n }, (_, i) => rows[Math.floor((i * rows.length) / n)]);
}

function decode(dir: string, file: string): tf.Tensor3D {
  const image = jpeg.decode(readFileSync(join(dir, file)), { useTArray: true, formatAsRGBA: false });
  return tf.tensor3d(Float32Array.from(image.data), [image.height, image.width, 3]);
}

// ---------------------------------------------------------------- models and the output cache
function graphFromDisk(modelJson: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(readFileSync(modelJson, 'utf8')) as tf.io.ModelJSON;
      const specs = json.weightsManifest.flatMap((g) => g.weights);
      const shards = json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dirname(modelJson), p))));
      return {
        modelTopology: json.modelTopology,
        weightSpecs: specs,
        weightData: new Uint8Array(Buffer.concat(shards)).buffer,
        signature: json.signature,
        userDefinedMetadata: json.userDefinedMetadata,
        modelInitializer: json.modelInitializer,
      };
    },
  };
}

interface Variant {
  key: string;
  candidate: Candidate;
  manifest: MemberManifest;
}

function variantsOf(c: Candidate): Variant[] {
  return Object.entries(c.variants).map(([name, pre]) => ({
    key: `${c.id}@${name}`,
    candidate: c,
    manifest: {
      id: c.id,
      name: c.id,
      model: { url: c.path, format: 'graph', output: c.tensor },
      input: { size: c.size, ...pre },
      output: c.output,
      provenance: { license: 'MIT' },
    },
  }));
}

interface CacheEntry {
  outputs: Record<string, number[]>;
  ms: Record<string, number>;
}

class OutputCache {
  private entries = new Map<string, CacheEntry>();
  constructor(private dir: string) {
    mkdirSync(dir, { recursive: true });
  }
  private path(key: string) {
    return join(this.dir, `${key.replace(/[^\w.@-]/g, '_')}.json`);
  }
  get(key: string): CacheEntry {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = existsSync(this.path(key)) ? (JSON.parse(readFileSync(this.path(key), 'utf8')) as CacheEntry) : { outputs: {}, ms: {} };
      this.entries.set(key, entry);
    }
    return entry;
  }
  save() {
    for (const [key, entry] of this.entries) writeFileSync(this.path(key), JSON.stringify(entry));
  }
}

/** Runs every variant on every row it has not seen yet (one decode per image, batch size 1). */
async function run(variants: readonly Variant[], rows: readonly Label[], cache: OutputCache, phase: string) {
  const todo = rows.filter((r) => variants.some((v) => !(r.file in cache.get(v.key).outputs)));
  if (todo.length === 0) return;
  const members = new Map<string, AgeMember>();
  for (const v of variants) {
    const model = v.candidate.loader === 'graph' ? await tf.loadGraphModel(graphFromDisk(v.candidate.path)) : faceApiAgeModel(v.candidate.path);
    members.set(v.key, AgeMember.fromModel(v.manifest, model));
  }
  const started = Date.now();
  for (const [n, row] of todo.entries()) {
    const image = decode(args.data, row.file);
    for (const v of variants) {
      const entry = cache.get(v.key);
      if (row.file in entry.outputs) continue;
      const member = members.get(v.key)!;
      const t0 = performance.now();
      const size = member.inputSize;
      const crop = tf.tidy(() => tf.image.resizeBilinear(image, [size, size], false, true));
      const batch = member.preprocess([(await crop.data()) as Float32Array]);
      const out = member.predict(batch);
      entry.outputs[row.file] = Array.from(await out.data());
      entry.ms[row.file] = performance.now() - t0;
      tf.dispose([crop, batch, out]);
    }
    image.dispose();
    if ((n + 1) % 100 === 0 || n + 1 === todo.length) {
      cache.save();
      console.error(`${phase}: ${n + 1}/${todo.length} images, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  }
  for (const m of members.values()) m.close();
}

// ---------------------------------------------------------------- scoring
interface Scores {
  mae: number;
  eps: number;
  eps1: number;
  kl: number;
  sd: number;
  perFace: number[];
}

function score(dists: readonly Float32Array[], labels: readonly Label[]): Scores {
  const summaries = dists.map((d) => summarize(d));
  const perFace = summaries.map((s, i) => epsilon(s.mean, labels[i].mean, labels[i].std));
  return {
    mae: meanOf(summaries.map((s, i) => Math.abs(s.mean - labels[i].mean))),
    eps: meanOf(perFace),
    eps1: meanOf(summaries.map((s, i) => epsilonError(s.mean, labels[i].mean, labels[i].std, MIN_STD))),
    kl: meanOf(dists.map((d, i) => klDivergence(gaussianTarget(labels[i].mean, labels[i].std), d))),
    sd: meanOf(summaries.map((s) => s.std)),
    perFace,
  };
}

function distributions(v: Variant, rows: readonly Label[], cache: OutputCache, output = v.manifest.output): Float32Array[] {
  const entry = cache.get(v.key);
  return rows.map((r) => toAgeDistribution(entry.outputs[r.file], output));
}

/** A scalar member's std: the one whose Gaussians best explain the train labels (mean KL). */
function fitScalarStd(v: Variant, train: readonly Label[], cache: OutputCache): number {
  let best = { std: 1, kl: Infinity };
  for (let std = 1; std <= 25; std += 0.25) {
    const kl = score(distributions(v, train, cache, { kind: 'scalar', scalarStd: std }), train).kl;
    if (kl < best.kl) best = { std, kl };
  }
  return best.std;
}

const f = (x: number, d = 3) => x.toFixed(d);
const row = (cells: readonly (string | number)[]) => console.log(`| ${cells.join(' | ')} |`);

// ---------------------------------------------------------------- main
setWasmPaths(resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
await tf.setBackend('wasm');
await tf.ready();

const labels = readLabels(args.data);
const evalRows = labels.filter((r) => r.split === args.split).slice(0, args.limit ? Number(args.limit) : undefined);
const train = spread(labels.filter((r) => r.split === 'train'), Number(args['train-limit']));
const select = train.slice(0, Number(args['select-limit']));
const cache = new OutputCache(args.cache);
console.log(`eval: ${args.split} (${evalRows.length} faces); fitting: train (${train.length} faces, evenly spread); preprocessing chosen on the first ${select.length} of those\n`);

// 1. Preprocessing: every variant on the selection subset; keep the lowest mean ε per candidate.
const all = CANDIDATES.flatMap(variantsOf);
await run(all, select, cache, 'preprocessing check');
console.log(`Preprocessing variants on ${select.length} train faces (ε with std floor 1e-3):\n`);
row(['member', 'preprocessing', 'MAE', 'ε']);
row(['---', '---', '---', '---']);
const chosen: Variant[] = [];
for (const c of CANDIDATES) {
  const scored = variantsOf(c).map((v) => ({ v, s: score(distributions(v, select, cache), select) }));
  for (const { v, s } of scored) row([c.id, v.key.split('@')[1], f(s.mae, 2), f(s.eps)]);
  chosen.push(scored.reduce((a, b) => (b.s.eps < a.s.eps ? b : a)).v);
}
console.log(`\nchosen: ${chosen.map((v) => v.key).join(', ')}\n`);

// 2. Chosen variants on the whole train subset and the eval split; fit scalar stds on train.
await run(chosen, [...train, ...evalRows], cache, 'train + eval');
for (const v of chosen) {
  if (v.manifest.output.kind === 'scalar') v.manifest.output = { kind: 'scalar', scalarStd: fitScalarStd(v, train, cache) };
}
const trainDist = new Map(chosen.map((v) => [v.candidate.id, distributions(v, train, cache)]));
const evalDist = new Map(chosen.map((v) => [v.candidate.id, distributions(v, evalRows, cache)]));
const trainMeans = (id: string) => trainDist.get(id)!.map((d) => summarize(d).mean);
const seconds = (v: Variant) => meanOf(evalRows.map((r) => cache.get(v.key).ms[r.file])) / 1000;

const baseline = score(evalDist.get('faceres-deep')!, evalRows);
console.log(`Results on ${args.split} (${evalRows.length} faces). ε: std floor 1e-3; ε₁: std floor 1 (src/age/distribution.ts);`);
console.log('KL: mean KL(label Gaussian ‖ prediction), nats; SD: mean predicted std, years; Δε: ε minus faceres-deep alone, 95% paired bootstrap.\n');
row(['member / mixture', 'weights (fitted on train)', 'MAE', 'ε', 'ε₁', 'KL', 'SD', 'Δε vs faceres-deep', 's/face']);
row(['---', '---', '---', '---', '---', '---', '---', '---', '---']);
const report = (name: string, weights: string, s: Scores, sec: number) => {
  const [lo, hi] = pairedBootstrap(s.perFace, baseline.perFace);
  const delta = s === baseline ? '—' : `${f(meanOf(s.perFace) - baseline.eps)} [${f(lo)}, ${f(hi)}]`;
  row([name, weights, f(s.mae, 2), f(s.eps), f(s.eps1), f(s.kl, 2), f(s.sd, 1), delta, f(sec, 3)]);
};
for (const v of chosen) {
  const out = v.manifest.output;
  const note = out.kind === 'scalar' ? `(std ${out.scalarStd} fitted)` : '—';
  report(`${v.candidate.id} (${v.key.split('@')[1]})`, note, v.candidate.id === 'faceres-deep' ? baseline : score(evalDist.get(v.candidate.id)!, evalRows), seconds(v));
}

const ids = chosen.map((v) => v.candidate.id);
const mixed = (members: readonly string[], weights: readonly number[]) =>
  score(evalRows.map((_, i) => mixture(members.map((m) => evalDist.get(m)![i]), weights)), evalRows);
const cost = (members: readonly string[]) => members.reduce((s, m) => s + seconds(chosen.find((v) => v.candidate.id === m)!), 0);
const pair = ['faceres-deep', 'faceres'];
report('uniform faceres-deep + faceres', '0.5 / 0.5', mixed(pair, [0.5, 0.5]), cost(pair));
report('uniform, all five', ids.map(() => '0.2').join(' / '), mixed(ids, ids.map(() => 0.2)), cost(ids));

const sets = [pair, ...ids.filter((id) => !pair.includes(id)).map((id) => [...pair, id]), ids];
const fits = sets.map((members) => ({ members, ...fitWeights(members.map(trainMeans), train, members.length <= 3 ? 100 : 40) }));
for (const { members, weights } of fits) {
  report(`fitted ${members.join(' + ')}`, weights.map((w) => f(w, 2)).join(' / '), mixed(members, weights), cost(members.filter((_, k) => weights[k] > 0)));
}
console.log(`\nTrain ε (${train.length} faces) at each fitted optimum: ${fits.map((x) => `${x.members.join('+')} ${f(x.epsilon, 4)}`).join('; ')}`);

// How flat is the optimum? ε of faceres-deep + faceres as the faceres weight grows.
console.log('\n| faceres weight | 0 | 0.1 | 0.2 | 0.3 | 0.5 |\n| --- | --- | --- | --- | --- | --- |');
const shares = [0, 0.1, 0.2, 0.3, 0.5];
const trainPair = pair.map(trainMeans);
row(['train ε', ...shares.map((w) => f(meanOf(train.map((r, i) => epsilon((1 - w) * trainPair[0][i] + w * trainPair[1][i], r.mean, r.std))), 4))]);
row([`${args.split} ε`, ...shares.map((w) => f(mixed(pair, [1 - w, w]).eps, 4))]);

// 3. The shipped ensemble: the members the fit over all candidates gives a weight > 0.
if (args.write) {
  const all5 = fits[fits.length - 1];
  const keep = all5.members.map((m, k) => ({ m, w: all5.weights[k] })).filter(({ w }) => w > 0);
  const best = { members: keep.map((k) => k.m), scores: mixed(keep.map((k) => k.m), keep.map((k) => k.w)) };
  const ensemble = {
    name: 'default',
    description: `Members with a non-zero weight when the mixture weights over ${ids.join(', ')} minimise mean ε on APPA-REAL train (docs/MEMBERS.md).`,
    members: keep.map(({ m, w }) => ({ path: `${m}/member.json`, weight: Number(w.toFixed(3)) })),
    fittedOn: `APPA-REAL train (${train.length} images, whole 256px crops resized)`,
    metrics: {
      split: `APPA-REAL ${args.split} (${evalRows.length} images, whole 256px crops resized)`,
      mae: Number(f(best.scores.mae)),
      epsilon: Number(f(best.scores.eps, 4)),
      epsilonStdFloor1: Number(f(best.scores.eps1, 4)),
      kl: Number(f(best.scores.kl)),
      meanPredictedStd: Number(f(best.scores.sd, 2)),
      secondsPerFace: Number(f(cost(best.members))),
    },
  };
  writeFileSync(args.write, `${JSON.stringify(ensemble, null, 2)}\n`);
  console.log(`\nwrote ${args.write}`);
}
