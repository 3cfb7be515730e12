/**
 * Promise API over the inference worker, for the page. One worker per page; requests resolve in
 * order. Load progress and failures surface as callbacks/rejections with human-readable messages.
 */
import type { BackendName } from '../runtime/backendChoice';
import type { FivePoints } from '../geometry/points';
import type { RawFrame } from '../runtime/rawFrame';
import type { MemberPortMessage } from './memberProtocol';
import type { AgesMessage, DetectedMessage, ProgressMessage, ReadyMessage, ResultMessage, WorkerMessage, WorkerRequest } from './protocol';

/** Member workers started at most: the shipped ensembles have 2 and 4 members, the first runs in the inference worker. */
const MAX_MEMBER_WORKERS = 3;

export interface ClientOptions {
  forcedBackend?: BackendName;
  rememberedBackend?: BackendName;
  ensembleUrl: string;
  mediapipeBase: string;
  /** false: no member workers, every member runs in the inference worker (benchmarks compare). Default true. */
  memberWorkers?: boolean;
  onProgress?: (p: ProgressMessage) => void;
}

export class AgeWorkerClient {
  private readonly worker: Worker;
  private nextId = 1;
  // Each request resolves with the message answering it (result or detected).
  private readonly pending = new Map<number, { resolve: (r: never) => void; reject: (e: Error) => void }>();
  private readyWaiter?: { resolve: (r: ReadyMessage) => void; reject: (e: Error) => void };
  private failed?: Error;
  private readonly memberWorkers: Worker[] = [];
  private groupSearchPrepared = false;

  constructor(private readonly options: ClientOptions) {
    this.worker = new Worker(new URL('./inference.worker.ts', import.meta.url), { type: 'module', name: 'agedist-inference' });
    this.worker.onmessage = (event: MessageEvent<WorkerMessage>) => this.handle(event.data);
    this.worker.onerror = (event) => this.fail(new Error(`The inference worker crashed: ${event.message || 'unknown error'}`));
  }

  /** Loads backend, landmarks and models; resolves once estimates can be requested. */
  init(): Promise<ReadyMessage> {
    return new Promise((resolve, reject) => {
      this.readyWaiter = { resolve, reject };
      const { forcedBackend, rememberedBackend, ensembleUrl, mediapipeBase, memberWorkers } = this.options;
      const memberPorts = memberWorkers === false ? [] : this.startMemberWorkers();
      this.send({ type: 'init', forcedBackend, rememberedBackend, ensembleUrl, mediapipeBase, memberPorts }, memberPorts);
    });
  }

  /** Transfers the frame to the worker (it is closed there) and resolves with the faces found. */
  estimate(frame: ImageBitmap, kind: 'photo' | 'video' = 'photo'): Promise<ResultMessage> {
    return this.request<ResultMessage>('estimate', frame, kind);
  }

  /** Landmarks only, no age models (training preprocessing). */
  detect(frame: ImageBitmap, kind: 'photo' | 'video' = 'photo'): Promise<DetectedMessage> {
    return this.request<DetectedMessage>('detect', frame, kind);
  }

  /** Ages only, for faces whose five points in `frame` are known (live video). */
  ages(frame: ImageBitmap | RawFrame, faces: FivePoints[]): Promise<AgesMessage> {
    return this.call<AgesMessage>(frame, (id) => ({ type: 'ages', id, frame, faces }));
  }

  /**
   * Photos are on their way (see PrepareGroupSearchRequest): the worker readies what group photos need,
   * once the models are loaded. Fire and forget; later calls do nothing.
   */
  prepareGroupSearch(): void {
    if (this.groupSearchPrepared || this.failed) return;
    this.groupSearchPrepared = true;
    this.send({ type: 'prepare-group-search' });
  }

  private request<T extends ResultMessage | DetectedMessage>(type: 'estimate' | 'detect', frame: ImageBitmap, kind: 'photo' | 'video'): Promise<T> {
    return this.call<T>(frame, (id) => ({ type, id, frame, kind }));
  }

  private call<T>(frame: ImageBitmap | RawFrame, message: (id: number) => WorkerRequest): Promise<T> {
    if (this.failed) {
      if (frame instanceof ImageBitmap) frame.close();
      return Promise.reject(this.failed);
    }
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: never) => void, reject });
      this.send(message(id), [frame instanceof ImageBitmap ? frame : frame.data]);
    });
  }

  /**
   * Member workers (member.worker.ts), one per core beyond the first (at most MAX_MEMBER_WORKERS),
   * started here at once rather than by the inference worker once it has chosen a backend: the page's
   * thread is idle, and a worker started from a busy worker waits for it. Each gets a port to the
   * inference worker, which closes the ones it does not use (a GPU backend uses none).
   */
  private startMemberWorkers(): MessagePort[] {
    const count = Math.min(MAX_MEMBER_WORKERS, (navigator.hardwareConcurrency ?? 1) - 1);
    const ports: MessagePort[] = [];
    for (let i = 0; i < count; i++) {
      const worker = new Worker(new URL('./member.worker.ts', import.meta.url), { type: 'module', name: `agedist-member-${i + 1}` });
      worker.onerror = (event) => this.fail(new Error(`An age model worker crashed: ${event.message || 'unknown error'}`));
      const channel = new MessageChannel();
      worker.postMessage({ type: 'member-port', port: channel.port2 } satisfies MemberPortMessage, [channel.port2]);
      ports.push(channel.port1);
      this.memberWorkers.push(worker);
    }
    return ports;
  }

  terminate(): void {
    for (const worker of this.memberWorkers) worker.terminate();
    this.worker.terminate();
    this.fail(new Error('The inference worker was stopped.'));
  }

  private send(request: WorkerRequest, transfer: Transferable[] = []): void {
    this.worker.postMessage(request, transfer);
  }

  private handle(message: WorkerMessage): void {
    switch (message.type) {
      case 'progress':
        this.options.onProgress?.(message);
        break;
      case 'ready':
        this.readyWaiter?.resolve(message);
        this.readyWaiter = undefined;
        break;
      case 'result':
      case 'detected':
      case 'ages':
        this.pending.get(message.id)?.resolve(message as never);
        this.pending.delete(message.id);
        break;
      case 'error':
        if (message.id === undefined) {
          this.readyWaiter?.reject(new Error(message.message));
          this.readyWaiter = undefined;
        } else {
          this.pending.get(message.id)?.reject(new Error(message.message));
          this.pending.delete(message.id);
        }
        break;
    }
  }

  private fail(error: Error): void {
    this.failed ??= error;
    this.readyWaiter?.reject(error);
    this.readyWaiter = undefined;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}
