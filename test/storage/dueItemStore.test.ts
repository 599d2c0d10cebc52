import assert from 'node:assert/strict';
import type { DueItemStore, StoredDueItem, Versioned } from '../../src/domain/ports';
import type { DueItem } from '../../src/domain/reminders';
import { DUE_ITEMS_TABLE, hourOf, tableDueItemStore } from '../../src/storage/dueItemStore';
import type { TableStore } from '../../src/storage/tables';
import { countingTableStore } from '../helpers/countingTables';
import { useIsolatedTables } from '../helpers/tableStore';

const HOUR = 3600_000;
const T = new Date('2026-11-25T06:30:00.000Z'); // 07:30 in Stockholm
const plus = (ms: number, from = T) => new Date(from.getTime() + ms);

function anItem(key: string, dueAt: Date | string, overrides: Partial<DueItem> = {}): DueItem {
  return { key, kind: 'planReview', dueAt: new Date(dueAt).toISOString(), recipientId: 'sw-1', teamId: 'sst-1', caseCode: 'SST-2026-0001', ref: { planId: 'p-1', review: '2026-12-10', before: '7' }, ...overrides };
}

async function rawRows(tables: TableStore) {
  const rows: Array<Record<string, unknown>> = [];
  for await (const row of (await tables.ensureTable(DUE_ITEMS_TABLE)).listEntities()) if (row.partitionKey !== 'cursor') rows.push(row);
  return rows;
}

const keys = (items: Array<Versioned<StoredDueItem>>) => items.map((i) => i.value.key).sort();

async function finishAll(store: DueItemStore, items: Array<Versioned<StoredDueItem>>, now: Date) {
  for (const i of items) {
    const claimed = await claimOne(store, i, 'test', now, 60_000);
    assert.ok(claimed);
    await store.finish([{ item: claimed, outcome: { status: 'done' } }]);
  }
}

/** Claims one item (the store claims in batches; one is the simplest batch). */
async function claimOne(store: DueItemStore, item: Versioned<StoredDueItem>, instanceId: string, now: Date, leaseMs: number): Promise<Versioned<StoredDueItem> | undefined> {
  return (await store.claim([item], instanceId, now, leaseMs))[0];
}

