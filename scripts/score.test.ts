/**
 * `npm run score` / `npm run score-worker` as processes, on 303 generated files (distinct copies of
 * the fixture photos plus an empty file, a truncated JPEG and a text file named .jpg), with the
 * fast stand-in scorer (AGEDIST_FAKE_SCORER, src/score/fake.ts) so that hundreds of images take
 * seconds: resume after kill -9, idempotent enqueue, two queue workers with one killed mid-run.
 * The real pipeline runs end to end in e2e/score.spec.ts. Needs redis-server for the queue tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJsonl } from '../src/score/jsonl';
import type { ResultLine } from '../src/score/result';
import { hasRedisServer, startRedis, type TestRedis } from './score/testRedis';

const FIXTURES = new URL('../e2e/fixtures/', import.meta.url);
const COUNT = 300;

function makeImages(dir: string): void {
  const sources = ['one-face.jpg', 'no-face.png', 'sample1.jpg'].map((name) => readFileSync(new URL(name, FIXTURES)));
  for (let i = 0; i < COUNT; i++) {
    const sub = join(dir, `batch${i % 3}`);
    mkdirSync(sub, { recursive: true });
    const source = sources[i % sources.length];
    // Bytes after the end of the image make every copy distinct (decoders ignore them).
    writeFileSync(join(sub, `img${String(i).padStart(3, '0')}.${i % 3 === 1 ? 'png' : 'jpg'}`), Buffer.concat([source, Buffer.from(`copy ${i}`)]));
  }
  writeFileSync(join(dir, 'bad-empty.jpg'), '');
  writeFileSync(join(dir, 'bad-truncated.jpg'), sources[0].subarray(0, 9000));
  writeFileSync(join(dir, 'bad-text.jpg'), 'this is not a photo\n');
}

function run(script: string, args: string[], fakeMs: number): ChildProcess & { output: () => string; done: Promise<number | null> } {
  // node --import tsx: one process, so kill -9 kills the scorer itself (npx would leave a child).
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { env: { ...process.env, AGEDIST_FAKE_SCORER: String(fakeMs) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c));
  child.stderr!.on('data', (c: Buffer) => (output += c));
  const done = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return Object.assign(child, { output: () => output, done });
}

async function runToEnd(script: string, args: string[], fakeMs = 0): Promise<string> {
  const child = run(script, args, fakeMs);
  const code = await child.done;
  if (code !== 0) throw new Error(`${script} ${args.join(' ')} exited ${code}:\n${child.output()}`);
  return child.output();
}

async function until(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const lineCount = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').length - 1 : 0);

function byFile(lines: ResultLine[]): Map<string, ResultLine> {
  const map = new Map<string, ResultLine>();
  for (const line of lines) {
    expect(map.has(line.file), `${line.file} twice`).toBe(false);
    map.set(line.file, line);
  }
  return map;
}

let work: string;
let images: string;
let reference: Map<string, ResultLine>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'score-it-'));
  images = join(work, 'images');
  makeImages(images);
  // The one-process reference run.
  await runToEnd('scripts/score.ts', [images, '--out', join(work, 'reference.jsonl'), '--workers', '1']);
  reference = byFile(readJsonl<ResultLine>(join(work, 'reference.jsonl')).records);
}, 120_000);

describe('npm run score (local)', () => {
  it('gives one line per image, and an error line for each bad file', () => {
    expect(reference.size).toBe(COUNT + 3);
    expect(reference.get('bad-empty.jpg')).toEqual({ file: 'bad-empty.jpg', error: 'empty file (0 bytes)' });
    expect(reference.get('bad-truncated.jpg')).toMatchObject({ error: expect.stringMatching(/truncated JPEG/) });
    expect(reference.get('bad-text.jpg')).toMatchObject({ error: expect.stringMatching(/not a JPEG, PNG or WebP/) });
    expect(reference.get('batch1/img001.png')).toMatchObject({ faces: [expect.objectContaining({ age: expect.any(Number) })] });
  });

  it('resumes after kill -9: every image exactly once, same numbers, no broken line', async () => {
    const out = join(work, 'resumed.jsonl');
    const child = run('scripts/score.ts', [images, '--out', out, '--workers', '2', '--csv', join(work, 'resumed.csv')], 10);
    await until(() => lineCount(out) >= 60);
    child.kill('SIGKILL');
    await child.done;
    const before = lineCount(out);
    expect(before).toBeLessThan(COUNT);
    appendFileSync(out, '{"file":"batch0/img999.jpg","faces":[{"ag'); // as if killed mid-write
    const log = await runToEnd('scripts/score.ts', [images, '--out', out, '--workers', '2', '--csv', join(work, 'resumed.csv')]);
    expect(log).toContain(`${before} already in`);
    const text = readFileSync(out, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toContain('img999');
    expect(byFile(readJsonl<ResultLine>(out).records)).toEqual(reference);
    expect(readFileSync(join(work, 'resumed.csv'), 'utf8').split('\n').length).toBe(1 + COUNT + 3 + 1);
  }, 120_000);
});

let redis: TestRedis | undefined;
const withRedis = hasRedisServer();
if (!withRedis) console.warn('SKIPPED the BullMQ queue tests: redis-server is not installed (apt-get install redis-server; .ci/run installs it)');

describe.runIf(withRedis)('npm run score-worker (BullMQ queue)', () => {
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('enqueues idempotently; two workers, one killed mid-run; collect has every image once, same numbers', async () => {
    const url = redis!.url;
    const first = await runToEnd('scripts/score.ts', [images, '--queue', url, '--enqueue']);
    expect(first).toContain(`${COUNT + 3} jobs added, 0 already`);
    const second = await runToEnd('scripts/score.ts', [images, '--queue', url, '--enqueue']);
    expect(second).toContain(`0 jobs added, ${COUNT + 3} already`);
    expect(await runToEnd('scripts/score.ts', ['--queue', url, '--status'])).toContain(`waiting ${COUNT + 3}  active 0  done 0  failed 0`);

    const dirA = join(work, 'worker-a');
    const dirB = join(work, 'worker-b');
    const workerArgs = (dir: string) => ['--queue', url, '--root', images, '--out', dir, '--workers', '2', '--lock-duration', '2000', '--stalled-interval', '1000', '--exit-when-drained'];
    const a = run('scripts/score-worker.ts', workerArgs(dirA), 40);
    const b = run('scripts/score-worker.ts', workerArgs(dirB), 40);
    const linesIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).reduce((n, f) => n + lineCount(join(dir, f)), 0) : 0);
    await until(() => linesIn(dirA) >= 30);
    a.kill('SIGKILL'); // with jobs in hand: they stay "active" until their lock runs out
    await a.done;
    expect(await b.done, b.output()).toBe(0);
    expect(await runToEnd('scripts/score.ts', ['--queue', url, '--status'])).toContain(`waiting 0  active 0  done ${COUNT + 3}  failed 0`);
    expect(linesIn(dirA) + linesIn(dirB)).toBeGreaterThanOrEqual(COUNT + 3);

    const collected = join(work, 'collected.jsonl');
    await runToEnd('scripts/score.ts', ['--queue', url, '--collect', collected, '--from', dirA]);
    expect(byFile(readJsonl<ResultLine>(collected).records)).toEqual(reference);
  }, 180_000);
});
