import { ABSENCE_BANDS, type AbsenceBand } from './concern';
import { DomainError } from './errors';
import { stockholmDate } from './time';

/** When a pupil's absence is measured: when the concern is raised, at each plan review, at closing. */
export const ABSENCE_MOMENTS = ['intake', 'review', 'closing'] as const;
export type AbsenceMoment = (typeof ABSENCE_MOMENTS)[number];

/**
 * The pupil's absence over the last month as the school reads it from its own system: giltig
 * (valid, e.g. illness) and ogiltig (unexcused) percent of scheduled time, whole numbers. Never the
 * underlying data (dates, lessons, reasons).
 */
export interface AbsenceMeasure {
  at: AbsenceMoment;
  /** The Stockholm date it was recorded for. */
  date: string;
  valid: number;
  invalid: number;
  recordedBy: string;
  recordedAt: string;
}

/** A case keeps at most this many measures (an intake, a review a month for years, a closing). */
export const MAX_ABSENCE_MEASURES = 40;

/** Both percentages: whole numbers 0–100 that together are at most 100. Throws a DomainError naming the problem. */
export function checkAbsence(valid: number, invalid: number): { valid: number; invalid: number } {
  for (const [field, n] of [['valid', valid], ['invalid', invalid]] as const) {
    if (!Number.isInteger(n) || n < 0 || n > 100) throw new DomainError('absence.percent', 'A whole number from 0 to 100', { field });
  }
  if (valid + invalid > 100) throw new DomainError('absence.sum', 'Valid and unexcused absence add up to more than 100 %');
  return { valid, invalid };
}

/** The total absence of a measure, in percent. */
export const totalAbsence = (m: Pick<AbsenceMeasure, 'valid' | 'invalid'>) => m.valid + m.invalid;

/** The band a total falls in (the older field cases carried before percentages; still shown in lists). */
export function bandOf(total: number): AbsenceBand {
  if (total < 10) return ABSENCE_BANDS[0];
  if (total < 20) return ABSENCE_BANDS[1];
  if (total <= 50) return ABSENCE_BANDS[2];
  return ABSENCE_BANDS[3];
}

/** Adds a measure to a case's series (oldest first), dropping the oldest review measures beyond the bound; the intake measure is kept. */
export function addAbsence(series: AbsenceMeasure[] | undefined, measure: AbsenceMeasure): AbsenceMeasure[] {
  const next = [...(series ?? []), measure];
  while (next.length > MAX_ABSENCE_MEASURES) {
    const drop = next.findIndex((m, i) => i > 0 && m.at === 'review');
    next.splice(drop > 0 ? drop : 1, 1);
  }
  return next;
}

/**
 * The first and the last measure of a series, for "before and after": undefined unless there are
 * at least two (a case with one value has no change to show).
 */
export function beforeAfter(series: AbsenceMeasure[] | undefined): { before: AbsenceMeasure; after: AbsenceMeasure } | undefined {
  if (!series || series.length < 2) return undefined;
  return { before: series[0], after: series[series.length - 1] };
}

/** The form fields that carry a measure (the concern form, the review form, the closing form). */
export const ABSENCE_FIELDS = ['absenceValid', 'absenceInvalid'] as const;
export type AbsenceField = (typeof ABSENCE_FIELDS)[number];
/** What can be wrong with one of them: missing, not a whole number 0–100, or both together over 100 %. */
export type AbsenceProblem = 'required' | 'percent' | 'absenceSum';
export type AbsenceValues = Partial<Record<AbsenceField, string>>;

const percent = (s: string | undefined): number | undefined | 'bad' => {
  const v = (s ?? '').trim();
  if (!v) return undefined;
  // A whole number (Teams' number input may send "12.0"): no decimals, no sign, no exponent.
  const m = /^(\d{1,3})(?:\.0+)?$/.exec(v);
  return m && Number(m[1]) <= 100 ? Number(m[1]) : 'bad';
};

/**
 * Reads the two percentages a form sent, every problem at once beside its field. `optional`: both
 * may be left empty (then no measure); one without the other is still a problem.
 */
export function parseAbsence(
  values: AbsenceValues,
  opts: { optional?: boolean } = {},
): { ok: true; absence?: { valid: number; invalid: number } } | { ok: false; errors: Partial<Record<AbsenceField, AbsenceProblem>> } {
  const valid = percent(values.absenceValid);
  const invalid = percent(values.absenceInvalid);
  if (opts.optional && valid === undefined && invalid === undefined) return { ok: true };
  const errors: Partial<Record<AbsenceField, AbsenceProblem>> = {};
  if (valid === undefined) errors.absenceValid = 'required';
  else if (valid === 'bad') errors.absenceValid = 'percent';
  if (invalid === undefined) errors.absenceInvalid = 'required';
  else if (invalid === 'bad') errors.absenceInvalid = 'percent';
  if (typeof valid === 'number' && typeof invalid === 'number' && valid + invalid > 100) errors.absenceInvalid = 'absenceSum';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, absence: { valid: valid as number, invalid: invalid as number } };
}

/** A measure recorded now by `by` (checked again: whole numbers 0–100, at most 100 together). */
export function absenceMeasure(at: AbsenceMoment, absence: { valid: number; invalid: number }, by: string, now: Date): AbsenceMeasure {
  const { valid, invalid } = checkAbsence(absence.valid, absence.invalid);
  return { at, date: stockholmDate(now), valid, invalid, recordedBy: by, recordedAt: now.toISOString() };
}
