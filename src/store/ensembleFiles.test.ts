import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AgeMember } from '../age/member';
import { serializeLayersModel } from '../age/trainable/serialize';
import { filesFetch, parseSavedUrl, savedEnsembleUrl, textFile, unzipEnsemble, validateEnsembleFiles, zipEnsemble, type EnsembleFiles } from './ensembleFiles';

async function tinyEnsembleFiles(): Promise<EnsembleFiles> {
  const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [4, 4, 3] }), tf.layers.dense({ units: 101, activation: 'softmax', kernelInitializer: tf.initializers.randomNormal({ seed: 3 }) })] });
  const { modelJson, weights } = await serializeLayersModel(model);
  model.dispose();
  const member = {
    id: 'tiny',
    name: 'Tiny',
    model: { url: 'model.json', format: 'layers' },
    input: { size: 4, colorOrder: 'RGB', mean: [0, 0, 0], std: [255, 255, 255] },
    output: { kind: 'softmax', ages: Array.from({ length: 101 }, (_, a) => a) },
    provenance: { license: 'MIT' },
  };
  return {
    'ensemble.json': textFile({ name: 'Tiny set', members: [{ path: 'tiny/member.json', weight: 1 }] }),
    'tiny/member.json': textFile(member),
    'tiny/model.json': textFile(modelJson),
    'tiny/weights.bin': new Uint8Array(weights),
  };
}

describe('saved ensemble files', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('round-trips names through saved URLs', () => {
    const url = savedEnsembleUrl('My set / v2');
    expect(parseSavedUrl(url)).toEqual({ name: 'My set / v2', path: 'ensemble.json' });
    expect(parseSavedUrl(new URL('tiny/model.json', url).href)).toEqual({ name: 'My set / v2', path: 'tiny/model.json' });
    expect(parseSavedUrl('http://x/ensemble.json')).toBeUndefined();
  });

  it('zips, unzips (also from inside a top folder) and loads a member that gives the same output', async () => {
    const files = await tinyEnsembleFiles();
    const { files: back, manifest } = unzipEnsemble(zipEnsemble(files));
    expect(manifest.name).toBe('Tiny set');
    expect(Object.keys(back).sort()).toEqual(Object.keys(files).sort());
    const { files: wrapped } = unzipEnsemble(zipEnsemble(Object.fromEntries(Object.entries(files).map(([p, v]) => [`export/${p}`, v]))));
    expect(Object.keys(wrapped).sort()).toEqual(Object.keys(files).sort());

    const base = savedEnsembleUrl('tiny');
    const load = (f: EnsembleFiles) => AgeMember.create(new URL('tiny/member.json', base).href, { fetchFunc: (async (u: RequestInfo | URL) => filesFetch(f, String(u))) as typeof fetch });
    const crop = Float32Array.from({ length: 48 }, (_, i) => (i * 37) % 255);
    const [original, reloaded] = await Promise.all([load(files), load(back)]);
    const [a] = await original.estimate([crop]);
    const [b] = await reloaded.estimate([crop]);
    expect(Array.from(b)).toEqual(Array.from(a));
    original.close();
    reloaded.close();
  });

  it('says what is missing or broken', async () => {
    const files = await tinyEnsembleFiles();
    const without = (path: string) => Object.fromEntries(Object.entries(files).filter(([p]) => p !== path));
    expect(() => validateEnsembleFiles(without('ensemble.json'))).toThrow(/no ensemble.json/);
    expect(() => validateEnsembleFiles(without('tiny/weights.bin'))).toThrow(/weights tiny\/weights.bin.*missing/);
    expect(() => validateEnsembleFiles(without('tiny/member.json'))).toThrow(/tiny\/member.json, which is missing/);
    expect(() => unzipEnsemble(new Uint8Array([1, 2, 3]))).toThrow(/not a readable zip/);
  });
});
