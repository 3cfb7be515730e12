/**
 * `npm run score` and the queue workers with the real pipeline (the build the web server made, run
 * with --skip-build): a few photos and bad files, one local run, then two queue workers whose
 * collected output must equal it number for number. The hundreds-of-files, kill -9 and resume
 * tests use a stand-in scorer (scripts/score.test.ts).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { readJsonl } from '../src/score/jsonl';
import type { ResultLine } from '../src/score/result';
import { hasRedisServer, startRedis } from '../scripts/score/testRedis';
import { FIXTURES } from './paths';

function cli(script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c));
    child.stderr.on('data', (c: Buffer) => (output += c));
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${script} exited ${code}:\n${output}`))));
  });
}

function makeImages(dir: string): void {
  mkdirSync(join(dir, 'group'), { recursive: true });
  copyFileSync(join(FIXTURES, 'one-face.jpg'), join(dir, 'one-face.jpg'));
  copyFileSync(join(FIXTURES, 'no-face.png'), join(dir, 'no-face.png'));
  copyFileSync(join(FIXTURES, 'sample1.jpg'), join(dir, 'group', 'sample1.jpg'));
  writeFileSync(join(dir, 'empty.jpg'), '');
  writeFileSync(join(dir, 'truncated.jpg'), readFileSync(join(FIXTURES, 'one-face.jpg')).subarray(0, 9000));
  writeFileSync(join(dir, 'text.jpg'), 'not a photo\n');
  // Looks whole to the byte check, but is no JPEG a browser can decode.
  writeFileSync(join(dir, 'garbage.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xda, 1, 2, 3, 4, 5, 6, 7, 8, 0xff, 0xd9]));
}

test('npm run score runs the app pipeline; queue workers give the same numbers', async () => {
  test.setTimeout(300_000);
  const work = mkdtempSync(join(tmpdir(), 'score-e2e-'));
  const images = join(work, 'images');
  makeImages(images);

  const local = join(work, 'local.jsonl');
  await cli('scripts/score.ts', [images, '--out', local, '--workers', '1', '--skip-build', '--distribution']);
  const lines = new Map(readJsonl<ResultLine>(local).records.map((l) => [l.file, l]));
  expect([...lines.keys()].sort()).toEqual(['empty.jpg', 'garbage.jpg', 'group/sample1.jpg', 'no-face.png', 'one-face.jpg', 'text.jpg', 'truncated.jpg']);
  expect(lines.get('empty.jpg')).toEqual({ file: 'empty.jpg', error: 'empty file (0 bytes)' });
  expect(lines.get('truncated.jpg')).toMatchObject({ error: expect.stringMatching(/truncated JPEG/) });
  expect(lines.get('text.jpg')).toMatchObject({ error: expect.stringMatching(/not a JPEG/) });
  expect(lines.get('garbage.jpg')).toMatchObject({ error: expect.stringMatching(/^cannot decode image/) });
  expect(lines.get('no-face.png')).toEqual({ file: 'no-face.png', width: 320, height: 240, faces: [] });
  const one = lines.get('one-face.jpg');
  if (!one || !('faces' in one)) throw new Error(`one-face.jpg: ${JSON.stringify(one)}`);
  expect(one).toMatchObject({ width: 560, height: 560 });
  expect(one.faces).toHaveLength(1);
  const face = one.faces[0];
  expect(face.age).toBeGreaterThan(15);
  expect(face.age).toBeLessThan(70);
  expect(face.points5).toHaveLength(5);
  expect(face.distribution).toHaveLength(101);
  expect(Object.keys(face.members)).toHaveLength(2);
  expect(lines.get('group/sample1.jpg')).toMatchObject({ faces: { length: 3 } });

  test.skip(!hasRedisServer(), 'redis-server is not installed: the queue half is skipped');
  const redis = (await startRedis())!;
  try {
    await cli('scripts/score.ts', [images, '--queue', redis.url, '--enqueue']);
    const worker = (name: string) => cli('scripts/score-worker.ts', ['--queue', redis.url, '--root', images, '--out', join(work, name), '--workers', '1', '--skip-build', '--distribution', '--exit-when-drained']);
    await Promise.all([worker('a'), worker('b')]);
    const collected = join(work, 'collected.jsonl');
    await cli('scripts/score.ts', ['--queue', redis.url, '--collect', collected]);
    const queued = readJsonl<ResultLine>(collected).records;
    expect(queued).toEqual([...lines.values()].sort((x, y) => (x.file < y.file ? -1 : 1)));
  } finally {
    await redis.stop();
  }
});
