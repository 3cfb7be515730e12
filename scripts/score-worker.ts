/**
 * `npm run score-worker -- --queue redis://HOST:PORT --root PATH --out DIR [--workers N] [--models default|PATH] [--distribution]`
 *
 * Takes image jobs from the BullMQ queue (`npm run score -- PATH --queue URL --enqueue`), scores
 * them with N pipelines (pages of the app's lab page, as `npm run score`), appends each result to
 * DIR/<host>-<pid>.jsonl and completes the job with it. Run it on any number of machines that see
 * the same files under --root. A worker killed mid-job leaves its jobs to the others (BullMQ's
 * stalled-job check, after --lock-duration); each image is tried at most 3 times.
 * Stops on SIGINT/SIGTERM after its jobs in hand, or when the queue is empty with
 * --exit-when-drained.
 */
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { JsonlAppender } from '../src/score/jsonl';
import { DEFAULT_QUEUE_NAME, openQueue, queueStatus, startWorker } from '../src/score/queue';
import type { ResultLine } from '../src/score/result';
import type { Scorer } from '../src/score/runner';
import { defaultPipelines, openScorers } from './score/scorers';

const { values } = parseArgs({
  options: {
    queue: { type: 'string' },
    'queue-name': { type: 'string', default: DEFAULT_QUEUE_NAME },
    root: { type: 'string' },
    out: { type: 'string' },
    workers: { type: 'string' },
    models: { type: 'string', default: 'default' },
    distribution: { type: 'boolean', default: false },
    'member-workers': { type: 'string' },
    'skip-build': { type: 'boolean', default: false },
    'lock-duration': { type: 'string', default: '30000' },
    'stalled-interval': { type: 'string', default: '30000' },
    'exit-when-drained': { type: 'boolean', default: false },
  },
});

async function main(): Promise<void> {
  if (!values.queue || !values.root || !values.out) throw new Error('usage: npm run score-worker -- --queue redis://HOST:PORT --root PATH --out DIR [--workers N]');
  const workers = Number(values.workers ?? defaultPipelines());
  if (!(workers >= 1)) throw new Error('--workers must be 1 or more');
  mkdirSync(values.out, { recursive: true });
  const outFile = join(values.out, `${hostname()}-${process.pid}.jsonl`);
  const out = JsonlAppender.open<ResultLine>(outFile);
  const memberWorkers = values['member-workers'] === undefined ? undefined : values['member-workers'] === 'on';
  const pipelines = await openScorers({ pipelines: workers, models: values.models, distribution: values.distribution, memberWorkers, skipBuild: values['skip-build'] });
  console.error(`${pipelines.describe}; results also in ${outFile}`);

  // BullMQ runs up to `workers` jobs at once; each takes a free pipeline.
  const free: Scorer[] = [...pipelines.scorers];
  const score: Scorer = async (image) => {
    const scorer = free.pop();
    if (!scorer) throw new Error('no free pipeline');
    try {
      return await scorer(image);
    } finally {
      free.push(scorer);
    }
  };
  let done = 0;
  const started = Date.now();
  const worker = startWorker({
    url: values.queue,
    name: values['queue-name'],
    root: values.root,
    concurrency: workers,
    score,
    onResult: (line) => out.append(line),
    lockDuration: Number(values['lock-duration']),
    stalledInterval: Number(values['stalled-interval']),
  });
  worker.on('completed', () => {
    done++;
    if (done % 10 === 0) console.error(`${done} images, ${(done / ((Date.now() - started) / 1000)).toFixed(2)}/s`);
  });
  worker.on('failed', (job, error) => console.error(`${job?.data.file}: ${error.message}`));
  worker.on('error', (error) => console.error(`queue: ${error.message}`));

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await worker.close();
    out.close();
    await pipelines.close();
    console.error(`stopped after ${done} images`);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (values['exit-when-drained']) {
    const queue = openQueue(values.queue, values['queue-name']);
    const timer = setInterval(async () => {
      const s = await queueStatus(queue).catch(() => undefined);
      if (s && s.waiting === 0 && s.active === 0) {
        clearInterval(timer);
        await queue.close();
        await stop();
      }
    }, 1000);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
