import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { startBot, type RunningBot } from '../../src/index';
import { offsetClock } from '../../src/domain/clock';
import { createLogger, type Logger } from '../../src/logger';
import { systemClock } from '../../src/systemClock';
import { CASES_TABLE, tableCaseStore } from '../../src/storage/caseStore';
import { COUNTERS_TABLE } from '../../src/storage/codeAllocator';
import { ACCESS_LOG_TABLE } from '../../src/storage/accessLog';
import { tableStoreFromConnectionString } from '../../src/storage/tables';
import { executeActivity, installActivity, messageActivity, type TeamsUser } from '../../test/fixtures/activities';
import { concernForm } from '../../test/fixtures/people';
import { withoutSendLimits } from '../proposals/smoothPacing';
import { startAzurite } from '../../test/helpers/azurite';
import { slotSource } from '../../test/helpers/accessWorld';
import { BenchConnector } from '../lib/connector';
import { startEchoBot, type RunningEcho } from '../lib/echoBot';
import { postJson, type PostResult } from '../lib/http';
import { startCountingProxy, tally, type TripTally } from '../lib/proxy';
import { msSince, summarize, type Summary } from '../lib/stats';
import { listVisibleCases } from '../proposals/visibleCases';
import { caseActions, makeCase, makeRoster, setCodeCounter, submitInBatches, userOf } from '../lib/world';

export const BOT_START = '2026-11-23T09:00:00+01:00';
export const CASES_PER_USER = 50;
const SCHOOLS = 16;

/** Logs as the bot does in production (pino JSON at info), into /dev/null. */
export function benchLogger(): Logger {
  return createLogger('info', pino.destination({ dest: '/dev/null', sync: true }));
}

export interface LatencyFigure {
  name: string;
  sequential: Summary;
  /** Under 16 concurrent users: turns per second, and the latency they saw. */
  concurrent: { users: number; turnsPerSecond: number; latency: Summary; errors: number };
  /** The echo turns measured side by side with this one. */
  baseline?: { sequential: Summary; turnsPerSecond: number };
}

export interface RoundTripFigure {
  name: string;
  turns: number;
  mean: Record<string, number>;
  max: Record<string, number>;
  /** Table:kind counts per turn (mean) for the report. */
  breakdown: Record<string, number>;
  /** Time inside the store per table:kind, per turn (mean ms, through the proxy). */
  storeMs?: Record<string, number>;
}

export interface TurnResults {
  setup: Record<string, unknown>;
  latency: LatencyFigure[];
  whatIf: LatencyFigure[];
  /** 'mina ärenden' as the access-log partition grows (emulator effect; the measured figures reset it between blocks). */
  accessLogGrowth: Array<{ rowsBefore: number; list: Summary }>;
  /** PROPOSAL evidence: the cases read behind 'mina ärenden', as today (team partition) and per person. */
  listQuery: { current: { ms: Summary; entities: number }; proposed: { ms: Summary; entities: number } };
  roundTrips: RoundTripFigure[];
  journeys: Array<{ step: string; status: number; tally: TripTally }>;
  scans: Array<{ table: string; filter: string }>;
}

type Send = (userIndex: number) => Promise<PostResult>;

