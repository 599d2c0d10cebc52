import { CATEGORIES, OUTCOMES, isAnonymous, type Case, type Category } from './concern';
import type { Meeting } from './meeting';
import type { Plan } from './plan';
import { stockholmDate } from './time';
import type { MunicipalitySettings } from './settings';
import { plusDays } from './workdays';

/**
 * The report period that starts in `year` (the municipality's period start, e.g. 01-01 for the
 * calendar year or 08-01 for a läsår) and its deadline: the first `deadline` month-day after it ends.
 */
export function reportPeriod(year: number, report: MunicipalitySettings['report']): { start: string; end: string; deadline: string } {
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

/** The outcomes the report counts (an older case's "handed over" counts as "other": it did not say where to). */
export type ReportOutcome = (typeof OUTCOMES)[number];

/** One line of the yearly report (verksamhetsberättelse): a school and a category. Counts only. */
export interface ReportRow {
  schoolId: string;
  category: Category;
  /** Requests (förfrågningar) that became cases in the period: raised with consent, or a consultation that got it. */
  requests: number;
  /** Anonymous consultations raised in the period: counted apart from requests, never as one. */
  consultations: number;
  /** Consultations that became requests in the period (consent obtained). */
  consultationsConverted: number;
  meetingsHeld: number;
  plans: number;
  reviewsOnTime: number;
  reviewsLate: number;
  /** Median days from concern to first held meeting, for concerns that had one. */
  medianDaysToFirstMeeting?: number;
  /** How many concerns that median is taken over. */
  medianBasis: number;
  outcomes: Record<ReportOutcome, number>;
}

export interface YearReport {
  year: number;
  /** The period's first and last day (Stockholm dates). */
  period?: { start: string; end: string };
  rows: ReportRow[];
  totals: Omit<ReportRow, 'schoolId' | 'category'>;
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : Math.round(((s[mid - 1] + s[mid]) / 2) * 10) / 10;
}

const emptyOutcomes = (): Record<ReportOutcome, number> => Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<ReportOutcome, number>;

/**
 * The yearly figures the municipality reports (Linköping: by 31 March), per school and category:
 * requests and anonymous consultations (apart) in the period, meetings held in it, plans made,
 * reviews on time vs late, time from request to first meeting, and outcomes of cases closed in it.
 * `period`: the report period's first and last day (default: the calendar year).
 */
export function buildYearReport(input: { year: number; now: Date; cases: Case[]; meetings: Meeting[]; plans: Plan[]; period?: { start: string; end: string } }): YearReport {
  const { year, now } = input;
  const today = stockholmDate(now);
  const period = input.period ?? { start: `${year}-01-01`, end: `${year}-12-31` };
  const inPeriodDate = (date: string) => period.start <= date && date <= period.end;
  const inPeriod = (iso: string) => inPeriodDate(stockholmDate(new Date(iso)));
  const byCode = new Map(input.cases.map((c) => [c.code, c]));
  const rows = new Map<string, ReportRow>();
  const daysToMeeting = new Map<string, number[]>();
  const row = (c: Case): ReportRow => {
    const key = `${c.schoolId}|${c.category}`;
    let r = rows.get(key);
    if (!r) {
      r = { schoolId: c.schoolId, category: c.category, requests: 0, consultations: 0, consultationsConverted: 0, meetingsHeld: 0, plans: 0, reviewsOnTime: 0, reviewsLate: 0, medianBasis: 0, outcomes: emptyOutcomes() };
      rows.set(key, r);
    }
    return r;
  };

  /** When a case became a request: raised with consent, or the consultation got consent. */
  const requestSince = (c: Case) => (isAnonymous(c) ? undefined : (c.convertedAt ?? c.createdAt));
  for (const c of input.cases) {
    const wasConsultation = isAnonymous(c) || c.convertedAt !== undefined;
    if (wasConsultation && inPeriod(c.createdAt)) row(c).consultations++;
    if (c.convertedAt && inPeriod(c.convertedAt)) row(c).consultationsConverted++;
    const since = requestSince(c);
    if (since && inPeriod(since)) row(c).requests++;
    if (c.status === 'closed' && c.outcome && inPeriod(c.updatedAt) && !isAnonymous(c)) {
      const outcome = (OUTCOMES as readonly string[]).includes(c.outcome) ? (c.outcome as ReportOutcome) : 'other';
      row(c).outcomes[outcome]++;
    }
  }

  const held = input.meetings.filter((m) => m.status === 'confirmed' && m.start && new Date(m.start).getTime() <= now.getTime());
  for (const m of held) {
    const c = byCode.get(m.caseCode);
    if (c && inPeriod(m.start!)) row(c).meetingsHeld++;
  }
  for (const c of input.cases) {
    const since = requestSince(c);
    if (!since || !inPeriod(since)) continue;
    const first = held.filter((m) => m.caseCode === c.code).map((m) => new Date(m.start!).getTime()).sort((a, b) => a - b)[0];
    if (first === undefined) continue;
    const days = Math.max(0, Math.round((first - new Date(since).getTime()) / 86_400_000));
    const key = `${c.schoolId}|${c.category}`;
    daysToMeeting.set(key, [...(daysToMeeting.get(key) ?? []), days]);
  }

  for (const p of input.plans) {
    const c = byCode.get(p.caseCode);
    if (!c) continue;
    if (inPeriod(p.createdAt)) row(c).plans++;
    for (const review of p.reviews) {
      if (!inPeriodDate(review.date)) continue;
      const recorded = review.recordedAt ? stockholmDate(new Date(review.recordedAt)) : undefined;
      if (review.status === 'done' || review.status === 'ended') {
        if (recorded && recorded <= review.date) row(c).reviewsOnTime++;
        else row(c).reviewsLate++;
      } else if (review.status === 'planned' && review.date < today) {
        row(c).reviewsLate++;
      }
    }
  }

  const sorted = [...rows.values()]
    .map((r) => {
      const days = daysToMeeting.get(`${r.schoolId}|${r.category}`) ?? [];
      return { ...r, medianDaysToFirstMeeting: median(days), medianBasis: days.length };
    })
    .sort((a, b) => a.schoolId.localeCompare(b.schoolId) || CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category));
  const totals = {
    requests: 0, consultations: 0, consultationsConverted: 0, meetingsHeld: 0, plans: 0, reviewsOnTime: 0, reviewsLate: 0, outcomes: emptyOutcomes(),
    medianDaysToFirstMeeting: median([...daysToMeeting.values()].flat()),
    medianBasis: [...daysToMeeting.values()].flat().length,
  };
  for (const r of sorted) {
    totals.requests += r.requests;
    totals.consultations += r.consultations;
    totals.consultationsConverted += r.consultationsConverted;
    totals.meetingsHeld += r.meetingsHeld;
    totals.plans += r.plans;
    totals.reviewsOnTime += r.reviewsOnTime;
    totals.reviewsLate += r.reviewsLate;
    for (const o of OUTCOMES) totals.outcomes[o] += r.outcomes[o];
  }
  return { year, period, rows: sorted, totals };
}

