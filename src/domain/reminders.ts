import { isAnonymous, type Case } from './concern';
import { consentState } from './consent';
import type { Meeting } from './meeting';
import { nextReview, type Plan } from './plan';
import type { HolidayCheck } from './slots';
import { stockholmDate } from './time';
import { addWorkingDays, atLocal, plusDays, previousWorkingDay, workingDayOnOrAfter, workingDayOnOrBefore } from './workdays';
import { isWorkingDay, WORKDAY_END_HOUR, WORKDAY_START_HOUR } from './slots';
import { inStockholm } from './time';
import type { MunicipalitySettings } from './settings';
import { DateTime } from 'luxon';

/** Reminders go out at 08:00 on working days; the digest at 07:30. */
export const REMINDER_TIME = '08:00';
export const DIGEST_TIME = '07:30';
export const REVIEW_WARNINGS_DAYS = [7, 1] as const;
export const OVERDUE_WORKING_DAYS = 3;
export const CONSENT_WARNING_DAYS = 14;
export const INACTIVITY_DAYS = 30;
/** The end of an insats' intensive phase is announced this many days ahead (the worklist shows it as long). */
export const INTENSIVE_WARNING_DAYS = 7;

export type ReminderKind =
  | 'planReview' | 'reviewOverdue' | 'meetingTomorrow' | 'consentExpiring' | 'inactiveCase' | 'yearlyReport' | 'digest' | 'retention'
  | 'consentExpired' | 'intensiveEnding' | 'unclaimedConcern';

/** The nightly retention run is due work too (02:00, every day), so it runs once with several instances. */
export const RETENTION_TIME = '02:00';
export const SYSTEM_RECIPIENT = 'system';

/**
 * One message to one person at one time. `key` is deterministic, so scheduling the same reminder
 * twice (two instances, a restart) stores it once.
 */
export interface DueItem {
  key: string;
  kind: ReminderKind;
  dueAt: string; // ISO instant
  recipientId: string;
  teamId: string;
  caseCode?: string;
  /** What the reminder is about: plan id + review date, meeting id + version, consent expiry, … */
  ref: Record<string, string>;
}

const item = (kind: ReminderKind, dueAt: Date, recipientId: string, teamId: string, ref: Record<string, string>, caseCode?: string): DueItem => ({
  key: [kind, caseCode ?? teamId, ...Object.values(ref), recipientId].join('|'),
  kind, dueAt: dueAt.toISOString(), recipientId, teamId, caseCode, ref,
});

const future = (items: DueItem[], now: Date) => items.filter((i) => new Date(i.dueAt).getTime() > now.getTime());

/** Plan review: 7 and 1 days before (08:00, moved back to a working day) to the owner and the EHT contact; 3 working days overdue to the group leader. */
export function planReminders(plan: Plan, groupLeaderId: string | undefined, now: Date, isHoliday: HolidayCheck): DueItem[] {
  const review = nextReview(plan);
  if (!review) return [];
  const ref = { planId: plan.id, review: review.date };
  const items: DueItem[] = [];
  for (const days of REVIEW_WARNINGS_DAYS) {
    const day = workingDayOnOrBefore(plusDays(review.date, -days), isHoliday);
    for (const recipient of new Set([plan.ownerId, plan.ehtContactId])) {
      items.push(item('planReview', atLocal(day, REMINDER_TIME), recipient, plan.teamId, { ...ref, before: String(days) }, plan.caseCode));
    }
  }
  if (groupLeaderId) {
    const overdueDay = addWorkingDays(review.date, OVERDUE_WORKING_DAYS, isHoliday);
    items.push(item('reviewOverdue', atLocal(overdueDay, REMINDER_TIME), groupLeaderId, plan.teamId, ref, plan.caseCode));
  }
  return future(items, now);
}

