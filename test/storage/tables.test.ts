import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTableStore, type TableStore } from '../../src/storage/tables';

describe('storage/tables (openTableStore, embedded)', function () {
  this.timeout(60_000);
  const opened: TableStore[] = [];
  const open = async (dataDir: string) => {
    const store = await openTableStore({ kind: 'embedded', dataDir });
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    // close() of a store already closed by the test would wait for a worker that is gone.
    await Promise.all(opened.splice(0).map((s) => (s as TableStore & { closed?: boolean }).closed ? undefined : s.close()));
  });
  const closeNow = async (store: TableStore) => {
    await store.close();
    (store as TableStore & { closed?: boolean }).closed = true;
  };

  it('answers $filter queries even when restify is loaded in the same process', async () => {
    require('restify'); // patches http.IncomingMessage.prototype.query for every server in this realm
    assert.ok('query' in http.IncomingMessage.prototype, 'restify should have patched IncomingMessage');
    const store = await open(':memory:');
    const table = await store.ensureTable('filtered');
    await table.createEntity({ partitionKey: 'p', rowKey: 'c' });
    await table.createEntity({ partitionKey: 'p', rowKey: 'e' });
    const rows: string[] = [];
    for await (const row of table.listEntities({ queryOptions: { filter: "PartitionKey eq 'p' and RowKey lt 'd'" } })) rows.push(row.rowKey!);
    assert.deepEqual(rows, ['c']);
  });

  it('keeps data on disk across close and reopen of the same DATA_DIR', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sst-tables-'));
    try {
      const first = await open(join(dir, 'data'));
      await (await first.ensureTable('kept')).createEntity({ partitionKey: 'p', rowKey: 'r', n: 42 });
      await closeNow(first);

      const second = await open(join(dir, 'data'));
      const entity = await (await second.ensureTable('kept')).getEntity<{ n: number }>('p', 'r');
      assert.equal(entity.n, 42);
      await closeNow(second);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not keep data of a :memory: store after close', async () => {
    const first = await open(':memory:');
    await (await first.ensureTable('gone')).createEntity({ partitionKey: 'p', rowKey: 'r' });
    await closeNow(first);
    const second = await open(':memory:');
    await assert.rejects(second.table('gone').getEntity('p', 'r'), (err: { statusCode?: number }) => err.statusCode === 404);
  });

  it('can be closed twice (a second close resolves instead of waiting for a worker that is gone)', async function () {
    this.timeout(5_000);
    const store = await open(':memory:');
    await closeNow(store);
    await store.close();
  });

  it('pings while open and rejects the ping after close', async () => {
    const store = await open(':memory:');
    await store.ping();
    assert.match(store.describe(), /embedded Azurite \(:memory:\)/);
    await closeNow(store);
    await assert.rejects(store.ping());
  });
});
