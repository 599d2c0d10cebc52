import type { TransactionAction } from '@azure/data-tables';
import { caseCode } from '../../src/domain/concern';
import { manualClock } from '../../src/domain/clock';
import type { Plan } from '../../src/domain/plan';
import type { DueItem } from '../../src/domain/reminders';
import { createScheduler } from '../../src/scheduler/tick';
import { CASES_TABLE } from '../../src/storage/caseStore';
import { DUE_ITEMS_TABLE, tableDueItemStore } from '../../src/storage/dueItemStore';
import { tablePlanStore } from '../../src/storage/planStore';
import { tableStoreFromConnectionString } from '../../src/storage/tables';
import { startAzurite } from '../../test/helpers/azurite';
import { startCountingProxy, tally, type TripTally } from '../lib/proxy';
import { msSince, summarize, type Summary } from '../lib/stats';
import { dueRow, planRow, submitInBatches } from '../lib/world';
import { benchLogger } from './turns';

export const SWEEP_NOW = '2026-12-03T07:10:00.000Z'; // Thursday 08:10 in Stockholm
const DUE_NOW = 100;
const TEAMS = 20;

export interface SweepFigure {
  plans: number;
  storedDueItems: number;
  dueNow: number;
  /** One scheduler tick with a no-op deliver: read what is due, claim (one transaction per due hour), record outcomes likewise. */
  tick: Summary;
  /** due() alone: the read part of the sweep. */
  read: Summary;
  /** Through the counting proxy, one tick. */
  counted: TripTally;
  /** Store-side time of the due() query (proxy → Azurite → proxy), median of the counted runs. */
  queryStoreMs: number;
  seedSeconds: number;
}

function planOf(i: number): Plan {
  return {
    id: `plan-${i}`,
    caseCode: caseCode(2026, i + 1),
    teamId: `team-${i % TEAMS}`,
    schoolId: `school-${i % 200}`,
    type: 'implementation',
    goals: ['Närvaro över 90 %'],
    responsibilities: [{ role: 'mentor', what: 'följer upp närvaron' }],
    reviews: [{ date: '2027-01-20', status: 'planned' }],
    status: 'active',
    ownerId: `sw-${i % 100}`,
    ehtContactId: `eht-${i % 1000}`,
    createdAt: '2026-10-01T08:00:00.000Z',
    updatedAt: '2026-10-01T08:00:00.000Z',
  };
}

/** Plan i's next review reminder: the first 100 due now (this hour), the rest at 08:00 on one of the next 120 days. */
function dueItemOf(i: number): DueItem {
  const p = planOf(i);
  const dueAt = i < DUE_NOW ? '2026-12-03T07:00:00.000Z' : new Date(Date.parse('2026-12-03T07:00:00.000Z') + (1 + (i % 120)) * 86_400_000).toISOString();
  return { key: `planReview|${p.caseCode}|${p.id}|${i}|${p.ownerId}`, kind: 'planReview', dueAt, recipientId: p.ownerId, teamId: p.teamId, caseCode: p.caseCode, ref: { planId: p.id, review: '2027-01-20', before: '7' } };
}

/** Section 3: one sweep with 100 items due, as the number of stored plans (and their future reminders) grows. */
export async function benchSweep(opts: { sizes: number[]; reps: number; log: (s: string) => void }): Promise<SweepFigure[]> {
  const azurite = await startAzurite();
  const proxy = await startCountingProxy(azurite.connectionString);
  const direct = tableStoreFromConnectionString(azurite.connectionString);
  const counted = tableStoreFromConnectionString(proxy.connectionString);
  const plansTable = await direct.ensureTable(CASES_TABLE);
  const dueTable = await direct.ensureTable(DUE_ITEMS_TABLE);
  const now = new Date(SWEEP_NOW);
  const clock = manualClock(now);
  const logger = benchLogger();
  const deliver = async () => 'sent' as const;
  const figures: SweepFigure[] = [];

  // Puts the 100 due items back to pending and the cursor on the current hour (the steady state before a sweep).
  const reset = async () => {
    await dueTable.submitTransaction(Array.from({ length: DUE_NOW }, (_, i): TransactionAction => ['upsert', dueRow(dueItemOf(i)), 'Replace']));
    await dueTable.upsertEntity({ partitionKey: 'cursor', rowKey: 'sweep', hour: SWEEP_NOW.slice(0, 13) }, 'Replace');
  };

  let seededPlans = 0;
  for (const size of opts.sizes) {
    const t0 = process.hrtime.bigint();
    const from = seededPlans;
    const to = Math.max(size, DUE_NOW);
    const plans: TransactionAction[] = [];
    const items: TransactionAction[] = [];
    for (let i = from; i < to; i++) {
      plans.push(['upsert', planRow(planOf(i)), 'Replace']);
      items.push(['upsert', dueRow(dueItemOf(i)), 'Replace']);
    }
    await submitInBatches(plansTable, plans, 4);
    await submitInBatches(dueTable, items, 4);
    seededPlans = to;
    const seedSeconds = msSince(t0) / 1000;
    // Check the rows are what the adapters read.
    const teamPlans = await tablePlanStore(direct).listByTeam('team-0');
    if (teamPlans.length !== Math.ceil(to / TEAMS)) throw new Error(`sweep seed: team-0 has ${teamPlans.length} plans, expected ${Math.ceil(to / TEAMS)}`);
    opts.log(`  ${size.toLocaleString('en')} plans stored (${to} due items, seeded in ${seedSeconds.toFixed(1)} s)`);

    const dueItems = tableDueItemStore(direct);
    await reset();
    const check = await dueItems.due(now);
    if (check.length !== DUE_NOW) throw new Error(`sweep: ${check.length} items due, expected ${DUE_NOW}`);

    const tickMs: number[] = [];
    const readMs: number[] = [];
    const discard = figures.length === 0 ? 10 : 1; // the first size also warms up the JIT
    for (let r = 0; r < opts.reps + discard; r++) {
      const keep = r >= discard;
      await reset();
      let s = process.hrtime.bigint();
      await dueItems.due(now);
      if (keep) readMs.push(msSince(s));
      s = process.hrtime.bigint();
      const res = await createScheduler({ dueItems, deliver, clock, logger, instanceId: 'bench' }).tick();
      if (keep) tickMs.push(msSince(s));
      if (res.sent !== DUE_NOW) throw new Error(`sweep: sent ${res.sent}, expected ${DUE_NOW}`);
    }
    // Counted: one tick through the proxy.
    const countedItems = tableDueItemStore(counted);
    await reset();
    const mark = proxy.mark();
    await createScheduler({ dueItems: countedItems, deliver, clock, logger, instanceId: 'bench' }).tick();
    const trips = proxy.since(mark);
    const countedTally = tally(trips);
    const queryStoreMs = trips.filter((t) => t.kind === 'rangeQuery').map((t) => t.storeMs);
    figures.push({
      plans: size,
      storedDueItems: to,
      dueNow: DUE_NOW,
      tick: summarize(tickMs),
      read: summarize(readMs),
      counted: countedTally,
      queryStoreMs: summarize(queryStoreMs).median,
      seedSeconds,
    });
  }
  await proxy.stop();
  await azurite.stop();
  return figures;
}
