/**
 * The ensemble: members' distributions combined as a weighted mixture (weights from ensemble.json).
 * Takes a frame and each face's five points, aligns one crop per distinct member input, and returns
 * per face the mixture, its summary and every member's own distribution. The manifest may ask for
 * mirrored test-time augmentation and an age calibration (both applied per member, before mixing).
 */
import { DEFAULT_CROP, type FivePoints } from '../geometry/points';
import { alignmentTransform } from '../geometry/similarity';
import { warpRegionToCrop } from '../runtime/cropWarp';
import type { RegionReader, RgbaImage } from '../runtime/image';
import { calibrateDistribution } from './calibration';
import { mixture, summarize, type AgeSummary } from './distribution';
import { parseEnsembleManifest, type EnsembleManifest, type InputSpec } from './manifest';
import { AgeMember, type AgeModel } from './member';

export interface MemberEstimate {
  id: string;
  name: string;
  weight: number;
  distribution: Float32Array;
  summary: AgeSummary;
}

export interface AgeEstimate {
  distribution: Float32Array;
  summary: AgeSummary;
  members: MemberEstimate[];
}

export interface EnsembleTimings {
  alignMs: number;
  ensembleMs: number;
  /** Each member's share of ensembleMs, by member id. */
  memberMs: Record<string, number>;
}

export interface EnsembleLoadOptions {
  /** Overall fraction 0..1 of all members' weights downloaded. */
  onProgress?: (fraction: number) => void;
  fetchFunc?: typeof fetch;
  /**
   * Loads member `index` somewhere else (another worker) instead of here; undefined keeps it local.
   * Members are then run side by side (see estimate).
   */
  loadElsewhere?: (memberUrl: string, index: number, onProgress: (fraction: number) => void) => Promise<AgeModel> | undefined;
  /**
   * Each member here runs once on a blank crop as soon as it is loaded (MemberLoadOptions.warmUp);
   * members loaded elsewhere come back warm (member workers warm up on load).
   */
  warmUp?: boolean;
}

/** Crops for members with the same size and template are warped once and shared. */
function cropKey(input: InputSpec): string {
  return JSON.stringify([input.size, input.crop ?? 'default']);
}

/** Fetches and validates an `ensemble.json`; member URLs are resolved against it. */
export async function loadEnsembleManifest(ensembleUrl: string, fetchFunc: typeof fetch): Promise<{ manifest: EnsembleManifest; memberUrls: string[] }> {
  const response = await fetchFunc(ensembleUrl);
  if (!response.ok) throw new Error(`cannot load ensemble ${ensembleUrl}: HTTP ${response.status}`);
  const manifest = parseEnsembleManifest(await response.json(), ensembleUrl);
  const base = new URL(ensembleUrl, globalThis.location?.href ?? 'file:///');
  return { manifest, memberUrls: manifest.members.map((entry) => new URL(entry.path, base).href) };
}

export class AgeEnsemble {
  private constructor(
    readonly manifest: EnsembleManifest,
    private readonly members: readonly { member: AgeModel; weight: number }[],
  ) {}

  static fromMembers(manifest: EnsembleManifest, members: readonly AgeModel[]): AgeEnsemble {
    if (members.length !== manifest.members.length) throw new Error('one member per manifest entry is needed');
    return new AgeEnsemble(manifest, members.map((member, i) => ({ member, weight: manifest.members[i].weight })));
  }