describe('storage/dueItemStore (tableDueItemStore on Azurite)', function () {
  this.timeout(120_000);
  const currentTables = useIsolatedTables();
  let tables: TableStore;
  let store: ReturnType<typeof tableDueItemStore>;

  beforeEach(() => {
    tables = currentTables();
    store = tableDueItemStore(tables);
  });

  describe('schedule', () => {
    it('is idempotent: the same item twice (in one call or two) is one row', async () => {
      const item = anItem('k1', plus(HOUR));
      await store.schedule([item, item]);
      await store.schedule([item]);
      assert.equal((await rawRows(tables)).length, 1);
      assert.deepEqual(keys(await store.due(plus(2 * HOUR))), ['k1']);
    });

    it('does not bring back an item that was already sent when it is scheduled again', async () => {
      const item = anItem('k1', plus(-60_000));
      await store.schedule([item]);
      await finishAll(store, await store.due(T), T);
      await store.schedule([item]);
      assert.deepEqual(await store.due(T), []);
      assert.equal((await rawRows(tables))[0].status, 'done');
    });

    it('stores the item, its state and its partition by UTC due hour', async () => {
      await store.schedule([anItem('k1', '2026-11-25T06:30:00.000Z')]);
      const [row] = await rawRows(tables);
      assert.equal(row.partitionKey, '2026-11-25T06');
      assert.equal(row.status, 'pending');
      assert.equal(row.attempts, 0);
      const [due] = await store.due(T);
      assert.deepEqual(due.value, { ...anItem('k1', T), status: 'pending', attempts: 0 });
    });

    it('the same key at another due time is another row (keys must fix their due time)', async () => {
      await store.schedule([anItem('k1', plus(HOUR))]);
      await store.schedule([anItem('k1', plus(25 * HOUR))]);
      assert.equal((await rawRows(tables)).length, 2);
    });
  });

  describe('due', () => {
    it('returns items due at or before now, not later ones', async () => {
      await store.schedule([anItem('past', plus(-HOUR)), anItem('now', T), anItem('later', plus(1)), anItem('next-hour', plus(HOUR))]);
      assert.deepEqual(keys(await store.due(T)), ['now', 'past']);
      assert.deepEqual(keys(await store.due(plus(1))), ['later', 'now', 'past']);
    });

    it('returns each due item once, and none after they are done', async () => {
      const items = Array.from({ length: 12 }, (_, i) => anItem(`k${i}`, plus(-i * 10 * 60_000)));
      await store.schedule(items);
      const due = await store.due(T);
      assert.deepEqual(keys(due), items.map((i) => i.key).sort());
      await finishAll(store, due, T);
      assert.deepEqual(await store.due(T), []);
    });
  });

  describe('the sweep reads only what is due', () => {
    it('1,000 items over the next 1,000 hours and 5 due now: a sweep returns the 5 and reads at most 10 entities', async () => {
      const counting = countingTableStore(tables, DUE_ITEMS_TABLE);
      const swept = tableDueItemStore(counting.store);
      const future = Array.from({ length: 1000 }, (_, i) => anItem(`future-${i}`, plus((i + 1) * HOUR)));
      const dueNow = Array.from({ length: 5 }, (_, i) => anItem(`now-${i}`, plus(-(i + 1) * 60_000)));
      await swept.schedule([...future, ...dueNow]);

      counting.reset();
      const due = await swept.due(T);
      const first = { ...counting.counts };
      assert.deepEqual(keys(due), dueNow.map((i) => i.key).sort());
      assert.ok(first.rows <= 2 * due.length, `read ${first.rows} entities for ${due.length} due`);
      assert.ok(first.queries <= 2, `${first.queries} queries`);

      await finishAll(swept, due, T);
      await swept.advanceCursor(T);
      counting.reset();
      assert.deepEqual(await swept.due(T), []);
      assert.equal(counting.counts.rows, 0);

      // 3½ hours on: three of the future items are due; the sweep reads those hours only.
      const later = plus(3.5 * HOUR);
      counting.reset();
      const next = await swept.due(later);
      assert.deepEqual(keys(next), ['future-0', 'future-1', 'future-2']);
      assert.ok(counting.counts.rows <= 2 * next.length, `read ${counting.counts.rows} entities for ${next.length} due`);
      assert.ok(counting.counts.queries <= 4, `${counting.counts.queries} queries for hours 06..09`);
      const later3 = { ...counting.counts };
      await finishAll(swept, next, later);
      await swept.advanceCursor(later);
      assert.equal(await swept.cursor(), hourOf(later.toISOString()));
      counting.reset();
      await swept.due(later);
      assert.equal(counting.counts.queries, 1, 'after advanceCursor only the current hour is read');
      console.log(`      measured: 1,005 scheduled / 5 due → first sweep ${first.queries} queries, ${first.rows} entities read; 3½ h later ${later3.queries} queries, ${later3.rows} entities for 3 due; after advanceCursor ${counting.counts.queries} query`);
    });

    it('advanceCursor stops at the oldest hour with unfinished work (pending, claimed or waiting for a retry)', async () => {
      const a = anItem('a', plus(-5 * HOUR));
      const b = anItem('b', plus(-3 * HOUR));
      const c = anItem('c', plus(-HOUR));
      await store.schedule([a, b, c]);
      assert.equal(await store.cursor(), hourOf(a.dueAt));
      const due = await store.due(T);
      const byKey = new Map(due.map((d) => [d.value.key, d]));
      await finishAll(store, [byKey.get('a')!], T);
      await store.advanceCursor(T);
      assert.equal(await store.cursor(), hourOf(b.dueAt), 'b is pending');
      // b claimed (in flight): the cursor stays.
      const claimedB = (await claimOne(store, byKey.get('b')!, 'x', T, 60_000))!;
      await store.advanceCursor(T);
      assert.equal(await store.cursor(), hourOf(b.dueAt), 'b is claimed');
      // b waiting for a retry: the cursor stays.
      await store.finish([{ item: claimedB, outcome: { status: 'pending', nextAttemptAt: plus(60_000).toISOString(), lastError: 'Error' } }]);
      await store.advanceCursor(T);
      assert.equal(await store.cursor(), hourOf(b.dueAt), 'b waits for a retry');
      assert.deepEqual(keys(await store.due(T)), ['c'], 'not before its retry time');
      assert.deepEqual(keys(await store.due(plus(60_000))), ['b', 'c']);
      const [db, dc] = (await store.due(plus(60_000))).sort((x, y) => x.value.key.localeCompare(y.value.key));
      const again = (await claimOne(store, db, 'x', plus(60_000), 60_000))!;
      await store.finish([{ item: again, outcome: { status: 'failed', lastError: 'Error' } }]);
      await store.advanceCursor(plus(60_000));
      assert.equal(await store.cursor(), hourOf(c.dueAt));
      await finishAll(store, [dc], T);
      await store.advanceCursor(T);
      assert.equal(await store.cursor(), hourOf(T.toISOString()));
    });

    it('an item scheduled in an hour before the cursor pulls the cursor back, and is found', async () => {
      await store.schedule([anItem('first', plus(-60_000))]);
      await finishAll(store, await store.due(T), T);
      const later = plus(10 * HOUR);
      await store.advanceCursor(later);
      assert.equal(await store.cursor(), hourOf(later.toISOString()));
      const late = anItem('late', plus(2 * HOUR));
      await store.schedule([late]);
      assert.equal(await store.cursor(), hourOf(late.dueAt));
      assert.deepEqual(keys(await store.due(later)), ['late']);
      // A later item does not move the cursor forward.
      await store.schedule([anItem('much-later', plus(20 * HOUR))]);
      assert.equal(await store.cursor(), hourOf(late.dueAt));
    });
  });

  describe('claims', () => {
    it('are exclusive: two claims with the same etag, one wins', async () => {
      await store.schedule([anItem('k1', T)]);
      const [due] = await store.due(T);
      const results = await Promise.all([claimOne(store, due, 'A', T, 120_000), claimOne(store, due, 'B', T, 120_000)]);
      assert.equal(results.filter(Boolean).length, 1);
      const won = results.find(Boolean)!;
      assert.equal(won.value.status, 'claimed');
      assert.equal(won.value.attempts, 1);
      assert.equal(won.value.leaseUntil, plus(120_000).toISOString());
      assert.notEqual(won.etag, due.etag);
      assert.deepEqual(await store.due(T), [], 'a claimed item is not due while its lease holds');
    });

    it('ten instances racing for one item: exactly one wins', async () => {
      await store.schedule([anItem('k1', T)]);
      const [due] = await store.due(T);
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => claimOne(store, due, `I${i}`, T, 120_000)));
      assert.equal(results.filter(Boolean).length, 1);
    });

    it('a claim whose lease ran out (crash between claim and send) is due again, not before, and is claimed once more', async () => {
      await store.schedule([anItem('k1', T)]);
      const [due] = await store.due(T);
      const crashed = (await claimOne(store, due, 'crashed', T, 120_000))!;
      assert.deepEqual(await store.due(plus(60_000)), []);
      assert.deepEqual(await store.due(plus(120_000)), [], 'lease holds up to and including leaseUntil');
      const [again] = await store.due(plus(120_001));
      assert.equal(again.value.status, 'claimed');
      assert.equal(again.value.claimedBy, 'crashed');
      const taken = await Promise.all([claimOne(store, again, 'B', plus(120_001), 120_000), claimOne(store, again, 'C', plus(120_001), 120_000)]);
      const winner = taken.find(Boolean)!;
      assert.equal(taken.filter(Boolean).length, 1);
      assert.equal(winner.value.attempts, 2);
      // The crashed instance comes back and finishes with its stale etag: it does not overwrite.
      await store.finish([{ item: crashed, outcome: { status: 'failed', lastError: 'late' } }]);
      const [row] = await rawRows(tables);
      assert.equal(row.status, 'claimed');
      assert.equal(row.claimedBy, winner.value.claimedBy);
      await store.finish([{ item: winner, outcome: { status: 'done' } }]);
      assert.equal((await rawRows(tables))[0].status, 'done');
      assert.deepEqual(await store.due(plus(10 * HOUR)), []);
    });
  });

  describe('catch-up after downtime', () => {
    it('items scheduled over 3 days of downtime all come due at restart, each once', async () => {
      const items = Array.from({ length: 72 }, (_, i) => anItem(`h${i}`, plus(i * HOUR + 17 * 60_000)));
      await store.schedule(items);
      await store.advanceCursor(T); // the last sweep before the downtime
      const restart = plus(73 * HOUR);
      const counting = countingTableStore(tables, DUE_ITEMS_TABLE);
      const afterRestart = tableDueItemStore(counting.store); // a new process on the same store
      const due = await afterRestart.due(restart);
      assert.equal(due.length, 72);
      assert.deepEqual(keys(due), items.map((i) => i.key).sort());
      assert.equal(counting.counts.rows, 72);
      assert.ok(counting.counts.queries <= 2, `${counting.counts.queries} queries for 73 hours of catch-up`);
      console.log(`      measured: catch-up over 73 hours → ${counting.counts.queries} queries, ${counting.counts.rows} entities read for 72 due`);
      await finishAll(afterRestart, due, restart);
      assert.deepEqual(await afterRestart.due(restart), []);
      await afterRestart.advanceCursor(restart);
      assert.equal(await afterRestart.cursor(), hourOf(restart.toISOString()));
    });
  });
});
