/**
 * Member and ensemble manifests: plain JSON that says how to feed a model and how to read its
 * output as ages. Validation turns a malformed file into one readable error instead of NaNs later.
 */
import { MAX_AGE, type AgeEstimateKind } from './distribution';
import { checkKnots, type CalibrationKnots } from './calibration';

import type { CropSpec, Point } from '../geometry/points';

export type { CropSpec, Point };

export interface InputSpec {
  /** Square side of the crop fed to the model, in pixels. */
  size: number;
  /** Channel order the network was trained on. */
  colorOrder: 'RGB' | 'BGR';
  /** Per channel (in colorOrder), applied to 0..255 pixels: x' = (x - mean) / std. */
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
  /** Alignment template; the app's default crop when absent. */
  crop?: CropSpec;
}

export type OutputSpec =
  /** A softmax whose i-th entry is the probability of age ages[i]. */
  | { kind: 'softmax'; ages: readonly number[] }
  /** Age groups: each entry's probability spread evenly over the ages [lo, hi]. */
  | { kind: 'groups'; ranges: readonly (readonly [number, number])[] }
  /** One regressed age, turned into a Gaussian with a fixed std (fitted offline). */
  | { kind: 'scalar'; scalarStd: number };

export interface MemberManifest {
  id: string;
  name: string;
  model: { url: string; format: 'graph' | 'layers'; output?: string };
  input: InputSpec;
  output: OutputSpec;
  provenance: { package?: string; version?: string; files?: readonly string[]; license: string; origin?: string };
}

export interface EnsembleManifest {
  name: string;
  /** Changes whenever members or weights change, so exported results say which models made them. */
  version?: string;
  description?: string;
  members: readonly { path: string; weight: number }[];
  /**
   * Applied to every member's distribution before mixing (so to the mixture too): a monotone map
   * of ages as (from, to) knots that undoes the pull toward the middle (src/age/calibration.ts).
   */
  calibration?: { knots: CalibrationKnots; fittedOn?: string };
  /** Test-time augmentation: each face also runs mirrored and the two distributions are averaged. */
  mirror?: boolean;
  /** Which statistic of each distribution is the age shown and scored (distribution.ts); the expected age when absent. */
  estimate?: AgeEstimateKind;
}

class ManifestError extends Error {
  constructor(where: string, problem: string) {
    super(`${where}: ${problem}`);
    this.name = 'ManifestError';
  }
}

type Json = Record<string, unknown>;

function object(value: unknown, where: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ManifestError(where, 'expected an object');
  return value as Json;
}
function string(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new ManifestError(where, 'expected a non-empty string');
  return value;
}
function finite(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ManifestError(where, 'expected a number');
  return value;
}
function positive(value: unknown, where: string): number {
  const n = finite(value, where);
  if (n <= 0) throw new ManifestError(where, 'expected a positive number');
  return n;
}
function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new ManifestError(where, 'expected an array');
  return value;
}
function triple(value: unknown, where: string, check: (v: unknown, w: string) => number): [number, number, number] {
  const a = array(value, where);
  if (a.length !== 3) throw new ManifestError(where, 'expected 3 values, one per channel');
  return [check(a[0], `${where}[0]`), check(a[1], `${where}[1]`), check(a[2], `${where}[2]`)];
}
function age(value: unknown, where: string): number {
  const n = finite(value, where);
  if (!Number.isInteger(n) || n < 0 || n > MAX_AGE) throw new ManifestError(where, `expected an integer age 0..${MAX_AGE}`);
  return n;
}

function parseCrop(value: unknown, where: string): CropSpec {
  const points = array(object(value, where).points, `${where}.points`);
  if (points.length !== 5) throw new ManifestError(`${where}.points`, 'expected 5 points');
  const parsed = points.map((p, i) => {
    const xy = array(p, `${where}.points[${i}]`);
    if (xy.length !== 2) throw new ManifestError(`${where}.points[${i}]`, 'expected [x, y]');
    return [finite(xy[0], `${where}.points[${i}][0]`), finite(xy[1], `${where}.points[${i}][1]`)] as const;
  });
  return { points: parsed as unknown as CropSpec['points'] };
}

