import type { TransactionAction } from '@azure/data-tables';
import { startBot, type RunningBot } from '../../src/index';
import { manualClock } from '../../src/domain/clock';
import type { DueItem } from '../../src/domain/reminders';
import type { TickResult } from '../../src/scheduler/tick';
import { PER_CONVERSATION_PER_SECOND, PER_TENANT_PER_SECOND } from '../../src/bot/sendLimits';
import { CASES_TABLE } from '../../src/storage/caseStore';
import { CONVERSATION_REFS_TABLE } from '../../src/storage/conversationRefs';
import { DUE_ITEMS_TABLE } from '../../src/storage/dueItemStore';
import { tableStoreFromConnectionString } from '../../src/storage/tables';
import { withSmoothPacing } from '../proposals/smoothPacing';
import { startAzurite } from '../../test/helpers/azurite';
import { BenchConnector } from '../lib/connector';
import { startCountingProxy, tally, type TripTally } from '../lib/proxy';
import { msSince } from '../lib/stats';
import { caseRow, dueRow, makeCase, makeRoster, parallel, refRow, submitInBatches, userOf } from '../lib/world';
import { benchLogger } from './turns';

const NOW = '2026-12-03T07:10:00.000Z';

export interface FanoutRun {
  name: string;
  reminders: number;
  seconds: number;
  /** Delivered messages per second over the whole sweep. */
  messagesPerSecond: number;
  /** 429 answers the connector gave (each one is retried by the connector client or the notifier). */
  throttled: number;
  delivered: number;
  lost: number;
  duplicates: number;
  tick: TickResult;
}

export interface FanoutResults {
  limits: { perTenantPerSecond: number; perConversationPerSecond: number; retryAfterSeconds: number };
  runs: FanoutRun[];
  /** Round trips to the store per delivered reminder (a separate counted sweep of 50). */
  perReminder: Record<string, number>;
  perReminderBreakdown: Record<string, number>;
}

