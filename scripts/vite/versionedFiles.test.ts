import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultEnsemble, HASHED_WEIGHTS, hashedName, writeHashedWeights } from './versionedFiles';

function publicDir(weights: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'agedist-versioned-'));
  mkdirSync(join(dir, 'models', 'm'), { recursive: true });
  writeFileSync(join(dir, 'models', 'ensemble.json'), JSON.stringify({ members: [{ path: 'm/member.json', weight: 1 }] }));
  writeFileSync(join(dir, 'models', 'm', 'member.json'), JSON.stringify({ model: { url: 'model.json' } }));
  writeFileSync(join(dir, 'models', 'm', 'model.json'), JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['weights.bin'], weights: [] }] }));
  writeFileSync(join(dir, 'models', 'm', 'weights.bin'), weights);
  return dir;
}

describe('versioned files', () => {
  it('names weight files by their content', () => {
    expect(hashedName('weights.bin', '0123456789abcdef')).toBe('weights.0123456789abcdef.bin');
    expect(hashedName('group1-shard1of2', '0123456789abcdef')).toBe('group1-shard1of2.0123456789abcdef');
    const a = defaultEnsemble(publicDir('one'));
    const b = defaultEnsemble(publicDir('two'));
    expect(a.files.slice(0, 3)).toEqual(['models/ensemble.json', 'models/m/member.json', 'models/m/model.json']);
    expect(a.files[3]).toMatch(HASHED_WEIGHTS);
    expect(a.files[3]).not.toBe(b.files[3]); // new weights, new URL
    expect(defaultEnsemble(publicDir('one')).files).toEqual(a.files);
  });

  it('renames the weights in the build output and points model.json at them, once', () => {
    const pub = publicDir('weights');
    const { files, models } = defaultEnsemble(pub);
    const dist = mkdtempSync(join(tmpdir(), 'agedist-dist-'));
    cpSync(pub, dist, { recursive: true });
    writeHashedWeights(dist, models);
    writeHashedWeights(dist, models); // a second call changes nothing
    const hashed = files[3].split('/').pop()!;
    expect(readdirSync(join(dist, 'models', 'm')).sort()).toEqual([hashed, 'member.json', 'model.json'].sort());
    expect(JSON.parse(readFileSync(join(dist, 'models', 'm', 'model.json'), 'utf8')).weightsManifest[0].paths).toEqual([hashed]);
    expect(readFileSync(join(dist, 'models', 'm', hashed), 'utf8')).toBe('weights');
    // public/ is left alone.
    expect(JSON.parse(readFileSync(join(pub, 'models', 'm', 'model.json'), 'utf8')).weightsManifest[0].paths).toEqual(['weights.bin']);
  });
});
