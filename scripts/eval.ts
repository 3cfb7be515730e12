/**
 * `npm run eval -- --data DIR [--split valid] [--limit N] [--ensemble models/x.json]`: runs the app's exact pipeline (built
 * app, lab.html, headless Chromium, wasm backend) on a labelled face folder and prints MAE and
 * ε-error per member and for the ensemble. Labels: DIR/labels.csv with file,age_mean,age_std[,split].
 * A face that is not found counts as a miss (ε = 1, as ChaLearn scores a missing prediction).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { epsilonError } from '../src/age/distribution';
import { openLab, serveBuild } from './lab';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    split: { type: 'string' },
    limit: { type: 'string' },
    /** An ensemble manifest under public/ (default: the app's models/ensemble.json). */
    ensemble: { type: 'string' },
    'skip-build': { type: 'boolean', default: false },
  },
});
if (!values.data) throw new Error('--data DIR (with labels.csv) is required');

interface Row {
  file: string;
  mean: number;
  std: number;
}

async function readLabels(dir: string): Promise<Row[]> {
  const [header, ...lines] = (await readFile(join(dir, 'labels.csv'), 'utf8')).trim().split(/\r?\n/);
  const cols = header.split(',');
  const at = (name: string) => cols.indexOf(name);
  return lines
    .map((l) => l.split(','))
    .filter((c) => !values.split || c[at('split')] === values.split)
    .map((c) => ({ file: c[at('file')], mean: Number(c[at('age_mean')]), std: Number(c[at('age_std')]) }));
}

async function main() {
  let rows = await readLabels(values.data!);
  if (values.limit) rows = rows.slice(0, Number(values.limit));
  const served = await serveBuild({ skipBuild: values['skip-build'] });
  const errors = new Map<string, { abs: number; eps: number; n: number }>();
  const missed: string[] = [];
  const add = (who: string, pred: number, row: Row) => {
    const e = errors.get(who) ?? { abs: 0, eps: 0, n: 0 };
    e.abs += Math.abs(pred - row.mean);
    e.eps += epsilonError(pred, row.mean, row.std);
    e.n += 1;
    errors.set(who, e);
  };
  const t0 = Date.now();
  try {
    const lab = await openLab(served, { ensemble: values.ensemble });
    for (const [i, row] of rows.entries()) {
      const result = await lab.estimateFile(join(values.data!, row.file), 'video');
      const centre = (f: (typeof result.faces)[number]) =>
        Math.hypot(f.box.x + f.box.width / 2 - result.width / 2, f.box.y + f.box.height / 2 - result.height / 2);
      const face = [...result.faces].sort((a, b) => centre(a) - centre(b))[0];
      if (!face) {
        missed.push(row.file);
        continue;
      }
      add('ensemble', face.mean, row);
      for (const m of face.members) add(m.id, m.mean, row);
      if (i % 100 === 0) process.stderr.write(`${i}/${rows.length}\n`);
    }
  } finally {
    await served.close();
  }
  const n = rows.length;
  console.log(`\n${n} images, ${missed.length} without a face (counted as ε = 1, excluded from MAE), ${((Date.now() - t0) / 1000 / n).toFixed(2)} s/image\n`);
  console.log('| model | n | MAE | ε |\n|---|---|---|---|');
  for (const [who, e] of errors) {
    console.log(`| ${who} | ${e.n} | ${(e.abs / e.n).toFixed(3)} | ${((e.eps + missed.length) / n).toFixed(4)} |`);
  }
  if (missed.length) console.log(`\nno face: ${missed.join(' ')}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
