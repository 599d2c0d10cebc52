import { randomBytes } from 'node:crypto';
import { toCsv, type ExportLabels } from './csv';
import { CATEGORIES, GRADES, INSATS_FORMS, INSATS_KINDS, OUTCOMES } from '../domain/concern';
import { AccessDeniedError } from '../domain/errors';
import { GOAL_ATTAINMENTS } from '../domain/plan';
import { buildReport, publishReport, type Report } from '../domain/report';
import type { ChosenPeriod } from '../domain/reportPeriod';
import { hasRole, type Person } from '../domain/roster';
import type { DeliveryDeps } from './deliverReminder';

export type Download =
  | { kind: 'report'; scope: string[]; period: ChosenPeriod; createdBy: string }
  | { kind: 'auditLog'; from: string; to: string; createdBy: string };

/** Download links: a random token, valid for a short while, naming what one person may download. */
export interface DownloadStore {
  put(token: string, item: Download & { expiresAt: string }): Promise<void>;
  take(token: string, now: Date): Promise<Download | undefined>;
}

/** A download link works once, within ten minutes (it is opened right after the card shows it). */
export const DOWNLOAD_TTL_MS = 10 * 60_000;

/**
 * Teams whose figures a person may see: a group leader their own; an admin and a manager (chef,
 * styrgrupp: figures only, never a case) all.
 */
export async function reportScope(deps: DeliveryDeps, actor: Person): Promise<string[]> {
  const roster = await deps.roster.get();
  if (hasRole(actor, 'admin') || hasRole(actor, 'manager')) return roster.teams.map((t) => t.id);
  if (hasRole(actor, 'groupLeader') && actor.team) return [actor.team];
  throw new AccessDeniedError(`${actor.id} may not see the report`);
}

/**
 * The follow-up report for the teams in `scope` over `period` (counts only, no case codes), with
 * every school of those teams listed.
 */
export async function report(deps: DeliveryDeps, scope: string[], period: ChosenPeriod): Promise<Report> {
  const roster = await deps.roster.get();
  const parts = await Promise.all(
    scope.map(async (teamId) => {
      const [cases, meetings, plans] = await Promise.all([deps.cases.listByTeam(teamId), deps.meetings.listByTeam(teamId), deps.plans.listByTeam(teamId)]);
      return { cases, meetings, plans };
    }),
  );
  return buildReport({
    period,
    now: deps.clock.now(),
    cases: parts.flatMap((p) => p.cases),
    meetings: parts.flatMap((p) => p.meetings),
    plans: parts.flatMap((p) => p.plans),
    schoolIds: roster.schools.filter((s) => scope.includes(s.team)).map((s) => s.id),
  });
}

/**
 * The report as CSV for the municipality (Swedish labels for every code; see toCsv for Excel), as
 * published: cells of 1–4 are "<5". Three parts, an empty line between: the key figures
 * (mått;värde), requests per school and category, and requests and consultations per month.
 */
export function reportCsv(r: Report, schoolName: (id: string) => string, labels: ExportLabels): string {
  const p = publishReport(r);
  const period = labels.period(p.period);
  const figures: unknown[][] = [
    ['period', 'mått', 'värde'],
    [period, 'förfrågningar', p.requests],
    [period, 'avidentifierade konsultationer', p.consultations],
    [period, 'varav blev förfrågan', p.consultationsConverted],
    [period, 'möten genomförda', p.meetingsHeld],
    [period, 'planer upprättade', p.plans],
    [period, 'uppföljningar i tid', p.reviewsOnTime],
    [period, 'uppföljningar sena', p.reviewsLate],
    [period, 'median dagar från förfrågan till första möte', p.daysToFirstMeeting],
    [period, 'median dagar från förfrågan till första plan', p.daysToFirstPlan],
    [period, 'median veckor intensiv fas', p.intensiveWeeks],
    ...GRADES.filter((g) => p.grades.parts[g] !== 0).map((g) => [period, `årskurs: ${labels.grade(g)}`, p.grades.parts[g]]),
    ...INSATS_FORMS.map((f) => [period, `insats, form: ${labels.insatsForm(f)}`, p.insatsForms.parts[f]]),
    ...INSATS_KINDS.map((k) => [period, `insats, typ: ${labels.insatsKind(k)}`, p.insatsKinds.parts[k]]),
    ...OUTCOMES.map((o) => [period, `utfall: ${labels.outcome(o)}`, p.outcomes.parts[o]]),
    [period, 'frånvaro: ärenden med värde före och efter', p.absence.basis],
    [period, 'frånvaro: median förändring (procentenheter)', p.absence.medianChange],
    [period, 'frånvaro: minskat minst 5 procentenheter', p.absence.improved],
    [period, 'frånvaro: andel som minskat minst 5 procentenheter (%)', p.absence.improvedShare],
    [period, 'frånvaro före: median giltig (%)', p.absence.before.valid],
    [period, 'frånvaro före: median ogiltig (%)', p.absence.before.invalid],
    [period, 'frånvaro efter: median giltig (%)', p.absence.after.valid],
    [period, 'frånvaro efter: median ogiltig (%)', p.absence.after.invalid],
    ...GOAL_ATTAINMENTS.map((g) => [period, `mål: ${labels.attainment(g)}`, p.goals.parts[g]]),
    [period, 'avslutade: går kvar på samma skola', p.sameSchool.yes],
    [period, 'avslutade: har bytt skola', p.sameSchool.no],
    [period, 'avslutade: andel kvar på samma skola (%)', p.sameSchool.share],
  ];
  const bySchool: unknown[][] = [
    ['period', 'skola', ...CATEGORIES.map((c) => `förfrågningar: ${labels.category(c)}`), 'förfrågningar totalt', 'avidentifierade konsultationer'],
    ...p.schools.map((s) => [period, schoolName(s.schoolId), ...CATEGORIES.map((c) => s.categories[c]), s.total, s.consultations]),
    [period, 'totalt', ...CATEGORIES.map((c) => p.categoryTotals[c]), p.requests, p.consultations],
  ];
  const perMonth: unknown[][] = [['period', 'månad', 'förfrågningar', 'avidentifierade konsultationer'], ...p.perMonth.map((m) => [period, m.month, m.requests, m.consultations])];
  // One rectangle (every line as wide as the widest), so a strict reader takes it as well as Excel does.
  const lines = [...figures, [], ...bySchool, [], ...perMonth];
  const width = Math.max(...lines.map((l) => l.length));
  return toCsv(lines.map((l) => [...l, ...Array<string>(width - l.length).fill('')]));
}

/** Creates a download link token for the actor's report over `period`. */
export async function createReportDownload(deps: DeliveryDeps & { downloads: DownloadStore }, actor: Person, period: ChosenPeriod): Promise<string> {
  const scope = await reportScope(deps, actor);
  const token = randomBytes(16).toString('hex');
  await deps.downloads.put(token, { kind: 'report', scope, period, createdBy: actor.id, expiresAt: new Date(deps.clock.now().getTime() + DOWNLOAD_TTL_MS).toISOString() });
  return token;
}
