/**
 * The ensemble: members' distributions combined as a weighted mixture (weights from ensemble.json).
 * Takes a frame and each face's five points, aligns one crop per distinct member input, and returns
 * per face the mixture, its summary and every member's own distribution. The manifest may ask for
 * mirrored test-time augmentation and an age calibration (both applied per member, before mixing).
 */
import type { FivePoints } from '../geometry/points';
import type { RegionReader, RgbaImage } from '../runtime/image';
import { mixture, summarize, type AgeSummary } from './distribution';
import { EnsembleRun } from './ensembleRun';
import { parseEnsembleManifest, type EnsembleManifest } from './manifest';
import { AgeMember, warmUpModel, type AgeModel } from './member';

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
  /**
   * Each member's time, by member id, from its first call to its last answer: a member on another
   * thread starts on a photo's first faces during the face search, so its time can exceed ensembleMs.
   */
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
   * networks' time). Each member makes one call for all faces.
   */
  estimate(image: RgbaImage | RegionReader, faces: readonly FivePoints[], options: { mirror?: boolean } = {}): Promise<{ estimates: AgeEstimate[]; timings: EnsembleTimings }> {
    const run = this.begin(image, options);
    run.add(faces);
    return run.finish();
  }

  /**
   * A photo's faces handed over as they are found (begin → add … → finish): each add aligns its
   * faces and starts the members on other threads on them at once, so those compute while this
   * thread is still looking for the next face; the members here run once, on all faces, in finish.
   */
  begin(image: RgbaImage | RegionReader, options: { mirror?: boolean } = {}): EnsembleRun {
    return new EnsembleRun(this, this.members, image, options.mirror ?? this.manifest.mirror ?? false);
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

  /** Every member once on a blank crop, side by side (see IdleWarmUp in src/worker). */
  async warmUp(): Promise<void> {
    // Members on other threads first: a member here computes as soon as it is called.
    const order = [...this.members].sort((a, b) => Number(b.member.remote ?? false) - Number(a.member.remote ?? false));
    await Promise.all(order.map(({ member }) => warmUpModel(member)));
  }

  close(): void {
    for (const { member } of this.members) member.close();
  }
}
