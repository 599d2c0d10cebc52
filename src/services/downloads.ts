import type { RosterStore } from '../domain/ports';
import { auditCsv, auditRange, type AuditDeps } from './auditExport';
import type { DeliveryDeps } from './deliverReminder';
import { yearReport, yearReportCsv, type DownloadStore } from './yearReport';

export interface DownloadFile {
  filename: string;
  contentType: string;
  body: string;
}

/** Serves a download link: the yearly report or an access-log export, as CSV (with a BOM, for Excel). */
export async function serveDownload(deps: DeliveryDeps & AuditDeps & { downloads: DownloadStore; roster: RosterStore }, token: string): Promise<DownloadFile | undefined> {
  const item = await deps.downloads.take(token, deps.clock.now());
  if (!item) return undefined;
  const roster = await deps.roster.get();
  const at = deps.clock.now().toISOString();
  if (item.kind === 'yearReport') {
    await deps.accessLog.record({ at, actorId: item.createdBy, action: 'export', allowed: true, via: `download:report:${item.year}` });
    const body = yearReportCsv(await yearReport(deps, item.scope, item.year), (id) => roster.schools.find((s) => s.id === id)?.name ?? id);
    return { filename: `verksamhetsberattelse-${item.year}.csv`, contentType: 'text/csv; charset=utf-8', body: `\uFEFF${body}` };
  }
  const { fromIso, toIso } = auditRange(item.from, item.to);
  const entries = await deps.accessLog.list(fromIso, toIso);
  await deps.accessLog.record({ at, actorId: item.createdBy, action: 'export', allowed: true, via: `download:audit:${item.from}..${item.to}` });
  return { filename: `atkomstlogg-${item.from}-${item.to}.csv`, contentType: 'text/csv; charset=utf-8', body: `\uFEFF${auditCsv(entries, roster)}` };
}
