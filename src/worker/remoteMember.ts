/**
 * An ensemble member that runs in its own worker (memberHost.ts): an AgeModel like any other,
 * so the ensemble mixes it unchanged. The tfjs wasm backend computes on one thread per instance
 * (its threaded build reports one thread here, see docs/BENCHMARKS.md), so on a multi-core CPU
 * two members in two workers finish in about the time of one. Lifetime: create → estimate … → close.
 */
import type { MemberManifest } from '../age/manifest';
import type { AgeModel } from '../age/member';
import type { BackendName } from '../runtime/backendChoice';
import type { MemberWorkerMessage, MemberWorkerRequest } from './memberProtocol';

interface Pending {
  resolve: (distributions: Float32Array[]) => void;
  reject: (error: Error) => void;
}

export class RemoteMember implements AgeModel {
  readonly remote = true;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private constructor(
    private worker: Worker | null,
    readonly manifest: MemberManifest,
  ) {
    worker!.onmessage = (event: MessageEvent<MemberWorkerMessage>) => {
      const message = event.data;
      if (message.type === 'member-estimated') {
        this.pending.get(message.id)?.resolve(message.distributions);
        this.pending.delete(message.id);
      } else if (message.type === 'member-error' && message.id !== undefined) {
        this.pending.get(message.id)?.reject(new Error(`member ${manifest.id}: ${message.message}`));
        this.pending.delete(message.id);
      }
    };
    worker!.onerror = (event) => this.failAll(new Error(`member ${manifest.id} worker failed: ${event.message}`));
  }

  /**
   * Loads the member at `memberUrl` on `backend` in a new worker made by `spawn` (a worker whose
   * script hands member requests to memberHost.ts).
   */
  static create(spawn: () => Worker, memberUrl: string, backend: BackendName, onProgress?: (fraction: number) => void): Promise<RemoteMember> {
    const worker = spawn();
    return new Promise<RemoteMember>((resolve, reject) => {
      const fail = (message: string) => {
        worker.terminate();
        reject(new Error(message));
      };
      worker.onerror = (event) => fail(`the member worker failed to start (${event.message || 'script error'})`);
      worker.onmessage = (event: MessageEvent<MemberWorkerMessage>) => {
        const message = event.data;
        if (message.type === 'member-progress') onProgress?.(message.fraction);
        else if (message.type === 'member-ready') resolve(new RemoteMember(worker, message.manifest));
        else if (message.type === 'member-error') fail(message.message);
      };
      worker.postMessage({ type: 'member-init', memberUrl, backend } satisfies MemberWorkerRequest);
    });
  }

  /** The crops are copied to the worker (the caller may share them with other members). */
  estimate(crops: readonly Float32Array[]): Promise<Float32Array[]> {
    if (!this.worker) return Promise.reject(new Error(`member ${this.manifest.id} is closed`));
    if (crops.length === 0) return Promise.resolve([]);
    const id = this.nextId++;
    const worker = this.worker;
    return new Promise<Float32Array[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ type: 'member-estimate', id, crops: [...crops] } satisfies MemberWorkerRequest);
    });
  }

  close(): void {
    this.worker?.terminate();
    this.worker = null;
    this.failAll(new Error(`member ${this.manifest.id} is closed`));
  }

  private failAll(error: Error): void {
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}
