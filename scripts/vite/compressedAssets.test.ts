import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cacheControl, chooseEncoding, precompress } from './compressedAssets';

describe('compressed assets', () => {
  it('writes brotli and gzip twins that decompress to the file, only where they save', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agedist-precompress-'));
    mkdirSync(join(dir, 'assets'));
    const text = 'const answer = 42;\n'.repeat(500);
    writeFileSync(join(dir, 'assets', 'app.js'), text);
    const noise = randomBytes(4096);
    writeFileSync(join(dir, 'weights.bin'), noise);
    writeFileSync(join(dir, 'photo.jpg'), text);
    mkdirSync(join(dir, 'mediapipe'));
    writeFileSync(join(dir, 'mediapipe', 'detector.tflite'), text);
    const { before, after } = precompress(dir);
    // MediaPipe's models are compressed too.
    expect(brotliDecompressSync(readFileSync(join(dir, 'mediapipe', 'detector.tflite.br'))).toString()).toBe(text);
    expect(brotliDecompressSync(readFileSync(join(dir, 'assets', 'app.js.br'))).toString()).toBe(text);
    expect(gunzipSync(readFileSync(join(dir, 'assets', 'app.js.gz'))).toString()).toBe(text);
    expect(existsSync(join(dir, 'weights.bin.br'))).toBe(false); // incompressible
    expect(existsSync(join(dir, 'photo.jpg.br'))).toBe(false); // not a compressible type
    expect(before).toBe(2 * text.length);
    expect(after).toBeLessThan(before / 10);
  });

  it('picks brotli, then gzip, by what the browser accepts and what exists', () => {
    const both = () => true;
    expect(chooseEncoding('gzip, deflate, br, zstd', both)).toBe('br');
    expect(chooseEncoding('gzip;q=1.0, deflate', both)).toBe('gzip');
    expect(chooseEncoding('br', (s) => s === '.gz')).toBeUndefined();
    expect(chooseEncoding(undefined, both)).toBeUndefined();
  });

  it('caches hashed assets for a year and revalidates the rest', () => {
    expect(cacheControl('/assets/index-abc123.js')).toContain('immutable');
    expect(cacheControl('/models/ensemble.json')).toBe('no-cache');
    expect(cacheControl('/sw.js')).toBe('no-cache');
  });
});
