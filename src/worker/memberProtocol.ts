/**
 * Messages between the inference worker and a member worker (member.worker.ts), which runs one
 * ensemble member on its own thread so that members compute side by side on a multi-core CPU.
 */
import type { MemberManifest } from '../age/manifest';
import type { BackendName } from '../runtime/backendChoice';

export type MemberWorkerRequest =
  | { type: 'init'; memberUrl: string; backend: BackendName }
  | { type: 'estimate'; id: number; crops: Float32Array[] };

export type MemberWorkerMessage =
  | { type: 'progress'; fraction: number }
  | { type: 'ready'; manifest: MemberManifest }
  | { type: 'estimated'; id: number; distributions: Float32Array[] }
  | { type: 'error'; id?: number; message: string };
