/**
 * The faces of a labelled image folder, for the Node training scripts: landmarks from the built
 * app in headless Chromium (scripts/lab.ts, cached), aligned crops with the app's own
 * src/geometry/similarity.ts and src/runtime/cropWarp.ts, members loaded from public/models, and backbone features cached on disk.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import jpeg from 'jpeg-js';
import * as tf from '@tensorflow/tfjs';
import type { MemberManifest } from '../src/age/manifest';
import { toModelInput } from '../src/age/member';
import type { TrainingSet } from '../src/age/trainable/trainer';
import type { FivePoints, Similarity } from '../src/geometry/points';
import { alignmentTransform } from '../src/geometry/similarity';
import { warpToCrop } from '../src/runtime/cropWarp';
import type { LabelRow } from '../src/data/labels';
import { seededRandom } from '../src/util/random';
import { dirFetch } from './dirFetch';
import { centralFace, openLab, serveBuild } from './lab';
import { progress } from './progress';

export { progress };

/** Seeded small perturbations of the alignment (scale ±5 %, rotation ±5°, shift ±3 % of the crop). */
export function jitterFor(seed: number, size: number): Similarity {
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

export function compose(outer: Similarity, inner: Similarity): Similarity {
  return {
    a: outer.a * inner.a - outer.b * inner.b,
    b: outer.a * inner.b + outer.b * inner.a,
    tx: outer.a * inner.tx - outer.b * inner.ty + outer.tx,
    ty: outer.b * inner.tx + outer.a * inner.ty + outer.ty,
  };
}

export type Landmarks = Record<string, FivePoints | null>;

export async function findLandmarks(rows: LabelRow[], dir: string, cacheFile: string, skipBuild = false): Promise<Landmarks> {
  const cached: Landmarks = existsSync(cacheFile) ? JSON.parse(await readFile(cacheFile, 'utf8')) : {};
  const todo = rows.filter((r) => !(r.file in cached));
  if (todo.length > 0) {
    const served = await serveBuild({ skipBuild });
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
export async function loadLayers(memberDir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel('http://local/model.json', { fetchFunc: dirFetch(memberDir) });
}

export async function loadGraph(memberDir: string): Promise<tf.GraphModel> {
  return tf.loadGraphModel('http://local/model.json', { fetchFunc: dirFetch(memberDir) });
}

/** What the features are cached from: a layers model cut at its pooling, or a graph model's node. */
export interface FeatureExtractor {
  /** Names the output (goes into the cache key). */
  name: string;
  width: number;
  /** [batch, size, size, 3] model input → [batch, width]; the caller disposes both. */
  predict(batch: tf.Tensor4D): tf.Tensor2D;
}

export function layersFeatures(model: tf.LayersModel): FeatureExtractor {
  return { name: model.outputs[0].name, width: model.outputs[0].shape[1] as number, predict: (batch) => model.predict(batch) as tf.Tensor2D };
}

/**
 * A frozen graph model read at `node` (flattened per image), e.g. a recognition net's embedding;
 * with `pool`, a [batch, h, w, c] feature map averaged over h and w first.
 */
export function graphFeatures(model: tf.GraphModel, node: string, size: number, pool = false): FeatureExtractor {
  const predict = (batch: tf.Tensor4D) =>
    tf.tidy(() => {
      const out = model.execute(batch, node) as tf.Tensor;
      return (pool ? tf.mean(out, [1, 2]) : out).reshape([batch.shape[0], -1]) as tf.Tensor2D;
    });
  const width = tf.tidy(() => predict(tf.zeros([1, size, size, 3])).shape[1]);
  return { name: pool ? `${node}/pooled` : node, width, predict };
}

/**
 * computeFeatures, cached on disk under --cache: the key covers the member's weights, its input
 * spec (template included), the images and the variant count, so a rerun with other training
 * settings skips the slow part and any change that alters features recomputes them.
 */
export async function cachedFeatures(rows: LabelRow[], landmarks: Landmarks, dir: string, manifest: MemberManifest, memberDir: string, features: FeatureExtractor, variants: number, cacheDir: string) {
  const width = features.width;
  const hash = createHash('sha1');
  // Every file of the member: a retrained member keeps its model.json but not its weights.
  for (const file of (await readdir(memberDir)).sort()) if (file !== 'MODEL_CARD.md') hash.update(await readFile(join(memberDir, file)));
  const key = hash
    .update(features.name)
    .update(JSON.stringify([manifest.input, variants, rows.map((r) => [r.file, landmarks[r.file]])]))
    .digest('hex')
    .slice(0, 16);
  const file = join(cacheDir, `features-${manifest.id}-${key}.bin`);
  const counts = rows.map((r) => (landmarks[r.file] ? variants : 0));
  if (existsSync(file)) {
    const all = new Float32Array(new Uint8Array(await readFile(file)).buffer);
    let offset = 0;
    return counts.map((n) => Array.from({ length: n }, () => all.slice(offset, (offset += width))));
  }
  const computed = await computeFeatures(rows, landmarks, dir, manifest, features, variants, width);
  const flat = computed.flat();
  const all = new Float32Array(flat.length * width);
  flat.forEach((f, i) => all.set(f, i * width));
  await mkdir(cacheDir, { recursive: true });
  await writeFile(file, new Uint8Array(all.buffer));
  return computed;
}

/** Pooled features for every image × variant (0 = plain, 1 = mirrored, 2.. = jittered ± mirror). */
async function computeFeatures(rows: LabelRow[], landmarks: Landmarks, dir: string, manifest: MemberManifest, features: FeatureExtractor, variants: number, width: number) {
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
    // Even variants are fed as they are, odd ones mirrored.
    const crops = Array.from({ length: variants }, (_, v) => warpToCrop(decoded, v < 2 ? base : compose(jitterFor(i * 31 + v, size), base), size));
    const batch = toModelInput(crops, manifest.input, crops.map((_, v) => v % 2 === 1));
    const pooled = features.predict(batch);
    const data = (await pooled.data()) as Float32Array;
    tf.dispose([batch, pooled]);
    out.push(crops.map((_, v) => data.slice(v * width, (v + 1) * width)));
    if (i % 20 === 0 || i === rows.length - 1) progress(`features ${manifest.id}`, i + 1, rows.length, started);
  }
  return out;
}

/**
 * Aligned face crops made batch by batch (for `--blocks N`) and run through the frozen part of the
 * member: nothing is held but the labels. With `augment`, each draw mirrors half the faces and
 * jitters the alignment at random (seeded).
 */
export function imageSet(rows: LabelRow[], landmarks: Landmarks, dir: string, manifest: MemberManifest, frozen: tf.LayersModel, augment: boolean, seed: number): TrainingSet {
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
      return tf.tidy(() => frozen.predict(toModelInput(crops.map((c) => c.crop), manifest.input, crops.map((c) => c.mirrored))) as tf.Tensor);
    },
  };
}

