/// <reference lib="webworker" />
/**
 * One ensemble member on its own thread (see remoteMember.ts). Same loader, same preprocessing and
 * the same backend as the members that run in the inference worker.
 */
import { AgeMember } from '../age/member';
import { setUpBackend } from '../runtime/backend';
import { sameOriginOnly } from '../runtime/offlineFetch';
import { withSavedEnsembles } from '../store/savedFetch';
import type { MemberWorkerMessage, MemberWorkerRequest } from './memberProtocol';

declare const self: DedicatedWorkerGlobalScope;

self.fetch = sameOriginOnly(self.fetch.bind(self), self.location.origin);

let member: AgeMember | undefined;

function post(message: MemberWorkerMessage, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

async function handle(request: MemberWorkerRequest): Promise<void> {
  if (request.type === 'init') {
    await setUpBackend(request.backend, undefined);
    member = await AgeMember.create(request.memberUrl, {
      fetchFunc: withSavedEnsembles((input, init) => self.fetch(input, init)),
      onProgress: (fraction) => post({ type: 'progress', fraction }),
    });
    post({ type: 'ready', manifest: member.manifest });
    return;
  }
  if (!member) throw new Error('the member is not loaded');
  const distributions = await member.estimate(request.crops);
  post({ type: 'estimated', id: request.id, distributions }, distributions.map((d) => d.buffer as ArrayBuffer));
}

// One request at a time, in arrival order.
let queue: Promise<void> = Promise.resolve();
self.onmessage = (event: MessageEvent<MemberWorkerRequest>) => {
  const request = event.data;
  queue = queue.then(() =>
    handle(request).catch((error: unknown) => {
      post({ type: 'error', id: request.type === 'estimate' ? request.id : undefined, message: error instanceof Error ? error.message : String(error) });
    }),
  );
};
