import { buildDigest, digestCodes, type Digest } from '../domain/digest';
import type { MeetingStore, Notification, Notifier, OutboxLocation, OutboxStore, PlanStore } from '../domain/ports';
import { nextReview } from '../domain/plan';
import type { DueItem } from '../domain/reminders';
import { hasRole, personById } from '../domain/roster';
import { stockholmDate } from '../domain/time';
import type { ServiceDeps } from './deps';
import type { ReminderScheduler } from './reminderScheduler';

export interface DeliveryDeps extends ServiceDeps {
  plans: PlanStore;
  meetings: MeetingStore;
  notifier: Notifier;
  reminders: ReminderScheduler;
  /** Holds reminders for people the bot cannot reach yet; lists them for the digest. */
  outbox: OutboxStore;
  /** Where a team's held notifications can be (its partition, and the roster's for roster changes). */
  outboxLocationsOf(teamId: string): OutboxLocation[];
  /** Delivers what is held for a person (the dispatcher's release). */
  releaseHeld(personId: string): void;
}

export type DeliveryResult = 'sent' | 'unreachable' | 'skipped';

/** The team's digest as of now (on demand or at 07:30). */
export async function teamDigest(deps: DeliveryDeps, teamId: string): Promise<Digest> {
  const roster = await deps.roster.get();
  const [cases, meetings, plans, unreachable] = await Promise.all([
    deps.cases.listByTeam(teamId),
    deps.meetings.listByTeam(teamId),
    deps.plans.listByTeam(teamId),
    deps.outbox.heldRecipients(deps.outboxLocationsOf(teamId), teamId),
  ]);
  const socialWorkerIds = roster.people.filter((p) => hasRole(p, 'socialWorker') && p.team === teamId).map((p) => p.id);
  return buildDigest({ teamId, now: deps.clock.now(), cases, meetings, plans, unreachable, socialWorkerIds });
}

/**
 * Sends one due reminder after checking it still applies (a review already recorded, a meeting
 * moved, a consent renewed: skipped). Recurring items schedule their successor. A reminder for
 * someone the bot cannot reach is held and delivered (checked again) when they next open the bot;
 * a digest is not (tomorrow's is fresher). `mayRepeat`: an earlier attempt may have arrived.
 */
export async function deliverReminder(deps: DeliveryDeps, item: DueItem, opts: { mayRepeat?: boolean } = {}): Promise<DeliveryResult> {
  const roster = await deps.roster.get();
  if (!personById(roster, item.recipientId)) return 'skipped';
  const notification = await notificationFor(deps, item);
  if (!notification) return 'skipped';
  const attemptedAt = deps.clock.now();
  const result = await deps.notifier.notify(item.recipientId, notification, { at: item.dueAt, mayRepeat: opts.mayRepeat });
  if (result === 'unreachable' && item.kind !== 'digest') {
    await deps.outbox.hold(deps.outboxLocationsOf(item.teamId)[0], `r|${item.key}`, { kind: 'notify', to: item.recipientId, notification, dueItem: item }, attemptedAt);
    // Reached the bot meanwhile (their turn may not have seen the mark yet): release it now.
    if (await deps.notifier.hold(item.recipientId, attemptedAt)) deps.releaseHeld(item.recipientId);
  }
  return result;
}

/** What a due item says now, or undefined when it no longer applies. */
export async function notificationFor(deps: DeliveryDeps, item: DueItem): Promise<Notification | undefined> {
  const base = { teamId: item.teamId, caseCode: item.caseCode };
  switch (item.kind) {
    case 'planReview':
    case 'reviewOverdue': {
      const plan = (await deps.plans.get(item.teamId, item.ref.planId))?.value;
      if (!plan || nextReview(plan)?.date !== item.ref.review) return undefined;
      // A warning that arrives after the review date (downtime) is old news: the escalation covers it.
      if (item.kind === 'planReview' && stockholmDate(deps.clock.now()) > item.ref.review) return undefined;
      return { kind: 'reminder', reminder: item.kind, ...base, details: { date: item.ref.review, days: item.ref.before ?? '' } };
    }
    case 'meetingTomorrow': {
      const meeting = (await deps.meetings.get(item.teamId, item.ref.meetingId))?.value;
      if (!meeting || meeting.status !== 'confirmed' || meeting.start !== item.ref.start) return undefined;
      if (new Date(meeting.start).getTime() <= deps.clock.now().getTime()) return undefined; // missed during downtime: too late to remind
      return { kind: 'reminder', reminder: 'meetingTomorrow', ...base, details: { start: meeting.start, type: meeting.type } };
    }
    case 'consentExpiring': {
      const c = (await deps.cases.get(item.teamId, item.caseCode ?? ''))?.value;
      if (!c || c.status === 'closed' || c.consent?.expires !== item.ref.expires) return undefined;
      return { kind: 'reminder', reminder: 'consentExpiring', ...base, details: { expires: item.ref.expires } };
    }
    case 'inactiveCase': {
      const c = (await deps.cases.get(item.teamId, item.caseCode ?? ''))?.value;
      if (!c || c.status === 'closed') return undefined;
      if (c.lastActivityAt.slice(0, 10) !== item.ref.since) {
        await deps.reminders.onCase(c); // activity since: look again 30 days after it
        return undefined;
      }
      return { kind: 'reminder', reminder: 'inactiveCase', ...base, details: { since: item.ref.since } };
    }
    case 'yearlyReport':
      await deps.reminders.ensureRecurring();
      return { kind: 'reminder', reminder: 'yearlyReport', ...base, details: { year: String(Number(item.ref.year) - 1), due: `${item.ref.year}-03-31` } };
    case 'retention':
      return undefined; // run by the retention job, not sent to anyone
    case 'digest': {
      await deps.reminders.ensureRecurring();
      const digest = await teamDigest(deps, item.teamId);
      const at = deps.clock.now().toISOString();
      await deps.accessLog.recordMany(digestCodes(digest).map((code) => ({ at, actorId: item.recipientId, action: 'list', caseCode: code, allowed: true, via: 'scheduler:digest' })));
      return { kind: 'digest', digest };
    }
  }
}