/** Published figures: cells of 1–4 are never shown (a cell that small can identify a child at a small school). */
export const SUPPRESSION_THRESHOLD = 5;
export const SUPPRESSED = '<5';
/** A total that would let a suppressed cell be worked out (total minus the cells shown) is withheld. */
export const WITHHELD = '–';

export type PublishedCell = number | typeof SUPPRESSED | typeof WITHHELD;
type CountKey = 'requests' | 'consultations' | 'consultationsConverted' | 'meetingsHeld' | 'plans' | 'reviewsOnTime' | 'reviewsLate';
const COUNT_KEYS: CountKey[] = ['requests', 'consultations', 'consultationsConverted', 'meetingsHeld', 'plans', 'reviewsOnTime', 'reviewsLate'];

export interface PublishedFigures {
  requests: PublishedCell;
  consultations: PublishedCell;
  consultationsConverted: PublishedCell;
  meetingsHeld: PublishedCell;
  plans: PublishedCell;
  reviewsOnTime: PublishedCell;
  reviewsLate: PublishedCell;
  /** Shown only when taken over at least five requests; otherwise withheld. */
  medianDaysToFirstMeeting: number | typeof WITHHELD;
  outcomes: Record<ReportOutcome, PublishedCell>;
}

export interface PublishedYearReport {
  year: number;
  period?: { start: string; end: string };
  rows: Array<PublishedFigures & { schoolId: string; category: Category }>;
  totals: PublishedFigures;
}

const cell = (n: number): PublishedCell => (n > 0 && n < SUPPRESSION_THRESHOLD ? SUPPRESSED : n);

/**
 * A column's total, unless it gives a suppressed cell away. With k suppressed cells (each 1–4)
 * adding up to S = total − the cells shown, S tells nothing exact only when k ≥ 2 and k < S < 4k
 * (S = k means all are 1, S = 4k all are 4, and one cell alone is S itself).
 */
function total(column: number[], sum: number): PublishedCell {
  const hidden = column.filter((n) => n > 0 && n < SUPPRESSION_THRESHOLD);
  const k = hidden.length;
  const s = hidden.reduce((a, b) => a + b, 0);
  if (k > 0 && !(k >= 2 && s > k && s < 4 * k)) return WITHHELD;
  return cell(sum);
}

const medianShown = (median: number | undefined, basis: number): number | typeof WITHHELD =>
  median !== undefined && basis >= SUPPRESSION_THRESHOLD ? median : WITHHELD;

/**
 * The report as it may be shown or exported (card and CSV): every count of 1–4 becomes "<5", a
 * total that would reveal one is withheld, and a median over fewer than five concerns is withheld.
 */
export function publishYearReport(report: YearReport): PublishedYearReport {
  const figures = (r: Omit<ReportRow, 'schoolId' | 'category'>): PublishedFigures => ({
    ...(Object.fromEntries(COUNT_KEYS.map((k) => [k, cell(r[k])])) as Record<CountKey, PublishedCell>),
    medianDaysToFirstMeeting: medianShown(r.medianDaysToFirstMeeting, r.medianBasis),
    outcomes: Object.fromEntries(OUTCOMES.map((o) => [o, cell(r.outcomes[o])])) as Record<ReportOutcome, PublishedCell>,
  });
  const t = report.totals;
  return {
    year: report.year,
    period: report.period,
    rows: report.rows.map((r) => ({ schoolId: r.schoolId, category: r.category, ...figures(r) })),
    totals: {
      ...(Object.fromEntries(COUNT_KEYS.map((k) => [k, total(report.rows.map((r) => r[k]), t[k])])) as Record<CountKey, PublishedCell>),
      medianDaysToFirstMeeting: medianShown(t.medianDaysToFirstMeeting, t.medianBasis),
      outcomes: Object.fromEntries(OUTCOMES.map((o) => [o, total(report.rows.map((r) => r.outcomes[o]), t.outcomes[o])])) as Record<ReportOutcome, PublishedCell>,
    },
  };
}
