import { DateTime } from 'luxon';
import { DomainError } from './errors';
import { termBefore, termOf } from './plan';
import type { MunicipalitySettings } from './settings';
import { ZONE } from './time';
import { plusDays } from './workdays';

/** A report's period: its first and last day, inclusive Stockholm dates. */
export interface Period {
  start: string;
  end: string;
}

/**
 * The report period that starts in `year` (the municipality's period start, e.g. 01-01 for the
 * calendar year or 08-01 for a läsår) and its deadline: the first `deadline` month-day after it ends.
 */
export function reportPeriod(year: number, report: MunicipalitySettings['report']): Period & { deadline: string } {
  const start = `${year}-${report.periodStart}`;
  const end = plusDays(`${year + 1}-${report.periodStart}`, -1);
  let deadline = `${year + 1}-${report.deadline}`;
  if (deadline <= end) deadline = `${year + 2}-${report.deadline}`;
  return { start, end, deadline };
}

/** The report period a date falls in, named by the year it starts in. */
export function reportYearOf(date: string, report: MunicipalitySettings['report']): number {
  const year = Number(date.slice(0, 4));
  return date.slice(5) >= report.periodStart ? year : year - 1;
}

/** The periods the report card offers: this and the last term, this and the last report period (year), or any from–to. */
export const PERIOD_PRESETS = ['term', 'lastTerm', 'year', 'lastYear', 'custom'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

/** A chosen period, and what it is (the card and the export name it by that). */
export interface ChosenPeriod extends Period {
  preset: PeriodPreset;
}

/** The earliest date a report can start (before the bot there is nothing to count). */
export const EARLIEST_REPORT_DATE = '2019-01-01';
/** The longest from–to a report covers: three years (a longer one is several reports). */
export const MAX_REPORT_DAYS = 3 * 366;

/**
 * The period a report opens with: until the deadline of the period just ended (Linköping: 31 March),
 * that period, the one being written about; after it, the current one so far.
 */
export function defaultReportPeriod(today: string, settings: Pick<MunicipalitySettings, 'report'>): ChosenPeriod {
  const current = reportYearOf(today, settings.report);
  const previous = reportPeriod(current - 1, settings.report);
  const chosen = today <= previous.deadline ? previous : reportPeriod(current, settings.report);
  return { preset: chosen === previous ? 'lastYear' : 'year', start: chosen.start, end: chosen.end };
}

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && DateTime.fromISO(s, { zone: ZONE }).isValid;

/**
 * The period a preset names on `today`; for `custom`, the from–to checked (real dates, from ≤ to,
 * from 2019, at most three years). Throws a DomainError naming the problem.
 */
export function choosePeriod(preset: PeriodPreset, today: string, settings: Pick<MunicipalitySettings, 'report' | 'terms'>, custom?: { from?: string; to?: string }): ChosenPeriod {
  switch (preset) {
    case 'term': {
      const t = termOf(today, settings.terms);
      return { preset, start: t.start, end: t.end };
    }
    case 'lastTerm': {
      const t = termBefore(termOf(today, settings.terms).start, settings.terms);
      return { preset, start: t.start, end: t.end };
    }
    case 'year':
    case 'lastYear': {
      const year = reportYearOf(today, settings.report) - (preset === 'lastYear' ? 1 : 0);
      const p = reportPeriod(year, settings.report);
      return { preset, start: p.start, end: p.end };
    }
    case 'custom': {
      const from = custom?.from ?? '';
      const to = custom?.to ?? '';
      if (!isDate(from) || !isDate(to)) throw new DomainError('report.periodDates', 'Give both dates as YYYY-MM-DD');
      if (from > to) throw new DomainError('report.periodOrder', 'The start is after the end');
      if (from < EARLIEST_REPORT_DATE) throw new DomainError('report.periodEarly', 'Too early', { earliest: EARLIEST_REPORT_DATE });
      const days = DateTime.fromISO(to, { zone: ZONE }).diff(DateTime.fromISO(from, { zone: ZONE }), 'days').days + 1;
      if (days > MAX_REPORT_DAYS) throw new DomainError('report.periodLong', 'Too long', { maxYears: 3 });
      return { preset, start: from, end: to };
    }
  }
}

/** The months a period touches, as YYYY-MM (for requests per month). */
export function monthsOf(period: Period): string[] {
  const months: string[] = [];
  let m = DateTime.fromISO(period.start, { zone: ZONE }).startOf('month');
  const last = DateTime.fromISO(period.end, { zone: ZONE });
  while (m <= last && months.length < 40) {
    months.push(m.toFormat('yyyy-MM'));
    m = m.plus({ months: 1 });
  }
  return months;
}
