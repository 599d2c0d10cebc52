import { DateTime } from 'luxon';
import { INSATS_FORMS, INSATS_KINDS, type Case, type Insats, type InsatsForm, type InsatsKind } from './concern';
import { mustAllowFamilyWork } from './consent';
import { DomainError } from './errors';
import { ZONE, parseCalendarDate } from './time';

export const INSATS_FIELDS = ['insatsForm', 'insatsKind', 'insatsStart', 'intensiveUntil'] as const;
export type InsatsField = (typeof INSATS_FIELDS)[number];
export type InsatsProblem = 'required' | 'invalidChoice' | 'invalidDate' | 'startTooEarly' | 'startTooLate' | 'endBeforeStart' | 'endInPast' | 'endTooFar';

/** An insats may have started up to this long ago when it is recorded, and its intensive phase runs at most a year. */
export const INSATS_START_BACK_DAYS = 90;
export const INSATS_START_AHEAD_DAYS = 60;
export const INTENSIVE_MAX_WEEKS = 52;

const plus = (date: string, x: { days?: number; weeks?: number }) => DateTime.fromISO(date, { zone: ZONE }).plus(x).toISODate()!;

/** The default last day of the intensive phase: `weeks` weeks from its start (the municipality's default length). */
export const defaultIntensiveEnd = (start: string, weeks: number): string => plus(start, { weeks, days: -1 });

/**
 * Checks a submitted insats on `today`: form (serviceinsats / bistånd), kind (individual, family,
 * group, preventive), start (within the last three months or the next two), and the last day of the
 * intensive phase (after its start, not already past, at most a year on). Every problem by field.
 */
export function parseInsats(
  values: Partial<Record<InsatsField, string>>,
  today: string,
): { ok: true; insats: Pick<Insats, 'form' | 'kind' | 'start' | 'intensiveUntil'> } | { ok: false; errors: Partial<Record<InsatsField, InsatsProblem>> } {
  const errors: Partial<Record<InsatsField, InsatsProblem>> = {};
  const v = (f: InsatsField) => (values[f] ?? '').trim();
  const form = v('insatsForm');
  if (!form) errors.insatsForm = 'required';
  else if (!(INSATS_FORMS as readonly string[]).includes(form)) errors.insatsForm = 'invalidChoice';
  const kind = v('insatsKind');
  if (!kind) errors.insatsKind = 'required';
  else if (!(INSATS_KINDS as readonly string[]).includes(kind)) errors.insatsKind = 'invalidChoice';
  const start = v('insatsStart');
  let startOk = false;
  if (!start) errors.insatsStart = 'required';
  else if (!parseCalendarDate(start)) errors.insatsStart = 'invalidDate';
  else if (start < plus(today, { days: -INSATS_START_BACK_DAYS })) errors.insatsStart = 'startTooEarly';
  else if (start > plus(today, { days: INSATS_START_AHEAD_DAYS })) errors.insatsStart = 'startTooLate';
  else startOk = true;
  const until = v('intensiveUntil');
  if (!until) errors.intensiveUntil = 'required';
  else if (!parseCalendarDate(until)) errors.intensiveUntil = 'invalidDate';
  else if (until < today) errors.intensiveUntil = 'endInPast';
  else if (startOk && until <= start) errors.intensiveUntil = 'endBeforeStart';
  else if (startOk && until > plus(start, { weeks: INTENSIVE_MAX_WEEKS })) errors.intensiveUntil = 'endTooFar';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, insats: { form: form as InsatsForm, kind: kind as InsatsKind, start, intensiveUntil: until } };
}

/**
 * Records (or corrects) the case's insats. Only on a request whose consent holds (an insats is work
 * with the family), never on a closed case.
 */
export function recordInsats(c: Case, insats: Pick<Insats, 'form' | 'kind' | 'start' | 'intensiveUntil'>, by: string, now: Date, today: string): Case {
  if (c.status === 'closed') throw new DomainError('case.transition', 'The case is closed');
  mustAllowFamilyWork(c, today);
  const at = now.toISOString();
  return { ...c, insats: { ...insats, recordedBy: by, recordedAt: at }, updatedAt: at, lastActivityAt: at };
}