/** A confirmed meeting: the working day before, 08:00, to both parties. */
export function meetingReminders(m: Meeting, now: Date, isHoliday: HolidayCheck): DueItem[] {
  if (m.status !== 'confirmed' || !m.start) return [];
  const day = previousWorkingDay(stockholmDate(new Date(m.start)), isHoliday);
  const ref = { meetingId: m.id, start: m.start };
  return future([m.ehtId, m.socialWorkerId].map((who) => item('meetingTomorrow', atLocal(day, REMINDER_TIME), who, m.teamId, ref, m.caseCode)), now);
}

/**
 * Consent expiring within 14 days: to both sides, the EHT member who recorded it and the case's social
 * worker. Recorded with less than 14 days left: at 08:00 the working day after it was recorded (the
 * same instant however often scheduled). Then, the day after its last day, that it has expired (the
 * school's reference is hidden and no new meeting with the family or plan can be made until renewed):
 * to both sides again. Withdrawn consent and consultations have neither.
 */
export function consentReminders(c: Case, now: Date, isHoliday: HolidayCheck): DueItem[] {
  if (!c.consent || c.status === 'closed' || isAnonymous(c) || c.consent.withdrawnAt) return [];
  const warning = atLocal(workingDayOnOrBefore(plusDays(c.consent.expires, -CONSENT_WARNING_DAYS), isHoliday), REMINDER_TIME);
  const afterRecording = atLocal(workingDayOnOrAfter(plusDays(stockholmDate(new Date(c.consent.recordedAt)), 1), isHoliday), REMINDER_TIME);
  const when = warning.getTime() > afterRecording.getTime() ? warning : afterRecording;
  const expiredAt = atLocal(workingDayOnOrAfter(plusDays(c.consent.expires, 1), isHoliday), REMINDER_TIME);
  const sides = [...new Set([c.consent.recordedBy, c.assignedTo])];
  return future([
    ...sides.map((who) => item('consentExpiring', when, who, c.teamId, { expires: c.consent!.expires }, c.code)),
    ...[...new Set([c.raisedBy, ...sides])].map((who) => item('consentExpired', expiredAt, who, c.teamId, { expires: c.consent!.expires }, c.code)),
  ], now);
}

/**
 * The intensive phase of the case's insats ends: INTENSIVE_WARNING_DAYS before its last day (08:00, on
 * a working day), to the case's social worker (recorded nearer the end: the next working morning).
 */
export function intensiveReminders(c: Case, now: Date, isHoliday: HolidayCheck): DueItem[] {
  if (!c.insats || c.status === 'closed') return [];
  const warning = atLocal(workingDayOnOrBefore(plusDays(c.insats.intensiveUntil, -INTENSIVE_WARNING_DAYS), isHoliday), REMINDER_TIME);
  const afterRecording = atLocal(workingDayOnOrAfter(plusDays(stockholmDate(new Date(c.insats.recordedAt)), 1), isHoliday), REMINDER_TIME);
  const when = warning.getTime() > afterRecording.getTime() ? warning : afterRecording;
  if (c.insats.intensiveUntil < stockholmDate(when)) return [];
  return future([item('intensiveEnding', when, c.assignedTo, c.teamId, { until: c.insats.intensiveUntil }, c.code)], now);
}

/**
 * `workingDays` working days after an instant, at the same time of day, counting only working time:
 * an instant outside working hours (evening, weekend, holiday) counts from 08:00 of the next working day.
 * Raised Monday 09:00: Tuesday 09:00; Friday 16:00: Monday 16:00; Saturday: Tuesday 08:00.
 */
export function afterWorkingDays(instant: Date, workingDays: number, isHoliday: HolidayCheck): Date {
  const local = inStockholm(instant);
  const date = local.toISODate()!;
  let start: DateTime;
  if (!isWorkingDay(date, isHoliday) || local.hour >= WORKDAY_END_HOUR) start = DateTime.fromJSDate(atLocal(workingDayOnOrAfter(plusDays(date, 1), isHoliday), '08:00'), { zone: local.zone });
  else if (local.hour < WORKDAY_START_HOUR) start = DateTime.fromJSDate(atLocal(date, '08:00'), { zone: local.zone });
  else start = local;
  const day = addWorkingDays(start.toISODate()!, Math.max(1, workingDays), isHoliday);
  return atLocal(day, start.toFormat('HH:mm'));
}

