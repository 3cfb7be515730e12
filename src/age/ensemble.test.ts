import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CROP, type FivePoints } from '../geometry/points';
import { AgeEnsemble } from './ensemble';
import { mirrorCrop } from './ensembleRun';
import { parseMemberManifest, type MemberManifest } from './manifest';
import { AgeMember, type AgeModel } from './member';

/** A tiny stand-in CNN (same interface as the real members): 8x8 RGB → conv → dense softmax. */
function tinyModel(bins: number, seed: number): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 2, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: bins, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  return model;
}

function manifest(id: string, bins: number): MemberManifest {
  return parseMemberManifest({
    id,
    name: id,
    model: { url: 'model.json', format: 'layers' },
    input: { size: 8, colorOrder: 'BGR', mean: [100, 110, 120], std: [50, 50, 50] },
    output: { kind: 'softmax', ages: Array.from({ length: bins }, (_, i) => i + 1) },
    provenance: { license: 'MIT' },
  });
}

const image = {
  width: 32,
  height: 32,
  data: Uint8ClampedArray.from({ length: 32 * 32 * 4 }, (_, i) => (i * 37) % 256),
};
const face = DEFAULT_CROP.points.map(([x, y]) => [x * 32, y * 32]) as unknown as FivePoints;

describe('AgeEnsemble', () => {
  let ensemble: AgeEnsemble;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    const members = [AgeMember.fromModel(manifest('a', 100), tinyModel(100, 1)), AgeMember.fromModel(manifest('b', 100), tinyModel(100, 7))];
    ensemble = AgeEnsemble.fromMembers({ name: 'test', members: [{ path: 'a', weight: 3 }, { path: 'b', weight: 1 }] }, members);
  });
  afterAll(() => ensemble.close());

  it('returns per face a normalised mixture of the members with normalised weights', async () => {
    const { estimates } = await ensemble.estimate(image, [face, face]);
    expect(estimates).toHaveLength(2);
    const [e] = estimates;
    const total = e.distribution.reduce((s, v) => s + v, 0);
    expect(total).toBeCloseTo(1, 5);
    expect(e.members.map((m) => m.weight)).toEqual([0.75, 0.25]);
    for (let age = 0; age < 101; age++) {
      expect(e.distribution[age]).toBeCloseTo(0.75 * e.members[0].distribution[age] + 0.25 * e.members[1].distribution[age], 6);
    }
    expect(e.summary.mean).toBeCloseTo(0.75 * e.members[0].summary.mean + 0.25 * e.members[1].summary.mean, 4);
  });

  it('leaves no tensor behind after an estimate', async () => {
    await ensemble.estimate(image, [face]); // warm-up: lazily created weights, kernels
    const before = tf.memory().numTensors;
    await ensemble.estimate(image, [face, face, face]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('frees every weight on close', () => {
    const before = tf.memory().numTensors;
    const member = AgeMember.fromModel(manifest('c', 100), tinyModel(100, 3));
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    member.close();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => member.predict(tf.zeros([1, 8, 8, 3]))).toThrow(/closed/);
  });

  it('estimates nothing for no faces', async () => {
    expect((await ensemble.estimate(image, [])).estimates).toEqual([]);
  });
});

