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
  | { type: 'member-estimate'; id: number; crops: Float32Array[] }
  /** Not needed (a GPU backend was chosen, or fewer members than workers): the worker closes itself. */
  | { type: 'member-close' };

export type MemberWorkerMessage =
  | { type: 'member-progress'; fraction: number }
  /** The member is loaded and has run once (warm). */
  | { type: 'member-ready'; manifest: MemberManifest }
  | { type: 'member-estimated'; id: number; distributions: Float32Array[] }
  | { type: 'member-error'; id?: number; message: string };
