/**
 * `npm run convert -- model.mat --out public/models/NAME [--quantize float16|uint8] [--name "..."] [--ages 0-100|1-85] [--license ...]`
 *
 * A MatConvNet model (simplenn or DagNN, MAT-file v6/v7) → a TF.js layers model (trainable: the
 * training page can fine-tune it) plus the member manifest, so the app loads it as an ensemble
 * member with no code change. meta.normalization goes into the manifest (imageSize → input size,
 * a per-channel averageImage → input mean; a full average image becomes the model's first layer).
 * The ages of the output bins come from meta.classes when they are numbers, else from --ages, else
 * from the output size (101 → 0..100, 85 → 1..85, as DLDL/DADL used).
 *
 * Memory: the file is read once; numeric arrays are views into it (or into the one inflated copy
 * of a compressed variable); filters are copied once into row-major order, after which the file
 * can be collected; weights are written to weights.bin tensor by tensor.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { toFloat16 } from '../src/age/trainable/float16';
import { buildModel } from '../src/convert/buildModel';
import { readMat } from '../src/convert/matFile';
import { describeNetwork } from '../src/convert/matconvnet';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string' },
    quantize: { type: 'string' },
    name: { type: 'string' },
    ages: { type: 'string' },
    license: { type: 'string', default: 'as the original model (see its source)' },
  },
});

function agesFor(outputs: number, classes: string[] | undefined): number[] {
  if (values.ages) {
    const [lo, hi] = values.ages.split('-').map(Number);
    if (!(hi - lo + 1 === outputs)) throw new Error(`--ages ${values.ages} has ${hi - lo + 1} ages but the network has ${outputs} outputs`);
    return Array.from({ length: outputs }, (_, i) => lo + i);
  }
  const numeric = classes?.map((c) => (c.trim() === '' ? NaN : Number(c)));
  if (numeric && numeric.length === outputs && numeric.every((a, i) => Number.isFinite(a) && (i === 0 || a > numeric[i - 1]))) return numeric;
  if (outputs === 101) return Array.from({ length: 101 }, (_, i) => i);
  if (outputs === 85) return Array.from({ length: 85 }, (_, i) => i + 1);
  throw new Error(`cannot tell which ages the ${outputs} outputs are: pass --ages LO-HI`);
}

/** Writes every weight tensor straight to weights.bin (optionally quantized) and returns the manifest. */
function writeWeights(model: tf.LayersModel, file: string, quantize: string | undefined): tf.io.WeightsManifestEntry[] {
  const fd = openSync(file, 'w');
  const specs: tf.io.WeightsManifestEntry[] = [];
  try {
    for (const w of model.weights) {
      const values32 = w.read().dataSync() as Float32Array;
      const spec: tf.io.WeightsManifestEntry = { name: w.originalName, shape: w.shape as number[], dtype: 'float32' };
      if (quantize === 'float16') {
        writeSync(fd, new Uint8Array(toFloat16(values32).buffer));
        spec.quantization = { dtype: 'float16' };
      } else if (quantize === 'uint8') {
        let min = Infinity, max = -Infinity;
        for (const v of values32) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
        const scale = max > min ? (max - min) / 255 : 1;
        const q = new Uint8Array(values32.length);
        for (let i = 0; i < q.length; i++) q[i] = Math.round((values32[i] - min) / scale);
        writeSync(fd, q);
        spec.quantization = { dtype: 'uint8', min, scale };
      } else {
        writeSync(fd, new Uint8Array(values32.buffer, values32.byteOffset, values32.byteLength));
      }
      specs.push(spec);
    }
  } finally {
    closeSync(fd);
  }
  return specs;
}

async function main() {
  const [input] = positionals;
  if (!input || !values.out) throw new Error('usage: npm run convert -- model.mat --out public/models/NAME [--quantize float16|uint8] [--name ...] [--ages 0-100]');
  if (values.quantize && !['float16', 'uint8'].includes(values.quantize)) throw new Error('--quantize takes float16 or uint8');
  const started = Date.now();
  await tf.setBackend('cpu');
  // In its own scope: once the layers are described (filters copied into row-major order), the
  // file and its inflated variables can be collected before the model is built.
  const net = ((file: Buffer) => describeNetwork(readMat(new Uint8Array(file.buffer, file.byteOffset, file.byteLength)).variables))(readFileSync(input));
  const size = net.normalization.imageSize ?? [];
  if (!(size[0] > 0 && size[0] === (size[1] ?? size[0]))) throw new Error(`meta.normalization.imageSize ${JSON.stringify(size)} is not a square image size; the app feeds square crops`);
  const channels = size[2] ?? 3;
  const model = buildModel(net, [size[0], size[0], channels], { probabilities: true });
  // The model holds its own copy of the weights now.
  for (const l of net.layers) if (l.type === 'conv') l.kernel = new Float32Array(0);
  const outputs = model.outputs[0].shape[1] as number;
  const ages = agesFor(outputs, net.classes?.name);

  const outDir = resolve(values.out);
  await mkdir(outDir, { recursive: true });
  const weights = writeWeights(model, join(outDir, 'weights.bin'), values.quantize);
  const topology = model.toJSON(null, false);
  await writeFile(join(outDir, 'model.json'), JSON.stringify({ format: 'layers-model', generatedBy: 'agedist scripts/convert.ts', modelTopology: topology, weightsManifest: [{ paths: ['weights.bin'], weights }] }));
  const average = net.normalization.averageImage;
  const mean = average && average.shape.length === 1 ? [average.data[0], average.data[1] ?? average.data[0], average.data[2] ?? average.data[0]] : [0, 0, 0];
  const id = basename(outDir);
  const member = {
    id,
    name: values.name ?? `${id} (converted from MatConvNet)`,
    model: { url: 'model.json', format: 'layers' },
    input: { size: size[0], colorOrder: 'RGB', mean, std: [1, 1, 1] },
    output: { kind: 'softmax', ages },
    provenance: {
      license: values.license,
      origin: `Converted from ${basename(input)} (MatConvNet ${net.wrapper}) by agedist scripts/convert.ts${values.quantize ? `, weights ${values.quantize}` : ''}. Interpolation in MatConvNet: ${net.normalization.interpolation ?? 'not stated'}.${average && average.shape.length === 3 ? ' The full average image is subtracted inside the model (layer average_image).' : ''}`,
      dropped: net.dropped,
    },
  };
  await writeFile(join(outDir, 'member.json'), JSON.stringify(member, null, 2) + '\n');
  const params = model.countParams();
  model.dispose();
  const seconds = (Date.now() - started) / 1000;
  console.log(`${input} → ${outDir}: ${net.wrapper}, ${net.layers.length} layers (dropped: ${net.dropped.join(', ') || 'none'}), ${params} parameters, ${outputs} outputs = ages ${ages[0]}..${ages[ages.length - 1]}, ${seconds.toFixed(1)} s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
