/**
 * The member-worker side of remoteMember.ts: loads one member and answers estimate requests. Same
 * loader, preprocessing and backend as members that run in the inference worker itself.
 */
import { AgeMember } from '../age/member';
import { setUpBackend } from '../runtime/backend';
import { withSavedEnsembles } from '../store/savedFetch';
import type { MemberWorkerMessage, MemberWorkerRequest } from './memberProtocol';

let member: AgeMember | undefined;

export async function handleMemberRequest(request: MemberWorkerRequest, post: (message: MemberWorkerMessage, transfer?: Transferable[]) => void): Promise<void> {
  try {
    if (request.type === 'member-init') {
      await setUpBackend(request.backend, undefined);
      member = await AgeMember.create(request.memberUrl, {
        fetchFunc: withSavedEnsembles((input, init) => self.fetch(input, init)),
        onProgress: (fraction) => post({ type: 'member-progress', fraction }),
      });
      post({ type: 'member-ready', manifest: member.manifest });
      return;
    }
    if (!member) throw new Error('the member is not loaded');
    const distributions = await member.estimate(request.crops);
    post({ type: 'member-estimated', id: request.id, distributions }, distributions.map((d) => d.buffer as ArrayBuffer));
  } catch (error) {
    post({ type: 'member-error', id: request.type === 'member-estimate' ? request.id : undefined, message: error instanceof Error ? error.message : String(error) });
  }
}
