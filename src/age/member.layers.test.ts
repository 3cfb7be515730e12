/** A fine-tuned member as `npm run train` writes it (layers format, float16) loads through AgeMember.create. */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { AgeMember } from './member';
import { serializeLayersModel } from './trainable/serialize';

describe('layers-format member', () => {
  it('loads model.json + float16 weights.bin and gives a 101-bin distribution per crop', async () => {
    await tf.setBackend('cpu');
    const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [16, 16, 3], filters: 4, kernelSize: 3, activation: 'relu' }), tf.layers.globalAveragePooling2d({}), tf.layers.dense({ units: 101, activation: 'softmax' })] });
    const { modelJson, weights } = await serializeLayersModel(model, { float16: true });
    const manifest = {
      id: 'tiny-dadl',
      name: 'Tiny, DADL head',
      model: { url: 'model.json', format: 'layers' },
      input: { size: 16, colorOrder: 'BGR', mean: [103.939, 116.779, 123.68], std: [1, 1, 1] },
      output: { kind: 'softmax', ages: Array.from({ length: 101 }, (_, a) => a) },
      provenance: { license: 'MIT' },
    };
    const files: Record<string, BodyInit> = { 'member.json': JSON.stringify(manifest), 'model.json': modelJson, 'weights.bin': weights.slice().buffer };
    const fetchFunc = (async (input: RequestInfo | URL) => {
      const name = String(input).split('/').pop()!;
      return name in files ? new Response(files[name]) : new Response('', { status: 404 });
    }) as typeof fetch;
    const member = await AgeMember.create('http://agedist.test/models/tiny-dadl/member.json', { fetchFunc });
    const crop = Float32Array.from({ length: 16 * 16 * 3 }, (_, i) => i % 256);
    const before = tf.memory().numTensors;
    const [dist] = await member.estimate([crop]);
    expect(tf.memory().numTensors).toBe(before);
    expect(dist).toHaveLength(101);
    expect(dist.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 4);
    member.close();
    model.dispose();
  });
});
