import type { Meeting } from './meeting';
import type { AccessLogEntry, MeetingNoteKind, Notification } from './ports';
import type { DueItem } from './reminders';

/**
 * How long an instance holds effects it claimed, or wrote itself: rows a commit (or a finished
 * effect) writes are the writing instance's to apply for this long without a claim of their own
 * (the sweep takes them only after it), which saves a round trip on every action. Long enough for
 * the connector client's own Retry-After waits.
 */
export const EFFECT_LEASE_MS = 10 * 60_000;

/**
 * What an action implies beyond its own change. Each effect is stored as a pending row beside the
 * change, in the same partition transaction (the transactional outbox), and applied afterwards by
 * the dispatcher: right after the turn, or by the scheduler's sweep after a crash or a store failure.
 */
export type Effect =
  /** The access-log entry of the change (the log lives in another table, so it is owed, not written, by the change). */
  | { kind: 'logAccess'; entry: AccessLogEntry }
  /** Reminders to store (deterministic keys: scheduling twice stores them once). */
  | { kind: 'schedule'; items: DueItem[] }
  /**
   * A card to a person. `receipt` is the actor's own card, updated in place once this one is delivered
   * or held. `dueItem`: a held reminder, checked again for relevance when it is finally delivered.
   */
  | { kind: 'notify'; to: string; notification: Notification; receipt?: Receipt; dueItem?: DueItem }
  /**
   * A meeting's card for one party, drawn from the meeting as it is when applied. With `activityId`
   * (the actor's own card, already showing the result) only that message is remembered, so later
   * changes update it in place; nothing is sent.
   */
  | { kind: 'meetingCard'; to: string; teamId: string; caseCode: string; meetingId: string; note?: { kind: MeetingNoteKind; by: string }; activityId?: string; updateOnly?: boolean }
  /** The meeting's calendar event (Outlook, when the Graph calendar is configured): created for `meeting` or removed. */
  | { kind: 'calendar'; op: 'create' | 'remove'; meeting: Meeting }
  /** Replaces one of the bot's messages in a person's chat (a receipt that can now say more). */
  | { kind: 'updateCard'; to: string; activityId: string; receipt: Receipt & { outcome: 'delivered' | 'held' } };

export type EffectKind = Effect['kind'];

/**
 * The actor's own card after an action, so the dispatcher can tell them how a notification went:
 * "Sara har fått kortet" once it was delivered, "… så snart boten når henne" when it is held.
 */
export interface Receipt {
  /** The actor (roster id) whose card is updated. */
  personId: string;
  /** The message holding the actor's card (the card action's replyToId). */
  activityId: string;
  locale?: string;
  card: ReceiptCard;
}

export type ReceiptCard = { kind: 'concernReceived'; code: string; contactId: string; anonymous: boolean };

/** Where a delivered, held or failed notification stands (shown on the case to those who may see it). */
export type DeliveryState = 'pending' | 'delivered' | 'held' | 'failed';

/** One notification of a case and how it went. */
export interface Delivery {
  key: string;
  to: string;
  kind: Notification['kind'] | 'meetingCard';
  at: string;
  state: DeliveryState;
  deliveredAt?: string;
}

/**
 * The identity of one action: the same submission (a retry, a double click, Teams redelivering
 * the activity) gives the same id, so it is applied once and answered with the result of the first.
 */
export interface ActionRef {
  id: string;
  /** The actor's card message (the card action's replyToId), for receipts and meeting cards. */
  activityId?: string;
  /** The language the actor's card was drawn in. */
  locale?: string;
}

/** What the first application of an action left, for answering a repeat of it. */
export type ActionResult = Record<string, string>;

/** The key of the n-th effect of an action: deterministic, so applying it twice is a no-op. */
export function effectKey(actionId: string, index: number, e: Effect): string {
  const target = 'to' in e ? e.to : e.kind === 'calendar' ? e.meeting.id : '';
  return `${actionId}|${String(index).padStart(2, '0')}|${e.kind}${target ? `|${target}` : ''}`;
}

/** Who an effect is for, if anyone (held notifications are found by it). */
export function recipientOf(e: Effect): string | undefined {
  return 'to' in e ? e.to : undefined;
}

/** The case an effect concerns, if any (purged with the case, shown on its delivery list). */
export function caseOf(e: Effect): string | undefined {
  switch (e.kind) {
    case 'logAccess':
      return e.entry.caseCode;
    case 'schedule':
      return e.items.find((i) => i.caseCode)?.caseCode;
    case 'notify':
      return 'caseCode' in e.notification ? e.notification.caseCode : e.notification.kind === 'caseAssigned' || e.notification.kind === 'escalation' ? e.notification.case.code : undefined;
    case 'meetingCard':
      return e.caseCode;
    case 'calendar':
      return e.meeting.caseCode;
    case 'updateCard':
      return e.receipt.card.code;
  }
}
