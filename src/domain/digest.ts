import { DateTime } from 'luxon';
import type { Case } from './concern';
import type { Meeting } from './meeting';
import { nextReview, type Plan } from './plan';
import { CONSENT_WARNING_DAYS } from './reminders';
import { ZONE, daysUntil, stockholmDate } from './time';
import { plusDays } from './workdays';

/** The group leader's morning view of the team: counts and case codes only, nothing about pupils. */
export interface Digest {
  teamId: string;
  date: string;
  /** Concerns nobody has accepted yet, with who they were assigned to (the one a "påminn" reaches). */
  newConcerns: Array<{ code: string; ageDays: number; assigneeId: string }>;
  /** Proposed meetings, with the party awaited (and who that is). */
  meetingRequestsWaiting: Array<{ code: string; meetingId: string; awaiting: 'eht' | 'socialWorker'; awaitingId: string; ageDays: number }>;
  meetingsToday: Array<{ code: string; start: string; socialWorkerId: string }>;
  reviewsDueThisWeek: Array<{ code: string; date: string; ownerId: string }>;
  reviewsOverdue: Array<{ code: string; date: string; ownerId: string; planId: string }>;
  consentsExpiring: Array<{ code: string; expires: string }>;
  unreachable: Array<{ personId: string; since: string }>;
  caseload: Array<{ socialWorkerId: string; open: number }>;
  totals: { open: number; closed: number };
  /**
   * Plan reviews planned per ISO week (Europe/Stockholm), this week (from today) and the following
   * weeks: counts only, for the digest's chart. Every planned review of an active plan of an open case.
   */
  reviewsByWeek: Array<{ weekYear: number; week: number; from: string; count: number }>;
  /** Social workers away today (new concerns for their schools go to the backup), with until when if set from the bot. */
  away?: Array<{ personId: string; until?: string }>;
}

/**
 * Stockholm dates of ISO instants, memoised by UTC hour (Stockholm's offset is whole hours, so all
 * instants of one UTC hour share a date): a digest of 10,000 cases converts time zones a few hundred times.
 */
function stockholmDates(): (iso: string) => string {
  const byHour = new Map<string, string>();
  return (iso) => {
    const hour = iso.slice(0, 13);
    let date = byHour.get(hour);
    if (date === undefined) byHour.set(hour, (date = stockholmDate(new Date(iso))));
    return date;
  };
}

