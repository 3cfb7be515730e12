/**
 * Messages between the inference worker and a member worker: a second copy of the inference
 * worker's script (same bundle, so nothing more to download) that runs one ensemble member on its
 * own thread, so that members compute side by side on a multi-core CPU (see remoteMember.ts).
 */
import type { MemberManifest } from '../age/manifest';
import type { BackendName } from '../runtime/backendChoice';

export type MemberWorkerRequest =
  | { type: 'member-init'; memberUrl: string; backend: BackendName }
  | { type: 'member-estimate'; id: number; crops: Float32Array[] };

export type MemberWorkerMessage =
  | { type: 'member-progress'; fraction: number }
  | { type: 'member-ready'; manifest: MemberManifest }
  | { type: 'member-estimated'; id: number; distributions: Float32Array[] }
  | { type: 'member-error'; id?: number; message: string };

export function isMemberRequest(request: { type: string }): request is MemberWorkerRequest {
  return request.type === 'member-init' || request.type === 'member-estimate';
}
