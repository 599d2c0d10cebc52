import { ABSENCE_BANDS, type AbsenceBand } from './concern';
import { DomainError } from './errors';

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