/** Section 5: 1,000 reminders to 1,000 users in one sweep, through a connector that enforces Teams' limits. */
export async function benchFanout(opts: { users: number; whatIf: boolean; latencyReminders: number; connectorLatencyMs: number; log: (s: string) => void }): Promise<FanoutResults> {
  const limits = { perTenantPerSecond: PER_TENANT_PER_SECOND, perConversationPerSecond: PER_CONVERSATION_PER_SECOND, retryAfterSeconds: 1 };
  const azurite = await startAzurite();
  const proxy = await startCountingProxy(azurite.connectionString);
  const connector = await new BenchConnector(limits).start();
  const store = tableStoreFromConnectionString(azurite.connectionString);
  const schools = Math.ceil(opts.users / 20);
  const world = makeRoster([{ id: 'fan', schools, ehtPerSchool: 20 }]);
  const eht = world.roster.people.filter((p) => p.roles.includes('eht')).slice(0, opts.users);

  // Each EHT member has one case whose consent expires in 14 days, a stored conversation reference, and a reminder due now.
  const cases = eht.map((p, i) => makeCase(i + 1, { teamId: 'fan', schoolId: p.schools![0], raisedBy: p.id, assignedTo: world.socialWorkerOf.get(p.schools![0])!.id, createdAt: '2026-10-01T08:00:00.000Z', consentExpires: '2026-12-17' }));
  await submitInBatches(await store.ensureTable(CASES_TABLE), cases.map((c): TransactionAction => ['create', caseRow(c)]));
  const refs = await store.ensureTable(CONVERSATION_REFS_TABLE);
  await parallel(eht, 16, (p) => refs.upsertEntity(refRow(userOf(p), connector.url), 'Replace'));
  const dueTable = await store.ensureTable(DUE_ITEMS_TABLE);
  const reminders = (batch: string, n: number): DueItem[] =>
    cases.slice(0, n).map((c) => ({ key: `consentExpiring|${c.code}|2026-12-17|${c.raisedBy}|${batch}`, kind: 'consentExpiring', dueAt: '2026-12-03T07:00:00.000Z', recipientId: c.raisedBy, teamId: 'fan', caseCode: c.code, ref: { expires: '2026-12-17' } }));
  // Seeded rows bypass DueItemStore.schedule(), so pull the sweep's cursor back to their hour as schedule() does.
  const schedule = async (items: DueItem[]) => {
    await submitInBatches(dueTable, items.map((i): TransactionAction => ['create', dueRow(i)]));
    await dueTable.upsertEntity({ partitionKey: 'cursor', rowKey: 'sweep', hour: NOW.slice(0, 13) }, 'Replace');
  };

  const clock = manualClock(NOW);
  const logger = benchLogger();
  const env = (cs: string) => ({ PLAYGROUND: '0', TABLES_CONNECTION_STRING: cs, ROSTER_FILE: world.file, LOG_LEVEL: 'info' });
  const bot = await startBot({ env: env(azurite.connectionString), port: 0, clock, logger, scheduler: 'manual' });

  const run = async (name: string, b: RunningBot, batch: string, n: number): Promise<FanoutRun> => {
    await schedule(reminders(batch, n));
    await new Promise((r) => setTimeout(r, 1100)); // the connector's windows start empty
    connector.reset();
    const start = process.hrtime.bigint();
    const tick = await b.tick();
    if (tick.due !== n) throw new Error(`fan-out: ${tick.due} reminders due, expected ${n}`);
    const seconds = msSince(start) / 1000;
    const counts = eht.slice(0, n).map((p) => connector.accepted.get(`a:personal-${p.aadObjectId}`) ?? 0);
    return {
      name,
      reminders: n,
      seconds,
      messagesPerSecond: connector.acceptedTotal / seconds,
      throttled: connector.throttled,
      delivered: counts.filter((c) => c > 0).length,
      lost: counts.filter((c) => c === 0).length,
      duplicates: counts.reduce((s, c) => s + Math.max(0, c - 1), 0),
      tick,
    };
  };

  const runs: FanoutRun[] = [];
  opts.log(`  ${opts.users} reminders, one sweep, send limiter on (as shipped)`);
  runs.push(await run('as shipped (sendLimits on)', bot, 'a', opts.users));
  if (opts.whatIf) {
    opts.log(`  ${opts.users} reminders, what-if: the send limiter paces (proposal) instead of bursting`);
    runs.push(await withSmoothPacing(() => run('what-if: paced limiter (proposal)', bot, 'b', opts.users)));
    opts.log(`  ${opts.latencyReminders} reminders, what-if: the connector answers after ${opts.connectorLatencyMs} ms (a real Bot Connector)`);
    connector.delayMs = opts.connectorLatencyMs;
    runs.push(await run(`what-if: connector latency ${opts.connectorLatencyMs} ms`, bot, 'd', opts.latencyReminders));
    connector.delayMs = 0;
  }
  await bot.stop();

  // Round trips per reminder: 50 more through the counting proxy.
  const counted = await startBot({ env: env(proxy.connectionString), port: 0, clock, logger, scheduler: 'manual' });
  await schedule(reminders('c', 50));
  await new Promise((r) => setTimeout(r, 1100));
  const mark = proxy.mark();
  const res = await counted.tick();
  const t = tally(proxy.since(mark));
  if (res.sent !== 50) throw new Error(`fan-out counted run: sent ${res.sent} of 50`);
  await counted.stop();
  const perReminder: Record<string, number> = {};
  for (const [k, v] of Object.entries(t)) if (typeof v === 'number') perReminder[k] = Math.round((v / 50) * 100) / 100;
  const perReminderBreakdown: Record<string, number> = {};
  for (const [k, v] of Object.entries((t as TripTally).byTable)) perReminderBreakdown[k] = Math.round((v / 50) * 100) / 100;

  await connector.stop();
  await proxy.stop();
  await azurite.stop();
  return { limits, runs, perReminder, perReminderBreakdown };
}
