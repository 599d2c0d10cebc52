import { type Case, type CaseEvent, type Consent, type Insats } from '../domain/concern';
import { recordConsent, withdrawConsent } from '../domain/consent';
import type { ActionRef, Effect } from '../domain/effects';
import { DomainError } from '../domain/errors';
import { recordInsats } from '../domain/insats';
import { FAMILY_MEETING_TYPES, cancel, isOpen, type Meeting } from '../domain/meeting';
import type { Plan } from '../domain/plan';
import type { MeetingStore, PlanStore, Versioned } from '../domain/ports';
import { consentReminders, escalationItem, inactivityReminder, intensiveReminders, meetingReminders, planReminders } from '../domain/reminders';
import { ehtMembersOf, hasRole, isAway, personById, schoolStaffOf, teamById, type Person } from '../domain/roster';
import { settingsOf } from '../domain/settings';
import { parseCalendarDate, stockholmDate } from '../domain/time';
import { plusDays } from '../domain/workdays';
import { activation, changeCase, factsOf, type ChangeOutcome } from './concerns';
import type { ServiceDeps } from './deps';

/** The most school-side team members a case takes part with. */
export const MAX_STAFF = 5;
/** An orosanmälan recorded as made may be dated at most this far back. */
export const REPORT_MADE_BACK_DAYS = 365;

export interface CaseWorkDeps extends ServiceDeps {
  meetings: MeetingStore;
  plans: PlanStore;
}

const uniq = (ids: string[]) => [...new Set(ids)];

/**
 * Records the guardians' consent on a case (which guardians and how, scope, expiry, the child's view):
 * on an anonymous consultation it becomes a request with the same code and history; on a request it is
 * renewed (after expiry or withdrawal, or before it runs out). The other side is told; the consent
 * reminders follow the new expiry. A school reference is kept only when the school's EHT gives it.
 */
export async function recordConsentOn(
  deps: CaseWorkDeps,
  actor: Person,
  code: string,
  input: { consent: Omit<Consent, 'recordedBy' | 'recordedAt'>; schoolRef?: string },
  action: ActionRef,
): Promise<ChangeOutcome & { converted: boolean }> {
  const outcome = await changeCase(deps, actor, code, 'recordConsent', 'card:consent.record', action, (c, now, as) => {
    const { case: next, converted } = recordConsent(c, input.consent, actor.id, now, as === 'eht' ? input.schoolRef : undefined);
    const at = now.toISOString();
    const change = converted ? 'converted' : 'renewed';
    // The other side learns of it: the school's when the team recorded it, the social worker when the school did.
    const told = uniq(as === 'eht' ? [c.assignedTo] : [c.raisedBy]).filter((id) => id !== actor.id);
    return {
      case: next,
      events: [{ caseCode: code, at, kind: converted ? 'converted' : c.consent ? 'consentRenewed' : 'consentRecorded', by: actor.id, ref: next.consent!.expires }],
      effects: [
        { kind: 'schedule', items: consentReminders(next, now, deps.isHoliday) },
        ...told.map((to): Effect => ({ kind: 'notify', to, notification: { kind: 'consentChanged', caseCode: code, teamId: c.teamId, by: actor.id, change, expires: next.consent!.expires } })),
      ],
      result: { converted: converted ? 'yes' : 'no' },
    };
  });
  return { ...outcome, converted: outcome.result.converted === 'yes' };
}

/**
 * The guardians withdraw their consent: from now the school's reference is hidden, no new meeting
 * with the family or plan can be made, and the meetings with the family not yet held are cancelled
 * (their other party told); both sides are told. Renewing it is a new consent (recordConsentOn).
 */
export async function withdrawConsentOn(deps: CaseWorkDeps, actor: Person, code: string, action: ActionRef): Promise<ChangeOutcome & { meetingsCancelled: number }> {
  let meetingsCancelled = 0;
  const outcome = await changeCase(deps, actor, code, 'withdrawConsent', 'card:consent.withdraw', action, async (c, now) => {
    const next = withdrawConsent(c, actor.id, now);
    const at = now.toISOString();
    const stored = await Promise.all((await deps.meetings.listByCase(c.teamId, code)).map((m) => deps.meetings.get(c.teamId, m.id)));
    const family = stored.filter((x): x is Versioned<Meeting> => x !== undefined && isOpen(x.value, now) && (FAMILY_MEETING_TYPES.includes(x.value.type) || x.value.guardiansAttending));
    const cancelled = family.map((x) => ({ value: cancel(x.value, actor.id, now), etag: x.etag, was: x.value }));
    meetingsCancelled = cancelled.length;
    const told = uniq([c.raisedBy, c.consent?.recordedBy ?? c.raisedBy, c.assignedTo]).filter((id) => id !== actor.id);
    return {
      case: next,
      meetings: cancelled.map(({ value, etag }) => ({ value, etag })),
      events: [
        { caseCode: code, at, kind: 'consentWithdrawn', by: actor.id },
        ...cancelled.map(({ value: m }): CaseEvent => ({ caseCode: code, at, kind: 'meetingCancelled', by: actor.id, ref: m.id })),
      ],
      effects: [
        ...told.map((to): Effect => ({ kind: 'notify', to, notification: { kind: 'consentChanged', caseCode: code, teamId: c.teamId, by: actor.id, change: 'withdrawn' } })),
        ...cancelled.flatMap(({ value: m, was }): Effect[] => [
          ...(was.status === 'confirmed' ? [{ kind: 'calendar' as const, op: 'remove' as const, meeting: was }] : []),
          ...[m.ehtId, m.socialWorkerId].map((to): Effect => ({ kind: 'meetingCard', to, teamId: m.teamId, caseCode: m.caseCode, meetingId: m.id, note: { kind: 'consentWithdrawn', by: actor.id }, ...(to === actor.id ? { updateOnly: true } : {}) })),
        ]),
      ],
      result: { meetingsCancelled: String(cancelled.length) },
    };
  });
  return { ...outcome, meetingsCancelled: Number(outcome.result.meetingsCancelled ?? meetingsCancelled) };
}

