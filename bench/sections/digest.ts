import { randomBytes } from 'node:crypto';
import type { TransactionAction } from '@azure/data-tables';
import { startBot } from '../../src/index';
import { manualClock } from '../../src/domain/clock';
import type { Meeting } from '../../src/domain/meeting';
import type { Plan } from '../../src/domain/plan';
import { teamDigest, type DeliveryDeps } from '../../src/services/deliverReminder';
import { CASES_TABLE, tableCaseStore } from '../../src/storage/caseStore';
import { tableMeetingStore } from '../../src/storage/meetingStore';
import { tablePlanStore } from '../../src/storage/planStore';
import { tableRosterStore } from '../../src/storage/rosterStore';
import { locationOf, tableOutboxStore } from '../../src/storage/outbox';
import { ROSTER_PARTITION, ROSTER_TABLE } from '../../src/storage/rosterStore';
import { tableStoreFromConnectionString, type TableStore } from '../../src/storage/tables';
import { odataString } from '../../src/storage/tableErrors';
import { messageActivity } from '../../test/fixtures/activities';
import { startAzurite } from '../../test/helpers/azurite';
import { BenchConnector } from '../lib/connector';
import { countRanges, timeTeamRead } from '../lib/floor';
import { postJson } from '../lib/http';
import { startCountingProxy, tally, type TripTally } from '../lib/proxy';
import { msSince, type Summary } from '../lib/stats';
import { caseRow, makeCase, makeRoster, meetingRow, planRow, submitInBatches, userOf } from '../lib/world';
import { buildDigest } from '../../src/domain/digest';
import { hasRole } from '../../src/domain/roster';
import { benchLogger } from './turns';

export const DIGEST_NOW = '2026-12-03T06:30:00.000Z'; // Thursday 07:30 in Stockholm, when the digest goes out
const SCHOOLS_PER_TEAM = 5;

export interface DigestFigure {
  openCases: number;
  rows: { cases: number; plans: number; meetings: number };
  /** teamDigest(): the four partition reads and buildDigest. */
  digest: Summary;
  /** Baseline: the same four partition reads, rows counted but not parsed (the store floor). */
  rawRead: Summary;
  /** buildDigest alone (src/domain/digest.ts) on the rows already read: pure CPU. */
  build: Summary;
  /** The group leader's 'sammanfattning' turn over HTTP (digest + access log + card). */
  command: Summary;
  /** Size of the card the command sends (bytes of the activity JSON). */
  cardBytes: number;
  counted: TripTally;
  countedCommand: TripTally;
  seedSeconds: number;
}

function rowsFor(teamId: string, n: number, firstSeq: number, people: { eht: (s: number) => string; sw: (s: number) => string }): { actions: TransactionAction[]; plans: number; meetings: number } {
  const actions: TransactionAction[] = [];
  let plans = 0;
  let meetings = 0;
  for (let i = 0; i < n; i++) {
    const s = i % SCHOOLS_PER_TEAM;
    const schoolId = `${teamId}-s${s}`;
    const createdAt = new Date(Date.parse(DIGEST_NOW) - (1 + (i % 200)) * 86_400_000).toISOString();
    const c = makeCase(firstSeq + i, {
      teamId,
      schoolId,
      raisedBy: people.eht(s),
      assignedTo: people.sw(s),
      status: i % 10 === 0 ? 'new' : i % 10 === 1 ? 'active' : 'accepted',
      createdAt,
      consentExpires: i % 3 === 0 ? (i % 30 === 0 ? '2026-12-10' : '2027-06-15') : undefined,
    });
    actions.push(['create', caseRow(c)]); // events are outside the RowKey ranges the digest reads (left out: they only slow the emulator)
    if (i % 2 === 0) {
      plans++;
      const review = i % 20 === 0 ? '2026-11-25' : i % 20 === 2 ? '2026-12-04' : '2027-01-20';
      const p: Plan = {
        id: randomBytes(8).toString('hex'), caseCode: c.code, teamId, schoolId, type: 'implementation', goals: ['Närvaro över 90 %'],
        responsibilities: [{ role: 'mentor', what: 'följer upp närvaron' }], reviews: [{ date: review, status: 'planned' }], status: 'active',
        ownerId: c.assignedTo, ehtContactId: c.raisedBy, createdAt, updatedAt: createdAt,
      };
      actions.push(['create', planRow(p)]);
    }
    if (i % 4 === 0) {
      meetings++;
      const proposed = i % 8 === 0;
      const start = i % 40 === 4 ? '2026-12-03T09:00:00.000Z' : '2026-12-15T09:00:00.000Z';
      const m: Meeting = {
        id: randomBytes(8).toString('hex'), caseCode: c.code, teamId, schoolId, type: 'startup', minutes: 60, place: 'school', guardiansAttending: false,
        ehtId: c.raisedBy, socialWorkerId: c.assignedTo, status: proposed ? 'proposed' : 'confirmed', proposals: proposed ? [start] : [], awaiting: 'socialWorker',
        start: proposed ? undefined : start, icsToken: randomBytes(16).toString('hex'), version: 1, createdAt, updatedAt: createdAt,
      };
      actions.push(['create', meetingRow(m)]);
    }
  }
  return { actions, plans, meetings };
}

