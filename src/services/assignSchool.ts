import type { ActionRef, Effect } from '../domain/effects';
import { AccessDeniedError, DomainError } from '../domain/errors';
import { ehtMembersOf, hasRole, personById, schoolById, type Person, type School, knownSchoolId } from '../domain/roster';
import type { ServiceDeps } from './deps';

/**
 * An admin gives a school a new social worker (and optionally a backup) from the bot; the school's
 * EHT members are told who their new contact is. The change, its access-log entry and the cards are
 * one transaction; existing cases keep their assignee.
 */
export async function assignSchool(
  deps: ServiceDeps,
  actor: Person,
  change: { schoolId: string; socialWorkerId: string; backupSocialWorkerId?: string },
  action: ActionRef,
): Promise<{ school: School; told: number; status: 'applied' | 'repeat' }> {
  const at = deps.clock.now().toISOString();
  if (!hasRole(actor, 'admin')) {
    await deps.accessLog.record({ at, actorId: actor.id, action: 'reassignSchool', schoolId: knownSchoolId(await deps.roster.get(), change.schoolId), allowed: false, via: 'card:admin.assignSchool' });
    throw new AccessDeniedError(`${actor.id} is not an admin`);
  }
  const roster = await deps.roster.get();
  const school = schoolById(roster, change.schoolId);
  const inTeam = (id: string | undefined) => {
    const p = personById(roster, id);
    return p !== undefined && hasRole(p, 'socialWorker') && p.team === school?.team;
  };
  if (!school || !inTeam(change.socialWorkerId) || (change.backupSocialWorkerId && (!inTeam(change.backupSocialWorkerId) || change.backupSocialWorkerId === change.socialWorkerId))) {
    throw new DomainError('assign.invalid', 'School or social worker not valid for this team');
  }
  const updated: School = { ...school, socialWorker: change.socialWorkerId, backupSocialWorker: change.backupSocialWorkerId || undefined };
  const members = ehtMembersOf(roster, school.id);
  const effects: Effect[] = [
    { kind: 'logAccess', entry: { at, actorId: actor.id, action: 'reassignSchool', schoolId: school.id, allowed: true, via: 'card:admin.assignSchool' } },
    ...members.map((m): Effect => ({ kind: 'notify', to: m.id, notification: { kind: 'newContact', schoolId: school.id, socialWorkerId: change.socialWorkerId } })),
  ];
  const stored = await deps.roster.saveSchool(updated, { action: { id: action.id, result: { schoolId: school.id } }, effects });
  return { school: stored.applied ? updated : (schoolById(await deps.roster.get(), school.id) ?? updated), told: members.length, status: stored.applied ? 'applied' : 'repeat' };
}
