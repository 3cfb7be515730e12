/**
 * `npm run score -- PATH... --out results.jsonl [--csv results.csv] [--workers N] [--models default|PATH] [--distribution]`
 *   Scores every JPEG/PNG/WebP under the paths with the app's own pipeline (the production build's
 *   lab page in headless Chromium, as `npm run eval`), one JSON line per image, resumable.
 * `npm run score -- PATH --queue redis://HOST:PORT --enqueue`   one BullMQ job per image (idempotent)
 * `npm run score -- --queue redis://HOST:PORT --status`         waiting / active / done / failed
 * `npm run score -- --queue redis://HOST:PORT --collect results.jsonl [--csv results.csv] [--from DIR]`
 *   every image exactly once, from the jobs' results in Redis (and the workers' files in DIR).
 * See README.md, "Scoring a photo collection".
 */
import { readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { toCsv } from '../src/score/csv';
import { findImages } from '../src/score/files';
import { JsonlAppender, readJsonl } from '../src/score/jsonl';
import { mergeResults } from '../src/score/merge';
import { DEFAULT_QUEUE_NAME, enqueue, finishedResults, openQueue, queueStatus } from '../src/score/queue';
import type { ResultLine } from '../src/score/result';
import { scoreAll } from '../src/score/runner';
import { progress } from './progress';
import { defaultPipelines, openScorers } from './score/scorers';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string' },
    csv: { type: 'string' },
    workers: { type: 'string' },
    models: { type: 'string', default: 'default' },
    distribution: { type: 'boolean', default: false },
    'member-workers': { type: 'string' },
    'skip-build': { type: 'boolean', default: false },
    queue: { type: 'string' },
    'queue-name': { type: 'string', default: DEFAULT_QUEUE_NAME },
    enqueue: { type: 'boolean', default: false },
    status: { type: 'boolean', default: false },
    collect: { type: 'string' },
    from: { type: 'string' },
  },
});

/** Written whole to a temporary name, then renamed: a reader never sees half a file. */
async function writeAtomically(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
}

async function writeCsv(lines: ResultLine[]): Promise<void> {
  if (!values.csv) return;
  await writeAtomically(values.csv, toCsv(lines));
  console.error(`CSV: ${values.csv}`);
}

function summary(lines: ResultLine[]): string {
  const errors = lines.filter((l) => 'error' in l).length;
  const faces = lines.reduce((n, l) => n + ('faces' in l ? l.faces.length : 0), 0);
  return `${lines.length} images, ${faces} faces, ${errors} errors`;
}

async function local(): Promise<void> {
  if (positionals.length === 0) throw new Error('give the photos: npm run score -- PATH... --out results.jsonl');
  if (!values.out) throw new Error('--out results.jsonl is required');
  const { root, images } = await findImages(positionals);
  const out = JsonlAppender.open<ResultLine>(values.out);
  const done = new Set(out.existing.map((l) => l.file));
  const todo = images.filter((i) => !done.has(i.file));
  console.error(`${images.length} images under ${root}; ${images.length - todo.length} already in ${values.out}; ${todo.length} to score`);
  if (todo.length > 0) {
    const workers = Number(values.workers ?? defaultPipelines());
    if (!(workers >= 1)) throw new Error('--workers must be 1 or more');
    const memberWorkers = values['member-workers'] === undefined ? undefined : values['member-workers'] === 'on';
    const pipelines = await openScorers({ pipelines: Math.min(workers, todo.length), models: values.models, distribution: values.distribution, memberWorkers, skipBuild: values['skip-build'] });
    console.error(pipelines.describe);
    const started = Date.now();
    let shown = 0;
    const onDone = (n: number) => {
      if (n < todo.length && Date.now() - shown < 500) return;
      shown = Date.now();
      progress('score', n, todo.length, started);
    };
    try {
      await scoreAll({ images: todo, scorers: pipelines.scorers, write: (line) => out.append(line), onDone });
    } finally {
      out.close();
      await pipelines.close();
    }
    const seconds = (Date.now() - started) / 1000;
    console.error(`${todo.length} images in ${seconds.toFixed(1)} s: ${(todo.length / seconds).toFixed(2)} images/s`);
  } else out.close();
  const all = mergeResults(readJsonl<ResultLine>(values.out).records);
  console.error(`${values.out}: ${summary(all)}`);
  await writeCsv(all);
}

async function queued(url: string): Promise<void> {
  const queue = openQueue(url, values['queue-name']);
  try {
    if (values.enqueue) {
      if (positionals.length !== 1) throw new Error('--enqueue takes one folder: the workers get the same folder as --root');
      const { root, images } = await findImages(positionals);
      const started = Date.now();
      const { added, already } = await enqueue(queue, images.map((i) => i.file), (n) => progress('enqueue', n, images.length, started));
      console.error(`${added} jobs added, ${already} already in the queue. Workers: npm run score-worker -- --queue ${url} --root ${root} --out DIR`);
    } else if (values.status) {
      const s = await queueStatus(queue);
      console.log(`waiting ${s.waiting}  active ${s.active}  done ${s.done}  failed ${s.failed}`);
    } else if (values.collect) {
      const lines: ResultLine[] = [];
      for await (const line of finishedResults(queue)) lines.push(line);
      if (values.from) {
        for (const name of (await readdir(values.from)).filter((n) => n.endsWith('.jsonl')).sort()) lines.push(...readJsonl<ResultLine>(join(values.from, name)).records);
      }
      const merged = mergeResults(lines);
      await writeAtomically(values.collect, merged.map((l) => `${JSON.stringify(l)}\n`).join(''));
      const s = await queueStatus(queue);
      console.error(`${values.collect}: ${summary(merged)}`);
      if (s.waiting + s.active > 0) console.error(`${s.waiting} waiting and ${s.active} active jobs are not in it yet: collect again when --status shows none`);
      await writeCsv(merged);
    } else throw new Error('with --queue: --enqueue, --status or --collect FILE');
  } finally {
    await queue.close();
  }
}

(values.queue ? queued(values.queue) : local()).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
