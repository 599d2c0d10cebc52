import { randomBytes } from 'node:crypto';
import { AccessDeniedError, ConcurrencyError, DomainError } from '../domain/errors';
import { checkGoals, recordReview, suggestReviewDate, type Plan, type PlanType, type Responsibility, type ReviewOutcome } from '../domain/plan';
import type { PlanStore, Versioned } from '../domain/ports';
import { ehtMembersOf, personById, type Person } from '../domain/roster';
import type { HolidayCheck } from '../domain/slots';
import { parseCalendarDate, stockholmDate } from '../domain/time';
import { identityProblem } from '../domain/concern';
import { loadCaseFor } from './caseAccess';
import { decide } from '../domain/access';
import type { ServiceDeps } from './deps';

export interface PlanDeps extends ServiceDeps {
  plans: PlanStore;
  isHoliday: HolidayCheck;
}

export interface PlanInput {
  caseCode: string;
  type: PlanType;
  goals: string[];
  responsibilities: Responsibility[];
  reviewDate: string;
}

export const RESPONSIBILITY_MAX = 200;

/** Ids from card data are checked before they are used as keys (tampered payloads). */
const validIds = (teamId: string, planId: string) => /^[A-Za-z0-9_.-]{1,64}$/.test(teamId) && /^[0-9a-f]{12}$/.test(planId);

function checkReviewDate(date: string, today: string): string {
  if (!parseCalendarDate(date)) throw new DomainError('plan.invalidDate', 'Not a date');
  if (date <= today) throw new DomainError('plan.dateInPast', 'Review date must be after today');
  return date;
}

/** The suggested first review date for a new plan (once per term at least). */
export function suggestedReview(deps: PlanDeps): string {
  return suggestReviewDate(stockholmDate(deps.clock.now()), deps.isHoliday);
}

/**
 * The case's social worker (or group leader) records a plan; its reviews are scheduled as
 * reminders to the owner and the school's EHT contact.
 */
export async function recordPlan(deps: PlanDeps, actor: Person, input: PlanInput): Promise<Plan> {
  const found = await loadCaseFor(deps, actor, input.caseCode, 'recordPlan', 'card:plan.record');
  const c = found.value;
  if (c.status === 'closed') throw new DomainError('case.transition', 'The case is closed');
  const roster = await deps.roster.get();
  const goals = checkGoals(input.goals);
  for (const r of input.responsibilities) {
    if (r.personId && !personById(roster, r.personId)) throw new DomainError('plan.unknownPerson', 'Responsible person is not in the roster');
    if (r.what.length > RESPONSIBILITY_MAX || (r.role ?? '').length > 60) throw new DomainError('plan.goalTooLong', 'Too long', { max: RESPONSIBILITY_MAX });
    if (identityProblem(r.what) || identityProblem(r.role ?? '')) throw new DomainError('plan.personnummer', 'Looks like a personnummer');
  }
  const now = deps.clock.now();
  const at = now.toISOString();
  const ehtContact = personById(roster, c.raisedBy) ?? ehtMembersOf(roster, c.schoolId)[0];
  const plan: Plan = {
    id: randomBytes(6).toString('hex'),
    caseCode: c.code,
    teamId: c.teamId,
    schoolId: c.schoolId,
    type: input.type,
    goals,
    responsibilities: input.responsibilities,
    reviews: [{ date: checkReviewDate(input.reviewDate, stockholmDate(now)), status: 'planned' }],
    status: 'active',
    ownerId: c.assignedTo,
    ehtContactId: ehtContact?.id ?? c.raisedBy,
    createdAt: at,
    updatedAt: at,
  };
  await deps.plans.create(plan, [{ caseCode: c.code, at, kind: 'planRecorded', by: actor.id, ref: plan.id }]);
  // A case with a plan is active: accepted → active.
  if (c.status === 'accepted') {
    await deps.cases.update({ ...c, status: 'active', updatedAt: at, lastActivityAt: at }, found.etag, [{ caseCode: c.code, at, kind: 'activated', by: actor.id }]).catch((err) => {
      if (!(err instanceof ConcurrencyError)) throw err; // changed meanwhile: it stays as the other change left it
    });
  }
  await deps.reminders.onPlan(plan);
  return plan;
}

/** A plan the actor may see (need-to-know check and access log via its case). */
export async function loadPlanFor(deps: PlanDeps, actor: Person, teamId: string, planId: string, via: string): Promise<Versioned<Plan>> {
  const stored = validIds(teamId, planId) ? await deps.plans.get(teamId, planId) : undefined;
  if (!stored) throw new AccessDeniedError('no such plan');
  await loadCaseFor(deps, actor, stored.value.caseCode, 'view', via);
  return stored;
}

/** The outcome of a review: done (next date), moved (new date) or plan ended. Schedules the next reminders. */
export async function recordReviewOutcome(
  deps: PlanDeps,
  actor: Person,
  ref: { teamId: string; planId: string; date: string },
  outcome: ReviewOutcome,
  nextDate?: string,
): Promise<Plan> {
  const stored = validIds(ref.teamId, ref.planId) ? await deps.plans.get(ref.teamId, ref.planId) : undefined;
  if (!stored) {
    await deps.accessLog.record({ at: deps.clock.now().toISOString(), actorId: actor.id, action: 'recordPlan', allowed: false, via: 'card:plan.review' });
    throw new AccessDeniedError('no such plan');
  }
  await loadCaseFor(deps, actor, stored.value.caseCode, 'recordPlan', 'card:plan.review');
  const now = deps.clock.now();
  if (outcome !== 'ended') {
    if (!nextDate) throw new DomainError('plan.nextDateRequired', 'Next review date required');
    checkReviewDate(nextDate, stockholmDate(now));
  }
  const next = recordReview(stored.value, ref.date, outcome, actor.id, now, outcome === 'ended' ? undefined : nextDate);
  await deps.plans.update(next, stored.etag, [{ caseCode: next.caseCode, at: now.toISOString(), kind: 'reviewRecorded', by: actor.id, ref: `${outcome}:${ref.date}` }]);
  await deps.reminders.onPlan(next);
  return next;
}

/** Plans of a case, for someone allowed to see the case, and whether they may record plans and reviews. */
export async function plansOfCase(deps: PlanDeps, actor: Person, caseCode: string): Promise<{ plans: Plan[]; canEdit: boolean }> {
  const found = await loadCaseFor(deps, actor, caseCode, 'view', 'card:plan.list');
  const plans = await deps.plans.listByCase(found.value.teamId, caseCode);
  return { plans, canEdit: decide(actor, found.value, 'recordPlan').allowed && found.value.status !== 'closed' };
}
