import { beforeAfter, totalAbsence, type AbsenceMeasure } from './absence';
import { CATEGORIES, GRADES, INSATS_FORMS, INSATS_KINDS, OUTCOMES, isAnonymous, type Case, type Category, type Grade, type InsatsForm, type InsatsKind } from './concern';
import type { Meeting } from './meeting';
import { GOAL_ATTAINMENTS, type GoalAttainment, type Plan } from './plan';
import { monthsOf, type ChosenPeriod } from './reportPeriod';
import { cell, median, publishParts, publishedShare, publishedTotal, shownOver, type PublishedCell, WITHHELD } from './suppression';
import { stockholmDate, stockholmDateOfIso } from './time';

export { reportPeriod, reportYearOf } from './reportPeriod';

/** The outcomes the report counts (an older case's "handed over" counts as "other": it did not say where to). */
export type ReportOutcome = (typeof OUTCOMES)[number];

/** A figure taken over cases: its value and how many cases it is taken over. */
export interface Measured {
  value?: number;
  basis: number;
}

/** One school's requests in the period by category, and its consultations. */
export interface SchoolRow {
  schoolId: string;
  categories: Record<Category, number>;
  consultations: number;
}

/**
 * The follow-up for a period (the yearly verksamhetsberättelse, a term for the styrgrupp, any
 * from–to): counts only, no case codes. Which cases each figure counts is said beside it.
 */
export interface Report {
  period: ChosenPeriod;
  /** Requests (förfrågningar) that became cases in the period: raised with consent, or a consultation that got it. */
  requests: number;
  /** Anonymous consultations raised in the period: counted apart from requests, never as one. */
  consultations: number;
  /** Consultations that became requests in the period (consent obtained). */
  consultationsConverted: number;
  /** Requests and consultations per month of the period (YYYY-MM). */
  perMonth: Array<{ month: string; requests: number; consultations: number }>;
  /** The period's requests by school and category (every school asked for, with or without). */
  schools: SchoolRow[];
  /** The period's requests by årskurs. */
  grades: Record<Grade, number>;
  /** Insatser started in the period, by form and by kind. */
  insatsForms: Record<InsatsForm, number>;
  insatsKinds: Record<InsatsKind, number>;
  meetingsHeld: number;
  plans: number;
  reviewsOnTime: number;
  reviewsLate: number;
  /** Median days from the request to its first held meeting, for the period's requests that had one. */
  daysToFirstMeeting: Measured;
  /** Median days from the request to its first plan, for the period's requests that got one. */
  daysToFirstPlan: Measured;
  /** Median length in days of the intensive phase of insatser started in the period (as set, or until the case closed if earlier). */
  intensiveDays: Measured;
  /** Outcomes of requests closed in the period. */
  outcomes: Record<ReportOutcome, number>;
  /**
   * Absence before and after, for requests with at least two measures whose latest measure (up to
   * the period's end) is in the period: first vs that latest, total (giltig + ogiltig) in percent.
   */
  absence: {
    basis: number;
    /** Median change in percentage points (negative: less absence). */
    medianChange?: number;
    /** Cases whose total fell by at least IMPROVED_POINTS. */
    improved: number;
    /** Medians of giltig, ogiltig and total, before and after (for the chart). */
    before: { valid?: number; invalid?: number; total?: number };
    after: { valid?: number; invalid?: number; total?: number };
  };
  /** Each plan goal's attainment at its plan's last review in the period that recorded one. */
  goals: Record<GoalAttainment, number>;
  /** Requests closed in the period: still at the same school, or not (those closed with the answer). */
  sameSchool: { yes: number; no: number };
}

/** "Improved": the total absence fell by at least this many percentage points. */
export const IMPROVED_POINTS = 5;

const zeros = <K extends string>(keys: readonly K[]): Record<K, number> => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
const days = (fromIso: string, toIso: string) => Math.max(0, Math.round((new Date(toIso).getTime() - new Date(fromIso).getTime()) / 86_400_000));
const daysBetweenDates = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * The follow-up figures for a period from a team's (or several teams') cases, meetings and plans.
 * `schoolIds`: the schools to list even when they had nothing in the period.
 */
