/**
 * A dense head appended to a tiny hand-written graph model (image → per-channel mean → features)
 * loads through AgeMember.create as a "graph" member and gives what the head gives on the
 * backbone's features.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { AgeMember, toModelInput } from '../member';
import { appendHeadToGraph, denseHead, featureStats, foldStandardization, HEAD_OUTPUT, standardize, type GraphModelJson } from './graphHead';

const SIZE = 4;

/** img [-1, 4, 4, 3] → Mean over height and width → "feat" [-1, 3]. */
function tinyGraph(): { json: GraphModelJson; weights: Uint8Array } {
  const axes = Int32Array.from([1, 2]);
  return {
    json: {
      format: 'graph-model',
      modelTopology: {
        versions: { producer: 1 },
        node: [
          { name: 'img', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [{ size: '-1' }, { size: String(SIZE) }, { size: String(SIZE) }, { size: '3' }] } } } },
          { name: 'axes', op: 'Const', attr: { value: { tensor: { dtype: 'DT_INT32', tensorShape: { dim: [{ size: '2' }] } } }, dtype: { type: 'DT_INT32' } } },
          { name: 'feat', op: 'Mean', input: ['img', 'axes'], attr: { T: { type: 'DT_FLOAT' }, Tidx: { type: 'DT_INT32' }, keep_dims: { b: false } } },
        ],
      },
      weightsManifest: [{ paths: ['backbone.bin'], weights: [{ name: 'axes', shape: [2], dtype: 'int32' }] }],
      signature: { outputs: { feat: { name: 'feat' } } },
    },
    weights: new Uint8Array(axes.buffer),
  };
}

describe('appendHeadToGraph', () => {
  it('ships backbone + DADL head as one graph member with the head’s output', async () => {
    await tf.setBackend('cpu');
    const head = denseHead(3, 5);
    const graph = tinyGraph();
    const { modelJson, weights } = appendHeadToGraph(graph.json, graph.weights, head, 'feat');
    expect(modelJson.signature).toBeUndefined();
    expect(modelJson.weightsManifest).toHaveLength(1);
    const manifest = {
      id: 'tiny-graph-dadl',
      name: 'Tiny graph, DADL head',
      model: { url: 'model.json', format: 'graph', output: HEAD_OUTPUT },
      input: { size: SIZE, colorOrder: 'RGB', mean: [127.5, 127.5, 127.5], std: [128, 128, 128] },
      output: { kind: 'softmax', ages: Array.from({ length: 101 }, (_, a) => a) },
      provenance: { license: 'MIT' },
    };
    const files: Record<string, BodyInit> = { 'member.json': JSON.stringify(manifest), 'model.json': JSON.stringify(modelJson), 'weights.bin': weights.slice().buffer };
    const fetchFunc = (async (input: RequestInfo | URL) => {
      const name = String(input).split('/').pop()!;
      return name in files ? new Response(files[name]) : new Response('', { status: 404 });
    }) as typeof fetch;
    const crops = [0, 1].map((k) => Float32Array.from({ length: SIZE * SIZE * 3 }, (_, i) => (i * (37 + k * 11)) % 256));
    // Read at "feat" ([batch, 3]), or at the image itself ([batch, 4, 4, 3]) averaged by the head: the same.
    for (const [node, pool] of [['feat', false], ['img', true]] as const) {
      const appended = appendHeadToGraph(graph.json, graph.weights, head, node, { pool });
      files['model.json'] = JSON.stringify(appended.modelJson);
      files['weights.bin'] = appended.weights.slice().buffer;
      const member = await AgeMember.create('http://agedist.test/models/tiny-graph-dadl/member.json', { fetchFunc });
      const dists = await member.estimate(crops);
      const expected = tf.tidy(() => head.predict(tf.mean(toModelInput(crops, member.manifest.input), [1, 2])) as tf.Tensor2D).arraySync();
      dists.forEach((d, k) => {
        expect(d).toHaveLength(101);
        expect(d.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 4);
        d.forEach((p, a) => expect(p).toBeCloseTo(expected[k][a], 6));
      });
      member.close();
    }
    head.dispose();
  });

  it('refuses a missing feature node and a head that does not end in a softmax', () => {
    const graph = tinyGraph();
    expect(() => appendHeadToGraph(graph.json, graph.weights, denseHead(3), 'nope')).toThrow(/no node nope/);
    const linear = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 101 })] });
    expect(() => appendHeadToGraph(graph.json, graph.weights, linear, 'feat')).toThrow(/softmax/);
  });
});

describe('foldStandardization', () => {
  it('makes a head trained on standardized features give the same output on raw ones', () => {
    const rows = [0, 1, 2, 3, 4].map((k) => Float32Array.from([18 + 0.5 * Math.sin(k), -7 + 0.1 * k, 3 * Math.cos(k * 1.3)]));
    const stats = featureStats(rows);
    expect(stats.mean[0]).toBeCloseTo(rows.reduce((s, r) => s + r[0], 0) / rows.length, 5);
    const head = denseHead(3, 4);
    const onStandardized = tf.tidy(() => (head.predict(tf.tensor2d(rows.map((r) => Array.from(standardize(r, stats))))) as tf.Tensor).arraySync() as number[][]);
    foldStandardization(head, stats);
    const onRaw = tf.tidy(() => (head.predict(tf.tensor2d(rows.map((r) => Array.from(r)))) as tf.Tensor).arraySync() as number[][]);
    onRaw.forEach((row, i) => row.forEach((p, a) => expect(p).toBeCloseTo(onStandardized[i][a], 5)));
    head.dispose();
  });
});