describe('AgeEnsemble with a member on another thread', () => {
  /** Records when estimate() is entered and when it returns; `remote` ones resolve later. */
  function recordingModel(id: string, remote: boolean, log: string[], distribution: Float32Array): AgeModel {
    return {
      manifest: manifest(id, 100),
      remote,
      async estimate(crops) {
        log.push(`start ${id}`);
        if (remote) await new Promise((resolve) => setTimeout(resolve, 5));
        log.push(`end ${id}`);
        return crops.map(() => distribution.slice());
      },
      close() {},
    };
  }

  it('hands the remote member its crops before the local one computes, and mixes in manifest order', async () => {
    const log: string[] = [];
    const young = new Float32Array(101);
    young[20] = 1;
    const old = new Float32Array(101);
    old[60] = 1;
    const members = [recordingModel('local', false, log, young), recordingModel('remote', true, log, old)];
    const ensemble = AgeEnsemble.fromMembers({ name: 'test', members: [{ path: 'local', weight: 1 }, { path: 'remote', weight: 3 }] }, members);
    const { estimates, timings } = await ensemble.estimate(image, [face]);
    expect(log).toEqual(['start remote', 'start local', 'end local', 'end remote']);
    expect(estimates[0].members.map((m) => m.id)).toEqual(['local', 'remote']);
    expect(estimates[0].summary.mean).toBeCloseTo(0.25 * 20 + 0.75 * 60, 6);
    expect(Object.keys(timings.memberMs).sort()).toEqual(['local', 'remote']);
  });

  it('warms every member once on one blank crop of its input size, the remote one started first', async () => {
    const log: string[] = [];
    const crops: Float32Array[][] = [];
    const blankFirst = (inner: AgeModel): AgeModel => ({ ...inner, estimate: (c) => (crops.push([...c]), inner.estimate(c)) });
    const members = [blankFirst(recordingModel('local', false, log, new Float32Array(101))), blankFirst(recordingModel('remote', true, log, new Float32Array(101)))];
    const ensemble = AgeEnsemble.fromMembers({ name: 'test', members: [{ path: 'local', weight: 1 }, { path: 'remote', weight: 1 }] }, members);
    await ensemble.warmUp();
    expect(log).toEqual(['start remote', 'start local', 'end local', 'end remote']);
    expect(crops.map((c) => c.length)).toEqual([1, 1]);
    for (const [crop] of crops) {
      expect(crop).toHaveLength(8 * 8 * 3);
      expect(crop.every((v) => v === 0)).toBe(true);
    }
  });

  it('starts the remote member on each added face at once and the local one on all faces at the end', async () => {
    const log: string[] = [];
    const calls: Record<string, number[]> = { local: [], remote: [] };
    const point = (age: number) => Object.assign(new Float32Array(101), { [age]: 1 });
    const counted = (id: 'local' | 'remote', age: number): AgeModel => {
      const inner = recordingModel(id, id === 'remote', log, point(age));
      return { ...inner, estimate: (crops) => (calls[id].push(crops.length), inner.estimate(crops)) };
    };
    const ensemble = AgeEnsemble.fromMembers({ name: 'test', members: [{ path: 'local', weight: 1 }, { path: 'remote', weight: 1 }] }, [counted('local', 20), counted('remote', 60)]);
    const run = ensemble.begin(image);
    run.add([face]);
    expect(log).toEqual(['start remote']);
    run.add([face, face]);
    expect(run.faces).toBe(3);
    expect(calls).toEqual({ local: [], remote: [1, 2] });
    const { estimates, timings } = await run.finish();
    expect(calls).toEqual({ local: [3], remote: [1, 2] });
    expect(estimates.map((e) => e.summary.mean)).toEqual([40, 40, 40].map((m) => expect.closeTo(m, 6)));
    expect(estimates[2].members.map((m) => m.summary.mean)).toEqual([expect.closeTo(20, 6), expect.closeTo(60, 6)]);
    expect(timings.memberMs.remote).toBeGreaterThan(0);
    expect(() => run.add([face])).toThrow(/finished/);
  });

  it('gives the same estimates face by face as all at once', async () => {
    // The same tiny network as the second member, answering as a member on another thread would.
    const b = AgeMember.fromModel(manifest('b', 100), tinyModel(100, 7));
    const remote: AgeModel = { manifest: b.manifest, remote: true, estimate: (crops) => b.estimate(crops), close: () => b.close() };
    const pair = AgeEnsemble.fromMembers({ name: 'test', mirror: true, members: [{ path: 'a', weight: 3 }, { path: 'b', weight: 1 }] }, [AgeMember.fromModel(manifest('a', 100), tinyModel(100, 1)), remote]);
    const shifted = face.map(([x, y]) => [x + 1.5, y - 0.5]) as unknown as FivePoints;
    const together = (await pair.estimate(image, [face, shifted])).estimates;
    const run = pair.begin(image);
    run.add([face]);
    run.add([shifted]);
    const apart = (await run.finish()).estimates;
    for (let f = 0; f < 2; f++) for (let age = 0; age < 101; age++) expect(apart[f].distribution[age]).toBeCloseTo(together[f].distribution[age], 6);
    pair.close();
  });

  it('lets a run be dropped before finish without an unhandled rejection from its remote member', async () => {
    const failing: AgeModel = { manifest: manifest('remote', 100), remote: true, estimate: () => Promise.reject(new Error('worker gone')), close() {} };
    const ensemble = AgeEnsemble.fromMembers({ name: 'test', members: [{ path: 'remote', weight: 1 }] }, [failing]);
    ensemble.begin(image).add([face]);
    const run = ensemble.begin(image);
    run.add([face]);
    await expect(run.finish()).rejects.toThrow(/worker gone/);
  });
});

