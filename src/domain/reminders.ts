import type { Case } from './concern';
import type { Meeting } from './meeting';
import { nextReview, type Plan } from './plan';
import type { HolidayCheck } from './slots';
import { stockholmDate } from './time';
import { addWorkingDays, atLocal, plusDays, previousWorkingDay, workingDayOnOrAfter, workingDayOnOrBefore } from './workdays';

/** Reminders go out at 08:00 on working days; the digest at 07:30. */
export const REMINDER_TIME = '08:00';
export const DIGEST_TIME = '07:30';
export const REVIEW_WARNINGS_DAYS = [7, 1] as const;
export const OVERDUE_WORKING_DAYS = 3;
export const CONSENT_WARNING_DAYS = 14;
export const INACTIVITY_DAYS = 30;

export type ReminderKind =
  | 'planReview' | 'reviewOverdue' | 'meetingTomorrow' | 'consentExpiring' | 'inactiveCase' | 'yearlyReport' | 'digest' | 'retention';

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
 * Consent expiring within 14 days: to the EHT member who recorded it. Recorded with less than 14
 * days left: at 08:00 the working day after it was recorded (the same instant however often scheduled).
 */
export function consentReminders(c: Case, now: Date, isHoliday: HolidayCheck): DueItem[] {
  if (!c.consent || c.status === 'closed') return [];
  const warning = atLocal(workingDayOnOrBefore(plusDays(c.consent.expires, -CONSENT_WARNING_DAYS), isHoliday), REMINDER_TIME);
  const afterRecording = atLocal(workingDayOnOrAfter(plusDays(stockholmDate(new Date(c.consent.recordedAt)), 1), isHoliday), REMINDER_TIME);
  const when = warning.getTime() > afterRecording.getTime() ? warning : afterRecording;
  return future([item('consentExpiring', when, c.consent.recordedBy, c.teamId, { expires: c.consent.expires }, c.code)], now);
}

/** No activity for 30 days: to the case's social worker. Re-checked when it fires. */
export function inactivityReminder(c: Case, now: Date, isHoliday: HolidayCheck): DueItem[] {
  if (c.status === 'closed') return [];
  const day = workingDayOnOrAfter(plusDays(stockholmDate(new Date(c.lastActivityAt)), INACTIVITY_DAYS), isHoliday);
  return future([item('inactiveCase', atLocal(day, REMINDER_TIME), c.assignedTo, c.teamId, { since: c.lastActivityAt.slice(0, 10) }, c.code)], now);
}

/** The yearly report (verksamhetsberättelse, due 31 March): on 1 March (or the next working day) to the group leader. */
export function yearlyReportReminder(teamId: string, groupLeaderId: string, now: Date, isHoliday: HolidayCheck): DueItem {
  const year = Number(stockholmDate(now).slice(0, 4));
  const at = (y: number) => atLocal(workingDayOnOrAfter(`${y}-03-01`, isHoliday), REMINDER_TIME);
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