/**
 * Handläggarbyte, or assigning a concern nobody took: the team's group leader gives an open case to
 * another social worker of the team (not one away today). Its open meetings and active plans go with
 * it (the meetings' cards and calendar follow; the plans' reminders go to the new owner); the new
 * social worker, the one who had it and the school's EHT are told, and the reminders follow.
 */
export async function reassignCase(deps: CaseWorkDeps, actor: Person, code: string, toId: string, action: ActionRef): Promise<ChangeOutcome & { to: string }> {
  const roster = await deps.roster.get();
  const settings = settingsOf(roster.municipality);
  const outcome = await changeCase(deps, actor, code, 'reassign', 'card:case.reassign', action, async (c, now) => {
    if (c.status === 'closed') throw new DomainError('case.transition', 'The case is closed');
    const to = personById(roster, toId);
    if (!to || !hasRole(to, 'socialWorker') || to.team !== c.teamId) throw new DomainError('case.reassignInvalid', 'Not a social worker of the case\'s team');
    if (isAway(to, stockholmDate(now))) throw new DomainError('case.assigneeAway', 'Away', { until: to.away?.until ?? '' });
    if (to.id === c.assignedTo) return undefined; // already theirs: nothing to write
    const from = c.assignedTo;
    const at = now.toISOString();
    const next: Case = { ...c, assignedTo: to.id, assignedAt: at, updatedAt: at, lastActivityAt: at };

    const meetings = (await Promise.all((await deps.meetings.listByCase(c.teamId, code)).map((m) => deps.meetings.get(c.teamId, m.id))))
      .filter((x): x is Versioned<Meeting> => x !== undefined && x.value.socialWorkerId === from && isOpen(x.value, now))
      .map((x) => ({ was: x.value, etag: x.etag, value: { ...x.value, socialWorkerId: to.id, version: x.value.version + 1, updatedAt: at } }));
    const plans = (await Promise.all((await deps.plans.listByCase(c.teamId, code)).map((p) => deps.plans.get(c.teamId, p.id))))
      .filter((x): x is Versioned<Plan> => x !== undefined && x.value.status === 'active' && x.value.ownerId === from)
      .map((x) => ({ etag: x.etag, value: { ...x.value, ownerId: to.id, updatedAt: at } }));
    const groupLeader = teamById(roster, c.teamId)?.groupLeader;
    const meetingEffects = meetings.flatMap(({ was, value: m }): Effect[] => [
      ...(was.status === 'confirmed' ? [{ kind: 'calendar' as const, op: 'remove' as const, meeting: was }, { kind: 'calendar' as const, op: 'create' as const, meeting: m }] : []),
      { kind: 'meetingCard', to: m.ehtId, teamId: m.teamId, caseCode: code, meetingId: m.id, note: { kind: 'handedOver', by: actor.id } },
      { kind: 'meetingCard', to: m.socialWorkerId, teamId: m.teamId, caseCode: code, meetingId: m.id, note: { kind: 'handedOver', by: actor.id } },
    ]);
    const eht = ehtMembersOf(roster, c.schoolId).map((p) => p.id);
    return {
      case: next,
      meetings: meetings.map(({ value, etag }) => ({ value, etag })),
      plans: plans.map(({ value, etag }) => ({ value, etag })),
      events: [{ caseCode: code, at, kind: 'reassigned', by: actor.id, to: to.id, ref: from }],
      effects: [
        { kind: 'notify', to: to.id, notification: { kind: 'caseAssigned', case: factsOf(next, stockholmDate(now)), via: 'reassigned', by: actor.id } },
        ...(from !== actor.id && personById(roster, from) ? [{ kind: 'notify' as const, to: from, notification: { kind: 'caseHandedOver' as const, caseCode: code, teamId: c.teamId, by: actor.id, to: to.id } }] : []),
        ...uniq(eht.length > 0 ? eht : [c.raisedBy]).map((id): Effect => ({ kind: 'notify', to: id, notification: { kind: 'newCaseContact', caseCode: code, teamId: c.teamId, by: actor.id, socialWorkerId: to.id } })),
        ...meetingEffects,
        {
          kind: 'schedule',
          items: [
            ...inactivityReminder(next, now, deps.isHoliday),
            ...consentReminders(next, now, deps.isHoliday),
            ...intensiveReminders(next, now, deps.isHoliday),
            ...escalationItem(next, groupLeader, settings, now, deps.isHoliday),
            ...plans.flatMap(({ value }) => planReminders(value, groupLeader, now, deps.isHoliday)),
            ...meetings.flatMap(({ value }) => meetingReminders(value, now, deps.isHoliday)),
          ],
        },
      ],
      result: { to: to.id },
    };
  });
  return { ...outcome, to: outcome.result.to ?? toId };
}

