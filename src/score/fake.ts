/**
 * A stand-in for the browser pipeline, for tests of the plumbing (files, resume, queue) on hundreds
 * of images in seconds: the same byte checks as the real scorer, then one face whose numbers are
 * a hash of the bytes (so equal files give equal lines and any mix-up shows). Selected by the
 * environment variable AGEDIST_FAKE_SCORER=<ms per image>; never used otherwise.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { checkImageBytes, errorLine, type ResultLine } from './result';
import type { Scorer } from './runner';

export function fakeScorer(delayMs: number, options: { distribution?: boolean } = {}): Scorer {
  return async ({ path, file }) => {
    const bytes = await readFile(path);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const problem = checkImageBytes(bytes);
    if (problem) return errorLine(file, problem);
    const h = createHash('sha256').update(bytes).digest();
    const age = 1 + (h.readUInt16BE(0) % 9000) / 100;
    const line: ResultLine = {
      file,
      width: 100 + h[2],
      height: 100 + h[3],
      faces: [{ box: { x: h[4], y: h[5], width: 40, height: 40 }, points5: [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]], age, std: 3 + h[6] / 100, mode: Math.round(age), members: { fake: age } }],
    };
    if (options.distribution) line.faces[0].distribution = Array.from({ length: 101 }, (_, i) => (i === Math.round(age) ? 1 : 0));
    return line;
  };
}
