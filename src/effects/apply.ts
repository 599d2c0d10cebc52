import type { Effect } from '../domain/effects';
import type { AccessLog, Calendar, DueItemStore, MeetingCards, MeetingStore, Notification, Notifier, RosterStore, StoredEffect } from '../domain/ports';
import type { DueItem } from '../domain/reminders';
import { personById } from '../domain/roster';
import { ConcurrencyError } from '../domain/errors';
import { PermanentEffectError, type Applied } from './dispatcher';

export interface ApplyDeps {
  accessLog: AccessLog;
  dueItems: DueItemStore;
  notifier: Notifier;
  meetingCards: MeetingCards;
  calendar: Calendar;
  meetings: MeetingStore;
  roster: RosterStore;
  /** What a held reminder says now, or undefined when it no longer applies (review done, meeting moved). */
  recheck(item: DueItem): Promise<Notification | undefined>;
}

/**
 * How each kind of effect is applied. Every one is idempotent by its key or by what it writes
 * (access-log rows and due items by deterministic keys, calendar events by a transaction id, cards
 * updated in place), except a new card to a person: that one is repeated only after a crash
 * mid-send, and then says it may be a repeat.
 */
export function effectApplier(deps: ApplyDeps): (row: StoredEffect) => Promise<Applied> {
  return async (row) => {
    const e: Effect = row.effect;
    switch (e.kind) {
      case 'logAccess':
        await deps.accessLog.record(e.entry, row.key);
        return { outcome: 'done' };
      case 'schedule':
        await deps.dueItems.schedule(e.items);
        return { outcome: 'done' };
      case 'notify': {
        if (!personById(await deps.roster.get(), e.to)) return { outcome: 'done' }; // left the roster meanwhile
        const notification = e.dueItem ? await deps.recheck(e.dueItem) : e.notification;
        if (!notification) return { outcome: 'done' }; // a held reminder that no longer applies
        const sent = await deps.notifier.notify(e.to, notification, { at: row.at, mayRepeat: row.mayRepeat });
        if (sent === 'sent') {
          return { outcome: 'delivered', followUps: e.receipt ? [{ kind: 'updateCard', to: e.receipt.personId, activityId: e.receipt.activityId, receipt: { ...e.receipt, outcome: 'delivered' } }] : [] };
        }
        // Held for them (the dispatcher marks them); the actor learns once that the card waits.
        return { outcome: 'held', followUps: e.receipt && row.attempts === 1 ? [{ kind: 'updateCard', to: e.receipt.personId, activityId: e.receipt.activityId, receipt: { ...e.receipt, outcome: 'held' } }] : [] };
      }
      case 'meetingCard': {
        const shown = await deps.meetingCards.show(e.to, e.teamId, e.meetingId, { note: e.note, activityId: e.activityId, updateOnly: e.updateOnly });
        return { outcome: shown === 'sent' ? 'done' : 'held' };
      }
      case 'updateCard':
        // A receipt that cannot be shown is not worth holding: the case view shows the delivery state.
        await deps.notifier.updateReceipt(e.to, e.activityId, e.receipt);
        return { outcome: 'done' };
      case 'calendar':
        return applyCalendar(deps, e);
    }
  };
}

async function applyCalendar(deps: ApplyDeps, e: Extract<Effect, { kind: 'calendar' }>): Promise<Applied> {
  const m = e.meeting;
  const roster = await deps.roster.get();
  const eht = personById(roster, m.ehtId);
  const socialWorker = personById(roster, m.socialWorkerId);
  if (!eht || !socialWorker) throw new PermanentEffectError(`Meeting ${m.id}: a party is no longer in the roster`);
  if (e.op === 'remove') {
    // The event may have been created after this snapshot was taken: take its id from the stored meeting.
    const stored = (await deps.meetings.get(m.teamId, m.id))?.value;
    await deps.calendar.cancelled({ ...m, externalEventId: m.externalEventId ?? stored?.externalEventId }, { eht, socialWorker });
    return { outcome: 'done' };
  }
  const event = await deps.calendar.confirmed(m, { eht, socialWorker });
  if (!event.joinUrl && !event.externalEventId) return { outcome: 'done' };
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await deps.meetings.get(m.teamId, m.id);
    if (!current || current.value.status !== 'confirmed' || current.value.start !== m.start) {
      // Moved or cancelled before the event existed: remove it again.
      await deps.calendar.cancelled({ ...m, ...event }, { eht, socialWorker });
      return { outcome: 'done' };
    }
    try {
      await deps.meetings.update({ ...current.value, ...event }, current.etag, []);
      // Both cards get the Teams link.
      return {
        outcome: 'done',
        followUps: [m.ehtId, m.socialWorkerId].map((to) => ({ kind: 'meetingCard', to, teamId: m.teamId, caseCode: m.caseCode, meetingId: m.id })),
      };
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err;
    }
  }
  throw new Error(`Meeting ${m.id} kept changing; the calendar link is stored on the next attempt`);
}
