import type { Case } from './concern';
import { hasRole, type Person, type Roster } from './roster';

/** Everything one can do to a case; each is checked and logged. */
export type CaseAction =
  | 'view' | 'viewSchoolRef' | 'accept' | 'requestInfo' | 'replyInfo' | 'close' | 'bookMeeting' | 'answerMeeting' | 'recordPlan' | 'nudge'
  | 'recordConsent' | 'withdrawConsent' | 'reassign' | 'recordInsats' | 'recordReport' | 'setStaff';

/** The capacity in which someone acts on a case: the school's EHT, its social worker, the team's group leader, or a school-side team member taking part. */
export type CaseRole = 'eht' | 'assignee' | 'groupLeader' | 'staff';

export type AccessDecision = { allowed: true; as: CaseRole } | { allowed: false; reason: string };

/**
 * Need to know (DOMAIN.md): EHT members see their own schools' cases; a social worker sees cases
 * assigned to them; a group leader sees the team's; a school-side member of the joint team sees the
 * cases they take part in. Admins manage the roster, not cases. A concern is received by the team
 * ("whoever is on duty can take it"): a social worker of the team may take (accept) one nobody has
 * accepted yet, and it is theirs from then on; until then they see its facts in their worklist, not
 * its content.
 */
export function decide(actor: Person, c: Pick<Case, 'schoolId' | 'teamId' | 'assignedTo'> & { status?: Case['status']; staff?: string[] }, action: CaseAction, _roster?: Roster): AccessDecision {
  const isSchoolEht = hasRole(actor, 'eht') && (actor.schools ?? []).includes(c.schoolId);
  const isAssignee = c.assignedTo === actor.id && (hasRole(actor, 'socialWorker') || hasRole(actor, 'groupLeader'));
  const isTeamLeader = hasRole(actor, 'groupLeader') && actor.team === c.teamId;
  const isTeamSocialWorker = hasRole(actor, 'socialWorker') && actor.team === c.teamId;
  const isStaff = hasRole(actor, 'schoolStaff') && actor.team === c.teamId && (c.staff ?? []).includes(actor.id);

  const allow = (as: CaseRole): AccessDecision => ({ allowed: true, as });
  switch (action) {
    case 'bookMeeting':
      // Either side proposes: the school's EHT, or the case's social worker; the other answers.
      if (isSchoolEht) return allow('eht');
      if (isAssignee) return allow('assignee');
      break;
    case 'view':
      if (isSchoolEht) return allow('eht');
      if (isAssignee) return allow('assignee');
      if (isTeamLeader) return allow('groupLeader');
      if (isStaff) return allow('staff');
      break;
    case 'recordConsent':
    case 'withdrawConsent':
      // The guardians may tell either side: the school's EHT, the case's social worker or the group leader records it.
      if (isSchoolEht) return allow('eht');
      if (isAssignee) return allow('assignee');
      if (isTeamLeader) return allow('groupLeader');
      break;
    case 'recordReport':
      // That an orosanmälan was made (a date, no content): anyone working on the case.
      if (isSchoolEht) return allow('eht');
      if (isAssignee) return allow('assignee');
      if (isTeamLeader) return allow('groupLeader');
      if (isStaff) return allow('staff');
      break;
    case 'reassign':
      // Handläggarbyte, and assigning a concern nobody took: the team's group leader.
      if (isTeamLeader) return allow('groupLeader');
      break;
    case 'recordInsats':
    case 'setStaff':
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
export function isVisibleTo(actor: Person, c: Pick<Case, 'schoolId' | 'teamId' | 'assignedTo'> & { staff?: string[] }): boolean {
  return decide(actor, c, 'view').allowed;
}
