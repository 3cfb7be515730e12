/// <reference lib="webworker" />
/**
 * A member worker: one ensemble member on the wasm backend (memberHost.ts), started by the page
 * (client.ts) and driven by the inference worker over a MessagePort (remoteMember.ts). Its own
 * small entry point (tfjs core, layers, graph models and the wasm backend; no MediaPipe, no other
 * backend), so it is up sooner on a cold page.
 */
import { sameOriginOnly } from '../runtime/offlineFetch';
import { MemberHost } from './memberHost';
import type { MemberPortMessage, MemberWorkerMessage, MemberWorkerRequest } from './memberProtocol';

declare const self: DedicatedWorkerGlobalScope;

// Everything the app needs is self-hosted.
self.fetch = sameOriginOnly(self.fetch.bind(self), self.location.origin);

self.onmessage = (event: MessageEvent<MemberPortMessage>) => {
  if (event.data?.type !== 'member-port') return;
  const { port } = event.data;
  const host = new MemberHost(
    (message: MemberWorkerMessage, transfer: Transferable[] = []) => port.postMessage(message, transfer),
    () => {
      port.close();
      self.close();
    },
  );
  port.onmessage = (e: MessageEvent<MemberWorkerRequest>) => host.handle(e.data);
};
