/**
 * The member-worker side of remoteMember.ts: loads one member on the wasm backend and answers
 * estimate requests, one at a time. Same loader and preprocessing as members that run in the
 * inference worker.
 */
import { AgeMember } from '../age/member';
import { activateBackend } from '../runtime/wasmBackend';
import { withSavedEnsembles } from '../store/savedFetch';
import { unpackCrops, type MemberWorkerMessage, type MemberWorkerRequest } from './memberProtocol';

type Post = (message: MemberWorkerMessage, transfer?: Transferable[]) => void;

export class MemberHost {
  private member?: AgeMember;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly post: Post,
    private readonly closeWorker: () => void,
  ) {}

  /** Requests are handled in arrival order. */
  handle(request: MemberWorkerRequest): void {
    this.queue = this.queue.then(() => this.run(request));
  }

  private async run(request: MemberWorkerRequest): Promise<void> {
    try {
      if (request.type === 'member-load') await this.load(request.memberUrl);
      else if (request.type === 'member-estimate') {
        if (!this.member) throw new Error('the member is not loaded');
        const distributions = await this.member.estimate(unpackCrops(request.pixels, request.count));
        this.post({ type: 'member-estimated', id: request.id, distributions }, distributions.map((d) => d.buffer as ArrayBuffer));
      } else {
        this.member?.close();
        this.member = undefined;
        this.closeWorker();
      }
    } catch (error) {
      this.post({ type: 'member-error', id: request.type === 'member-estimate' ? request.id : undefined, message: error instanceof Error ? error.message : String(error) });
    }
  }

  private async load(memberUrl: string): Promise<void> {
    await activateBackend('wasm');
    const member = await AgeMember.create(memberUrl, {
      fetchFunc: withSavedEnsembles((input, init) => self.fetch(input, init)),
      onProgress: (fraction) => this.post({ type: 'member-progress', fraction }),
      // Warm right after loading, while the inference worker is still loading the landmarker.
      warmUp: true,
    });
    this.member?.close();
    this.member = member;
    this.post({ type: 'member-ready', manifest: member.manifest });
  }
}