/** The store floor: the digest's four partition reads, entities counted but not parsed. */
async function rawRead(store: TableStore, teamId: string): Promise<number> {
  let n = 0;
  // Held notifications (who the bot cannot reach): the outbox range of the team's and the roster's partition.
  const held = async (table: string, partition: string) => {
    const filter = `PartitionKey eq ${odataString(partition)} and RowKey ge 'o|' and RowKey lt 'o}' and status eq 'held'`;
    for await (const _ of store.table(table).listEntities({ queryOptions: { filter } })) n++;
  };
  const [ranges] = await Promise.all([countRanges(store, teamId, ['c|', 'm|', 'p|']), held(CASES_TABLE, teamId), held(ROSTER_TABLE, ROSTER_PARTITION)]);
  return n + ranges;
}

/** Section 4: the group leader's digest for teams with 100 / 1,000 / 10,000 open cases. */
export async function benchDigest(opts: { sizes: number[]; reps: (size: number) => number; log: (s: string) => void }): Promise<DigestFigure[]> {
  const azurite = await startAzurite();
  const proxy = await startCountingProxy(azurite.connectionString);
  const direct = tableStoreFromConnectionString(azurite.connectionString);
  const counted = tableStoreFromConnectionString(proxy.connectionString);
  const world = makeRoster(opts.sizes.map((n) => ({ id: `d${n}`, schools: SCHOOLS_PER_TEAM, ehtPerSchool: 1 })));
  const clock = manualClock(DIGEST_NOW);
  const deps = (store: TableStore) => {
    const roster = tableRosterStore(store, clock);
    return {
      roster,
      clock,
      cases: tableCaseStore(store),
      meetings: tableMeetingStore(store),
      plans: tablePlanStore(store),
      outbox: tableOutboxStore(store),
      outboxLocationsOf: (teamId: string) => [locationOf(CASES_TABLE, teamId), locationOf(ROSTER_TABLE, ROSTER_PARTITION)],
    } as unknown as DeliveryDeps;
  };
  const directDeps = deps(direct);
  const countedDeps = deps(counted);
  await tableRosterStore(direct, clock).importFile(world.roster);
  const connector = await new BenchConnector().start();
  const logger = benchLogger();
  const bot = await startBot({ env: { PLAYGROUND: '0', TABLES_CONNECTION_STRING: azurite.connectionString, ROSTER_FILE: world.file, LOG_LEVEL: 'info' }, port: 0, clock, logger, scheduler: 'manual' });
  const countedBot = await startBot({ env: { PLAYGROUND: '0', TABLES_CONNECTION_STRING: proxy.connectionString, ROSTER_FILE: world.file, LOG_LEVEL: 'info' }, port: 0, clock, logger, scheduler: 'manual' });
  connector.keepLast = true;

  const figures: DigestFigure[] = [];
  let seq = 0;
  const casesTable = await direct.ensureTable(CASES_TABLE);
  for (const size of opts.sizes) {
    const teamId = `d${size}`;
    const t0 = process.hrtime.bigint();
    const { actions, plans, meetings } = rowsFor(teamId, size, seq + 1, {
      eht: (s) => world.ehtBySchool.get(`${teamId}-s${s}`)![0].id,
      sw: (s) => world.socialWorkerOf.get(`${teamId}-s${s}`)!.id,
    });
    seq += size;
    await submitInBatches(casesTable, actions, 4);
    const seedSeconds = msSince(t0) / 1000;
    const check = await teamDigest(directDeps, teamId);
    if (check.totals.open !== size) throw new Error(`digest seed: ${check.totals.open} open cases, expected ${size}`);
    opts.log(`  team with ${size.toLocaleString('en')} open cases (seeded in ${seedSeconds.toFixed(1)} s)`);

    const gl = userOf(world.groupLeaderOf.get(teamId)!);
    const times = await timeTeamRead({
      reps: opts.reps(size),
      floor: () => rawRead(direct, teamId),
      read: () => teamDigest(directDeps, teamId),
      command: () => postJson(`${bot.url}/api/messages`, messageActivity(gl, connector.url, 'sammanfattning')),
      cardBytes: () => Buffer.byteLength(connector.last.get(`a:personal-${gl.aadObjectId}`) ?? ''),
      // The pure part: buildDigest on the rows already read.
      async prepareBuild() {
        const [cases, meetings, plans] = await Promise.all([tableCaseStore(direct).listByTeam(teamId), tableMeetingStore(direct).listByTeam(teamId), tablePlanStore(direct).listByTeam(teamId)]);
        const input = { teamId, now: clock.now(), cases, meetings, plans, unreachable: [], socialWorkerIds: world.roster.people.filter((p) => hasRole(p, 'socialWorker') && p.team === teamId).map((p) => p.id) };
        return () => buildDigest(input);
      },
    });
    let mark = proxy.mark();
    await teamDigest(countedDeps, teamId);
    const countedTally = tally(proxy.since(mark));
    await postJson(`${countedBot.url}/api/messages`, messageActivity(gl, connector.url, 'sammanfattning')); // roster, table creation
    mark = proxy.mark();
    await postJson(`${countedBot.url}/api/messages`, messageActivity(gl, connector.url, 'sammanfattning'));
    const countedCommand = tally(proxy.since(mark));
    figures.push({
      openCases: size,
      rows: { cases: size, plans, meetings },
      build: times.build,
      digest: times.read,
      rawRead: times.floor,
      command: times.command,
      cardBytes: times.cardBytes,
      counted: countedTally,
      countedCommand,
      seedSeconds,
    });
  }
  await bot.stop();
  await countedBot.stop();
  await connector.stop();
  await proxy.stop();
  await azurite.stop();
  return figures;
}
