/**
 * Compares two converted members (e.g. float32 and --quantize float16) on the same seeded random
 * images: largest absolute difference of their output probabilities, and file sizes.
 *
 *   npx tsx scripts/compare-converted.ts public/models/A public/models/B [--images 4] [--range 1]
 *
 * Inputs are uniform in ±range. A network with random weights saturates its softmax on large
 * inputs (every difference is then 0), so the largest probability is printed too: a comparison
 * only means something when it is well below 1.
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '../src/convert/layers';
import { dirFetch } from './dirFetch';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { images: { type: 'string', default: '4' }, range: { type: 'string', default: '1' } } });

const load = (dir: string) => tf.loadLayersModel('http://local/model.json', { fetchFunc: dirFetch(dir) });

async function main() {
  const [a, b] = positionals.map((p) => resolve(p));
  if (!a || !b) throw new Error('usage: npx tsx scripts/compare-converted.ts DIR_A DIR_B [--images 4]');
  setWasmPaths(resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
  await tf.setBackend('wasm');
  const [ma, mb] = [await load(a), await load(b)];
  const shape = ma.inputs[0].shape.slice(1) as number[];
  let worst = 0;
  let peak = 0;
  const range = Number(values.range);
  for (let i = 0; i < Number(values.images); i++) {
    const x = tf.randomUniform([1, ...shape], -range, range, 'float32', i + 1);
    const [pa, pb] = [ma.predict(x) as tf.Tensor, mb.predict(x) as tf.Tensor];
    const d = (await tf.max(tf.abs(tf.sub(pa, pb))).data())[0];
    worst = Math.max(worst, d);
    peak = Math.max(peak, (await tf.max(pa).data())[0]);
    tf.dispose([x, pa, pb]);
  }
  const size = async (dir: string) => (await stat(join(dir, 'weights.bin'))).size / 2 ** 20;
  console.log(`largest |Δ probability| over ${values.images} random images in ±${range}: ${worst.toExponential(2)} (largest probability ${peak.toFixed(3)}); weights ${(await size(a)).toFixed(1)} MiB vs ${(await size(b)).toFixed(1)} MiB`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
