import { DateTime } from 'luxon';
import type { AccessLog, CaseStore, RosterStore } from '../domain/ports';
import type { Clock } from '../domain/clock';
import { ZONE } from '../domain/time';

export interface RetentionDeps {
  clock: Clock;
  roster: RosterStore;
  cases: CaseStore;
  accessLog: AccessLog;
  /** Deletes whole partitions of time-partitioned housekeeping data older than the cutoff. */
  housekeeping: Array<{ name: string; purgeBefore(cutoff: Date): Promise<number> }>;
}

export interface RetentionPolicy {
  /** Closed cases are purged this many months after closing (the municipality's dokumenthanteringsplan). */
  caseMonths: number;
  /** The access log keeps its own period. */
  accessLogMonths: number;
}

/**
 * Purges closed cases (with their events, meetings, plans and relayed messages, all stored beside
 * the case) older than the retention period, and old housekeeping data. Each purge is itself
 * written to the access log. Nothing else in the bot deletes case data.
 */
export async function purgeExpired(deps: RetentionDeps, policy: RetentionPolicy): Promise<{ cases: number; rows: number; housekeeping: Record<string, number> }> {
  const now = deps.clock.now();
  const cutoff = DateTime.fromJSDate(now, { zone: ZONE }).minus({ months: policy.caseMonths }).toJSDate().toISOString();
  const roster = await deps.roster.get();
  let cases = 0;
  let rows = 0;
  for (const team of roster.teams) {
    for (const c of await deps.cases.listByTeam(team.id)) {
      if (c.status !== 'closed' || c.updatedAt >= cutoff) continue;
      // Logged first, under a key of its own: a purge interrupted half-way is finished by the next run,
      // which finds the case (its row goes last) and logs nothing twice.
      await deps.accessLog.record({ at: now.toISOString(), actorId: 'system:retention', action: 'purge', caseCode: c.code, schoolId: c.schoolId, allowed: true, via: `retention:${policy.caseMonths}m` }, `purge|${team.id}|${c.code}`);
      rows += await deps.cases.purge(team.id, c.code);
      cases++;
    }
  }
  const housekeeping: Record<string, number> = {};
  const logCutoff = DateTime.fromJSDate(now, { zone: ZONE }).minus({ months: policy.accessLogMonths }).toJSDate();
  for (const h of deps.housekeeping) housekeeping[h.name] = await h.purgeBefore(h.name === 'accessLog' ? logCutoff : DateTime.fromJSDate(now).minus({ days: 35 }).toJSDate());
  return { cases, rows, housekeeping };
}
