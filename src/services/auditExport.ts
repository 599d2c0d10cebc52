import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { toCsv, type ExportLabels } from './csv';
import { ZONE } from '../domain/time';
import { AccessDeniedError, DomainError } from '../domain/errors';
import type { AccessLog, AccessLogEntry } from '../domain/ports';
import { hasRole, type Person, type Roster } from '../domain/roster';
import type { Clock } from '../domain/clock';
import { parseCalendarDate } from '../domain/time';
import { atLocal, plusDays } from '../domain/workdays';
import { DOWNLOAD_TTL_MS, type DownloadStore } from './report';

export interface AuditDeps {
  clock: Clock;
  accessLog: AccessLog;
  downloads: DownloadStore;
}

/** The Stockholm dates from–to (inclusive) as an instant range. */
export function auditRange(from: string, to: string): { fromIso: string; toIso: string } {
  if (!parseCalendarDate(from) || !parseCalendarDate(to)) throw new DomainError('audit.invalidDate', 'Not a date');
  if (to < from) throw new DomainError('audit.rangeReversed', 'The end is before the start');
  return { fromIso: atLocal(from, '00:00').toISOString(), toIso: atLocal(plusDays(to, 1), '00:00').toISOString() };
}

/** An admin asks for the access log of a date range: a download link (the export is itself logged). */
export async function createAuditExport(deps: AuditDeps, actor: Person, from: string, to: string): Promise<{ token: string; count: number }> {
  const at = deps.clock.now().toISOString();
  if (!hasRole(actor, 'admin')) {
    await deps.accessLog.record({ at, actorId: actor.id, action: 'export', allowed: false, via: 'card:audit.export' });
    throw new AccessDeniedError(`${actor.id} is not an admin`);
  }
  const { fromIso, toIso } = auditRange(from, to);
  const count = (await deps.accessLog.list(fromIso, toIso)).length;
  const token = randomBytes(16).toString('hex');
  await deps.downloads.put(token, { kind: 'auditLog', from, to, createdBy: actor.id, expiresAt: new Date(deps.clock.now().getTime() + DOWNLOAD_TTL_MS).toISOString() });
  await deps.accessLog.record({ at, actorId: actor.id, action: 'export', allowed: true, via: `audit:${from}..${to}` });
  return { token, count };
}

/**
 * The access log as CSV for the municipality's monthly review (who, what, which case, when, from
 * where), in Swedish words and Swedish local time; the ids stay beside the words for look-ups.
 */
export function auditCsv(entries: AccessLogEntry[], roster: Roster, labels: ExportLabels): string {
  const name = (id: string) => roster.people.find((p) => p.id === id)?.name ?? labels.actor(id) ?? id;
  const school = (id: string | undefined) => (id ? (roster.schools.find((s) => s.id === id)?.name ?? id) : '');
  const rows = [...entries]
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((e) => [
      DateTime.fromISO(e.at, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm:ss'),
      name(e.actorId), e.actorId, labels.action(e.action), e.caseCode ?? '', school(e.schoolId), e.allowed ? 'ja' : 'nej', labels.via(e.via), e.via,
    ]);
  return toCsv([['tid (svensk tid)', 'vem', 'person-id', 'åtgärd', 'ärende', 'skola', 'tillåten', 'varifrån', 'kod'], ...rows]);
}
