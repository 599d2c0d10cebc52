import { cardMessage } from './cardMessage';
import { reach, sendWithin, type NotifierDeps } from './notifier';
import type { SendLimits } from './sendLimits';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import { z } from 'zod';
import { partyOf, type Meeting, type Party } from '../domain/meeting';
import type { MeetingCards, MeetingNoteKind, MeetingStore, RosterStore } from '../domain/ports';
import { personById, schoolById, type Roster } from '../domain/roster';
import type { Logger } from '../logger';
import type { ConversationRefStore } from '../storage/conversationRefs';
import { isNotFound, statusOf } from '../storage/tableErrors';
import type { TableStore } from '../storage/tables';
import { meetingCard, type MeetingCardModel, type OpenMeetingForm } from './cards/meetingCards';
import type { Translate } from './i18n';

export const CARD_MESSAGES_TABLE = 'cardMessages';
const messageSchema = z.object({ activityId: z.string(), conversationId: z.string() });

export interface MeetingViewDeps {
  roster: RosterStore;
  refs: ConversationRefStore;
  /** Local mode only (BOT_LOCALE): stands in for the client's locale, for proactive cards too. */
  localeOverride?: string;
  /**
   * Free times for a counter-proposal or move (for the party whose turn it is). `answering`: for the
   * answer to a card action, so Outlook gets only its time budget (see busyWithin).
   */
  suggestFor(m: Meeting, opts?: { answering?: boolean }): Promise<{ slots: Date[]; outlookUnchecked: boolean }>;
  /** Public base URL of the bot (for the .ics link), if it has one; known once the server listens. */
  publicUrl(): string | undefined;
}

export function icsUrl(publicUrl: string | undefined, m: Meeting): string | undefined {
  return publicUrl && m.status === 'confirmed' ? `${publicUrl}/api/meetings/${encodeURIComponent(m.teamId)}/${m.id}/${m.icsToken}.ics` : undefined;
}

/**
 * Builds the card one party sees (used for the invoke response and the proactive copies alike).
 * `answering`: the card answers a card action (free times within the time budget); `outlookUnchecked`:
 * the action itself could not check Outlook, and the card says so.
 */
export async function meetingCardFor(
  deps: MeetingViewDeps,
  m: Meeting,
  viewer: Party,
  t: Translate,
  extra: { note?: { kind: MeetingNoteKind; by: string }; notice?: string; roster?: Roster; answering?: boolean; outlookUnchecked?: boolean; openForm?: OpenMeetingForm } = {},
) {
  const roster = extra.roster ?? (await deps.roster.get());
  const nameOf = (id: string) => personById(roster, id)?.name ?? id;
  const userIds: string[] = [];
  for (const id of [m.ehtId, m.socialWorkerId]) {
    const aad = personById(roster, id)?.aadObjectId;
    const ref = aad ? await deps.refs.get(aad) : undefined;
    if (ref?.user?.id) userIds.push(ref.user.id);
  }
  const needsTimes = (m.status === 'proposed' && m.awaiting === viewer) || m.status === 'confirmed';
  const free = needsTimes ? await deps.suggestFor(m, { answering: extra.answering }) : { slots: [], outlookUnchecked: false };
  const model: MeetingCardModel = {
    meeting: m,
    viewer,
    ehtName: nameOf(m.ehtId),
    socialWorkerName: nameOf(m.socialWorkerId),
    schoolName: schoolById(roster, m.schoolId)?.name ?? m.schoolId,
    suggestions: free.slots,
    outlookUnchecked: extra.outlookUnchecked === true || free.outlookUnchecked,
    refreshUserIds: userIds,
    icsUrl: icsUrl(deps.publicUrl(), m),
    note: extra.note ? { kind: extra.note.kind, byName: nameOf(extra.note.by) } : undefined,
    notice: extra.notice,
    openForm: extra.openForm,
  };
  return meetingCard(model, t);
}

/**
 * Keeps one card per party per meeting: the first one is sent (or is the party's own card, already
 * showing it), later ones update that same message in place, so neither party is left with stale buttons.
 */
export function teamsMeetingCards(
  deps: MeetingViewDeps & Pick<NotifierDeps, 'clock' | 'sleep' | 'random' | 'createChat' | 'edits'> & { adapter: TeamsAdapter; botAppId: string; store: TableStore; logger: Logger; meetings: MeetingStore; limits?: SendLimits },
): MeetingCards {
  const table = () => deps.store.ensureTable(CARD_MESSAGES_TABLE);
  const remember = async (meetingId: string, personId: string, activityId: string, conversationId: string) =>
    (await table()).upsertEntity({ partitionKey: `meeting|${meetingId}`, rowKey: personId, activityId, conversationId }, 'Replace');
  return {
    async show(personId, teamId, meetingId, opts = {}) {
      const m = (await deps.meetings.get(teamId, meetingId))?.value;
      const party = m && partyOf(m, personId);
      if (!m || !party) return 'sent'; // nothing to show (the meeting is gone with its case)
      const to = (await reach(deps, personId)) ?? (opts.activityId ? undefined : await deps.createChat?.(personId));
      if (!to) {
        deps.logger.info({ personId, meetingId }, 'meeting card held: recipient has no conversation with the bot yet');
        return 'unreachable';
      }
      if (opts.activityId) {
        await remember(m.id, personId, opts.activityId, to.ref.conversation?.id ?? '');
        return 'sent';
      }
      const client = await table();
      let stored: z.infer<typeof messageSchema> | undefined;
      try {
        stored = messageSchema.parse(await client.getEntity(`meeting|${m.id}`, personId));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      const copy = stored && stored.conversationId === (to.ref.conversation?.id ?? '') ? stored : undefined;
      // The person acted from another card (which shows the result): only a copy they have in this chat is brought up to date.
      if (opts.updateOnly && !copy) return 'sent';
      const card = await meetingCardFor(deps, m, party, to.t, { note: opts.note, roster: to.roster });
      const activity = cardMessage(card, to.t.lang);
      let sentId: string | undefined;
      const outcome = await sendWithin(deps, to, 'meetingCard', async (context) => {
        if (copy) {
          deps.edits?.next(copy.conversationId, copy.activityId);
          try {
            await context.updateActivity({ ...activity, id: copy.activityId });
            return;
          } catch (err) {
            if (statusOf(err) !== 404) throw err; // the message was deleted: send a new one (not to someone who acted elsewhere)
            if (opts.updateOnly) return;
          }
        }
        sentId = (await context.sendActivity(activity))?.id;
      });
      // Remembered after the send, outside it: a store failure here is not a failed send (nothing is sent twice for it).
      if (sentId) await remember(m.id, personId, sentId, to.ref.conversation?.id ?? '');
      return outcome;
    },
  };
}
