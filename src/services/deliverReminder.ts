import { buildDigest, digestCodes, type Digest } from '../domain/digest';
import type { MeetingStore, Notification, Notifier, OutboxLocation, OutboxStore, PlanStore } from '../domain/ports';
import { nextReview } from '../domain/plan';
import type { DueItem } from '../domain/reminders';
import { consentItemApplies } from '../domain/reminders';
import { hasRole, isAway, personById } from '../domain/roster';
import { reportPeriod } from '../domain/report';
import { settingsOf } from '../domain/settings';
import { stockholmDate } from '../domain/time';
import { factsOf } from './concerns';
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
  const socialWorkers = roster.people.filter((p) => hasRole(p, 'socialWorker') && p.team === teamId);
  const today = stockholmDate(deps.clock.now());
  const away = socialWorkers.filter((p) => isAway(p, today)).map((p) => ({ personId: p.id, until: p.absent ? undefined : p.away?.until }));
  return { ...buildDigest({ teamId, now: deps.clock.now(), cases, meetings, plans, unreachable, socialWorkerIds: socialWorkers.map((p) => p.id) }), away };
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
      // The plan changed hands (handläggarbyte): the new owner has their own reminder.
      if (item.kind === 'planReview' && item.recipientId !== plan.ownerId && item.recipientId !== plan.ehtContactId) return undefined;
      // A warning that arrives after the review date (downtime) is old news: the escalation covers it.
      if (item.kind === 'planReview' && stockholmDate(deps.clock.now()) > item.ref.review) return undefined;
      return { kind: 'reminder', reminder: item.kind, ...base, details: { date: item.ref.review, days: item.ref.before ?? '' } };
    }
    case 'meetingTomorrow': {
      const meeting = (await deps.meetings.get(item.teamId, item.ref.meetingId))?.value;
      if (!meeting || meeting.status !== 'confirmed' || meeting.start !== item.ref.start) return undefined;
      if (item.recipientId !== meeting.ehtId && item.recipientId !== meeting.socialWorkerId) return undefined; // no longer a party
      if (new Date(meeting.start).getTime() <= deps.clock.now().getTime()) return undefined; // missed during downtime: too late to remind
      return { kind: 'reminder', reminder: 'meetingTomorrow', ...base, details: { start: meeting.start, type: meeting.type } };
    }
    case 'consentExpiring':
    case 'consentExpired': {
      // Renewed (another expiry), withdrawn, closed, or not yet expired: nothing to say. Only to someone still on either side.
      const c = (await deps.cases.get(item.teamId, item.caseCode ?? ''))?.value;
      if (!c || !consentItemApplies(c, item.kind, item.ref.expires, stockholmDate(deps.clock.now()))) return undefined;
      if (![c.raisedBy, c.assignedTo, c.consent?.recordedBy].includes(item.recipientId)) return undefined;
      return { kind: 'reminder', reminder: item.kind, ...base, details: { expires: item.ref.expires } };
    }
    case 'intensiveEnding': {
      const c = (await deps.cases.get(item.teamId, item.caseCode ?? ''))?.value;
      if (!c || c.status === 'closed' || c.insats?.intensiveUntil !== item.ref.until || c.assignedTo !== item.recipientId) return undefined;
      if (stockholmDate(deps.clock.now()) > item.ref.until) return undefined; // over already (downtime): the worklist says what is next
      return { kind: 'reminder', reminder: 'intensiveEnding', ...base, details: { date: item.ref.until } };
    }
    case 'unclaimedConcern': {
      // Taken, or given to someone else meanwhile (then a new escalation counts from then): nothing to escalate.
      const c = (await deps.cases.get(item.teamId, item.caseCode ?? ''))?.value;
      if (!c || c.status !== 'new' || (c.assignedAt ?? c.createdAt) !== item.ref.since) return undefined;
      // The card shows the case's facts to the group leader: a read of it, logged (as the digest's are).
      await deps.accessLog.record({ at: deps.clock.now().toISOString(), actorId: item.recipientId, action: 'list', caseCode: c.code, schoolId: c.schoolId, allowed: true, via: 'scheduler:escalation' }, `r|${item.key}`);
      return { kind: 'escalation', case: factsOf(c, stockholmDate(deps.clock.now())), since: item.ref.since, assigneeId: c.assignedTo };
    }
    case 'inactiveCase': {
      const c = (await deps.cases.get(item.teamId, item.caseCode ?? ''))?.value;
      if (!c || c.status === 'closed') return undefined;
      if (c.assignedTo !== item.recipientId) return undefined; // handed over: the new social worker has their own
      if (c.lastActivityAt.slice(0, 10) !== item.ref.since) {
        await deps.reminders.onCase(c); // activity since: look again 30 days after it
        return undefined;
      }
      return { kind: 'reminder', reminder: 'inactiveCase', ...base, details: { since: item.ref.since } };
    }
    case 'yearlyReport': {
      await deps.reminders.ensureRecurring();
      // The period whose deadline falls in the item's year (the calendar year before it, with Linköping's settings).
      const { report } = settingsOf((await deps.roster.get()).municipality);
      const year = Number(item.ref.year);
      const periodYear = [year - 1, year - 2].find((y) => reportPeriod(y, report).deadline.startsWith(`${year}-`)) ?? year - 1;
      const period = reportPeriod(periodYear, report);
      return { kind: 'reminder', reminder: 'yearlyReport', ...base, details: { year: report.periodStart === '01-01' ? String(periodYear) : `${periodYear}/${String((periodYear + 1) % 100).padStart(2, '0')}`, due: period.deadline } };
    }
    case 'retention':
      return undefined; // run by the retention job, not sent to anyone
    case 'digest': {
      await deps.reminders.ensureRecurring();
      // The team's load, caseload per social worker included, is for its group leader only: an item
      // scheduled for someone who no longer leads the team (the roster changed since) sends nothing.
      const team = (await deps.roster.get()).teams.find((t) => t.id === item.teamId);
      if (team?.groupLeader !== item.recipientId) return undefined;
      const digest = await teamDigest(deps, item.teamId);
      const at = deps.clock.now().toISOString();
      await deps.accessLog.recordMany(digestCodes(digest).map((code) => ({ at, actorId: item.recipientId, action: 'list', caseCode: code, allowed: true, via: 'scheduler:digest' })));
      return { kind: 'digest', digest };
    }
  }
}