describe('AgeEnsemble test-time mirroring and calibration', () => {
  /** A member that answers a point mass at 30 for crops whose top-left pixel is brighter than the top-right, else 50. */
  const sided: AgeModel = {
    manifest: manifest('sided', 100),
    async estimate(crops) {
      return crops.map((c) => {
        const d = new Float32Array(101);
        d[c[0] > c[(8 - 1) * 3] ? 30 : 50] = 1;
        return d;
      });
    },
    close() {},
  };
  const leftBright = {
    width: 32,
    height: 32,
    data: Uint8ClampedArray.from({ length: 32 * 32 * 4 }, (_, i) => (((i >> 2) % 32) < 16 ? 250 : 10)),
  };

  it('mirrorCrop flips each row and keeps the channels', () => {
    const crop = Float32Array.from({ length: 2 * 2 * 3 }, (_, i) => i);
    expect(Array.from(mirrorCrop(crop, 2))).toEqual([3, 4, 5, 0, 1, 2, 9, 10, 11, 6, 7, 8]);
  });

  it('averages each face with its mirror image, in one call per member', async () => {
    const calls: number[] = [];
    const counting: AgeModel = { ...sided, estimate: (crops) => (calls.push(crops.length), sided.estimate(crops)) };
    const plain = AgeEnsemble.fromMembers({ name: 't', members: [{ path: 's', weight: 1 }] }, [sided]);
    expect((await plain.estimate(leftBright, [face])).estimates[0].summary.mean).toBeCloseTo(30, 6);
    const mirrored = AgeEnsemble.fromMembers({ name: 't', mirror: true, members: [{ path: 's', weight: 1 }] }, [counting]);
    const { estimates } = await mirrored.estimate(leftBright, [face, face]);
    expect(calls).toEqual([4]);
    expect(estimates[1].distribution[30]).toBeCloseTo(0.5, 6);
    expect(estimates[1].distribution[50]).toBeCloseTo(0.5, 6);
    // Live video turns it off per call.
    const [unmirrored] = (await mirrored.estimate(leftBright, [face], { mirror: false })).estimates;
    expect(calls).toEqual([4, 1]);
    expect(unmirrored.summary.mean).toBeCloseTo(30, 6);
  });

  it('applies the calibration to every member before mixing', async () => {
    const knots = [
      [0, 0],
      [40, 40],
      [60, 70],
    ] as const;
    const calibrated = AgeEnsemble.fromMembers({ name: 't', calibration: { knots }, members: [{ path: 's', weight: 1 }] }, [sided]);
    const rightBright = { ...leftBright, data: leftBright.data.map((v) => 260 - v) };
    const [e] = (await calibrated.estimate(rightBright, [face])).estimates;
    // 50 maps to 55 (slope 1.5 above 40).
    expect(e.summary.mean).toBeCloseTo(55, 5);
    expect(e.members[0].summary.mean).toBeCloseTo(55, 5);
  });

  it("shows the statistic the manifest names as each face's and member's age", async () => {
    // Two members: point masses at 30 and 50, weights 3:1. Expected age 35, median 30.
    const other: AgeModel = { ...sided, manifest: manifest('other', 100), estimate: async (crops) => crops.map(() => Object.assign(new Float32Array(101), { 50: 1 })) };
    const members = [
      { path: 's', weight: 3 },
      { path: 'o', weight: 1 },
    ];
    const byMean = AgeEnsemble.fromMembers({ name: 't', members }, [sided, other]);
    const byMedian = AgeEnsemble.fromMembers({ name: 't', estimate: 'median', members }, [sided, other]);
    const [m] = (await byMean.estimate(leftBright, [face])).estimates;
    const [d] = (await byMedian.estimate(leftBright, [face])).estimates;
    expect(m.summary.age).toBeCloseTo(35, 5);
    expect(d.summary.age).toBeCloseTo(30 - 0.5 + 0.5 / 0.75, 5);
    expect(d.summary.estimate).toBe('median');
    expect(d.members[1].summary.age).toBeCloseTo(50, 0);
  });
});