/**
 * The insats on the case: its form (serviceinsats / bistånd), kind, and the intensive phase's start
 * and last day, with a reminder to the social worker before it ends. Only on a request whose consent
 * holds; an accepted case becomes active with it.
 */
export async function recordInsatsOn(deps: CaseWorkDeps, actor: Person, code: string, insats: Pick<Insats, 'form' | 'kind' | 'start' | 'intensiveUntil'>, action: ActionRef): Promise<ChangeOutcome> {
  return changeCase(deps, actor, code, 'recordInsats', 'card:case.insats', action, (c, now) => {
    const recorded = recordInsats(c, insats, actor.id, now, stockholmDate(now));
    const activated = activation(recorded, actor.id, now);
    const next = activated?.case ?? recorded;
    const at = now.toISOString();
    return {
      case: next,
      events: [{ caseCode: code, at, kind: 'insatsRecorded', by: actor.id, ref: `${insats.form}:${insats.kind}:${insats.start}:${insats.intensiveUntil}` }, ...(activated?.events ?? [])],
      effects: [{ kind: 'schedule', items: intensiveReminders(next, now, deps.isHoliday) }],
    };
  });
}

/**
 * That an orosanmälan was made, and when (a date only: no content, not who it concerns; the report
 * itself goes to socialnämnden through the municipality's channel, personally and at once).
 */
export async function recordReportMade(deps: CaseWorkDeps, actor: Person, code: string, date: string, action: ActionRef): Promise<ChangeOutcome> {
  return changeCase(deps, actor, code, 'recordReport', 'card:case.reportMade', action, (c, now) => {
    const today = stockholmDate(now);
    if (!parseCalendarDate(date)) throw new DomainError('case.reportDate', 'Not a date');
    if (date > today || date < plusDays(today, -REPORT_MADE_BACK_DAYS)) throw new DomainError('case.reportDate', 'Not within the last year');
    if (c.status === 'closed') throw new DomainError('case.transition', 'The case is closed');
    const at = now.toISOString();
    return { case: { ...c, updatedAt: at, lastActivityAt: at }, events: [{ caseCode: code, at, kind: 'reportMade', by: actor.id, ref: date }], effects: [] };
  });
}

/** Who of the joint team's school-side members takes part in the case (newly added ones are told). */
export async function setCaseStaff(deps: CaseWorkDeps, actor: Person, code: string, staffIds: string[], action: ActionRef): Promise<ChangeOutcome> {
  const roster = await deps.roster.get();
  return changeCase(deps, actor, code, 'setStaff', 'card:case.staff', action, (c, now) => {
    if (c.status === 'closed') throw new DomainError('case.transition', 'The case is closed');
    const allowed = new Set(schoolStaffOf(roster, c.teamId).map((p) => p.id));
    const wanted = uniq(staffIds);
    if (wanted.length > MAX_STAFF) throw new DomainError('case.tooManyStaff', 'Too many', { max: MAX_STAFF });
    if (wanted.some((id) => !allowed.has(id))) throw new DomainError('case.staffInvalid', 'Not a school-side member of the team');
    const before = c.staff ?? [];
    if (wanted.length === before.length && wanted.every((id) => before.includes(id))) return undefined;
    return withStaff(c, wanted, actor.id, now);
  });
}

/** The case with these school-side members taking part: the change, its event and the cards to those added. */
export function withStaff(c: Case, staff: string[], by: string, now: Date): { case: Case; events: CaseEvent[]; effects: Effect[] } {
  const at = now.toISOString();
  const added = staff.filter((id) => !(c.staff ?? []).includes(id));
  return {
    case: { ...c, staff, updatedAt: at, lastActivityAt: at },
    events: [{ caseCode: c.code, at, kind: 'staffChanged', by, ref: staff.join(',') }],
    effects: added.map((to): Effect => ({ kind: 'notify', to, notification: { kind: 'staffAdded', caseCode: c.code, teamId: c.teamId, by } })),
  };
}
