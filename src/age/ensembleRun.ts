/**
 * One image's pass through the ensemble (AgeEnsemble.begin): faces aligned as they are found, the
 * members on other threads started on them at once, all mixed at the end.
 */
import { DEFAULT_CROP, type FivePoints } from '../geometry/points';
import { alignmentTransform } from '../geometry/similarity';
import { warpRegionToCrop } from '../runtime/cropWarp';
import type { RegionReader, RgbaImage } from '../runtime/image';
import { calibrateDistribution } from './calibration';
import type { AgeEstimate, EnsembleTimings } from './ensemble';
import type { EnsembleManifest, InputSpec } from './manifest';
import type { AgeModel } from './member';

/** What a run needs of its ensemble: the manifest (mirroring, calibration) and the mixing. */
interface Mixer {
  readonly manifest: EnsembleManifest;
  combine(memberDistributions: readonly Float32Array[]): AgeEstimate;
}

/** Crops for members with the same size and template are warped once and shared. */
function cropKey(input: InputSpec): string {
  return JSON.stringify([input.size, input.crop ?? 'default']);
}

interface RemoteCalls {
  /** When the first call was made and the last answered (performance.now()). */
  start: number;
  end: number;
  /** One call per add, in face order. */
  calls: Promise<Float32Array[]>[];
}

/**
 * One image's pass through the ensemble (AgeEnsemble.begin): faces are aligned as they are added,
 * members on other threads get each add's faces at once, the members on this thread all faces in
 * finish. Results are in the order the faces were added.
 */
export class EnsembleRun {
  private faceCount = 0;
  private alignedMs = 0;
  private finished = false;
  /** Per distinct member input (cropKey): each face's crop and, mirroring, its flipped copy. */
  private readonly crops = new Map<string, { plain: Float32Array[]; flipped: Float32Array[] }>();
  private readonly remote = new Map<AgeModel, RemoteCalls>();

  constructor(
    private readonly ensemble: Mixer,
    private readonly members: readonly { member: AgeModel }[],
    private readonly image: RgbaImage | RegionReader,
    private readonly mirror: boolean,
  ) {}

  /** Faces added so far. */
  get faces(): number {
    return this.faceCount;
  }

  add(faces: readonly FivePoints[]): void {
    if (this.finished) throw new Error('faces added to a finished ensemble run');
    if (faces.length === 0) return;
    const t0 = performance.now();
    const warped = new Set<string>();
    for (const { member } of this.members) {
      const key = cropKey(member.manifest.input);
      if (warped.has(key)) continue;
      warped.add(key);
      let crops = this.crops.get(key);
      if (!crops) this.crops.set(key, (crops = { plain: [], flipped: [] }));
      const { size, crop = DEFAULT_CROP } = member.manifest.input;
      for (const points of faces) {
        const aligned = warpRegionToCrop(this.image, alignmentTransform(points, crop, size), size);
        crops.plain.push(aligned);
        if (this.mirror) crops.flipped.push(mirrorCrop(aligned, size));
      }
    }
    const from = this.faceCount;
    this.faceCount += faces.length;
    this.alignedMs += performance.now() - t0;
    for (const { member } of this.members) {
      if (!member.remote) continue;
      let timing = this.remote.get(member);
      if (!timing) this.remote.set(member, (timing = { start: performance.now(), end: 0, calls: [] }));
      const record = timing;
      const call = this.runOn(member, from, this.faceCount).then((distributions) => {
        record.end = Math.max(record.end, performance.now());
        return distributions;
      });
      // Awaited in finish; a run abandoned before it (the face search failed) must not leave an unhandled rejection.
      call.catch(() => undefined);
      timing.calls.push(call);
    }
  }

  /** Runs the members here on all faces, waits for the others, and mixes. */
  async finish(): Promise<{ estimates: AgeEstimate[]; timings: EnsembleTimings }> {
    this.finished = true;
    const t0 = performance.now();
    const memberMs: Record<string, number> = {};
    const local = new Map<AgeModel, Promise<Float32Array[]>>();
    for (const { member } of this.members) {
      if (member.remote) continue;
      local.set(
        member,
        (async () => {
          const start = performance.now();
          const distributions = this.faceCount > 0 ? await this.runOn(member, 0, this.faceCount) : [];
          memberMs[member.manifest.id] = performance.now() - start;
          return distributions;
        })(),
      );
    }
    const perMember = await Promise.all(
      this.members.map(async ({ member }) => {
        if (!member.remote) return local.get(member)!;
        const timing = this.remote.get(member);
        const parts = timing ? await Promise.all(timing.calls) : [];
        memberMs[member.manifest.id] = timing ? timing.end - timing.start : 0;
        return parts.flat();
      }),
    );
    const estimates = Array.from({ length: this.faceCount }, (_, f) => this.ensemble.combine(perMember.map((d) => d[f])));
    return { estimates, timings: { alignMs: this.alignedMs, ensembleMs: performance.now() - t0, memberMs } };
  }

  /** `member` on faces [from, to): the mirrored copies averaged in, calibrated. */
  private async runOn(member: AgeModel, from: number, to: number): Promise<Float32Array[]> {
    const { plain, flipped } = this.crops.get(cropKey(member.manifest.input))!;
    const batch = this.mirror ? [...plain.slice(from, to), ...flipped.slice(from, to)] : plain.slice(from, to);
    const out = await member.estimate(batch);
    const count = to - from;
    const distributions = this.mirror ? out.slice(0, count).map((d, f) => averageOf(d, out[f + count])) : out;
    const { calibration } = this.ensemble.manifest;
    return calibration ? distributions.map((d) => calibrateDistribution(d, calibration.knots)) : distributions;
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