export function buildReport(input: { period: ChosenPeriod; now: Date; cases: Case[]; meetings: Meeting[]; plans: Plan[]; schoolIds?: string[] }): Report {
  const { period, now } = input;
  const inPeriodDate = (date: string) => period.start <= date && date <= period.end;
  const dateOf = stockholmDateOfIso;
  const inPeriod = (iso: string) => inPeriodDate(dateOf(iso));
  const months = monthsOf(period);
  const perMonth = new Map(months.map((m) => [m, { month: m, requests: 0, consultations: 0 }]));
  const schools = new Map<string, SchoolRow>();
  const school = (id: string) => {
    let s = schools.get(id);
    if (!s) schools.set(id, (s = { schoolId: id, categories: zeros(CATEGORIES), consultations: 0 }));
    return s;
  };
  for (const id of input.schoolIds ?? []) school(id);

  const r: Report = {
    period, requests: 0, consultations: 0, consultationsConverted: 0, perMonth: [], schools: [], grades: zeros(GRADES),
    insatsForms: zeros(INSATS_FORMS), insatsKinds: zeros(INSATS_KINDS), meetingsHeld: 0, plans: 0, reviewsOnTime: 0, reviewsLate: 0,
    daysToFirstMeeting: { basis: 0 }, daysToFirstPlan: { basis: 0 }, intensiveDays: { basis: 0 }, outcomes: zeros(OUTCOMES),
    absence: { basis: 0, improved: 0, before: {}, after: {} }, goals: zeros(GOAL_ATTAINMENTS), sameSchool: { yes: 0, no: 0 },
  };

  const held = input.meetings.filter((m) => m.status === 'confirmed' && m.start && new Date(m.start).getTime() <= now.getTime());
  const firstMeeting = new Map<string, string>();
  for (const m of held) {
    const seen = firstMeeting.get(m.caseCode);
    if (!seen || m.start! < seen) firstMeeting.set(m.caseCode, m.start!);
  }
  const firstPlan = new Map<string, string>();
  for (const p of input.plans) {
    const seen = firstPlan.get(p.caseCode);
    if (!seen || p.createdAt < seen) firstPlan.set(p.caseCode, p.createdAt);
  }
  const byCode = new Map(input.cases.map((c) => [c.code, c]));

  const toMeeting: number[] = [];
  const toPlan: number[] = [];
  const intensive: number[] = [];
  const changes: number[] = [];
  const before: AbsenceMeasure[] = [];
  const after: AbsenceMeasure[] = [];
  for (const c of input.cases) {
    const anonymous = isAnonymous(c);
    if ((anonymous || c.convertedAt !== undefined) && inPeriod(c.createdAt)) {
      r.consultations++;
      school(c.schoolId).consultations++;
      const month = perMonth.get(dateOf(c.createdAt).slice(0, 7));
      if (month) month.consultations++;
    }
    if (c.convertedAt && inPeriod(c.convertedAt)) r.consultationsConverted++;
    if (anonymous) continue;
    const since = c.convertedAt ?? c.createdAt;
    const closedOn = c.status === 'closed' ? dateOf(c.updatedAt) : undefined;
    if (inPeriod(since)) {
      r.requests++;
      school(c.schoolId).categories[c.category]++;
      r.grades[c.grade]++;
      const month = perMonth.get(dateOf(since).slice(0, 7));
      if (month) month.requests++;
      const meeting = firstMeeting.get(c.code);
      if (meeting) toMeeting.push(days(since, meeting));
      const plan = firstPlan.get(c.code);
      if (plan) toPlan.push(days(since, plan));
    }
    if (c.insats && inPeriodDate(c.insats.start)) {
      r.insatsForms[c.insats.form]++;
      r.insatsKinds[c.insats.kind]++;
      const end = closedOn && closedOn < c.insats.intensiveUntil ? closedOn : c.insats.intensiveUntil;
      intensive.push(Math.max(1, daysBetweenDates(c.insats.start, end) + 1));
    }
    if (closedOn && inPeriodDate(closedOn) && c.outcome) {
      r.outcomes[(OUTCOMES as readonly string[]).includes(c.outcome) ? (c.outcome as ReportOutcome) : 'other']++;
      if (c.sameSchoolAtClose !== undefined) r.sameSchool[c.sameSchoolAtClose ? 'yes' : 'no']++;
    }
    const pair = beforeAfter((c.absence ?? []).filter((m) => m.date <= period.end));
    if (pair && inPeriodDate(pair.after.date)) {
      const change = totalAbsence(pair.after) - totalAbsence(pair.before);
      changes.push(change);
      before.push(pair.before);
      after.push(pair.after);
    }
  }

  for (const m of held) if (byCode.has(m.caseCode) && inPeriod(m.start!)) r.meetingsHeld++;
  const today = stockholmDate(now);
  for (const p of input.plans) {
    if (!byCode.has(p.caseCode)) continue;
    if (inPeriod(p.createdAt)) r.plans++;
    let lastWithGoals: (typeof p.reviews)[number] | undefined;
    for (const review of p.reviews) {
      if (!inPeriodDate(review.date)) continue;
      const recorded = review.recordedAt ? dateOf(review.recordedAt) : undefined;
      if (review.status === 'done' || review.status === 'ended') {
        if (recorded && recorded <= review.date) r.reviewsOnTime++;
        else r.reviewsLate++;
      } else if (review.status === 'planned' && review.date < today) {
        r.reviewsLate++;
      }
      if (review.goals && review.goals.length > 0 && (!lastWithGoals || review.date >= lastWithGoals.date)) lastWithGoals = review;
    }
    for (const g of lastWithGoals?.goals ?? []) if ((GOAL_ATTAINMENTS as readonly string[]).includes(g)) r.goals[g]++;
  }

  r.perMonth = [...perMonth.values()];
  r.schools = [...schools.values()].sort((a, b) => a.schoolId.localeCompare(b.schoolId));
  r.daysToFirstMeeting = { value: median(toMeeting), basis: toMeeting.length };
  r.daysToFirstPlan = { value: median(toPlan), basis: toPlan.length };
  r.intensiveDays = { value: median(intensive), basis: intensive.length };
  const medians = (list: AbsenceMeasure[]) => ({ valid: median(list.map((m) => m.valid)), invalid: median(list.map((m) => m.invalid)), total: median(list.map(totalAbsence)) });
  r.absence = { basis: changes.length, medianChange: median(changes), improved: changes.filter((c) => c <= -IMPROVED_POINTS).length, before: medians(before), after: medians(after) };
  return r;
}

