import { randomBytes } from 'node:crypto';
import type { TransactionAction } from '@azure/data-tables';
import { startBot } from '../../src/index';
import { manualClock } from '../../src/domain/clock';
import { CATEGORIES, GRADES, INSATS_KINDS, OUTCOMES, type Case } from '../../src/domain/concern';
import type { Meeting } from '../../src/domain/meeting';
import { GOAL_ATTAINMENTS, type Plan } from '../../src/domain/plan';
import { buildReport } from '../../src/domain/report';
import type { ChosenPeriod } from '../../src/domain/reportPeriod';
import type { DeliveryDeps } from '../../src/services/deliverReminder';
import { report } from '../../src/services/report';
import { CASES_TABLE, tableCaseStore } from '../../src/storage/caseStore';
import { tableMeetingStore } from '../../src/storage/meetingStore';
import { tablePlanStore } from '../../src/storage/planStore';
import { tableRosterStore } from '../../src/storage/rosterStore';
import { tableStoreFromConnectionString, type TableStore } from '../../src/storage/tables';
import { messageActivity } from '../../test/fixtures/activities';
import { startAzurite } from '../../test/helpers/azurite';
import { BenchConnector } from '../lib/connector';
import { countRanges, timeTeamRead } from '../lib/floor';
import { postJson } from '../lib/http';
import { startCountingProxy, tally, type TripTally } from '../lib/proxy';
import { msSince, type Summary } from '../lib/stats';
import { caseRow, makeCase, makeRoster, meetingRow, planRow, submitInBatches, userOf } from '../lib/world';
import { benchLogger } from './turns';

/** 1 March 2027, 09:00 in Stockholm: the group leader writes last year's report. */
export const REPORT_NOW = '2027-03-01T08:00:00.000Z';
const PERIOD: ChosenPeriod = { preset: 'lastYear', start: '2026-01-01', end: '2026-12-31' };
const SCHOOLS = 15;

export interface ReportFigure {
  closedCases: number;
  rows: { cases: number; plans: number; meetings: number };
  /** report(): the team's three partition reads and buildReport. */
  report: Summary;
  /** Baseline: the same partition reads, rows counted but not parsed (the store floor). */
  rawRead: Summary;
  /** buildReport alone on the rows already read: pure CPU. */
  build: Summary;
  /** The group leader's 'rapport' turn over HTTP (report + access log + download link + card). */
  command: Summary;
  cardBytes: number;
  counted: TripTally;
  seedSeconds: number;
}

const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString();

/** A year of closed requests, each with what the report reads: absence series, insats, plan with goal attainment, meetings. */
function rowsFor(teamId: string, n: number, firstSeq: number, people: { eht: (s: number) => string; sw: (s: number) => string }): { actions: TransactionAction[]; plans: number; meetings: number } {
  const actions: TransactionAction[] = [];
  let plans = 0;
  let meetings = 0;
  for (let i = 0; i < n; i++) {
    const s = i % SCHOOLS;
    const schoolId = `${teamId}-s${s}`;
    const opened = i % 300;
    const createdAt = day(opened);
    const closedAt = day(Math.min(364, opened + 20 + (i % 60)));
    const base = makeCase(firstSeq + i, { teamId, schoolId, raisedBy: people.eht(s), assignedTo: people.sw(s), createdAt, consentExpires: '2027-06-30' });
    const c: Case = {
      ...base,
      kind: 'request',
      status: 'closed',
      grade: GRADES[1 + (i % 9)],
      category: CATEGORIES[i % CATEGORIES.length],
      outcome: OUTCOMES[i % OUTCOMES.length],
      sameSchoolAtClose: i % 7 !== 0,
      absence: [
        { at: 'intake', date: createdAt.slice(0, 10), valid: 5 + (i % 10), invalid: 10 + (i % 30), recordedBy: base.raisedBy, recordedAt: createdAt },
        { at: 'review', date: day(opened + 10).slice(0, 10), valid: 5 + (i % 8), invalid: 8 + (i % 20), recordedBy: base.raisedBy, recordedAt: day(opened + 10) },
        { at: 'closing', date: closedAt.slice(0, 10), valid: 3 + (i % 6), invalid: 2 + (i % 25), recordedBy: base.assignedTo, recordedAt: closedAt },
      ],
      insats: { form: i % 3 === 0 ? 'bistand' : 'service', kind: INSATS_KINDS[i % INSATS_KINDS.length], start: day(opened + 5).slice(0, 10), intensiveUntil: day(opened + 5 + 83).slice(0, 10), recordedBy: base.assignedTo, recordedAt: day(opened + 5) },
      updatedAt: closedAt,
      lastActivityAt: closedAt,
    };
    actions.push(['create', caseRow(c)]);
    if (i % 2 === 0) {
      plans++;
      const p: Plan = {
        id: randomBytes(8).toString('hex'), caseCode: c.code, teamId, schoolId, type: 'implementation', goals: ['Närvaro över 90 %', 'Kommer i tid'],
        responsibilities: [{ role: 'mentor', what: 'följer upp närvaron' }],
        reviews: [{ date: day(opened + 10).slice(0, 10), status: 'ended', goals: [GOAL_ATTAINMENTS[i % 4], GOAL_ATTAINMENTS[(i + 1) % 4]], recordedAt: day(opened + 10), recordedBy: c.assignedTo }],
        status: 'ended', ownerId: c.assignedTo, ehtContactId: c.raisedBy, createdAt: day(opened + 3), updatedAt: day(opened + 10),
      };
      actions.push(['create', planRow(p)]);
    }
    if (i % 2 === 1) {
      meetings++;
      const start = day(opened + 2 + (i % 9));
      const m: Meeting = {
        id: randomBytes(8).toString('hex'), caseCode: c.code, teamId, schoolId, type: 'startup', minutes: 60, place: 'school', guardiansAttending: false,
        ehtId: c.raisedBy, socialWorkerId: c.assignedTo, status: 'confirmed', proposals: [], awaiting: 'socialWorker', start, icsToken: randomBytes(16).toString('hex'), version: 1, createdAt, updatedAt: createdAt,
      };
      actions.push(['create', meetingRow(m)]);
    }
  }
  return { actions, plans, meetings };
}

