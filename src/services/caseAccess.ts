import { decide, type CaseAction, type CaseRole } from '../domain/access';
import { CASE_CODE_PATTERN, type Case } from '../domain/concern';
import type { Effect } from '../domain/effects';
import { AccessDeniedError } from '../domain/errors';
import type { AccessLogEntry, Versioned } from '../domain/ports';
import { teamsOf, type Person } from '../domain/roster';
import type { ServiceDeps } from './deps';

export type { CaseRole };

/**
 * Finds a case the actor may act on. A case that does not exist and one the actor may not see give
 * the same AccessDeniedError, so codes cannot be probed; every refusal is logged at once. An allowed
 * read is logged at once too; for a change (`forChange`) the allowed entry is returned instead, to be
 * stored with the change as one of its effects (a change never exists without it, nor it without the change).
 */
export async function loadCaseFor(
  deps: ServiceDeps,
  actor: Person,
  code: string,
  action: CaseAction,
  via: string,
  opts: { forChange?: boolean } = {},
): Promise<Versioned<Case> & { as: CaseRole; logEntry: AccessLogEntry }> {
  const roster = await deps.roster.get();
  let found: Versioned<Case> | undefined;
  // A code that cannot be a case code (tampered card data) is never used as a key.
  const teams = CASE_CODE_PATTERN.test(code) ? teamsOf(roster, actor) : [];
  for (const teamId of teams) {
    found = await deps.cases.get(teamId, code);
    if (found) break;
  }
  const decision = found ? decide(actor, found.value, action) : { allowed: false as const, reason: 'no such case in the actor\'s teams' };
  const entry: AccessLogEntry = {
    at: deps.clock.now().toISOString(),
    actorId: actor.id,
    action,
    caseCode: CASE_CODE_PATTERN.test(code) ? code : `(invalid:${code.length} chars)`,
    schoolId: found?.value.schoolId,
    allowed: decision.allowed,
    via,
  };
  if (!found || !decision.allowed) {
    await deps.accessLog.record(entry);
    throw new AccessDeniedError(decision.allowed ? 'unknown' : decision.reason);
  }
  if (!opts.forChange) await deps.accessLog.record(entry);
  return { ...found, as: decision.as, logEntry: entry };
}

/** The access-log effect of a change. */
export const logged = (entry: AccessLogEntry): Effect => ({ kind: 'logAccess', entry });
