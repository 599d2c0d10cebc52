import { AccessDeniedError } from '../domain/errors';
import type { RosterStore } from '../domain/ports';
import type { ExportLabels } from './csv';
import { hasRole, personById } from '../domain/roster';
import { auditCsv, auditRange, type AuditDeps } from './auditExport';
import type { DeliveryDeps } from './deliverReminder';
import { report, reportCsv, reportScope, type DownloadStore } from './report';

export interface DownloadFile {
  filename: string;
  contentType: string;
  body: string;
}

/** The file; or the link's creator may no longer download it; or the link is unknown, used or expired. */
export type DownloadResult = { kind: 'file'; file: DownloadFile } | { kind: 'refused' } | { kind: 'gone' };

/**
 * Serves a download link, once: the follow-up report or an access-log export, as CSV for a Swedish
 * Excel (see toCsv). The link's creator is checked again now (a group leader or admin who lost the role gets
 * nothing), and the access log says the link was used, with its creator (whoever holds a link can
 * open it; the log does not claim the creator did).
 */
export async function serveDownload(deps: DeliveryDeps & AuditDeps & { downloads: DownloadStore; roster: RosterStore; exportLabels: ExportLabels }, token: string): Promise<DownloadResult> {
  const item = await deps.downloads.take(token, deps.clock.now());
  if (!item) return { kind: 'gone' };
  const roster = await deps.roster.get();
  const creator = personById(roster, item.createdBy);
  const at = deps.clock.now().toISOString();
  const used = (allowed: boolean, what: string) =>
    deps.accessLog.record({ at, actorId: 'download-link', action: 'export', allowed, via: `download:${what}:created-by:${item.createdBy}` });
  if (item.kind === 'report') {
    const { start, end } = item.period;
    const scope = creator ? await reportScope(deps, creator).catch((err) => (err instanceof AccessDeniedError ? [] : Promise.reject(err))) : [];
    if (!item.scope.every((teamId) => scope.includes(teamId))) {
      await used(false, `report:${start}..${end}`);
      return { kind: 'refused' };
    }
    await used(true, `report:${start}..${end}`);
    const body = reportCsv(await report(deps, item.scope, item.period), (id) => roster.schools.find((s) => s.id === id)?.name ?? id, deps.exportLabels);
    return { kind: 'file', file: { filename: `uppfoljning-${start}-${end}.csv`, contentType: 'text/csv; charset=utf-8', body } };
  }
  if (!creator || !hasRole(creator, 'admin')) {
    await used(false, `audit:${item.from}..${item.to}`);
    return { kind: 'refused' };
  }
  const { fromIso, toIso } = auditRange(item.from, item.to);
  const entries = await deps.accessLog.list(fromIso, toIso);
  await used(true, `audit:${item.from}..${item.to}`);
  return { kind: 'file', file: { filename: `atkomstlogg-${item.from}-${item.to}.csv`, contentType: 'text/csv; charset=utf-8', body: auditCsv(entries, roster, deps.exportLabels) } };
}
