import { decide, type CaseAction } from '../domain/access';
import { CASE_CODE_PATTERN, type Case } from '../domain/concern';
import { AccessDeniedError } from '../domain/errors';
import type { Versioned } from '../domain/ports';
import { teamsOf, type Person } from '../domain/roster';
import type { ServiceDeps } from './deps';

/**
 * Finds a case the actor may act on and logs the attempt, allowed or not. A case that does not
 * exist and one the actor may not see give the same AccessDeniedError, so codes cannot be probed.
 */
export async function loadCaseFor(
  deps: ServiceDeps,
  actor: Person,
  code: string,
  action: CaseAction,
  via: string,
): Promise<Versioned<Case> & { as: 'eht' | 'assignee' | 'groupLeader' }> {
  const roster = await deps.roster.get();
  let found: Versioned<Case> | undefined;
  // A code that cannot be a case code (tampered card data) is never used as a key.
  const teams = CASE_CODE_PATTERN.test(code) ? teamsOf(roster, actor) : [];
  for (const teamId of teams) {
    found = await deps.cases.get(teamId, code);
    if (found) break;
  }
  const decision = found ? decide(actor, found.value, action) : { allowed: false as const, reason: 'no such case in the actor\'s teams' };
  await deps.accessLog.record({
    at: deps.clock.now().toISOString(),
    actorId: actor.id,
    action,
    caseCode: CASE_CODE_PATTERN.test(code) ? code : `(invalid:${code.length} chars)`,
    schoolId: found?.value.schoolId,
    allowed: decision.allowed,
    via,
  });
  if (!found || !decision.allowed) throw new AccessDeniedError(decision.allowed ? 'unknown' : decision.reason);
  return { ...found, as: decision.as };
}
