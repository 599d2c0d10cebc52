import type { Digest } from '../domain/digest';
import { personById, type Roster } from '../domain/roster';
import type { Logger } from '../logger';
import type { ConversationRefStore, UnreachableReason } from '../storage/conversationRefs';

/**
 * Why each person in the digest's "not reachable" list is unreachable, when the bot recorded it
 * during the time their messages have waited (a reason from before `since` is from an earlier time
 * they could not be reached, and says nothing now). A store failure leaves the reasons out.
 */
export async function unreachableReasons(deps: { refs: ConversationRefStore; logger: Logger }, roster: Roster, digest: Pick<Digest, 'unreachable'>): Promise<Map<string, UnreachableReason>> {
  const reasons = new Map<string, UnreachableReason>();
  try {
    for (const { personId, since } of digest.unreachable) {
      const aad = personById(roster, personId)?.aadObjectId;
      const recorded = aad ? await deps.refs.unreachableReason(aad) : undefined;
      if (recorded && recorded.at >= since) reasons.set(personId, recorded.reason);
    }
  } catch (err) {
    deps.logger.warn({ err: { type: (err as Error)?.name } }, 'reasons for unreachable people not read; the digest lists them without');
  }
  return reasons;
}
