import assert from 'node:assert/strict';
import { manualClock, type ManualClock } from '../../src/domain/clock';
import type { DueItem } from '../../src/domain/reminders';
import { createLogger } from '../../src/logger';
import { createScheduler, type TickDeps } from '../../src/scheduler/tick';
import { DUE_ITEMS_TABLE, hourOf, tableDueItemStore } from '../../src/storage/dueItemStore';
import { escapeKey } from '../../src/storage/tableStorage';
import type { TableStore } from '../../src/storage/tables';
import { startAzurite, type RunningAzurite } from '../helpers/azurite';
import { isolatedTableStore } from '../helpers/tableStore';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T = '2026-11-25T07:00:00.000Z'; // 08:00 in Stockholm
const logger = createLogger('silent');

function anItem(key: string, dueAt: Date | string, overrides: Partial<DueItem> = {}): DueItem {
  return { key, kind: 'planReview', dueAt: new Date(dueAt).toISOString(), recipientId: 'sw-1', teamId: 'sst-1', caseCode: 'SST-2026-0001', ref: { planId: 'p-1', review: '2026-12-10', before: '7' }, ...overrides };
}

type Outcome = 'sent' | 'unreachable' | 'skipped';

/** One sweep by a scheduler of its own (a fresh instance each time, as after a restart). */
const runTick = (deps: TickDeps) => createScheduler(deps).tick();

/** A fake deliver that records every call; `behave` decides per call (default 'sent'). */
function recorder(behave: (item: DueItem, n: number) => Outcome | Error = () => 'sent') {
  const calls: Array<{ key: string; instance?: string; at: string; mayRepeat?: boolean }> = [];
  return {
    calls,
    deliverFor(clock: ManualClock, instance?: string) {
      return async (item: DueItem, opts?: { mayRepeat: boolean }): Promise<Outcome> => {
        calls.push({ key: item.key, instance, at: clock.now().toISOString(), mayRepeat: opts?.mayRepeat });
        await new Promise((r) => setImmediate(r)); // let another instance interleave
        const result = behave(item, calls.filter((c) => c.key === item.key).length);
        if (result instanceof Error) throw result;
        return result;
      };
    },
  };
}

