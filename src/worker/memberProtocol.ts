/**
 * Messages between the inference worker and a member worker (member.worker.ts), which runs one
 * ensemble member on its own thread so that members compute side by side on a multi-core CPU
 * (remoteMember.ts). The page starts member workers and gives each a MessagePort to the inference
 * worker ('member-port'); everything else goes over that port. Member workers exist only on the
 * wasm backend.
 */
import type { MemberManifest } from '../age/manifest';

/** The page's one message to a new member worker: its port to the inference worker. */
export interface MemberPortMessage {
  type: 'member-port';
  port: MessagePort;
}

export type MemberWorkerRequest =
  | { type: 'member-load'; memberUrl: string }
  /**
   * `count` crops one after another in `pixels` (packCrops), whose buffer is transferred: with
   * the crops themselves structured-cloned (600 KB each at 224 px) the member worker finished
   * 18-36 ms after the inference worker's member on group photos (docs/BENCHMARKS.md).
   */
  | { type: 'member-estimate'; id: number; pixels: Float32Array; count: number }
  /** Not needed (a GPU backend was chosen, or fewer members than workers): the worker closes itself. */
  | { type: 'member-close' };

export type MemberWorkerMessage =
  | { type: 'member-progress'; fraction: number }
  /** The member is loaded and has run once (warm). */
  | { type: 'member-ready'; manifest: MemberManifest }
  | { type: 'member-estimated'; id: number; distributions: Float32Array[] }
  | { type: 'member-error'; id?: number; message: string };

/** Crops of equal length copied one after another into a new array (its buffer can be transferred). */
export function packCrops(crops: readonly Float32Array[]): Float32Array {
  const length = crops[0]?.length ?? 0;
  const pixels = new Float32Array(length * crops.length);
  crops.forEach((crop, i) => {
    if (crop.length !== length) throw new Error('packCrops: crops of different sizes');
    pixels.set(crop, i * length);
  });
  return pixels;
}

/** The `count` crops in `pixels`, as views (no copy). */
export function unpackCrops(pixels: Float32Array, count: number): Float32Array[] {
  const length = count > 0 ? pixels.length / count : 0;
  if (!Number.isInteger(length)) throw new Error(`unpackCrops: ${pixels.length} values are not ${count} crops`);
  return Array.from({ length: count }, (_, i) => pixels.subarray(i * length, (i + 1) * length));
}
