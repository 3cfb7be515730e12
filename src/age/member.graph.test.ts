/**
 * The shipped graph-model member, loaded from public/models through the same AgeMember.create
 * the worker uses (a fetch that reads files stands in for HTTP), on the tfjs cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicFileFetch as fileFetch, TEST_ORIGIN as FAKE_ORIGIN } from '../test/fileFetch';
import { AgeMember } from './member';

describe('faceres-deep member (real weights)', () => {
  let member: AgeMember;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    member = await AgeMember.create(`${FAKE_ORIGIN}models/faceres-deep/member.json`, { fetchFunc: fileFetch });
  });
  afterAll(() => member?.close());

  it('turns a crop into a normalised 101-bin distribution and leaks no tensor', async () => {
    const size = member.inputSize;
    const crop = Float32Array.from({ length: size * size * 3 }, (_, i) => (i * 7919) % 256);
    await member.estimate([crop]); // warm-up
    const before = tf.memory().numTensors;
    const [dist] = await member.estimate([crop]);
    expect(tf.memory().numTensors).toBe(before);
    expect(dist).toHaveLength(101);
    expect(dist.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 4);
    expect(dist[0]).toBe(0); // FaceRes bins are ages 1..100
  });

  it('reports a missing manifest or model clearly', async () => {
    await expect(AgeMember.create(`${FAKE_ORIGIN}models/nope/member.json`, { fetchFunc: fileFetch })).rejects.toThrow(/HTTP 404/);
  });

  it('reports a corrupt model file by member name', async () => {
    const corrupt = (async (input: RequestInfo | URL) =>
      String(input).endsWith('model.json') ? new Response('{"modelTopology": trunc') : fileFetch(input)) as typeof fetch;
    await expect(AgeMember.create(`${FAKE_ORIGIN}models/faceres-deep/member.json`, { fetchFunc: corrupt })).rejects.toThrow(
      /model HSE FaceRes \(deep\) could not be loaded/,
    );
  });
});