type Shown = number | typeof WITHHELD;

/** Months added up by quarter ("2026-Q1"), in order. */
function byQuarter(months: Report['perMonth']): Array<{ quarter: string; requests: number; consultations: number }> {
  const quarters = new Map<string, { quarter: string; requests: number; consultations: number }>();
  for (const m of months) {
    const quarter = `${m.month.slice(0, 4)}-Q${Math.floor((Number(m.month.slice(5, 7)) - 1) / 3) + 1}`;
    const q = quarters.get(quarter) ?? { quarter, requests: 0, consultations: 0 };
    q.requests += m.requests;
    q.consultations += m.consultations;
    quarters.set(quarter, q);
  }
  return [...quarters.values()];
}

/** The report as it may be shown or exported (card, charts and CSV): see ./suppression. */
export interface PublishedReport {
  period: ChosenPeriod;
  requests: PublishedCell;
  consultations: PublishedCell;
  consultationsConverted: PublishedCell;
  perMonth: Array<{ month: string; requests: PublishedCell; consultations: PublishedCell }>;
  /** The same by quarter (YYYY-Qn), counted before suppression: what a chart of a long period shows. */
  perQuarter: Array<{ quarter: string; requests: PublishedCell; consultations: PublishedCell }>;
  schools: Array<{ schoolId: string; categories: Record<Category, PublishedCell>; total: PublishedCell; consultations: PublishedCell }>;
  /** Each category's total over the schools. */
  categoryTotals: Record<Category, PublishedCell>;
  grades: { parts: Record<Grade, PublishedCell>; total: PublishedCell };
  insatsForms: { parts: Record<InsatsForm, PublishedCell>; total: PublishedCell };
  insatsKinds: { parts: Record<InsatsKind, PublishedCell>; total: PublishedCell };
  meetingsHeld: PublishedCell;
  plans: PublishedCell;
  reviewsOnTime: PublishedCell;
  reviewsLate: PublishedCell;
  daysToFirstMeeting: Shown;
  daysToFirstPlan: Shown;
  /** In weeks, one decimal. */
  intensiveWeeks: Shown;
  outcomes: { parts: Record<ReportOutcome, PublishedCell>; total: PublishedCell };
  absence: {
    basis: PublishedCell;
    medianChange: Shown;
    improved: PublishedCell;
    /** Percent of `basis` improved. */
    improvedShare: Shown;
    before: { valid: Shown; invalid: Shown; total: Shown };
    after: { valid: Shown; invalid: Shown; total: Shown };
  };
  goals: { parts: Record<GoalAttainment, PublishedCell>; total: PublishedCell };
  sameSchool: { yes: PublishedCell; no: PublishedCell; basis: PublishedCell; share: Shown };
}