describe('scheduler/runTick (with tableDueItemStore on Azurite)', function () {
  this.timeout(120_000);
  let azurite: RunningAzurite;
  let tables: TableStore;
  let store: ReturnType<typeof tableDueItemStore>;
  let clock: ManualClock;

  before(async () => {
    azurite = await startAzurite();
  });
  after(async () => {
    await azurite?.stop();
  });
  beforeEach(() => {
    tables = isolatedTableStore(azurite.connectionString);
    store = tableDueItemStore(tables);
    clock = manualClock(T);
  });

  const tick = (deliver: TickDeps['deliver'], extra: Partial<TickDeps> = {}) => runTick({ dueItems: store, deliver, clock, logger, instanceId: 'I1', ...extra });

  async function row(item: DueItem) {
    return (await tables.ensureTable(DUE_ITEMS_TABLE)).getEntity<Record<string, unknown>>(hourOf(item.dueAt), escapeKey(item.key));
  }

  it('delivers each due item once, and a future item only when it is due', async () => {
    const items = Array.from({ length: 10 }, (_, i) => anItem(`k${i}`, new Date(Date.parse(T) - i * 7 * MIN)));
    const later = anItem('later', new Date(Date.parse(T) + HOUR));
    await store.schedule([...items, later]);
    const rec = recorder();
    const first = await tick(rec.deliverFor(clock));
    assert.deepEqual(first, { due: 10, sent: 10, unreachable: 0, skipped: 0, retried: 0, failed: 0, lostClaims: 0, notRepeated: 0 });
    assert.deepEqual(rec.calls.map((c) => c.key).sort(), items.map((i) => i.key).sort());
    assert.equal((await tick(rec.deliverFor(clock))).due, 0);
    assert.equal((await row(items[0])).status, 'done');
    clock.advance(HOUR - 1);
    await tick(rec.deliverFor(clock));
    assert.equal(rec.calls.length, 10, 'not a millisecond early');
    clock.advance(1);
    await tick(rec.deliverFor(clock));
    assert.deepEqual(rec.calls.slice(10).map((c) => c.key), ['later']);
  });

  it('two instances on one store, ticking concurrently: 50 items, each delivered exactly once', async () => {
    const items = Array.from({ length: 50 }, (_, i) => anItem(`k${String(i).padStart(2, '0')}`, new Date(Date.parse(T) - (i % 5) * HOUR - i * 1000)));
    await store.schedule(items);
    const rec = recorder();
    const storeB = tableDueItemStore(tables); // the other instance has its own store object on the same tables
    const [a, b] = await Promise.all([
      runTick({ dueItems: store, deliver: rec.deliverFor(clock, 'A'), clock, logger, instanceId: 'A' }),
      runTick({ dueItems: storeB, deliver: rec.deliverFor(clock, 'B'), clock, logger, instanceId: 'B' }),
    ]);
    const delivered = rec.calls.map((c) => c.key);
    assert.equal(delivered.length, 50, `delivered ${delivered.length}: A sent ${a.sent}, B sent ${b.sent}`);
    assert.equal(new Set(delivered).size, 50, 'no key twice');
    assert.equal(a.sent + b.sent, 50);
    assert.equal(a.lostClaims + b.lostClaims, a.due + b.due - 50);
    // And again: nothing left for either.
    const [a2, b2] = await Promise.all([tick(rec.deliverFor(clock, 'A'), { instanceId: 'A' }), tick(rec.deliverFor(clock, 'B'), { dueItems: storeB, instanceId: 'B' })]);
    assert.equal(a2.due + b2.due, 0);
    assert.equal(rec.calls.length, 50);
    console.log(`      measured: instance A sent ${a.sent} (lost ${a.lostClaims}), B sent ${b.sent} (lost ${b.lostClaims})`);
  });

  it('three instances over several rounds while the clock moves: 60 items, never one twice', async () => {
    const items = Array.from({ length: 60 }, (_, i) => anItem(`r${i}`, new Date(Date.parse(T) + (i % 6) * 10 * MIN)));
    await store.schedule(items);
    const rec = recorder();
    const stores = [store, tableDueItemStore(tables), tableDueItemStore(tables)];
    for (let round = 0; round < 7; round++) {
      await Promise.all(stores.map((s, i) => runTick({ dueItems: s, deliver: rec.deliverFor(clock, `I${i}`), clock, logger, instanceId: `I${i}` })));
      clock.advance(10 * MIN);
    }
    assert.equal(rec.calls.length, 60);
    assert.equal(new Set(rec.calls.map((c) => c.key)).size, 60);
  });

  it('a failed send is retried after 1, 5, 15 and 60 minutes, then given up as failed', async () => {
    const item = anItem('k1', T);
    await store.schedule([item]);
    const boom = Object.assign(new Error('connector down'), { name: 'RestError', statusCode: 500 });
    const rec = recorder(() => boom);
    const deliver = rec.deliverFor(clock);
    let result = await tick(deliver);
    assert.equal(result.retried, 1);
    let stored = await row(item);
    assert.equal(stored.status, 'pending');
    assert.equal(stored.attempts, 1);
    assert.equal(stored.nextAttemptAt, new Date(Date.parse(T) + MIN).toISOString());
    assert.equal(stored.lastError, 'RestError 500');

    const start = Date.parse(T);
    for (const [waitMin, attempt] of [[1, 2], [5, 3], [15, 4], [60, 5]] as const) {
      const last = Date.parse(rec.calls[rec.calls.length - 1].at);
      clock.set(new Date(last + waitMin * MIN - 1));
      await tick(deliver);
      assert.equal(rec.calls.length, attempt - 1, `attempt ${attempt} not before ${waitMin} min`);
      clock.set(new Date(last + waitMin * MIN));
      result = await tick(deliver);
      assert.equal(rec.calls.length, attempt, `attempt ${attempt} after ${waitMin} min`);
    }
    assert.deepEqual(rec.calls.map((c) => (Date.parse(c.at) - start) / MIN), [0, 1, 6, 21, 81]);
    assert.equal(result.failed, 1);
    stored = await row(item);
    assert.equal(stored.status, 'failed');
    assert.equal(stored.attempts, 5);
    clock.advance(24 * HOUR);
    await tick(deliver);
    assert.equal(rec.calls.length, 5, 'never again');
  });

  it('a send that fails once and then works is sent once, after the backoff', async () => {
    await store.schedule([anItem('k1', T)]);
    const rec = recorder((_, n) => (n === 1 ? new Error('flaky') : 'sent'));
    await tick(rec.deliverFor(clock));
    clock.advance(MIN);
    const result = await tick(rec.deliverFor(clock));
    assert.equal(result.sent, 1);
    clock.advance(HOUR);
    await tick(rec.deliverFor(clock));
    assert.equal(rec.calls.length, 2);
  });

  it('maxAttempts is honoured', async () => {
    const item = anItem('k1', T);
    await store.schedule([item]);
    const rec = recorder(() => new Error('x'));
    await tick(rec.deliverFor(clock), { maxAttempts: 2 });
    clock.advance(MIN);
    const result = await tick(rec.deliverFor(clock), { maxAttempts: 2 });
    assert.equal(result.failed, 1);
    assert.equal((await row(item)).status, 'failed');
  });

  it("'unreachable' is recorded as such and never retried; 'skipped' likewise", async () => {
    const unreachable = anItem('u', T, { recipientId: 'eht-9' });
    const skipped = anItem('s', T);
    await store.schedule([unreachable, skipped]);
    const rec = recorder((i) => (i.key === 'u' ? 'unreachable' : 'skipped'));
    const result = await tick(rec.deliverFor(clock));
    assert.equal(result.unreachable, 1);
    assert.equal(result.skipped, 1);
    assert.equal((await row(unreachable)).status, 'unreachable');
    assert.equal((await row(skipped)).status, 'skipped');
    for (let i = 0; i < 3; i++) {
      clock.advance(2 * HOUR);
      await tick(rec.deliverFor(clock));
    }
    assert.equal(rec.calls.length, 2);
  });

  it('crash between claim and send: not delivered while the lease holds, delivered exactly once after it ran out', async () => {
    const item = anItem('k1', T);
    await store.schedule([item]);
    const [due] = await store.due(clock.now());
    const [crashed] = await store.claim([due], 'crashed-instance', clock.now(), 120_000);
    assert.ok(crashed);
    const rec = recorder();
    clock.advance(60_000);
    let result = await tick(rec.deliverFor(clock));
    assert.equal(rec.calls.length, 0);
    assert.equal(result.due, 0);
    clock.set(new Date(Date.parse(T) + 120_000));
    await tick(rec.deliverFor(clock));
    assert.equal(rec.calls.length, 0, 'still not at the very end of the lease');
    clock.advance(1);
    result = await tick(rec.deliverFor(clock));
    assert.equal(result.sent, 1);
    assert.equal(rec.calls.length, 1);
    const stored = await row(item);
    assert.equal(stored.status, 'done');
    assert.equal(stored.claimedBy, 'I1');
    assert.equal(stored.attempts, 2);
    assert.equal(rec.calls[0].mayRepeat, true, 'the taken-over delivery says it may be a repeat');
    // The crashed instance's late finish changes nothing, and nothing is sent again.
    await store.finish([{ item: crashed, outcome: { status: 'pending', nextAttemptAt: clock.now().toISOString() } }]);
    assert.equal((await row(item)).status, 'done');
    clock.advance(HOUR);
    await tick(rec.deliverFor(clock));
    assert.equal(rec.calls.length, 1);
  });

  it('at most one repeat: a delivery interrupted twice is not sent a third time, and is recorded as failed', async () => {
    const item = anItem('k1', T);
    await store.schedule([item]);
    const [due] = await store.due(clock.now());
    await store.claim([due], 'crashed-1', clock.now(), 60_000);
    clock.advance(60_001);
    const [again] = await store.due(clock.now());
    const [second] = await store.claim([again], 'crashed-2', clock.now(), 60_000);
    assert.equal(second.value.interrupted, 1);
    clock.advance(60_001);
    const rec = recorder();
    const result = await tick(rec.deliverFor(clock));
    assert.equal(rec.calls.length, 0);
    assert.equal(result.notRepeated, 1);
    assert.equal((await row(item)).status, 'failed');
  });

  it('an outcome the store could not take is kept and recorded by the next tick; the item is not sent again', async () => {
    const items = [anItem('k1', T), anItem('k2', T)];
    await store.schedule(items);
    const rec = recorder();
    const scheduler = createScheduler({ dueItems: store, deliver: rec.deliverFor(clock), clock, logger, instanceId: 'I1' });
    const realFinish = store.finish;
    store.finish = async () => {
      throw Object.assign(new Error('connection reset'), { code: 'ECONNRESET' });
    };
    await assert.rejects(scheduler.tick(), /connection reset/);
    assert.equal(rec.calls.length, 2);
    store.finish = realFinish;
    clock.advance(30 * MIN); // long before the lease runs out: our own outcome is still ours to record
    const next = await scheduler.tick();
    assert.equal(next.due, 0);
    assert.equal(rec.calls.length, 2, 'sent once each');
    for (const i of items) assert.equal((await row(i)).status, 'done');
  });

  it('catch-up: items due over the last 3 days are all delivered by the first tick, once; the second tick sends none', async () => {
    const restart = Date.parse(T);
    clock.set(new Date(restart - 73 * HOUR)); // scheduled before the downtime
    const items = Array.from({ length: 72 }, (_, i) => anItem(`h${i}`, new Date(restart - (72 - i) * HOUR + 5 * MIN)));
    await store.schedule(items);
    await tick(recorder().deliverFor(clock)); // the last tick before going down: nothing due yet
    clock.set(new Date(restart));
    const rec = recorder();
    const freshStore = tableDueItemStore(tables); // a new process
    const first = await runTick({ dueItems: freshStore, deliver: rec.deliverFor(clock), clock, logger, instanceId: 'restarted' });
    assert.equal(first.sent, 72);
    assert.deepEqual(rec.calls.map((c) => c.key).sort(), items.map((i) => i.key).sort());
    const second = await runTick({ dueItems: freshStore, deliver: rec.deliverFor(clock), clock, logger, instanceId: 'restarted' });
    assert.equal(second.due, 0);
    assert.equal(rec.calls.length, 72);
    assert.equal(await freshStore.cursor(), hourOf(new Date(restart).toISOString()));
  });
});