export function buildDigest(input: {
  teamId: string;
  now: Date;
  cases: Case[];
  meetings: Meeting[];
  plans: Plan[];
  unreachable: Array<{ personId: string; since: string }>;
  socialWorkerIds: string[];
}): Digest {
  const { now } = input;
  const today = stockholmDate(now);
  const dateOf = stockholmDates();
  const ages = new Map<string, number>();
  const ageDays = (from: string) => {
    const date = dateOf(new Date(from).toISOString());
    let age = ages.get(date);
    if (age === undefined) ages.set(date, (age = Math.max(0, -daysUntil(now, date))));
    return age;
  };
  const consentCutoff = plusDays(today, CONSENT_WARNING_DAYS);
  const weekEnd = DateTime.fromISO(today, { zone: ZONE }).endOf('week').toISODate()!;
  const open = input.cases.filter((c) => c.status !== 'closed');
  const openCodes = new Set(open.map((c) => c.code));
  const byCode = <T extends { code: string }>(a: T, b: T) => a.code.localeCompare(b.code);

  const reviews = input.plans
    .filter((p) => openCodes.has(p.caseCode))
    .map((p) => ({ plan: p, review: nextReview(p) }))
    .filter((x): x is { plan: Plan; review: NonNullable<ReturnType<typeof nextReview>> } => x.review !== undefined);

  const load = new Map(input.socialWorkerIds.map((id) => [id, 0]));
  for (const c of open) load.set(c.assignedTo, (load.get(c.assignedTo) ?? 0) + 1);

  return {
    teamId: input.teamId,
    date: today,
    newConcerns: open.filter((c) => c.status === 'new').map((c) => ({ code: c.code, ageDays: ageDays(c.createdAt), assigneeId: c.assignedTo })).sort(byCode),
    meetingRequestsWaiting: input.meetings
      .filter((m) => m.status === 'proposed' && openCodes.has(m.caseCode))
      .map((m) => ({ code: m.caseCode, meetingId: m.id, awaiting: m.awaiting, awaitingId: m.awaiting === 'eht' ? m.ehtId : m.socialWorkerId, ageDays: ageDays(m.updatedAt) }))
      .sort(byCode),
    meetingsToday: input.meetings
      .filter((m) => m.status === 'confirmed' && m.start && openCodes.has(m.caseCode) && dateOf(m.start) === today)
      .map((m) => ({ code: m.caseCode, start: m.start!, socialWorkerId: m.socialWorkerId }))
      .sort((a, b) => a.start.localeCompare(b.start)),
    reviewsDueThisWeek: reviews
      .filter((r) => r.review.date >= today && r.review.date <= weekEnd)
      .map((r) => ({ code: r.plan.caseCode, date: r.review.date, ownerId: r.plan.ownerId }))
      .sort(byCode),
    reviewsOverdue: reviews
      .filter((r) => r.review.date < today)
      .map((r) => ({ code: r.plan.caseCode, date: r.review.date, ownerId: r.plan.ownerId, planId: r.plan.id }))
      .sort(byCode),
    consentsExpiring: open
      .filter((c) => c.consent && !c.consent.withdrawnAt && c.kind !== 'consultation' && c.consent.expires <= consentCutoff)
      .map((c) => ({ code: c.code, expires: c.consent!.expires }))
      .sort(byCode),
    unreachable: [...input.unreachable].sort((a, b) => a.personId.localeCompare(b.personId)),
    caseload: [...load.entries()].map(([socialWorkerId, count]) => ({ socialWorkerId, open: count })).sort((a, b) => b.open - a.open || a.socialWorkerId.localeCompare(b.socialWorkerId)),
    reviewsByWeek: reviewsByWeek(input.plans.filter((p) => openCodes.has(p.caseCode)), now),
    totals: { open: open.length, closed: input.cases.length - open.length },
  };
}

/** How many weeks the digest's "reviews per week" covers: this week and the next five. */
export const REVIEW_WEEKS = 6;

/**
 * Planned reviews per ISO week (Monday–Sunday, Europe/Stockholm) for `weeks` weeks from the week of
 * `now`: this week counts from today (earlier ones are overdue, listed apart), every week is present
 * (0 when none), and a week carries its ISO week-numbering year (week 1 can start in December).
 */
export function reviewsByWeek(plans: Array<Pick<Plan, 'reviews' | 'status'>>, now: Date, weeks = REVIEW_WEEKS): Digest['reviewsByWeek'] {
  const today = stockholmDate(now);
  const monday = DateTime.fromISO(today, { zone: ZONE }).startOf('week');
  const slots = Array.from({ length: weeks }, (_, i) => {
    const start = monday.plus({ weeks: i });
    return { weekYear: start.weekYear, week: start.weekNumber, from: start.toISODate()!, count: 0 };
  });
  const end = monday.plus({ weeks }).toISODate()!;
  for (const plan of plans) {
    if (plan.status !== 'active') continue;
    for (const r of plan.reviews) {
      if (r.status !== 'planned' || r.date < today || r.date >= end) continue;
      // Whole calendar days (UTC midnights: a week over a DST change is still 7 days), then weeks.
      const i = Math.floor((Date.parse(r.date) - Date.parse(slots[0].from)) / 86_400_000 / 7);
      slots[i].count++;
    }
  }
  return slots;
}

/** A digest card lists at most this many codes per section, then "and N more" (Teams caps a message near 100 KB). */
export const DIGEST_SHOWN_PER_SECTION = 8;

/** Every case code a digest card shows (each is a read of that case, for the access log). */
export function digestCodes(d: Digest): string[] {
  const lists = [d.newConcerns, d.meetingRequestsWaiting, d.meetingsToday, d.reviewsDueThisWeek, d.reviewsOverdue, d.consentsExpiring];
  return [...new Set(lists.flatMap((l) => l.slice(0, DIGEST_SHOWN_PER_SECTION).map((x) => x.code)))].sort();
}
