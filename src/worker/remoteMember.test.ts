import { describe, expect, it } from 'vitest';
import { parseMemberManifest } from '../age/manifest';
import { RemoteMember } from './remoteMember';
import { packCrops, unpackCrops, type MemberWorkerMessage, type MemberWorkerRequest } from './memberProtocol';

const manifest = parseMemberManifest({
  id: 'far',
  name: 'far',
  model: { url: 'model.json', format: 'layers' },
  input: { size: 2, colorOrder: 'RGB', mean: [0, 0, 0], std: [1, 1, 1] },
  output: { kind: 'softmax', ages: [1, 2] },
  provenance: { license: 'MIT' },
});

/**
 * The member worker's end of the port, played here: records requests, answers loads with
 * `onLoad` and estimates with one distribution per crop whose first bin is the crop's first value.
 */
function fakeWorker(onLoad: (url: string) => MemberWorkerMessage) {
  const channel = new MessageChannel();
  const requests: MemberWorkerRequest[] = [];
  const reply = (message: MemberWorkerMessage) => channel.port2.postMessage(message);
  channel.port2.onmessage = (event: MessageEvent<MemberWorkerRequest>) => {
    const request = event.data;
    requests.push(request);
    if (request.type === 'member-load') {
      reply({ type: 'member-progress', fraction: 0.5 });
      reply(onLoad(request.memberUrl));
    } else if (request.type === 'member-estimate') {
      const crops = unpackCrops(request.pixels, request.count);
      if (crops.some((c) => c[0] < 0)) reply({ type: 'member-error', id: request.id, message: 'negative pixels' });
      else reply({ type: 'member-estimated', id: request.id, distributions: crops.map((c) => Float32Array.of(c[0], 1 - c[0])) });
    } else {
      channel.port2.close();
    }
  };
  return { port: channel.port1, requests };
}

describe('RemoteMember (over a MessagePort to a member worker)', () => {
  it('loads with progress, then answers estimates in order and leaves the caller its crops', async () => {
    const worker = fakeWorker(() => ({ type: 'member-ready', manifest }));
    const progress: number[] = [];
    const member = await RemoteMember.load(worker.port, 'https://x.test/models/far/member.json', (f) => progress.push(f));
    expect(member.manifest.id).toBe('far');
    expect(member.remote).toBe(true);
    expect(progress).toEqual([0.5]);
    const crop = Float32Array.of(0.25, 0, 0, 0);
    const [a, b] = await Promise.all([member.estimate([crop]), member.estimate([Float32Array.of(0.75, 0, 0, 0), crop])]);
    expect(Array.from(a[0])).toEqual([0.25, 0.75]);
    expect(b.map((d) => d[0])).toEqual([0.75, 0.25]);
    expect(crop[0]).toBe(0.25); // still the caller's: a packed copy was transferred
    expect(crop.byteLength).toBe(16);
    expect(await member.estimate([])).toEqual([]);
    member.close();
  });

  it('rejects a load the worker reports as failed, and tells the worker to close', async () => {
    const worker = fakeWorker((url) => ({ type: 'member-error', message: `cannot load ${url}: HTTP 404` }));
    await expect(RemoteMember.load(worker.port, 'missing.json')).rejects.toThrow('cannot load missing.json: HTTP 404');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(worker.requests.map((r) => r.type)).toEqual(['member-load', 'member-close']);
  });

  it('rejects one failed estimate with the member named, keeps working, and fails what is pending on close', async () => {
    const worker = fakeWorker(() => ({ type: 'member-ready', manifest }));
    const member = await RemoteMember.load(worker.port, 'far.json');
    await expect(member.estimate([Float32Array.of(-1, 0, 0, 0)])).rejects.toThrow('member far: negative pixels');
    expect((await member.estimate([Float32Array.of(0.5, 0, 0, 0)]))[0][0]).toBe(0.5);
    const pending = member.estimate([Float32Array.of(0.5, 0, 0, 0)]);
    member.close();
    await expect(pending).rejects.toThrow('member far is closed');
    await expect(member.estimate([Float32Array.of(0.5, 0, 0, 0)])).rejects.toThrow('closed');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(worker.requests.at(-1)?.type).toBe('member-close');
  });

  it('packs crops into one transferable array and unpacks them as views', () => {
    const crops = [Float32Array.of(1, 2, 3), Float32Array.of(4, 5, 6)];
    const pixels = packCrops(crops);
    expect(Array.from(pixels)).toEqual([1, 2, 3, 4, 5, 6]);
    const back = unpackCrops(pixels, 2);
    expect(back.map((c) => Array.from(c))).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(back[1].buffer).toBe(pixels.buffer);
    expect(unpackCrops(new Float32Array(0), 0)).toEqual([]);
    expect(() => packCrops([Float32Array.of(1), Float32Array.of(1, 2)])).toThrow('different sizes');
    expect(() => unpackCrops(Float32Array.of(1, 2, 3), 2)).toThrow('not 2 crops');
  });
});