/**
 * The report as it may be shown: every count of 1–4 is "<5", a total that would give one away is
 * withheld, and a median or share over fewer than five cases (or one that gives a small cell away) is withheld.
 */
export function publishReport(r: Report): PublishedReport {
  const catTotals = Object.fromEntries(CATEGORIES.map((k) => [k, publishedTotal(r.schools.map((s) => s.categories[k]))])) as Record<Category, PublishedCell>;
  const weeks = r.intensiveDays.value === undefined ? undefined : Math.round((r.intensiveDays.value / 7) * 10) / 10;
  const shown = (m: { valid?: number; invalid?: number; total?: number }) => ({ valid: shownOver(m.valid, r.absence.basis), invalid: shownOver(m.invalid, r.absence.basis), total: shownOver(m.total, r.absence.basis) });
  const sameBasis = r.sameSchool.yes + r.sameSchool.no;
  return {
    period: r.period,
    requests: cell(r.requests),
    consultations: cell(r.consultations),
    consultationsConverted: cell(r.consultationsConverted),
    perMonth: r.perMonth.map((m) => ({ month: m.month, requests: cell(m.requests), consultations: cell(m.consultations) })),
    perQuarter: byQuarter(r.perMonth).map((q) => ({ quarter: q.quarter, requests: cell(q.requests), consultations: cell(q.consultations) })),
    schools: r.schools.map((s) => ({
      schoolId: s.schoolId,
      categories: Object.fromEntries(CATEGORIES.map((k) => [k, cell(s.categories[k])])) as Record<Category, PublishedCell>,
      total: publishedTotal(CATEGORIES.map((k) => s.categories[k])),
      consultations: cell(s.consultations),
    })),
    categoryTotals: catTotals,
    grades: publishParts(r.grades),
    insatsForms: publishParts(r.insatsForms),
    insatsKinds: publishParts(r.insatsKinds),
    meetingsHeld: cell(r.meetingsHeld),
    plans: cell(r.plans),
    reviewsOnTime: cell(r.reviewsOnTime),
    reviewsLate: cell(r.reviewsLate),
    daysToFirstMeeting: shownOver(r.daysToFirstMeeting.value, r.daysToFirstMeeting.basis),
    daysToFirstPlan: shownOver(r.daysToFirstPlan.value, r.daysToFirstPlan.basis),
    intensiveWeeks: shownOver(weeks, r.intensiveDays.basis),
    outcomes: publishParts(r.outcomes),
    absence: {
      basis: cell(r.absence.basis),
      medianChange: shownOver(r.absence.medianChange, r.absence.basis),
      improved: cell(r.absence.improved),
      improvedShare: publishedShare(r.absence.improved, r.absence.basis),
      before: shown(r.absence.before),
      after: shown(r.absence.after),
    },
    goals: publishParts(r.goals),
    sameSchool: { yes: cell(r.sameSchool.yes), no: cell(r.sameSchool.no), basis: publishedTotal([r.sameSchool.yes, r.sameSchool.no]), share: publishedShare(r.sameSchool.yes, sameBasis) },
  };
}
