import type { Case } from './concern';
import { hasRole, type Person, type Roster } from './roster';

/** Everything one can do to a case; each is checked and logged. */
export type CaseAction =
  | 'view' | 'viewSchoolRef' | 'accept' | 'requestInfo' | 'replyInfo' | 'close' | 'bookMeeting' | 'answerMeeting' | 'recordPlan' | 'nudge';

export type AccessDecision = { allowed: true; as: 'eht' | 'assignee' | 'groupLeader' } | { allowed: false; reason: string };

/**
 * Need to know (DOMAIN.md): EHT members see their own schools' cases; a social worker sees cases
 * assigned to them; a group leader sees the team's. Admins manage the roster, not cases. A concern
 * is received by the team ("whoever is on duty can take it"): a social worker of the team may take
 * (accept) one nobody has accepted yet, and it is theirs from then on; until then they see its facts
 * in their worklist, not its content.
 */
export function decide(actor: Person, c: Pick<Case, 'schoolId' | 'teamId' | 'assignedTo'> & { status?: Case['status'] }, action: CaseAction, _roster?: Roster): AccessDecision {
  const isSchoolEht = hasRole(actor, 'eht') && (actor.schools ?? []).includes(c.schoolId);
  const isAssignee = c.assignedTo === actor.id;
  const isTeamLeader = hasRole(actor, 'groupLeader') && actor.team === c.teamId;
  const isTeamSocialWorker = hasRole(actor, 'socialWorker') && actor.team === c.teamId;

  const allow = (as: 'eht' | 'assignee' | 'groupLeader'): AccessDecision => ({ allowed: true, as });
  switch (action) {
    case 'bookMeeting':
      // The school books; the social worker answers (accepts, declines or proposes other times).
      if (isSchoolEht) return allow('eht');
      break;
    case 'view':
      if (isSchoolEht) return allow('eht');
      if (isAssignee) return allow('assignee');
      if (isTeamLeader) return allow('groupLeader');
      break;
    case 'viewSchoolRef':
      if (isSchoolEht) return allow('eht');
      break;
    case 'replyInfo':
      if (isSchoolEht) return allow('eht');
      break;
    case 'accept':
      if (isAssignee) return allow('assignee');
      if (isTeamLeader) return allow('groupLeader');
      // Taking an unclaimed concern of the team makes it one's own.
      if (isTeamSocialWorker && c.status === 'new') return allow('assignee');
      break;
    case 'requestInfo':
    case 'answerMeeting':
      if (isAssignee) return allow('assignee');
      if (isTeamLeader) return allow('groupLeader');
      break;
    case 'nudge':
      // The group leader follows the team's load and reminds whoever an item waits for.
      if (isTeamLeader) return allow('groupLeader');
      break;
    case 'close':
    case 'recordPlan':
      if (isAssignee) return allow('assignee');
      if (isTeamLeader) return allow('groupLeader');
      break;
  }
  return { allowed: false, reason: `${actor.id} (${actor.roles.join(',')}) may not ${action} a case of school ${c.schoolId}` };
}

/** May this person raise a concern for this school? */
export function mayRaiseConcern(actor: Person, schoolId: string): boolean {
  return hasRole(actor, 'eht') && (actor.schools ?? []).includes(schoolId);
}

/** An unclaimed concern of the actor's team they may take (facts only until they do). */
export function mayTake(actor: Person, c: Pick<Case, 'teamId' | 'assignedTo' | 'status'>): boolean {
  return c.status === 'new' && hasRole(actor, 'socialWorker') && actor.team === c.teamId && c.assignedTo !== actor.id;
}

/** Does a case show up in this person's "my cases"? */
export function isVisibleTo(actor: Person, c: Pick<Case, 'schoolId' | 'teamId' | 'assignedTo'>): boolean {
  return decide(actor, c, 'view').allowed;
}
