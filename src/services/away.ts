import type { ActionRef, Effect } from '../domain/effects';
import { AccessDeniedError, DomainError } from '../domain/errors';
import { hasRole, personById, teamById, type AwayPeriod, type Person } from '../domain/roster';
import { parseCalendarDate, stockholmDate } from '../domain/time';
import { plusDays } from '../domain/workdays';
import type { ServiceDeps } from './deps';

/** An away period starts within this many days and lasts at most a year. */
export const AWAY_START_AHEAD_DAYS = 90;
export const AWAY_MAX_DAYS = 366;

export type AwayField = 'awayFrom' | 'awayUntil';
export type AwayProblem = 'required' | 'invalidDate' | 'dateInPast' | 'tooFar' | 'beforeStart';

/** Checks an away period typed on `today`: from today (or a later day within three months) until a day on or after it, at most a year. */
export function parseAway(values: Partial<Record<AwayField, string>>, today: string): { ok: true; from: string; until: string } | { ok: false; errors: Partial<Record<AwayField, AwayProblem>> } {
  const errors: Partial<Record<AwayField, AwayProblem>> = {};
  const from = (values.awayFrom ?? '').trim() || today;
  const until = (values.awayUntil ?? '').trim();
  if (!parseCalendarDate(from)) errors.awayFrom = 'invalidDate';
  else if (from < today) errors.awayFrom = 'dateInPast';
  else if (from > plusDays(today, AWAY_START_AHEAD_DAYS)) errors.awayFrom = 'tooFar';
  if (!until) errors.awayUntil = 'required';
  else if (!parseCalendarDate(until)) errors.awayUntil = 'invalidDate';
  else if (!errors.awayFrom && until < from) errors.awayUntil = 'beforeStart';
  else if (until > plusDays(today, AWAY_MAX_DAYS)) errors.awayUntil = 'tooFar';
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, from, until };
}

/**
 * A social worker marks themselves away (`frånvaro`) from a day until a day, or back: meanwhile the
 * concerns of their schools are suggested to the backup. The period, its access-log line and the card
 * to the group leader are one transaction in the roster's partition; a repeat stores nothing twice.
 */
export async function setAway(deps: ServiceDeps, actor: Person, period: { from: string; until: string } | undefined, action: ActionRef): Promise<{ status: 'applied' | 'repeat' | 'unchanged'; away?: AwayPeriod }> {
  const now = deps.clock.now();
  const at = now.toISOString();
  if (!hasRole(actor, 'socialWorker')) {
    await deps.accessLog.record({ at, actorId: actor.id, action: 'setAway', allowed: false, via: 'card:away.save' });
    throw new AccessDeniedError(`${actor.id} is not a social worker`);
  }
  const roster = await deps.roster.get();
  const me = personById(roster, actor.id) ?? actor;
  if (period) {
    const checked = parseAway({ awayFrom: period.from, awayUntil: period.until }, stockholmDate(now));
    if (!checked.ok) throw new DomainError('away.invalid', 'Not a valid away period');
  } else if (!me.away) {
    return { status: 'unchanged' }; // not away: nothing to end
  }
  const away: AwayPeriod | undefined = period ? { ...period, setAt: at } : undefined;
  const leader = teamById(roster, actor.team)?.groupLeader;
  const effects: Effect[] = [
    { kind: 'logAccess', entry: { at, actorId: actor.id, action: 'setAway', allowed: true, via: 'card:away.save' } },
    ...(leader && leader !== actor.id ? [{ kind: 'notify' as const, to: leader, notification: { kind: 'away' as const, personId: actor.id, ...(period ?? {}) } }] : []),
  ];
  const stored = await deps.roster.setAway(actor.id, away, { action: { id: action.id, result: { until: period?.until ?? '' } }, effects, teamId: actor.team });
  return { status: stored.applied ? 'applied' : 'repeat', away };
}
