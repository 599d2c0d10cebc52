import { randomBytes } from 'node:crypto';
import type { ActionRef } from '../domain/effects';
import { AccessDeniedError, DomainError, FormProblems } from '../domain/errors';
import { absenceMeasure, addAbsence, parseAbsence, type AbsenceValues } from '../domain/absence';
import { checkGoals, checkResponsibilities, parseAttainments, recordReview, suggestReviewDate, type Plan, type PlanType, type Responsibility, type ReviewOutcome } from '../domain/plan';
import type { PlanStore, Versioned } from '../domain/ports';
import { planReminders } from '../domain/reminders';
import { ehtMembersOf, hasRole, personById, teamById, type Person, type Roster } from '../domain/roster';
import { familyWorkProblem, mustAllowFamilyWork, type FamilyWorkProblem } from '../domain/consent';
import { settingsOf } from '../domain/settings';
import { withStaff } from './caseWork';
import { parseCalendarDate, stockholmDate } from '../domain/time';
import type { Case } from '../domain/concern';
import { loadCaseFor } from './caseAccess';
import { activation, changeCase, type ChangeOutcome } from './concerns';
import { decide } from '../domain/access';
import type { ServiceDeps } from './deps';

export interface PlanDeps extends ServiceDeps {
  plans: PlanStore;
}

export interface PlanInput {
  caseCode: string;
  type: PlanType;
  goals: string[];
  responsibilities: Responsibility[];
  reviewDate: string;
}

/**
 * The roster members a plan's responsibility may name: the school's EHT members, and the social
 * workers, school-side members (lärare, specialpedagog, speciallärare: the school situation is theirs)
 * and group leader of the case's team. Everyone else is named by a fixed role (vårdnadshavare, eleven, …).
 */
export function responsiblePeople(roster: Roster, c: Pick<Case, 'schoolId' | 'teamId'>): Person[] {
  const leader = teamById(roster, c.teamId)?.groupLeader;
  const team = roster.people.filter((p) => p.team === c.teamId && (hasRole(p, 'socialWorker') || hasRole(p, 'schoolStaff') || p.id === leader));
  return [...ehtMembersOf(roster, c.schoolId), ...team.filter((p) => !ehtMembersOf(roster, c.schoolId).includes(p))];
}

/** Ids from card data are checked before they are used as keys (tampered payloads). */
const validIds = (teamId: string, planId: string) => /^[A-Za-z0-9_.-]{1,64}$/.test(teamId) && /^[0-9a-f]{12}$/.test(planId);

function checkReviewDate(date: string, today: string): string {
  if (!parseCalendarDate(date)) throw new DomainError('plan.invalidDate', 'Not a date');
  if (date <= today) throw new DomainError('plan.dateInPast', 'Review date must be after today');
  return date;
}

/** The suggested first review date for a new plan (within the term, by the municipality's läsårstider). */
export async function suggestedReview(deps: PlanDeps): Promise<string> {
  const terms = settingsOf((await deps.roster.get()).municipality).terms;
  return suggestReviewDate(stockholmDate(deps.clock.now()), deps.isHoliday, terms);
}

/**
 * The case's social worker (or group leader) records a plan, made with the family: never on an
 * anonymous consultation, and only while the consent holds. The plan, the case's activation, the
 * school-side team members it names taking part in the case (and told), the access-log entry and the
 * review reminders (to the owner and the school's EHT contact) are one transaction. A repeat of the
 * same submission stores no second plan.
 */
export async function recordPlan(deps: PlanDeps, actor: Person, input: PlanInput, action: ActionRef): Promise<{ planId: string; status: ChangeOutcome['status'] }> {
  const roster = await deps.roster.get();
  const goals = checkGoals(input.goals);
  const outcome = await changeCase(deps, actor, input.caseCode, 'recordPlan', 'card:plan.record', action, (c, now) => {
    if (c.status === 'closed') throw new DomainError('case.transition', 'The case is closed');
    mustAllowFamilyWork(c, stockholmDate(now));
    // Who is responsible comes from the allow-list (people of this case's school and team, or a fixed role), never free text.
    const responsibilities = checkResponsibilities(input.responsibilities, responsiblePeople(roster, c).map((p) => p.id));
    const at = now.toISOString();
    const ehtContact = personById(roster, c.raisedBy) ?? ehtMembersOf(roster, c.schoolId)[0];
    const plan: Plan = {
      id: randomBytes(6).toString('hex'),
      caseCode: c.code,
      teamId: c.teamId,
      schoolId: c.schoolId,
      type: input.type,
      goals,
      responsibilities,
      reviews: [{ date: checkReviewDate(input.reviewDate, stockholmDate(now)), status: 'planned' }],
      status: 'active',
      ownerId: c.assignedTo,
      ehtContactId: ehtContact?.id ?? c.raisedBy,
      createdAt: at,
      updatedAt: at,
    };
    // The joint team's school-side members the plan names take part in the case from now on (and are told).
    const isStaff = (id: string | undefined): id is string => {
      const p = personById(roster, id);
      return p !== undefined && hasRole(p, 'schoolStaff');
    };
    const named = responsibilities.map((r) => r.personId).filter(isStaff);
    const staff = [...new Set([...(c.staff ?? []), ...named])];
    const joined = staff.length > (c.staff ?? []).length ? withStaff(c, staff, actor.id, now) : undefined;
    // A case with a plan is active: accepted → active.
    const activated = activation(joined?.case ?? c, actor.id, now);
    return {
      case: activated?.case ?? joined?.case,
      plans: [{ value: plan }],
      events: [{ caseCode: c.code, at, kind: 'planRecorded', by: actor.id, ref: plan.id }, ...(joined?.events ?? []), ...(activated?.events ?? [])],
      effects: [{ kind: 'schedule', items: planReminders(plan, teamById(roster, c.teamId)?.groupLeader, now, deps.isHoliday) }, ...(joined?.effects ?? [])],
      result: { planId: plan.id },
    };
  });
  return { planId: outcome.result.planId ?? '', status: outcome.status };
}