/**
 * The team's intake: a concern nobody has taken within `workingDays` working days of being given to
 * someone (raised, or reassigned) is escalated to the team's group leader, who can assign it.
 * Re-checked when it fires (taken or reassigned meanwhile: skipped).
 */
export function escalationItem(c: Case, groupLeaderId: string | undefined, settings: Pick<MunicipalitySettings, 'escalationWorkingDays'>, now: Date, isHoliday: HolidayCheck): DueItem[] {
  if (c.status !== 'new' || !groupLeaderId) return [];
  const since = c.assignedAt ?? c.createdAt;
  return future([item('unclaimedConcern', afterWorkingDays(new Date(since), settings.escalationWorkingDays, isHoliday), groupLeaderId, c.teamId, { since }, c.code)], now);
}

/** Still relevant when it fires? The consent the item was about is still the case's, and still in the state it announces. */
export function consentItemApplies(c: Case, kind: 'consentExpiring' | 'consentExpired', expires: string, today: string): boolean {
  if (c.status === 'closed' || c.consent?.expires !== expires) return false;
  const state = consentState(c, today);
  return kind === 'consentExpiring' ? state === 'valid' : state === 'expired';
}

/** No activity for 30 days: to the case's social worker. Re-checked when it fires. */
export function inactivityReminder(c: Case, now: Date, isHoliday: HolidayCheck): DueItem[] {
  if (c.status === 'closed') return [];
  const day = workingDayOnOrAfter(plusDays(stockholmDate(new Date(c.lastActivityAt)), INACTIVITY_DAYS), isHoliday);
  return future([item('inactiveCase', atLocal(day, REMINDER_TIME), c.assignedTo, c.teamId, { since: c.lastActivityAt.slice(0, 10) }, c.code)], now);
}

/** The reminder goes out this many days before the report's deadline (31 March → 1 March). */
export const REPORT_REMINDER_DAYS = 30;

/**
 * The yearly report (Linköping: verksamhetsberättelse to the beställare by 31 March): REPORT_REMINDER_DAYS
 * before the deadline (or the next working day) to the group leader. `ref.year` is the deadline's year.
 */
export function yearlyReportReminder(teamId: string, groupLeaderId: string, now: Date, isHoliday: HolidayCheck, report: MunicipalitySettings['report'] = { periodStart: '01-01', deadline: '03-31' }): DueItem {
  const year = Number(stockholmDate(now).slice(0, 4));
  const at = (y: number) => atLocal(workingDayOnOrAfter(plusDays(`${y}-${report.deadline}`, -REPORT_REMINDER_DAYS), isHoliday), REMINDER_TIME);
  const y = at(year).getTime() > now.getTime() ? year : year + 1;
  return item('yearlyReport', at(y), groupLeaderId, teamId, { year: String(y) });
}

/** The group leader's digest: 07:30 on the next working day (today if it is still before 07:30). */
export function digestItem(teamId: string, groupLeaderId: string, now: Date, isHoliday: HolidayCheck): DueItem {
  let day = workingDayOnOrAfter(stockholmDate(now), isHoliday);
  if (atLocal(day, DIGEST_TIME).getTime() <= now.getTime()) day = workingDayOnOrAfter(plusDays(day, 1), isHoliday);
  return item('digest', atLocal(day, DIGEST_TIME), groupLeaderId, teamId, { day });
}

/** The next nightly retention run (02:00 Stockholm, today if still ahead, else tomorrow). */
export function retentionItem(now: Date): DueItem {
  let day = stockholmDate(now);
  if (atLocal(day, RETENTION_TIME).getTime() <= now.getTime()) day = plusDays(day, 1);
  return item('retention', atLocal(day, RETENTION_TIME), SYSTEM_RECIPIENT, SYSTEM_RECIPIENT, { day });
}