function parseOutput(value: unknown, where: string): OutputSpec {
  const o = object(value, where);
  switch (o.kind) {
    case 'softmax': {
      const ages = array(o.ages, `${where}.ages`).map((a, i) => age(a, `${where}.ages[${i}]`));
      if (ages.length === 0) throw new ManifestError(`${where}.ages`, 'expected at least one age');
      return { kind: 'softmax', ages };
    }
    case 'groups': {
      const ranges = array(o.ranges, `${where}.ranges`).map((r, i) => {
        const lohi = array(r, `${where}.ranges[${i}]`);
        const lo = age(lohi[0], `${where}.ranges[${i}][0]`);
        const hi = age(lohi[1], `${where}.ranges[${i}][1]`);
        if (lohi.length !== 2 || hi < lo) throw new ManifestError(`${where}.ranges[${i}]`, 'expected [lo, hi] with lo <= hi');
        return [lo, hi] as const;
      });
      if (ranges.length === 0) throw new ManifestError(`${where}.ranges`, 'expected at least one group');
      return { kind: 'groups', ranges };
    }
    case 'scalar':
      return { kind: 'scalar', scalarStd: positive(o.scalarStd, `${where}.scalarStd`) };
    default:
      throw new ManifestError(`${where}.kind`, `unknown output kind ${JSON.stringify(o.kind)} (softmax, groups or scalar)`);
  }
}

/** Checks a parsed member.json and returns it typed; throws a ManifestError naming the bad field. */
export function parseMemberManifest(value: unknown, where = 'member.json'): MemberManifest {
  const m = object(value, where);
  const model = object(m.model, `${where}.model`);
  const format = model.format;
  if (format !== 'graph' && format !== 'layers') throw new ManifestError(`${where}.model.format`, 'expected "graph" or "layers"');
  const input = object(m.input, `${where}.input`);
  const colorOrder = input.colorOrder;
  if (colorOrder !== 'RGB' && colorOrder !== 'BGR') throw new ManifestError(`${where}.input.colorOrder`, 'expected "RGB" or "BGR"');
  const size = positive(input.size, `${where}.input.size`);
  if (!Number.isInteger(size)) throw new ManifestError(`${where}.input.size`, 'expected an integer');
  const provenance = object(m.provenance, `${where}.provenance`);
  return {
    id: string(m.id, `${where}.id`),
    name: string(m.name, `${where}.name`),
    model: {
      url: string(model.url, `${where}.model.url`),
      format,
      output: model.output === undefined ? undefined : string(model.output, `${where}.model.output`),
    },
    input: {
      size,
      colorOrder,
      mean: triple(input.mean, `${where}.input.mean`, finite),
      std: triple(input.std, `${where}.input.std`, positive),
      crop: input.crop === undefined ? undefined : parseCrop(input.crop, `${where}.input.crop`),
    },
    output: parseOutput(m.output, `${where}.output`),
    provenance: {
      ...(provenance as MemberManifest['provenance']),
      license: string(provenance.license, `${where}.provenance.license`),
    },
  };
}

/** Checks a parsed ensemble.json; weights must be non-negative and not all zero. */
export function parseEnsembleManifest(value: unknown, where = 'ensemble.json'): EnsembleManifest {
  const e = object(value, where);
  const members = array(e.members, `${where}.members`).map((entry, i) => {
    const m = object(entry, `${where}.members[${i}]`);
    const weight = finite(m.weight, `${where}.members[${i}].weight`);
    if (weight < 0) throw new ManifestError(`${where}.members[${i}].weight`, 'expected a weight >= 0');
    return { path: string(m.path, `${where}.members[${i}].path`), weight };
  });
  if (members.length === 0) throw new ManifestError(`${where}.members`, 'expected at least one member');
  if (!members.some((m) => m.weight > 0)) throw new ManifestError(`${where}.members`, 'all weights are zero');
  let calibration: EnsembleManifest['calibration'];
  if (e.calibration !== undefined) {
    const c = object(e.calibration, `${where}.calibration`);
    const knots = array(c.knots, `${where}.calibration.knots`).map((k, i) => {
      const xy = array(k, `${where}.calibration.knots[${i}]`);
      if (xy.length !== 2) throw new ManifestError(`${where}.calibration.knots[${i}]`, 'expected [from, to]');
      return [finite(xy[0], `${where}.calibration.knots[${i}][0]`), finite(xy[1], `${where}.calibration.knots[${i}][1]`)] as const;
    });
    try {
      checkKnots(knots);
    } catch (error) {
      throw new ManifestError(`${where}.calibration.knots`, (error as Error).message.replace(/^calibration: /, ''));
    }
    calibration = { knots, fittedOn: typeof c.fittedOn === 'string' ? c.fittedOn : undefined };
  }
  if (e.mirror !== undefined && typeof e.mirror !== 'boolean') throw new ManifestError(`${where}.mirror`, 'expected true or false');
  if (e.estimate !== undefined && e.estimate !== 'mean' && e.estimate !== 'median') throw new ManifestError(`${where}.estimate`, 'expected "mean" or "median"');
  return {
    name: string(e.name, `${where}.name`),
    version: e.version === undefined ? undefined : string(e.version, `${where}.version`),
    description: typeof e.description === 'string' ? e.description : undefined,
    members,
    ...(calibration ? { calibration } : {}),
    ...(e.mirror === true ? { mirror: true } : {}),
    ...(e.estimate === 'median' ? { estimate: 'median' as const } : {}),
  };
}
