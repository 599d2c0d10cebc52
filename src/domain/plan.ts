import { DateTime } from 'luxon';
import { DomainError } from './errors';
import { identityProblem } from './concern';
import { workingDayOnOrAfter, workingDayOnOrBefore } from './workdays';
import type { HolidayCheck } from './slots';
import { ZONE } from './time';

export const PLAN_TYPES = ['implementation', 'sip'] as const; // genomförandeplan, samordnad individuell plan
export type PlanType = (typeof PLAN_TYPES)[number];

export const REVIEW_OUTCOMES = ['done', 'moved', 'ended'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export const GOAL_MAX = 200;
export const MAX_GOALS = 5;

/** Who does what: a roster member by id, or a role without a name ("vårdnadshavare"). */
export interface Responsibility {
  personId?: string;
  role?: string;
  what: string;
}

export interface Review {
  date: string; // YYYY-MM-DD
  status: 'planned' | ReviewOutcome;
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
 * Swedish school terms (approximate, municipality calendars vary by days): autumn term ends
 * around 20 December, spring term around 10 June. Every case is followed up at least once per term.
 */
export function termEnd(isoDate: string): string {
  const d = DateTime.fromISO(isoDate, { zone: ZONE });
  if (d.month >= 8) return `${d.year}-12-18`;
  if (d.month <= 6 && d.toFormat('MM-dd') <= '06-10') return `${d.year}-06-10`;
  return `${d.year}-12-18`;
}

/**
 * The review date the form suggests: six weeks ahead, but within the current term (two weeks
 * before its end at the latest), on a working day.
 */
export function suggestReviewDate(today: string, isHoliday: HolidayCheck): string {
  const sixWeeks = DateTime.fromISO(today, { zone: ZONE }).plus({ weeks: 6 }).toISODate()!;
  const latest = DateTime.fromISO(termEnd(today), { zone: ZONE }).minus({ weeks: 2 }).toISODate()!;
  const candidate = latest > today && sixWeeks > latest ? latest : sixWeeks;
  const onWorkingDay = workingDayOnOrBefore(candidate, isHoliday);
  return onWorkingDay > today ? onWorkingDay : workingDayOnOrAfter(candidate, isHoliday);
}

/** Records the outcome of a review; "moved" schedules a new date, "ended" ends the plan. */
export function recordReview(plan: Plan, date: string, outcome: ReviewOutcome, by: string, now: Date, nextDate?: string): Plan {
  const review = plan.reviews.find((r) => r.date === date && r.status === 'planned');
  if (!review) throw new DomainError('plan.noSuchReview', 'No planned review on that date');
  if (plan.status !== 'active') throw new DomainError('plan.ended', 'The plan has ended');
  const at = now.toISOString();
  const reviews = plan.reviews.map((r) => (r === review ? { ...r, status: outcome, recordedAt: at, recordedBy: by } : r));
  if (outcome !== 'ended' && nextDate) {
    if (reviews.some((r) => r.date === nextDate && r.status === 'planned')) throw new DomainError('plan.duplicateReview', 'Already planned');
    reviews.push({ date: nextDate, status: 'planned' });
  }
  return { ...plan, reviews, status: outcome === 'ended' ? 'ended' : plan.status, updatedAt: at };
}