/** A plan the actor may see (need-to-know check and access log via its case). */
export async function loadPlanFor(deps: PlanDeps, actor: Person, teamId: string, planId: string, via: string): Promise<Versioned<Plan>> {
  const stored = validIds(teamId, planId) ? await deps.plans.get(teamId, planId) : undefined;
  if (!stored) throw new AccessDeniedError('no such plan');
  await loadCaseFor(deps, actor, stored.value.caseCode, 'view', via);
  return stored;
}

/** What a review form answers beside its outcome: the absence percentages and each goal's attainment (goal1, goal2, …), as typed. */
export type ReviewAnswers = AbsenceValues & Partial<Record<`goal${number}`, string>>;

/**
 * The outcome of a review: done (next date), moved (new date) or plan ended. A review that was held
 * (done, or the plan ends) records the pupil's absence over the last month (giltig and ogiltig, as
 * the school reads them) and each plan goal's attainment; a moved one asks for neither. The plan,
 * the case's absence measure, the timeline event, the access-log entry and the next reminders are one
 * transaction. Every problem of the form at once (FormProblems), found under the case's access check.
 */
export async function recordReviewOutcome(
  deps: PlanDeps,
  actor: Person,
  ref: { teamId: string; planId: string; date: string },
  outcome: ReviewOutcome,
  nextDate: string | undefined,
  action: ActionRef,
  answers: ReviewAnswers = {},
): Promise<{ caseCode: string; status: ChangeOutcome['status'] }> {
  const found = validIds(ref.teamId, ref.planId) ? await deps.plans.get(ref.teamId, ref.planId) : undefined;
  if (!found) {
    await deps.accessLog.record({ at: deps.clock.now().toISOString(), actorId: actor.id, action: 'recordPlan', allowed: false, via: 'card:plan.review' });
    throw new AccessDeniedError('no such plan');
  }
  const roster = await deps.roster.get();
  const result = await changeCase(deps, actor, found.value.caseCode, 'recordPlan', 'card:plan.review', action, async (c, now) => {
    // The plan as it is now (read again on a retry after a concurrent change).
    const current = (await deps.plans.get(ref.teamId, ref.planId))!;
    const problems: Record<string, string> = {};
    if (outcome !== 'ended') {
      const problem = nextDateProblem(nextDate, stockholmDate(now));
      if (problem) problems.nextDate = problem;
    }
    // Held (done or ended): the absence and every goal's attainment are required; moved: neither is asked.
    const held = outcome !== 'moved';
    const absence = held ? parseAbsence(answers) : undefined;
    if (absence && !absence.ok) Object.assign(problems, absence.errors);
    const attainments = held ? parseAttainments(answers, current.value.goals.length) : undefined;
    if (attainments && !attainments.ok) Object.assign(problems, attainments.errors);
    if (Object.keys(problems).length > 0) throw new FormProblems(problems);

    const next = recordReview(current.value, ref.date, outcome, actor.id, now, outcome === 'ended' ? undefined : nextDate, attainments?.ok ? attainments.goals : undefined);
    const at = now.toISOString();
    const measured = absence?.ok && absence.absence ? { ...c, absence: addAbsence(c.absence, absenceMeasure('review', absence.absence, actor.id, now)), updatedAt: at, lastActivityAt: at } : undefined;
    return {
      case: measured,
      plans: [{ value: next, etag: current.etag }],
      events: [{ caseCode: next.caseCode, at, kind: 'reviewRecorded', by: actor.id, ref: `${outcome}:${ref.date}` }],
      effects: [{ kind: 'schedule', items: planReminders(next, teamById(roster, next.teamId)?.groupLeader, now, deps.isHoliday) }],
      result: { planId: next.id },
    };
  });
  return { caseCode: found.value.caseCode, status: result.status };
}

/** What is wrong with a next review date, as a plan error code (plan.error.<code>), if anything. */
function nextDateProblem(date: string | undefined, today: string): 'nextDateRequired' | 'invalidDate' | 'dateInPast' | undefined {
  if (!date) return 'nextDateRequired';
  if (!parseCalendarDate(date)) return 'invalidDate';
  if (date <= today) return 'dateInPast';
  return undefined;
}

/** Plans of a case, for someone allowed to see the case, whether they may record plans and reviews, and whom a responsibility may name. */
export async function plansOfCase(
  deps: PlanDeps,
  actor: Person,
  caseCode: string,
  via = 'card:plan.list',
): Promise<{ plans: Plan[]; canEdit: boolean; canAdd: boolean; blocked?: FamilyWorkProblem; people: Person[]; case: Case }> {
  const found = await loadCaseFor(deps, actor, caseCode, 'view', via);
  const plans = await deps.plans.listByCase(found.value.teamId, caseCode);
  const canEdit = decide(actor, found.value, 'recordPlan').allowed && found.value.status !== 'closed';
  // A new plan is work with the family: not on a consultation, not while the consent does not hold (reviews of a plan go on).
  const blocked = familyWorkProblem(found.value, stockholmDate(deps.clock.now()));
  return {
    plans,
    canEdit,
    canAdd: canEdit && blocked === undefined,
    blocked,
    people: responsiblePeople(await deps.roster.get(), found.value),
    case: found.value,
  };
}