async function sequential(kinds: Array<{ name: string; send: Send }>, rounds: number, users: number, every?: { rounds: number; run: () => Promise<void> }): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = Object.fromEntries(kinds.map((k) => [k.name, []]));
  for (let i = 0; i < rounds; i++) {
    if (every && i % every.rounds === 0) await every.run();
    for (let j = 0; j < kinds.length; j++) {
      const k = kinds[(i + j) % kinds.length]; // alternate which goes first
      const r = await k.send(i % users);
      if (r.status !== 200) throw new Error(`${k.name}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
      out[k.name].push(r.ms);
    }
  }
  return out;
}

/** A closed loop: `users` workers each send a turn, wait for the answer, send the next. */
async function closedLoop(send: Send, users: number, warmMs: number, measureMs: number): Promise<{ turnsPerSecond: number; latency: Summary; errors: number }> {
  const t0 = performance.now();
  const warmEnd = t0 + warmMs;
  const end = warmEnd + measureMs;
  const latencies: number[] = [];
  let done = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: users }, async (_, u) => {
      while (performance.now() < end) {
        const r = await send(u);
        const now = performance.now();
        if (r.status !== 200) errors++;
        if (now >= warmEnd && now < end) {
          done++;
          latencies.push(r.ms);
        }
      }
    }),
  );
  return { turnsPerSecond: done / (measureMs / 1000), latency: summarize(latencies), errors };
}

/** Sections 1 and 2: turn latency/throughput against the echo baseline, and storage round trips per turn. */
export async function benchTurns(opts: { rounds: number; warmup: number; measureMs: number; log: (s: string) => void }): Promise<TurnResults> {
  const { log } = opts;
  const azurite = await startAzurite();
  const proxy = await startCountingProxy(azurite.connectionString);
  const connector = await new BenchConnector().start();
  const logger = benchLogger();
  const world = makeRoster([
    { id: 'sst-1', schools: SCHOOLS, ehtPerSchool: 1 },
    { id: 'sst-2', schools: SCHOOLS, ehtPerSchool: 1 },
  ]);
  const schools1 = world.roster.schools.filter((s) => s.team === 'sst-1');
  const schools2 = world.roster.schools.filter((s) => s.team === 'sst-2');
  const listUsers = schools1.map((s) => userOf(world.ehtBySchool.get(s.id)![0]));
  const submitUsers = schools2.map((s) => userOf(world.ehtBySchool.get(s.id)![0]));

  // Seed: every sst-1 EHT member has 50 cases at their school (800 in the team's partition), each with its two events.
  const seedStore = tableStoreFromConnectionString(azurite.connectionString);
  const cases = await seedStore.ensureTable(CASES_TABLE);
  let seq = 0;
  const actions = schools1.flatMap((s) =>
    Array.from({ length: CASES_PER_USER }, (_, i) =>
      caseActions(
        makeCase(++seq, {
          teamId: 'sst-1',
          schoolId: s.id,
          raisedBy: world.ehtBySchool.get(s.id)![0].id,
          assignedTo: world.socialWorkerOf.get(s.id)!.id,
          status: i % 5 === 0 ? 'new' : i % 5 === 1 ? 'active' : 'accepted',
          createdAt: new Date(Date.parse('2026-09-01T08:00:00Z') + seq * 3_600_000).toISOString(),
          consentExpires: i % 2 === 0 ? '2027-06-15' : undefined,
        }),
      ),
    ).flat(),
  );
  await submitInBatches(cases, actions);
  await setCodeCounter(await seedStore.ensureTable(COUNTERS_TABLE), seq);
  const seeded = (await tableCaseStore(seedStore).listByTeam('sst-1')).length;
  if (seeded !== SCHOOLS * CASES_PER_USER) throw new Error(`seeded ${seeded} cases, expected ${SCHOOLS * CASES_PER_USER}`);

  // Azurite's insert cost grows with the rows already in the partition (Loki finds the partition by index, then
  // scans it); Azure's does not. Every 'mina ärenden' writes 50 access-log rows into one monthly partition, so the
  // bench empties the access-log table between measurement blocks, or the emulator alone would slow the turn down
  // as the run goes on (measured and reported: accessLogGrowth).
  const resetAccessLog = async () => {
    const t = seedStore.table(ACCESS_LOG_TABLE);
    await t.deleteTable();
    await t.createTable();
  };
  const every = { rounds: 50, run: resetAccessLog };
  const clock = offsetClock(new Date(BOT_START), systemClock);
  const env = (cs: string) => ({ PLAYGROUND: '0', TABLES_CONNECTION_STRING: cs, ROSTER_FILE: world.file, LOG_LEVEL: 'info' });
  const bot = await startBot({ env: env(azurite.connectionString), port: 0, clock, logger, scheduler: 'manual' });
  const echo = await startEchoBot({ store: tableStoreFromConnectionString(azurite.connectionString), logger });

  const post = (target: { url: string }, activity: unknown) => postJson(`${target.url}/api/messages`, activity);
  // Everyone has the bot installed (conversation references stored, welcome shown), as in Teams.
  for (const p of world.roster.people) await post(bot, installActivity(userOf(p), connector.url));

  const echoTurn = (target: { url: string }, users: TeamsUser[]): Send => (u) => post(target, messageActivity(users[u % users.length], connector.url, 'hej'));
  const listTurn = (target: { url: string }): Send => (u) => post(target, messageActivity(listUsers[u % listUsers.length], connector.url, 'mina ärenden'));
  const submitTurn = (target: { url: string }): Send => (u) => {
    const school = schools2[u % schools2.length];
    return post(target, executeActivity(submitUsers[u % submitUsers.length], connector.url, 'concern.submit', { ...concernForm({ school: school.id, schoolRef: `B-${u}` }), formId: randomUUID() }));
  };

  // Sanity: each path does what it should (a list with the user's 50 codes; a new case code).
  connector.keepLast = true;
  await listTurn(bot)(0);
  const listed = new Set(connector.last.get(`a:personal-${listUsers[0].aadObjectId}`)?.match(/SST-2026-\d{4,}/g) ?? []);
  if (listed.size !== CASES_PER_USER) throw new Error(`'mina ärenden' listed ${listed.size} cases, expected ${CASES_PER_USER}`);
  const submitted = await submitTurn(bot)(0);
  if (!/SST-2026-\d{4,}/.test(submitted.body)) throw new Error(`concern.submit did not create a case: ${submitted.body.slice(0, 300)}`);
  const echoed = await echoTurn(echo, listUsers)(0);
  if (echoed.status !== 200 || !/echo: hej/.test(connector.last.get(`a:personal-${listUsers[0].aadObjectId}`) ?? '')) throw new Error('echo bot did not echo');
  connector.keepLast = false;
  connector.last.clear();

  const latency: LatencyFigure[] = [];
  const whatIf: LatencyFigure[] = [];
  const figure = (name: string, seq: number[], conc: LatencyFigure['concurrent']): LatencyFigure => ({ name, sequential: summarize(seq), concurrent: conc });

  // 1a. Sequential, side by side: echo and 'mina ärenden' alternate turn by turn.
  log('  warm-up');
  await sequential([{ name: 'echo', send: echoTurn(echo, listUsers) }, { name: 'list', send: listTurn(bot) }], opts.warmup, SCHOOLS);
  log(`  sequential: echo vs 'mina ärenden' (${opts.rounds} rounds)`);
  const seqA = await sequential([{ name: 'echo', send: echoTurn(echo, listUsers) }, { name: 'list', send: listTurn(bot) }], opts.rounds, SCHOOLS, every);
  log('  16 concurrent users: echo, mina ärenden, echo');
  const concEcho1 = await closedLoop(echoTurn(echo, listUsers), SCHOOLS, 500, opts.measureMs);
  await resetAccessLog();
  const concList = await closedLoop(listTurn(bot), SCHOOLS, 500, opts.measureMs);
  // What the emulator does with a growing partition: the same sequential turn with the access log left to grow.
  const accessLogRows = async () => {
    let n = 0;
    for await (const _ of seedStore.table(ACCESS_LOG_TABLE).listEntities({ queryOptions: { select: ['RowKey'] } })) n++;
    return n;
  };
  const growth: TurnResults['accessLogGrowth'] = [];
  await resetAccessLog();
  for (let block = 0; block < 5; block++) {
    const rows = await accessLogRows();
    const ms = (await sequential([{ name: 'list', send: listTurn(bot) }], 40, SCHOOLS)).list;
    growth.push({ rowsBefore: rows, list: summarize(ms) });
  }
  await resetAccessLog();
  const concEcho2 = await closedLoop(echoTurn(echo, listUsers), SCHOOLS, 500, opts.measureMs);

  // Evidence for the miss: the team-wide read behind 'mina ärenden' vs the proposed per-person query (same store, same data).
  log('  proposal: the cases query alone, team partition vs the person\'s own rows');
  const person = world.roster.people.find((p) => p.aadObjectId === listUsers[0].aadObjectId)!;
  const directStore = tableStoreFromConnectionString(azurite.connectionString);
  const teamRead: number[] = [];
  const ownRead: number[] = [];
  let teamRows = 0;
  let ownRows = 0;
  for (let i = 0; i < 60; i++) {
    let s = process.hrtime.bigint();
    teamRows = (await tableCaseStore(directStore).listByTeam('sst-1')).length;
    if (i >= 10) teamRead.push(msSince(s));
    s = process.hrtime.bigint();
    ownRows = (await listVisibleCases(directStore, world.roster, person)).length;
    if (i >= 10) ownRead.push(msSince(s));
  }
  const listQuery = { current: { ms: summarize(teamRead), entities: teamRows }, proposed: { ms: summarize(ownRead), entities: ownRows } };

  // 1b. Concern submits (a second team, so the first team's partition stays at 800 cases).
  await sequential([{ name: 'echo', send: echoTurn(echo, submitUsers) }, { name: 'submit', send: submitTurn(bot) }], opts.warmup, SCHOOLS);
  log(`  sequential: echo vs concern submit (${opts.rounds} rounds)`);
  const seqB = await sequential([{ name: 'echo', send: echoTurn(echo, submitUsers) }, { name: 'submit', send: submitTurn(bot) }], opts.rounds, SCHOOLS, every);
  log('  16 concurrent users: concern submit, echo');
  const concSubmit = await closedLoop(submitTurn(bot), SCHOOLS, 500, opts.measureMs);
  const concEcho3 = await closedLoop(echoTurn(echo, submitUsers), SCHOOLS, 500, opts.measureMs);

  // What-if (evidence for the miss): the same submits with the proactive send limiter not waiting.
  log('  what-if: concern submit with the send limiter bypassed');
  const concSubmitNoLimit = await withoutSendLimits(() => closedLoop(submitTurn(bot), SCHOOLS, 500, opts.measureMs));
  log('  what-if: sequential concern submits with the send limiter bypassed');
  const seqSubmitNoLimit = await withoutSendLimits(() => sequential([{ name: 'echo', send: echoTurn(echo, submitUsers) }, { name: 'submit', send: submitTurn(bot) }], Math.min(opts.rounds, 150), SCHOOLS, every));

  // Each bot figure is paired with the echo turns measured beside it (interleaved sequential turns; the echo loops just before/after).
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  latency.push(
    figure('echo (baseline)', [...seqA.echo, ...seqB.echo], { users: SCHOOLS, ...concEcho1, turnsPerSecond: median([concEcho1.turnsPerSecond, concEcho2.turnsPerSecond, concEcho3.turnsPerSecond]) }),
    { ...figure(`'mina ärenden' (${CASES_PER_USER} cases)`, seqA.list, { users: SCHOOLS, ...concList }), baseline: { sequential: summarize(seqA.echo), turnsPerSecond: (concEcho1.turnsPerSecond + concEcho2.turnsPerSecond) / 2 } },
    { ...figure('concern submit', seqB.submit, { users: SCHOOLS, ...concSubmit }), baseline: { sequential: summarize(seqB.echo), turnsPerSecond: concEcho3.turnsPerSecond } },
  );
  whatIf.push({ ...figure('concern submit, send limiter not waiting (what-if)', seqSubmitNoLimit.submit, { users: SCHOOLS, ...concSubmitNoLimit }), baseline: { sequential: summarize(seqSubmitNoLimit.echo), turnsPerSecond: concEcho3.turnsPerSecond } });

  await bot.stop();
  await echo.stop();

  // 2. Round trips per turn, through the counting proxy (separate instances, so timing above is not distorted).
  log('  round trips per turn (counting proxy)');
  const counted = await startBot({ env: env(proxy.connectionString), port: 0, clock, logger, scheduler: 'manual' });
  const countedEcho = await startEchoBot({ store: tableStoreFromConnectionString(proxy.connectionString), logger });
  const countedEchoDefault = await startEchoBot({ store: tableStoreFromConnectionString(proxy.connectionString), logger, stateScopes: 'teamsAiDefault' });
  const roundTrips: RoundTripFigure[] = [];
  const count = async (name: string, send: Send, turns: number, warm = SCHOOLS) => {
    for (let i = 0; i < warm; i++) await send(i); // first turn per user/instance (refs cache, table creation)
    const per: TripTally[] = [];
    for (let i = 0; i < turns; i++) {
      const mark = proxy.mark();
      const r = await send(i);
      if (r.status !== 200) throw new Error(`${name}: HTTP ${r.status}`);
      await new Promise((resolve) => setImmediate(resolve));
      per.push(tally(proxy.since(mark)));
    }
    const keys = Object.keys(per[0]).filter((k) => typeof (per[0] as unknown as Record<string, unknown>)[k] === 'number');
    const mean: Record<string, number> = {};
    const max: Record<string, number> = {};
    for (const k of keys) {
      const xs = per.map((p) => (p as unknown as Record<string, number>)[k]);
      mean[k] = Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100;
      max[k] = Math.max(...xs);
    }
    const breakdown: Record<string, number> = {};
    for (const p of per) for (const [k, v] of Object.entries(p.byTable)) breakdown[k] = (breakdown[k] ?? 0) + v / per.length;
    for (const k of Object.keys(breakdown)) breakdown[k] = Math.round(breakdown[k] * 100) / 100;
    const storeMs: Record<string, number> = {};
    for (const p of per) for (const [k, v] of Object.entries(p.storeMsByTable)) storeMs[k] = (storeMs[k] ?? 0) + v / per.length;
    for (const k of Object.keys(storeMs)) storeMs[k] = Math.round(storeMs[k] * 100) / 100;
    roundTrips.push({ name, turns, mean, max, breakdown, storeMs });
  };
  await count('echo (baseline)', echoTurn(countedEcho, listUsers), 32);
  await count("echo, teams-ai's default turn state (user scope too)", echoTurn(countedEchoDefault, listUsers), 32);
  await count("'hjälp'", (u) => post(counted, messageActivity(listUsers[u % SCHOOLS], connector.url, 'hjälp')), 32);
  await resetAccessLog();
  await count(`'mina ärenden' (${CASES_PER_USER} cases)`, listTurn(counted), 32);
  await count('concern submit', submitTurn(counted), 32);
  // Under load: 16 users at once, totals per turn (eTag conflicts show contention on shared rows).
  const countConcurrent = async (name: string, send: Send, turns: number) => {
    const mark = proxy.mark();
    let next = 0;
    await Promise.all(Array.from({ length: SCHOOLS }, async (_, u) => {
      while (next++ < turns) await send(u);
    }));
    const t = tally(proxy.since(mark));
    const mean: Record<string, number> = {};
    for (const [k, v] of Object.entries(t)) if (typeof v === 'number') mean[k] = Math.round((v / turns) * 100) / 100;
    const breakdown: Record<string, number> = {};
    for (const [k, v] of Object.entries(t.byTable)) breakdown[k] = Math.round((v / turns) * 100) / 100;
    roundTrips.push({ name, turns, mean, max: {}, breakdown });
  };
  await countConcurrent('concern submit, 16 users at once', submitTurn(counted), 160);
  // A brand-new user's first turn: install (conversation state changes: one write) on this instance.
  let fresh = 0;
  const freshUser = (): TeamsUser => ({ aadObjectId: `00000000-0000-4000-9000-${(++fresh).toString(16).padStart(12, '0')}`, name: `Ny ${fresh}` });
  await count('install (state changes)', () => post(counted, installActivity(freshUser(), connector.url)), 16, 0);

  // Every user path once, to find table scans and to list round trips per path.
  log('  every user path once (table-scan check)');
  const journeys: TurnResults['journeys'] = [];
  const eht = listUsers[0];
  const school = schools1[0];
  const sw = userOf(world.socialWorkerOf.get(school.id)!);
  const gl = userOf(world.groupLeaderOf.get('sst-1')!);
  const admin = userOf(world.roster.people.find((p) => p.id === 'adm-1')!);
  const step = async (name: string, activity: unknown): Promise<PostResult> => {
    const mark = proxy.mark();
    const r = await post(counted, activity);
    await new Promise((resolve) => setImmediate(resolve));
    journeys.push({ step: name, status: r.status, tally: tally(proxy.since(mark)) });
    return r;
  };
  const say = (u: TeamsUser, text: string) => messageActivity(u, connector.url, text);
  const act = (u: TeamsUser, verb: string, data: Record<string, unknown>) => executeActivity(u, connector.url, verb, data);
  await step("'hjälp'", say(eht, 'hjälp'));
  await step("'ny oro'", say(eht, 'ny oro'));
  const raised = await step('concern.submit', act(eht, 'concern.submit', { ...concernForm({ school: school.id }), formId: randomUUID() }));
  const code = /SST-2026-\d{4,}/.exec(raised.body)?.[0] ?? '';
  await step("'mina ärenden'", say(eht, 'mina ärenden'));
  await step('case.list', act(eht, 'case.list', {}));
  await step('case.open', act(eht, 'case.open', { caseCode: code }));
  await step('case.accept', act(sw, 'case.accept', { caseCode: code }));
  await step('case.requestInfo', act(sw, 'case.requestInfo', { caseCode: code, message: 'Hur ser närvaron ut nu?' }));
  await step('case.replyInfo', act(eht, 'case.replyInfo', { caseCode: code, message: 'Bättre sedan förra veckan.' }));
  await step("'boka möte'", say(eht, 'boka möte'));
  const nextSlot = slotSource('2026-11-24');
  const [slotA, slotB] = [nextSlot(), nextSlot()];
  const requested = await step('meeting.request', act(eht, 'meeting.request', { caseCode: code, type: 'startup', minutes: '60', place: 'school', guardians: 'false', slots: `${slotA},${slotB}` }));
  const refresh = (JSON.parse(requested.body || '{}') as { value?: { refresh?: { action?: { data?: { teamId?: string; meetingId?: string } } } } }).value?.refresh?.action?.data;
  await step('meeting.accept', act(sw, 'meeting.accept', { teamId: refresh?.teamId ?? 'sst-1', meetingId: refresh?.meetingId ?? '', start: slotA }));
  await step("'planer'", say(sw, 'planer'));
  await step('plan.record', act(sw, 'plan.record', { caseCode: code, type: 'implementation', goals: 'Närvaro över 90 %', responsible: 'mentor – följer upp närvaron', reviewDate: '2026-12-10' }));
  await step("'sammanfattning'", say(gl, 'sammanfattning'));
  await step("'rapport'", say(gl, 'rapport'));
  await step('report.show', act(gl, 'report.show', { year: '2026' }));
  await step("'åtkomstlogg'", say(admin, 'åtkomstlogg'));
  await step('audit.export', act(admin, 'audit.export', { from: '2026-11-01', to: '2026-11-30' }));
  await step("'tilldela skola'", say(admin, 'tilldela skola'));
  await step('case.close', act(sw, 'case.close', { caseCode: code, outcome: 'other', sameSchool: 'yes', absenceValid: '4', absenceInvalid: '2' }));
  {
    const mark = proxy.mark();
    await counted.tick();
    journeys.push({ step: 'scheduler tick (nothing due)', status: 200, tally: tally(proxy.since(mark)) });
  }

  await counted.stop();
  await countedEcho.stop();
  await countedEchoDefault.stop();
  const scans = [...proxy.scans];
  await proxy.stop();
  await connector.stop();
  await azurite.stop();
  return {
    setup: {
      store: 'Azurite Table service in a worker thread of this process (test/helpers/azurite.ts), in memory',
      users: `${SCHOOLS} EHT users in team sst-1, one school each, ${CASES_PER_USER} cases each (${SCHOOLS * CASES_PER_USER} cases + ${SCHOOLS * CASES_PER_USER * 2} events in the team partition); ${SCHOOLS} EHT users in team sst-2 submit concerns`,
      rosterPeople: world.roster.people.length,
      rounds: opts.rounds,
      concurrentWindowMs: opts.measureMs,
    },
    latency,
    whatIf,
    listQuery,
    accessLogGrowth: growth,
    roundTrips,
    journeys,
    scans,
  };
}

export type { RunningBot, RunningEcho };
