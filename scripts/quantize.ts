/**
 * `npm run quantize -- public/models/NAME [--out DIR] [--to uint8|float16] [--keep-below N] [--keep LAYER,…] [--calibrate DIR [--split train] [--count 256]]`
 *
 * Re-quantizes a TF.js model folder's weights tensor by tensor (src/convert/quantize.ts), e.g. a
 * float16 member to uint8: writes DIR/model.json (same topology, new weightsManifest) and
 * DIR/weights.bin. Without --out the folder is rewritten in place (its old weight files are
 * replaced); with --out its other files (member.json, MODEL_CARD.md, …) are copied along, so DIR
 * is a complete member. --keep-below N leaves tensors of fewer than N values (biases, depthwise
 * kernels) as stored, --keep the named layers' (or tensors') weights. --calibrate DIR corrects the
 * biases of re-quantized Conv2D and Dense layers for the mean shift rounding causes
 * (src/convert/quantize.ts): the member runs in Node (tfjs wasm) on --count faces of DIR (its
 * labels.csv rows of --split, evenly spaced; else its images), aligned as the app aligns them
 * (landmarks from the built app, cached in .cache/train/landmarks.json as for npm run train), and
 * the mean of each layer's input channels is measured.
 * Prints the sizes (raw and brotli, as `npm start` sends them) and the largest error per value.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants } from 'node:zlib';
import jpeg from 'jpeg-js';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { parseMemberManifest } from '../src/age/manifest';
import { toModelInput } from '../src/age/member';
import { requantize, type QuantizeTo, type WeightsGroup } from '../src/convert/quantize';
import { parseLabelCsv, type LabelRow } from '../src/data/labels';
import { alignmentTransform } from '../src/geometry/similarity';
import { warpToCrop } from '../src/runtime/cropWarp';
import { findLandmarks, loadLayers } from './faces';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string' }, to: { type: 'string', default: 'uint8' }, 'keep-below': { type: 'string', default: '0' }, keep: { type: 'string' }, calibrate: { type: 'string' }, split: { type: 'string', default: 'train' }, count: { type: 'string', default: '256' } },
});

/**
 * Mean of the input channels of every Conv2D and Dense layer with a bias, over the calibration
 * faces: aligned crops fed as the app feeds them.
 */
async function inputMeans(memberDir: string, dataDir: string): Promise<Map<string, Float32Array>> {
  const csv = join(dataDir, 'labels.csv');
  const all: LabelRow[] = existsSync(csv)
    ? parseLabelCsv(await readFile(csv, 'utf8')).rows.filter((r) => !values.split || r.split === values.split)
    : (await readdir(dataDir)).filter((f) => /\.jpe?g$/i.test(f)).map((file) => ({ file, mean: 0 }));
  const count = Math.min(Number(values.count), all.length);
  const rows = Array.from({ length: count }, (_, i) => all[Math.floor((i * all.length) / count)]);
  const landmarks = await findLandmarks(rows, dataDir, '.cache/train/landmarks.json');
  const manifest = parseMemberManifest(JSON.parse(await readFile(join(memberDir, 'member.json'), 'utf8')));
  const size = manifest.input.size;
  setWasmPaths(resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
  await tf.setBackend('wasm');
  const model = await loadLayers(memberDir);
  const layers = model.layers.filter((l) => ['Conv2D', 'Dense'].includes(l.getClassName()) && l.weights.length === 2);
  const probe = tf.model({ inputs: model.inputs, outputs: layers.map((l) => l.input as tf.SymbolicTensor) });
  const sums = layers.map((l) => new Float64Array((l.input as tf.SymbolicTensor).shape.at(-1)!));
  const positions = layers.map(() => 0);
  const faces = rows.filter((r) => landmarks[r.file]);
  for (let i = 0; i < faces.length; i += 16) {
    const crops = await Promise.all(
      faces.slice(i, i + 16).map(async (r) => {
        const image = jpeg.decode(await readFile(join(dataDir, r.file)), { useTArray: true, formatAsRGBA: true });
        return warpToCrop(image, alignmentTransform(landmarks[r.file]!, manifest.input.crop!, size), size);
      }),
    );
    const batch = toModelInput(crops, manifest.input);
    const outputs = [probe.predict(batch)].flat() as tf.Tensor[];
    outputs.forEach((o, k) => {
      const channels = sums[k].length;
      const sum = tf.tidy(() => o.reshape([-1, channels]).sum(0));
      (sum.dataSync() as Float32Array).forEach((v, j) => (sums[k][j] += v));
      positions[k] += o.size / channels;
      sum.dispose();
    });
    tf.dispose([batch, ...outputs]);
  }
  model.dispose();
  console.log(`  calibration: ${faces.length} faces of ${dataDir} (${rows.length - faces.length} without landmarks), input means of ${layers.length} layers`);
  return new Map(layers.map((l, k) => [l.name, Float32Array.from(sums[k], (v) => v / positions[k])]));
}

const brotliSize = (bytes: Uint8Array) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;

async function main() {
  const [input] = positionals;
  const to = values.to as QuantizeTo;
  if (!input || !['uint8', 'float16'].includes(to)) throw new Error('usage: npm run quantize -- public/models/NAME [--out DIR] [--to uint8|float16] [--keep-below N] [--keep LAYER,…] [--calibrate DIR [--split train] [--count 256]]');
  const inDir = resolve(input);
  const outDir = resolve(values.out ?? input);
  const model = JSON.parse(await readFile(join(inDir, 'model.json'), 'utf8')) as { weightsManifest: WeightsGroup[] };
  const shardPaths = model.weightsManifest.flatMap((g) => g.paths);
  const shards = await Promise.all(shardPaths.map((p) => readFile(join(inDir, p))));
  const before = new Uint8Array(Buffer.concat(shards));
  const means = values.calibrate ? await inputMeans(inDir, resolve(values.calibrate)) : undefined;
  const result = requantize(model.weightsManifest, before, { to, keepBelow: Number(values['keep-below']), keep: values.keep?.split(',').filter(Boolean), inputMeans: means });

  await mkdir(outDir, { recursive: true });
  if (outDir !== inDir) {
    for (const entry of await readdir(inDir, { withFileTypes: true })) {
      if (entry.isFile() && entry.name !== 'model.json' && !shardPaths.includes(entry.name)) await copyFile(join(inDir, entry.name), join(outDir, entry.name));
    }
  } else {
    for (const p of shardPaths) if (p !== 'weights.bin') await rm(join(inDir, p));
  }
  await writeFile(join(outDir, 'weights.bin'), result.data);
  await writeFile(join(outDir, 'model.json'), JSON.stringify({ ...model, weightsManifest: [{ paths: ['weights.bin'], weights: result.weights }] }));

  const worst = result.report.reduce((w, r) => (r.maxError > w.maxError ? r : w), result.report[0] ?? { name: '—', maxError: 0, range: 0 });
  console.log(`${input} → ${join(values.out ?? input, 'weights.bin')} (${outDir === inDir ? 'in place' : 'new folder'}):`);
  console.log(`  ${result.report.length} of ${result.weights.length} tensors to ${to} (${result.report.reduce((n, r) => n + r.values, 0)} values), the others as stored; largest error ${worst.maxError.toExponential(2)} (${worst.name}, range ${worst.range.toFixed(2)})`);
  if (means) console.log(`  biases corrected: ${result.report.filter((r) => means.has(r.name.replace(/\/kernel$/, ''))).length} layers`);
  console.log(`  weights ${mb(before.length)} → ${mb(result.data.length)} raw, ${mb(brotliSize(before))} → ${mb(brotliSize(result.data))} brotli`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
