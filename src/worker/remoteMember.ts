/**
 * An ensemble member that runs in a member worker (memberHost.ts), reached over a MessagePort: an
 * AgeModel like any other, so the ensemble mixes it unchanged. The tfjs wasm backend computes on
 * one thread per instance (its threaded build reports one thread here, see docs/BENCHMARKS.md),
 * so on a multi-core CPU two members in two workers finish in about the time of one.
 * Lifetime: load → estimate … → close.
 */
import type { MemberManifest } from '../age/manifest';
import type { AgeModel } from '../age/member';
import { packCrops, type MemberWorkerMessage, type MemberWorkerRequest } from './memberProtocol';

interface Pending {
  resolve: (distributions: Float32Array[]) => void;
  reject: (error: Error) => void;
}

export class RemoteMember implements AgeModel {
  readonly remote = true;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  private constructor(
    private readonly port: MessagePort,
    readonly manifest: MemberManifest,
  ) {
    port.onmessage = (event: MessageEvent<MemberWorkerMessage>) => {
      const message = event.data;
      if (message.type === 'member-estimated') {
        this.pending.get(message.id)?.resolve(message.distributions);
        this.pending.delete(message.id);
      } else if (message.type === 'member-error' && message.id !== undefined) {
        this.pending.get(message.id)?.reject(new Error(`member ${manifest.id}: ${message.message}`));
        this.pending.delete(message.id);
      }
    };
  }

  /**
   * Loads the member at `memberUrl` in the member worker at the other end of `port`; resolves once
   * it is loaded and has run once (warm).
   */
  static load(port: MessagePort, memberUrl: string, onProgress?: (fraction: number) => void): Promise<RemoteMember> {
    return new Promise<RemoteMember>((resolve, reject) => {
      port.onmessage = (event: MessageEvent<MemberWorkerMessage>) => {
        const message = event.data;
        if (message.type === 'member-progress') onProgress?.(message.fraction);
        else if (message.type === 'member-ready') resolve(new RemoteMember(port, message.manifest));
        else if (message.type === 'member-error') {
          closeMemberWorker(port);
          reject(new Error(message.message));
        }
      };
      port.postMessage({ type: 'member-load', memberUrl } satisfies MemberWorkerRequest);
    });
  }

  /** The crops are copied into one buffer that is transferred (the caller may share them with other members). */
  estimate(crops: readonly Float32Array[]): Promise<Float32Array[]> {
    if (this.closed) return Promise.reject(new Error(`member ${this.manifest.id} is closed`));
    if (crops.length === 0) return Promise.resolve([]);
    const id = this.nextId++;
    const pixels = packCrops(crops);
    return new Promise<Float32Array[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.port.postMessage({ type: 'member-estimate', id, pixels, count: crops.length } satisfies MemberWorkerRequest, [pixels.buffer]);
    });
  }

  /** Closes the member worker too (it closes itself). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeMemberWorker(this.port);
    const error = new Error(`member ${this.manifest.id} is closed`);
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}

/** Tells the member worker at the other end of `port` to close, and closes the port. */
export function closeMemberWorker(port: MessagePort): void {
  port.postMessage({ type: 'member-close' } satisfies MemberWorkerRequest);
  port.close();
}
