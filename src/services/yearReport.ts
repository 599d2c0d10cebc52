import { randomBytes } from 'node:crypto';
import { toCsv, type ExportLabels } from './csv';
import { OUTCOMES } from '../domain/concern';
import { AccessDeniedError } from '../domain/errors';
import { buildYearReport, publishYearReport, reportPeriod, type YearReport } from '../domain/report';
import { settingsOf } from '../domain/settings';
import { hasRole, type Person } from '../domain/roster';
import type { DeliveryDeps } from './deliverReminder';

export type Download =
  | { kind: 'yearReport'; scope: string[]; year: number; createdBy: string }
  | { kind: 'auditLog'; from: string; to: string; createdBy: string };

/** Download links: a random token, valid for a short while, naming what one person may download. */
export interface DownloadStore {
  put(token: string, item: Download & { expiresAt: string }): Promise<void>;
  take(token: string, now: Date): Promise<Download | undefined>;
}

/** A download link works once, within ten minutes (it is opened right after the card shows it). */
export const DOWNLOAD_TTL_MS = 10 * 60_000;

/** Teams whose figures a person may see: a group leader their own, an admin all. */
export async function reportScope(deps: DeliveryDeps, actor: Person): Promise<string[]> {
  const roster = await deps.roster.get();
  if (hasRole(actor, 'admin')) return roster.teams.map((t) => t.id);
  if (hasRole(actor, 'groupLeader') && actor.team) return [actor.team];
  throw new AccessDeniedError(`${actor.id} may not see the yearly report`);
}

/**
 * The yearly report for the teams in `scope` (counts only, no case codes), for the report period that
 * starts in `year` (the municipality's period: the calendar year unless its settings say otherwise).
 */
export async function yearReport(deps: DeliveryDeps, scope: string[], year: number): Promise<YearReport> {
  const { report } = settingsOf((await deps.roster.get()).municipality);
  const { start, end } = reportPeriod(year, report);
  const parts = await Promise.all(
    scope.map(async (teamId) => ({ cases: await deps.cases.listByTeam(teamId), meetings: await deps.meetings.listByTeam(teamId), plans: await deps.plans.listByTeam(teamId) })),
  );
  return buildYearReport({ year, period: { start, end }, now: deps.clock.now(), cases: parts.flatMap((p) => p.cases), meetings: parts.flatMap((p) => p.meetings), plans: parts.flatMap((p) => p.plans) });
}

/** How a report period is named: its year when it is the calendar year, else "2026/27". */
export function periodLabel(report: Pick<YearReport, 'year' | 'period'>): string {
  const start = report.period?.start ?? `${report.year}-01-01`;
  return start.endsWith('-01-01') ? String(report.year) : `${report.year}/${String((report.year + 1) % 100).padStart(2, '0')}`;
}

/**
 * The report as CSV for the municipality (Swedish headers and labels for every code; see toCsv for
 * Excel), as published: cells of 1–4 are "<5" (see publishYearReport).
 */
export function yearReportCsv(report: YearReport, schoolName: (id: string) => string, labels: ExportLabels): string {
  const header = [
    'period', 'skola', 'kategori', 'förfrågningar', 'avidentifierade konsultationer', 'varav blev förfrågan', 'möten genomförda', 'planer', 'uppföljningar i tid', 'uppföljningar sena', 'median dagar till första möte',
    ...OUTCOMES.map((o) => `utfall: ${labels.outcome(o)}`),
  ];
  const published = publishYearReport(report);
  const label = periodLabel(report);
  const rows: unknown[][] = published.rows.map((r) => [
    label, schoolName(r.schoolId), labels.category(r.category), r.requests, r.consultations, r.consultationsConverted, r.meetingsHeld, r.plans, r.reviewsOnTime, r.reviewsLate, r.medianDaysToFirstMeeting, ...OUTCOMES.map((o) => r.outcomes[o]),
  ]);
  const t = published.totals;
  rows.push([label, 'totalt', '', t.requests, t.consultations, t.consultationsConverted, t.meetingsHeld, t.plans, t.reviewsOnTime, t.reviewsLate, t.medianDaysToFirstMeeting, ...OUTCOMES.map((o) => t.outcomes[o])]);
  return toCsv([header, ...rows]);
}

/** Creates a download link token for the actor's report. */
export async function createReportDownload(deps: DeliveryDeps & { downloads: DownloadStore }, actor: Person, year: number): Promise<string> {
  const scope = await reportScope(deps, actor);
  const token = randomBytes(16).toString('hex');
  await deps.downloads.put(token, { kind: 'yearReport', scope, year, createdBy: actor.id, expiresAt: new Date(deps.clock.now().getTime() + DOWNLOAD_TTL_MS).toISOString() });
  return token;
}