  static async create(ensembleUrl: string, options: EnsembleLoadOptions = {}): Promise<AgeEnsemble> {
    // Wrapped: tfjs calls fetchFunc as a method, and a bare `fetch` then throws "Illegal invocation".
    const fetchFunc = options.fetchFunc ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
    const { manifest, memberUrls } = await loadEnsembleManifest(ensembleUrl, fetchFunc);
    const progress = manifest.members.map(() => 0);
    const report = () => options.onProgress?.(progress.reduce((s, p) => s + p, 0) / progress.length);
    const loaded = await Promise.allSettled(
      manifest.members.map((_, i): Promise<AgeModel> => {
        const onProgress = (f: number) => {
          progress[i] = f;
          report();
        };
        return options.loadElsewhere?.(memberUrls[i], i, onProgress) ?? AgeMember.create(memberUrls[i], { fetchFunc, onProgress, warmUp: options.warmUp });
      }),
    );
    const failed = loaded.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      for (const r of loaded) if (r.status === 'fulfilled') r.value.close();
      throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    }
    return AgeEnsemble.fromMembers(
      manifest,
      loaded.map((r) => (r as PromiseFulfilledResult<AgeModel>).value),
    );
  }

  get memberManifests() {
    return this.members.map(({ member, weight }) => ({ ...member.manifest, weight }));
  }

  /**
   * Age estimates for each face in `image`; timings split alignment from the networks.
   * `mirror` overrides the manifest's test-time mirroring (live video turns it off: it doubles the
   * networks' time).
   */
  async estimate(
    image: RgbaImage | RegionReader,
    faces: readonly FivePoints[],
    options: { mirror?: boolean } = {},
  ): Promise<{ estimates: AgeEstimate[]; timings: EnsembleTimings }> {
    const t0 = performance.now();
    const mirror = options.mirror ?? this.manifest.mirror ?? false;
    // One batch per distinct input: the faces' crops, then (mirroring) the same crops flipped, so
    // each member makes one call, as without augmentation.
    const batchByKey = new Map<string, Float32Array[]>();
    for (const { member } of this.members) {
      const key = cropKey(member.manifest.input);
      if (batchByKey.has(key)) continue;
      const { size, crop = DEFAULT_CROP } = member.manifest.input;
      const crops = faces.map((points) => warpRegionToCrop(image, alignmentTransform(points, crop, size), size));
      batchByKey.set(key, mirror ? [...crops, ...crops.map((c) => mirrorCrop(c, size))] : crops);
    }
    const t1 = performance.now();
    const memberMs: Record<string, number> = {};
    const { calibration } = this.manifest;
    const perMember = await this.sideBySide(async (member) => {
      const start = performance.now();
      const out = await member.estimate(batchByKey.get(cropKey(member.manifest.input)) ?? []);
      memberMs[member.manifest.id] = performance.now() - start;
      const distributions = mirror ? faces.map((_, f) => averageOf(out[f], out[f + faces.length])) : out;
      return calibration ? distributions.map((d) => calibrateDistribution(d, calibration.knots)) : distributions;
    });
    const t2 = performance.now();
    const estimates = faces.map((_, f) => this.combine(perMember.map((d) => d[f])));
    return { estimates, timings: { alignMs: t1 - t0, ensembleMs: t2 - t1, memberMs } };
  }

  /**
   * `run` for every member, results in member order. Members on other threads are started first,
   * then the local ones compute (which blocks this thread) while those run: all side by side.
   */
  private sideBySide<T>(run: (member: AgeModel) => Promise<T>): Promise<T[]> {
    const started = new Map<AgeModel, Promise<T>>();
    for (const { member } of this.members) if (member.remote) started.set(member, run(member));
    for (const { member } of this.members) if (!member.remote) started.set(member, run(member));
    return Promise.all(this.members.map(({ member }) => started.get(member)!));
  }

  /** Mixes one face's member distributions (in member order) into an estimate. */
  combine(memberDistributions: readonly Float32Array[]): AgeEstimate {
    const weights = this.members.map((m) => m.weight);
    const distribution = mixture(memberDistributions, weights);
    const total = weights.reduce((s, w) => s + w, 0);
    return {
      distribution,
      summary: summarize(distribution, this.manifest.estimate),
      members: this.members.map(({ member, weight }, k) => ({
        id: member.manifest.id,
        name: member.manifest.name,
        weight: weight / total,
        distribution: memberDistributions[k],
        summary: summarize(memberDistributions[k], this.manifest.estimate),
      })),
    };
  }

  close(): void {
    for (const { member } of this.members) member.close();
  }
}

/** An HWC RGB crop (size², 3 channels) flipped left-right. */
export function mirrorCrop(crop: Float32Array, size: number): Float32Array {
  const out = new Float32Array(crop.length);
  for (let y = 0; y < size; y++) {
    const row = y * size * 3;
    for (let x = 0; x < size; x++) {
      const from = row + x * 3;
      const to = row + (size - 1 - x) * 3;
      out[to] = crop[from];
      out[to + 1] = crop[from + 1];
      out[to + 2] = crop[from + 2];
    }
  }
  return out;
}

function averageOf(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] + b[i]) / 2;
  return out;
}
