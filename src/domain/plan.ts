import { DateTime } from 'luxon';
import { DomainError } from './errors';
import { identityProblem } from './concern';
import { plusDays, workingDayOnOrAfter, workingDayOnOrBefore } from './workdays';
import type { HolidayCheck } from './slots';
import type { Term } from './settings';
import { ZONE } from './time';

export const PLAN_TYPES = ['implementation', 'sip'] as const; // genomförandeplan, samordnad individuell plan
export type PlanType = (typeof PLAN_TYPES)[number];

export const REVIEW_OUTCOMES = ['done', 'moved', 'ended'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export const GOAL_MAX = 200;
export const MAX_GOALS = 5;
export const RESPONSIBILITY_MAX = 200;
/** How many responsibility lines the plan form offers. */
export const MAX_RESPONSIBILITIES = 6;

/**
 * The roles a responsibility can name instead of a person: a fixed list, so no pupil's or parent's
 * name can be stored as "who" (DOMAIN.md: the teachers own the school situation, the social workers
 * the treatment; the family and the pupil take part).
 */
export const RESPONSIBILITY_ROLES = ['guardians', 'pupil', 'mentor', 'teacher', 'specialEducator', 'counsellor', 'schoolNurse', 'principal', 'socialWorker', 'sstTeacher', 'otherAuthority'] as const;
export type ResponsibilityRole = (typeof RESPONSIBILITY_ROLES)[number];

/**
 * Who does what: a roster member by id, or one of the fixed roles ("vårdnadshavare"). Plans stored
 * before the fixed list may hold another role text; it is shown as it is, never written anew.
 */
export interface Responsibility {
  personId?: string;
  role?: ResponsibilityRole | string;
  what: string;
}

export const isResponsibilityRole = (role: unknown): role is ResponsibilityRole => typeof role === 'string' && (RESPONSIBILITY_ROLES as readonly string[]).includes(role);

/**
 * Checks a plan's responsibilities: each names exactly one of `people` (the roster members who may
 * carry one: the school's EHT, the team's social workers and group leader) or one fixed role, and
 * says what in a short text without a personnummer. Throws the first problem with the line's number.
 */
export function checkResponsibilities(lines: Responsibility[], people: string[]): Responsibility[] {
  if (lines.length > MAX_RESPONSIBILITIES) throw new DomainError('plan.tooManyResponsibilities', 'Too many responsibilities', { max: MAX_RESPONSIBILITIES });
  return lines.map((r, i) => {
    const line = i + 1;
    const what = r.what.trim();
    const byPerson = r.personId !== undefined && r.role === undefined;
    const byRole = r.role !== undefined && r.personId === undefined;
    if (!byPerson && !byRole) throw new DomainError('plan.responsibleWho', 'Choose a person or a role', { line });
    if (byPerson && !people.includes(r.personId!)) throw new DomainError('plan.unknownPerson', 'Not one of the people who may carry a responsibility', { line });
    if (byRole && !isResponsibilityRole(r.role)) throw new DomainError('plan.unknownRole', 'Not one of the fixed roles', { line });
    if (!what) throw new DomainError('plan.responsibleWhat', 'Say what they do', { line });
    if (what.length > RESPONSIBILITY_MAX) throw new DomainError('plan.goalTooLong', 'Too long', { max: RESPONSIBILITY_MAX, line });
    if (identityProblem(what)) throw new DomainError('plan.personnummer', 'Looks like a personnummer', { line });
    return byPerson ? { personId: r.personId!, what } : { role: r.role!, what };
  });
}

/** How far a plan goal has come at a review: uppnått, delvis uppnått, inte uppnått, för tidigt att säga. */
export const GOAL_ATTAINMENTS = ['reached', 'partly', 'notReached', 'tooEarly'] as const;
export type GoalAttainment = (typeof GOAL_ATTAINMENTS)[number];

export const isGoalAttainment = (v: unknown): v is GoalAttainment => typeof v === 'string' && (GOAL_ATTAINMENTS as readonly string[]).includes(v);

/** The review form's input for the attainment of goal n (1-based, in the order of `Plan.goals`). */
export const attainmentField = (n: number) => `goal${n}` as const;

/**
 * Reads each goal's attainment from a review form for a plan with `count` goals: every goal needs one
 * of the four answers; each problem beside its goal's field.
 */
export function parseAttainments(values: Record<string, string | undefined>, count: number): { ok: true; goals: GoalAttainment[] } | { ok: false; errors: Record<string, 'required' | 'invalidChoice'> } {
  const errors: Record<string, 'required' | 'invalidChoice'> = {};
  const goals: GoalAttainment[] = [];
  for (let n = 1; n <= count; n++) {
    const v = (values[attainmentField(n)] ?? '').trim();
    if (!v) errors[attainmentField(n)] = 'required';
    else if (!isGoalAttainment(v)) errors[attainmentField(n)] = 'invalidChoice';
    else goals.push(v);
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, goals };
}

export interface Review {
  date: string; // YYYY-MM-DD
  status: 'planned' | ReviewOutcome;
  /** Each plan goal's attainment at this review, in the order of `Plan.goals` (recorded reviews only). */
  goals?: GoalAttainment[];
  recordedAt?: string;
  recordedBy?: string;
}

/** A plan made with the family: short non-identifying goals, who is responsible, review dates. */
export interface Plan {
  id: string;
  caseCode: string;
  teamId: string;
  schoolId: string;
  type: PlanType;
  goals: string[];
  responsibilities: Responsibility[];
  reviews: Review[];
  status: 'active' | 'ended';
  /** The social worker responsible for the reviews (the case's assignee when made). */
  ownerId: string;
  /** The EHT member who is the school's contact for the plan. */
  ehtContactId: string;
  /**
   * The last day of an intensive phase, on plans recorded before the insats was kept on the case
   * (shown as it is; the case's insats is where the intensive phase lives now).
   */
  intensiveUntil?: string;
  createdAt: string;
  updatedAt: string;
}

export function checkGoals(goals: string[]): string[] {
  const clean = goals.map((g) => g.trim()).filter(Boolean);
  if (clean.length === 0) throw new DomainError('plan.goalsRequired', 'At least one goal');
  if (clean.length > MAX_GOALS) throw new DomainError('plan.tooManyGoals', 'Too many goals', { max: MAX_GOALS });
  for (const g of clean) {
    if (g.length > GOAL_MAX) throw new DomainError('plan.goalTooLong', 'Goal too long', { max: GOAL_MAX });
    if (identityProblem(g)) throw new DomainError('plan.personnummer', 'Goal looks like it holds a personnummer');
  }
  return clean;
}

/** The next review still planned, if any. */
export function nextReview(plan: Pick<Plan, 'reviews' | 'status'>): Review | undefined {
  if (plan.status !== 'active') return undefined;
  return [...plan.reviews].filter((r) => r.status === 'planned').sort((a, b) => a.date.localeCompare(b.date))[0];
}

/**
 * Swedish school terms when the municipality has not listed its läsårstider (approximate; municipal
 * calendars differ by a few days): the spring term about 8 January – 10 June, the autumn term about
 * 18 August – 18 December.
 */
const TERMS = [
  { start: '01-08', end: '06-10' },
  { start: '08-18', end: '12-18' },
] as const;

/** The approximate terms of one calendar year, as dated terms. */
const approximateTerms = (year: number): Term[] => TERMS.map((t) => ({ start: `${year}-${t.start}`, end: `${year}-${t.end}` }));

/**
 * The terms that decide for a date: the municipality's dated läsårstider when they cover it (from
 * the first listed term's start to the last one's end), else the approximate ones around it.
 */
function termsAround(isoDate: string, listed: Term[]): Term[] {
  const sorted = [...listed].sort((a, b) => a.start.localeCompare(b.start));
  if (sorted.length > 0 && sorted[0].start <= isoDate && isoDate <= sorted[sorted.length - 1].end) return sorted;
  const year = Number(isoDate.slice(0, 4));
  return [...approximateTerms(year - 1), ...approximateTerms(year), ...approximateTerms(year + 1), ...sorted.filter((t) => t.start > isoDate)].sort((a, b) => a.start.localeCompare(b.start));
}

/** The end of the term the date is in, or undefined in a break. */
export function termEnd(isoDate: string, terms: Term[] = []): string | undefined {
  return termsAround(isoDate, terms).find((t) => t.start <= isoDate && isoDate <= t.end)?.end;
}

/** The term the date is in; in a break, the term just ended (the one a term report is about then). */
export function termOf(isoDate: string, terms: Term[] = []): Term {
  const around = termsAround(isoDate, terms);
  return around.find((t) => t.start <= isoDate && isoDate <= t.end) ?? [...around].reverse().find((t) => t.end < isoDate) ?? approximateTerms(Number(isoDate.slice(0, 4)) - 1)[1];
}

/** The term before the one that starts on `termStart`. */
export function termBefore(termStart: string, terms: Term[] = []): Term {
  return termOf(plusDays(termStart, -1), terms);
}

/** The first day of the next term after the date. */
export function nextTermStart(isoDate: string, terms: Term[] = []): string {
  const next = termsAround(isoDate, terms).find((t) => t.start > isoDate);
  return next ? next.start : approximateTerms(Number(isoDate.slice(0, 4)) + 1)[0].start;
}

/**
 * The review date the form suggests: six weeks ahead but no later than two weeks before the term
 * ends; near a term's end or in a break, four weeks into the next term. Always a working day. (The
 * seeds' "minst en gång per termin" is the styrgrupp's evaluation of the service, not a rule for each
 * case: cases are followed up "systematiskt och regelbundet", at the dates their plan sets.)
 */
export function suggestReviewDate(today: string, isHoliday: HolidayCheck, terms: Term[] = []): string {
  const plus = (date: string, weeks: number) => DateTime.fromISO(date, { zone: ZONE }).plus({ weeks }).toISODate()!;
  const end = termEnd(today, terms);
  const latest = end ? plus(end, -2) : undefined;
  const candidate = latest && latest > today ? (plus(today, 6) < latest ? plus(today, 6) : latest) : plus(nextTermStart(today, terms), 4);
  const onWorkingDay = workingDayOnOrBefore(candidate, isHoliday);
  return onWorkingDay > today ? onWorkingDay : workingDayOnOrAfter(candidate, isHoliday);
}

/**
 * Records the outcome of a review; "moved" schedules a new date, "ended" ends the plan. A review that
 * was held (done, or the plan ended) may carry each goal's attainment, one per plan goal in order; a
 * moved one was not held and carries none.
 */
export function recordReview(plan: Plan, date: string, outcome: ReviewOutcome, by: string, now: Date, nextDate?: string, goals?: GoalAttainment[]): Plan {
  const review = plan.reviews.find((r) => r.date === date && r.status === 'planned');
  if (!review) throw new DomainError('plan.noSuchReview', 'No planned review on that date');
  if (plan.status !== 'active') throw new DomainError('plan.ended', 'The plan has ended');
  const held = outcome !== 'moved' && goals !== undefined;
  if (held && (goals.length !== plan.goals.length || !goals.every(isGoalAttainment))) {
    throw new DomainError('plan.attainmentCount', 'One attainment for each goal of the plan', { goals: plan.goals.length });
  }
  const at = now.toISOString();
  const reviews = plan.reviews.map((r) => (r === review ? { ...r, status: outcome, ...(held ? { goals: [...goals] } : {}), recordedAt: at, recordedBy: by } : r));
  if (outcome !== 'ended' && nextDate) {
    if (reviews.some((r) => r.date === nextDate && r.status === 'planned')) throw new DomainError('plan.duplicateReview', 'Already planned');
    reviews.push({ date: nextDate, status: 'planned' });
  }
  return { ...plan, reviews, status: outcome === 'ended' ? 'ended' : plan.status, updatedAt: at };
}
