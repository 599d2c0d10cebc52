import type { Case } from '../domain/concern';
import { isOpen, partyOf, type Meeting } from '../domain/meeting';
import type { MeetingStore, PlanStore } from '../domain/ports';
import { hasRole, teamsOf, type Person } from '../domain/roster';
import { buildWorklist, worklistCodes, type WorkItem } from '../domain/worklist';
import type { ServiceDeps } from './deps';

export interface WorklistDeps extends ServiceDeps {
  meetings: MeetingStore;
  plans: PlanStore;
}

/** The cases a worklist looks at in one team: the person's own (by the need-to-know columns), and for social workers the team's unclaimed ones. */
async function casesFor(deps: WorklistDeps, actor: Person, teamId: string): Promise<Case[]> {
  // A group leader reads the team; a school-side team member too (the cases they take part in are not a column).
  if ((hasRole(actor, 'groupLeader') || hasRole(actor, 'schoolStaff')) && actor.team === teamId) return (await deps.cases.listByTeam(teamId)).filter((c) => c.status !== 'closed');
  return deps.cases.listFor(teamId, {
    schoolIds: hasRole(actor, 'eht') ? actor.schools : undefined,
    assignedTo: actor.id,
    unclaimed: hasRole(actor, 'socialWorker') && actor.team === teamId,
  });
}

/**
 * "Att göra": everything waiting for this person, newest first (see buildWorklist). Every case code
 * it shows is a read of that case: logged before it is shown.
 */
export async function worklist(deps: WorklistDeps, actor: Person, via: string): Promise<WorkItem[]> {
  const items = await gather(deps, actor);
  const schools = new Map<string, string>();
  for (const i of items) if (i.kind === 'takeCase') schools.set(i.case.code, i.case.schoolId);
  await logListed(deps, actor, worklistCodes(items), [...schools].map(([code, schoolId]) => ({ code, schoolId })), via);
  return items;
}

async function gather(deps: WorklistDeps, actor: Person): Promise<WorkItem[]> {
  const roster = await deps.roster.get();
  const items: WorkItem[] = [];
  for (const teamId of teamsOf(roster, actor)) {
    const [cases, meetings, plans] = await Promise.all([casesFor(deps, actor, teamId), deps.meetings.listByTeam(teamId), deps.plans.listByTeam(teamId)]);
    items.push(...buildWorklist({ actor, now: deps.clock.now(), cases, meetings, plans }));
  }
  return items.sort((a, b) => b.at.localeCompare(a.at) || a.kind.localeCompare(b.kind));
}

/**
 * How many things wait for this person (the welcome and help say so, with the button to the list).
 * Only a number is shown, no case code: not a read of any one case, so nothing is logged.
 */
export async function waitingCount(deps: WorklistDeps, actor: Person): Promise<number> {
  return (await gather(deps, actor)).length;
}

/**
 * "Möten": the person's own meetings (they are one of the two parties) that are still ahead or
 * waiting for an answer, on open cases, soonest first (waiting ones by their first proposed time).
 */
export async function myMeetings(deps: WorklistDeps, actor: Person, via: string): Promise<Array<{ meeting: Meeting; case: Case }>> {
  const roster = await deps.roster.get();
  const now = deps.clock.now();
  const found: Array<{ meeting: Meeting; case: Case }> = [];
  for (const teamId of teamsOf(roster, actor)) {
    const meetings = (await deps.meetings.listByTeam(teamId)).filter((m) => partyOf(m, actor.id) !== undefined && isOpen(m, now));
    if (meetings.length === 0) continue;
    const cases = new Map((await casesFor(deps, actor, teamId)).map((c) => [c.code, c]));
    for (const m of meetings) {
      const c = cases.get(m.caseCode);
      if (c && c.status !== 'closed') found.push({ meeting: m, case: c });
    }
  }
  const when = (m: Meeting) => m.start ?? [...m.proposals].sort()[0] ?? m.updatedAt;
  found.sort((a, b) => when(a.meeting).localeCompare(when(b.meeting)));
  await logListed(deps, actor, [...new Set(found.map((f) => f.case.code))], found.map((f) => f.case), via);
  return found;
}

async function logListed(deps: ServiceDeps, actor: Person, codes: string[], cases: Array<Pick<Case, 'code' | 'schoolId'> | undefined>, via: string): Promise<void> {
  const school = new Map(cases.filter((c): c is Pick<Case, 'code' | 'schoolId'> => c !== undefined).map((c) => [c.code, c.schoolId]));
  const at = deps.clock.now().toISOString();
  await deps.accessLog.recordMany(codes.map((code) => ({ at, actorId: actor.id, action: 'list', caseCode: code, schoolId: school.get(code), allowed: true, via })));
}
