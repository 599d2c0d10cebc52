import { decide, mayTake } from './access';
import type { Case } from './concern';
import { consentState } from './consent';
import { isOpen, type Meeting } from './meeting';
import { nextReview, type Plan } from './plan';
import { CONSENT_WARNING_DAYS } from './reminders';
import { hasRole, type Person } from './roster';
import { stockholmDate } from './time';
import { atLocal, plusDays } from './workdays';

/** A review, or the end of an intensive phase, is on the list this many days ahead. */
export const WORKLIST_DAYS_AHEAD = 7;

/**
 * One thing waiting for a person, with what it takes to do it. `at` is when it started waiting for
 * them (the list is newest first). Codes, ids and dates only: nothing of a case's content.
 */
export type WorkItem =
  /** A concern to accept: assigned to them, or the team's still unclaimed (a social worker may take it). */
  | { kind: 'takeCase'; at: string; case: Pick<Case, 'code' | 'teamId' | 'schoolId' | 'grade' | 'category' | 'absenceBand' | 'assignedTo'>; mine: boolean }
  /** A meeting request or counter-proposal awaiting their answer. */
  | { kind: 'answerMeeting'; at: string; caseCode: string; teamId: string; meetingId: string; meetingType: Meeting['type']; proposals: string[]; fromId: string; countered: boolean }
  /** A question from the social worker to the school. */
  | { kind: 'answerQuestion'; at: string; caseCode: string; fromId: string }
  /** A plan review due within the week, or overdue. */
  | { kind: 'review'; at: string; caseCode: string; teamId: string; planId: string; date: string; overdue: boolean }
  /** Guardians' consent expiring within 14 days, expired, or withdrawn: renew it or close the case. */
  | { kind: 'consent'; at: string; caseCode: string; expires: string; state: 'expiring' | 'expired' | 'withdrawn' }
  /** The intensive phase of the case's insats (or, on older cases, of a plan) ends within the week. */
  | { kind: 'intensiveEnds'; at: string; caseCode: string; teamId: string; planId?: string; date: string };

export type WorkKind = WorkItem['kind'];

const startOfDay = (date: string) => atLocal(date, '00:00').toISOString();

/**
 * Everything waiting for `actor` in these cases, meetings and plans (their teams' partitions), newest
 * first. Each item is something they may do: need to know is checked here (the case's EHT, its
 * social worker, the team's group leader; a social worker of the team for a concern nobody took).
 */
export function buildWorklist(input: { actor: Person; now: Date; cases: Case[]; meetings: Meeting[]; plans: Plan[] }): WorkItem[] {
  const { actor, now } = input;
  const today = stockholmDate(now);
  const me = actor.id;
  const open = new Map(input.cases.filter((c) => c.status !== 'closed').map((c) => [c.code, c]));
  const sees = (c: Case) => decide(actor, c, 'view').allowed;
  const leads = (c: Case) => hasRole(actor, 'groupLeader') && actor.team === c.teamId;
  const items: WorkItem[] = [];

  for (const c of open.values()) {
    if (c.status === 'new' && (c.assignedTo === me || mayTake(actor, c) || leads(c))) {
      items.push({
        kind: 'takeCase', at: c.createdAt, mine: c.assignedTo === me,
        case: { code: c.code, teamId: c.teamId, schoolId: c.schoolId, grade: c.grade, category: c.category, absenceBand: c.absenceBand, assignedTo: c.assignedTo },
      });
    }
    if (c.openQuestion?.to === me && decide(actor, c, 'replyInfo').allowed) {
      items.push({ kind: 'answerQuestion', at: c.openQuestion.at, caseCode: c.code, fromId: c.assignedTo });
    }
    if (c.consent && c.kind !== 'consultation' && sees(c) && (c.consent.recordedBy === me || c.raisedBy === me || c.assignedTo === me)) {
      const state = consentState(c, today);
      const from = plusDays(c.consent.expires, -CONSENT_WARNING_DAYS);
      if (state === 'withdrawn') {
        items.push({ kind: 'consent', at: c.consent.withdrawnAt!, caseCode: c.code, expires: c.consent.expires, state: 'withdrawn' });
      } else if (today >= from) {
        items.push({ kind: 'consent', at: [startOfDay(from), c.consent.recordedAt].sort().pop()!, caseCode: c.code, expires: c.consent.expires, state: state === 'expired' ? 'expired' : 'expiring' });
      }
    }
    // The end of the insats' intensive phase: to the case's social worker, the week before.
    if (c.insats && c.assignedTo === me && sees(c) && c.insats.intensiveUntil >= today && c.insats.intensiveUntil <= plusDays(today, WORKLIST_DAYS_AHEAD)) {
      items.push({ kind: 'intensiveEnds', at: [startOfDay(plusDays(c.insats.intensiveUntil, -WORKLIST_DAYS_AHEAD)), c.insats.recordedAt].sort().pop()!, caseCode: c.code, teamId: c.teamId, date: c.insats.intensiveUntil });
    }
  }

  for (const m of input.meetings) {
    const c = open.get(m.caseCode);
    if (!c || m.status !== 'proposed' || !isOpen(m, now)) continue;
    const awaitedId = m.awaiting === 'eht' ? m.ehtId : m.socialWorkerId;
    if (awaitedId !== me || !sees(c)) continue;
    items.push({
      kind: 'answerMeeting', at: m.updatedAt, caseCode: m.caseCode, teamId: m.teamId, meetingId: m.id, meetingType: m.type,
      proposals: m.proposals, fromId: m.awaiting === 'eht' ? m.socialWorkerId : m.ehtId, countered: m.awaiting === 'eht' || m.version > 1,
    });
  }

  const horizon = plusDays(today, WORKLIST_DAYS_AHEAD);
  for (const p of input.plans) {
    const c = open.get(p.caseCode);
    if (!c || p.status !== 'active' || !decide(actor, c, 'recordPlan').allowed) continue;
    const review = nextReview(p);
    // The owner records the review; the group leader is the escalation once it is overdue.
    if (review && review.date <= horizon && (p.ownerId === me || (leads(c) && review.date < today))) {
      items.push({ kind: 'review', at: startOfDay(plusDays(review.date, -WORKLIST_DAYS_AHEAD)), caseCode: p.caseCode, teamId: p.teamId, planId: p.id, date: review.date, overdue: review.date < today });
    }
    // Plans recorded before the insats lived on the case: their own intensive phase, unless the case now has an insats.
    if (p.intensiveUntil && !c.insats && p.ownerId === me && p.intensiveUntil >= today && p.intensiveUntil <= horizon) {
      items.push({ kind: 'intensiveEnds', at: startOfDay(plusDays(p.intensiveUntil, -WORKLIST_DAYS_AHEAD)), caseCode: p.caseCode, teamId: p.teamId, planId: p.id, date: p.intensiveUntil });
    }
  }

  return items.sort((a, b) => b.at.localeCompare(a.at) || a.kind.localeCompare(b.kind));
}

/** Every case code a worklist shows (each is a read of that case, for the access log). */
export function worklistCodes(items: WorkItem[]): string[] {
  return [...new Set(items.map((i) => (i.kind === 'takeCase' ? i.case.code : i.caseCode)))].sort();
}
