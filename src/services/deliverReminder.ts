import { buildDigest, digestCodes, type Digest } from '../domain/digest';
import type { MeetingStore, Notification, PlanStore, UnreachableStore } from '../domain/ports';
import { nextReview } from '../domain/plan';
import type { DueItem } from '../domain/reminders';
import { hasRole, personById } from '../domain/roster';
import { stockholmDate } from '../domain/time';
import type { ServiceDeps } from './deps';

export interface DeliveryDeps extends ServiceDeps {
  plans: PlanStore;
  meetings: MeetingStore;
  unreachable: UnreachableStore;
}

export type DeliveryResult = 'sent' | 'unreachable' | 'skipped';

/** The team's digest as of now (on demand or at 07:30). */
export async function teamDigest(deps: DeliveryDeps, teamId: string): Promise<Digest> {
  const roster = await deps.roster.get();
  const [cases, meetings, plans, unreachable] = await Promise.all([
    deps.cases.listByTeam(teamId),
    deps.meetings.listByTeam(teamId),
    deps.plans.listByTeam(teamId),
    deps.unreachable.list(teamId),
  ]);
  const socialWorkerIds = roster.people.filter((p) => hasRole(p, 'socialWorker') && p.team === teamId).map((p) => p.id);
  return buildDigest({ teamId, now: deps.clock.now(), cases, meetings, plans, unreachable, socialWorkerIds });
}

/**
 * Sends one due reminder after checking it still applies (a review already recorded, a meeting
 * moved, a consent renewed: skipped). Recurring items schedule their successor.
 */
export async function deliverReminder(deps: DeliveryDeps, item: DueItem): Promise<DeliveryResult> {
  const roster = await deps.roster.get();
  if (!personById(roster, item.recipientId)) return 'skipped';
  const notification = await notificationFor(deps, item);
  if (!notification) return 'skipped';
  const result = await deps.notifier.notify(item.recipientId, notification);
  const at = deps.clock.now().toISOString();
  if (result === 'unreachable') await deps.unreachable.record(item.teamId, item.recipientId, at, item.kind);
  else await deps.unreachable.clear(item.teamId, item.recipientId);
  return result;
}

async function notificationFor(deps: DeliveryDeps, item: DueItem): Promise<Notification | undefined> {
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
