/**
 * Many machines, one queue: BullMQ on Redis. One job per image, its id a hash of the image's
 * relative name (so enqueuing the same paths again adds nothing), `attempts` for bounded retries,
 * and BullMQ's stalled-job check to give the jobs of a worker that died back to the others.
 * A job's return value is its result line, kept in Redis until `--collect` reads it.
 */
import { createHash } from 'node:crypto';
import { resolve, sep } from 'node:path';
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { errorLine, type ResultLine } from './result';
import type { Scorer } from './runner';

export const DEFAULT_QUEUE_NAME = 'agedist-score';
/** Tries per image before its job is failed (and --collect reports the last reason). */
export const ATTEMPTS = 3;

export interface ScoreJobData {
  /** Relative to the root the workers are given (--root). */
  file: string;
}

/** redis://[user:password@]host[:port][/db] or rediss:// (TLS), as ioredis options. */
export function redisConnection(url: string): ConnectionOptions {
  const u = new URL(url);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error(`--queue needs a redis:// or rediss:// URL, not ${url}`);
  const db = u.pathname.replace(/^\//, '');
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** The job id of an image: the same relative name always gives the same job. */
export function jobIdFor(file: string): string {
  return `img-${createHash('sha1').update(file).digest('hex')}`;
}

export function openQueue(url: string, name = DEFAULT_QUEUE_NAME): Queue<ScoreJobData, ResultLine> {
  return new Queue<ScoreJobData, ResultLine>(name, { connection: redisConnection(url) });
}

async function totalJobs(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts();
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** Adds a job per file not in the queue already (in any state); returns how many were new. */
export async function enqueue(queue: Queue<ScoreJobData, ResultLine>, files: string[], onProgress?: (done: number) => void): Promise<{ added: number; already: number }> {
  const before = await totalJobs(queue);
  const chunk = 500;
  for (let i = 0; i < files.length; i += chunk) {
    await queue.addBulk(
      files.slice(i, i + chunk).map((file) => ({
        name: 'score',
        data: { file },
        opts: { jobId: jobIdFor(file), attempts: ATTEMPTS, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: false, removeOnFail: false },
      })),
    );
    onProgress?.(Math.min(files.length, i + chunk));
  }
  const added = (await totalJobs(queue)) - before;
  return { added, already: files.length - added };
}

export interface QueueStatus {
  waiting: number;
  active: number;
  done: number;
  failed: number;
}

export async function queueStatus(queue: Queue): Promise<QueueStatus> {
  const c = await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized', 'paused', 'waiting-children');
  return { waiting: c.waiting + c.delayed + c.prioritized + c.paused + c['waiting-children'], active: c.active, done: c.completed, failed: c.failed };
}

/** Every finished image: completed jobs' result lines, and an error line per failed job. */
export async function* finishedResults(queue: Queue<ScoreJobData, ResultLine>): AsyncGenerator<ResultLine> {
  const page = 1000;
  for (const state of ['completed', 'failed'] as const) {
    for (let start = 0; ; start += page) {
      const jobs = (await queue.getJobs([state], start, start + page - 1, true)) as Job<ScoreJobData, ResultLine>[];
      for (const job of jobs) {
        if (!job) continue;
        if (state === 'completed' && job.returnvalue) yield job.returnvalue;
        else if (state === 'failed') yield errorLine(job.data.file, `failed after ${job.attemptsMade} attempts: ${job.failedReason ?? 'unknown reason'}`);
      }
      if (jobs.length < page) break;
    }
  }
}

export interface WorkerOptions {
  url: string;
  name?: string;
  root: string;
  /** Jobs run at once (one per pipeline). */
  concurrency: number;
  score: Scorer;
  /** Called with each result before its job completes (the worker's own JSONL file). */
  onResult?: (line: ResultLine) => void;
  /** A dead worker's jobs are taken back after its lock runs out (ms, BullMQ default 30 000). */
  lockDuration?: number;
  /** How often the stalled-job check runs (ms, BullMQ default 30 000). */
  stalledInterval?: number;
}

/** A BullMQ worker that scores images under `root`. Decoding problems are results, not failures. */
export function startWorker(options: WorkerOptions): Worker<ScoreJobData, ResultLine> {
  const root = resolve(options.root);
  return new Worker<ScoreJobData, ResultLine>(
    options.name ?? DEFAULT_QUEUE_NAME,
    async (job) => {
      const file = job.data.file;
      const path = resolve(root, file);
      if (!path.startsWith(root + sep)) return errorLine(file, 'path outside the worker root');
      const line = await options.score({ path, file });
      options.onResult?.(line);
      return line;
    },
    {
      connection: redisConnection(options.url),
      concurrency: options.concurrency,
      lockDuration: options.lockDuration ?? 30_000,
      stalledInterval: options.stalledInterval ?? 30_000,
      // A job whose worker died twice is failed (and counted), not retried forever.
      maxStalledCount: 2,
    },
  );
}