/** The store floor: the report's three partition reads, entities counted but not parsed. */
const rawRead = (store: TableStore, teamId: string) => countRanges(store, teamId, ['c|', 'm|', 'p|']);

/** Section 7: the follow-up report for a team with 10,000 cases closed over a year. */
export async function benchReport(opts: { sizes: number[]; reps: (size: number) => number; log: (s: string) => void }): Promise<ReportFigure[]> {
  const azurite = await startAzurite();
  const proxy = await startCountingProxy(azurite.connectionString);
  const direct = tableStoreFromConnectionString(azurite.connectionString);
  const counted = tableStoreFromConnectionString(proxy.connectionString);
  const world = makeRoster(opts.sizes.map((n) => ({ id: `r${n}`, schools: SCHOOLS, ehtPerSchool: 1 })));
  const clock = manualClock(REPORT_NOW);
  const deps = (store: TableStore) =>
    ({ roster: tableRosterStore(store, clock), clock, cases: tableCaseStore(store), meetings: tableMeetingStore(store), plans: tablePlanStore(store) }) as unknown as DeliveryDeps;
  const directDeps = deps(direct);
  const countedDeps = deps(counted);
  await tableRosterStore(direct, clock).importFile(world.roster);
  const connector = await new BenchConnector().start();
  const bot = await startBot({ env: { PLAYGROUND: '0', TABLES_CONNECTION_STRING: azurite.connectionString, ROSTER_FILE: world.file, LOG_LEVEL: 'info' }, port: 0, clock, logger: benchLogger(), scheduler: 'manual' });
  connector.keepLast = true;
  const casesTable = await direct.ensureTable(CASES_TABLE);
  const figures: ReportFigure[] = [];
  let seq = 0;
  for (const size of opts.sizes) {
    const teamId = `r${size}`;
    const t0 = process.hrtime.bigint();
    const { actions, plans, meetings } = rowsFor(teamId, size, seq + 1, { eht: (s) => world.ehtBySchool.get(`${teamId}-s${s}`)![0].id, sw: (s) => world.socialWorkerOf.get(`${teamId}-s${s}`)!.id });
    seq += size;
    await submitInBatches(casesTable, actions, 4);
    const seedSeconds = msSince(t0) / 1000;
    const check = await report(directDeps, [teamId], PERIOD);
    if (check.requests !== size || check.absence.basis !== size) throw new Error(`report seed: ${check.requests} requests, ${check.absence.basis} with absence before/after, expected ${size}`);
    opts.log(`  team with ${size.toLocaleString('en')} cases closed in 2026 (seeded in ${seedSeconds.toFixed(1)} s)`);
    const gl = userOf(world.groupLeaderOf.get(teamId)!);
    const times = await timeTeamRead({
      reps: opts.reps(size),
      floor: () => rawRead(direct, teamId),
      read: () => report(directDeps, [teamId], PERIOD),
      command: () => postJson(`${bot.url}/api/messages`, messageActivity(gl, connector.url, 'rapport')),
      cardBytes: () => Buffer.byteLength(connector.last.get(`a:personal-${gl.aadObjectId}`) ?? ''),
      async prepareBuild() {
        const [cases, meetings, plans] = await Promise.all([tableCaseStore(direct).listByTeam(teamId), tableMeetingStore(direct).listByTeam(teamId), tablePlanStore(direct).listByTeam(teamId)]);
        return () => buildReport({ period: PERIOD, now: clock.now(), cases, meetings, plans });
      },
    });
    const mark = proxy.mark();
    await report(countedDeps, [teamId], PERIOD);
    figures.push({ closedCases: size, rows: { cases: size, plans, meetings }, report: times.read, rawRead: times.floor, build: times.build, command: times.command, cardBytes: times.cardBytes, counted: tally(proxy.since(mark)), seedSeconds });
  }
  await bot.stop();
  await connector.stop();
  await proxy.stop();
  await azurite.stop();
  return figures;
}
