import assert from 'node:assert/strict';
import { tableCodeAllocator } from '../../src/storage/codeAllocator';
import type { TableStore } from '../../src/storage/tables';
import { useIsolatedTables } from '../helpers/tableStore';

describe('storage/codeAllocator (tableCodeAllocator on Azurite)', function () {
  this.timeout(60_000);
  const currentTables = useIsolatedTables();
  let tables: TableStore;
  beforeEach(() => {
    tables = currentTables();
  });

  it('starts at 1 and counts up', async () => {
    const codes = tableCodeAllocator(tables);
    assert.equal(await codes.next(2026), 1);
    assert.equal(await codes.next(2026), 2);
    assert.equal(await codes.next(2026), 3);
  });

  it('counts each year on its own', async () => {
    const codes = tableCodeAllocator(tables);
    await codes.next(2026);
    await codes.next(2026);
    assert.equal(await codes.next(2027), 1);
    assert.equal(await codes.next(2026), 3);
    assert.equal(await codes.next(2027), 2);
  });

  it('continues where another instance (another bot process) left off', async () => {
    await tableCodeAllocator(tables).next(2026);
    assert.equal(await tableCodeAllocator(tables).next(2026), 2);
  });

  it('gives 30 concurrent callers on two instances the distinct numbers 1..30', async () => {
    const one = tableCodeAllocator(tables);
    const two = tableCodeAllocator(tables);
    const numbers = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? one : two).next(2026)));
    assert.deepEqual([...numbers].sort((a, b) => a - b), Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('gives up with a clear error after maxAttempts lost races', async () => {
    // Every read sees the counter at 0, as if another instance always won the race.
    const counters = await tables.ensureTable('counters');
    await counters.createEntity({ partitionKey: 'caseCode', rowKey: '2026', n: 5 });
    const staleTables: TableStore = {
      ...tables,
      async ensureTable(name) {
        const client = await tables.ensureTable(name);
        return new Proxy(client, {
          get(target, prop, receiver) {
            if (prop === 'getEntity') return async () => ({ partitionKey: 'caseCode', rowKey: '2026', n: 0, etag: 'W/"datetime\'2000-01-01T00%3A00%3A00.0000000Z\'"' });
            const value = Reflect.get(target, prop, receiver);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        });
      },
    };
    await assert.rejects(tableCodeAllocator(staleTables, 3).next(2026), /Could not allocate a case code for 2026 after 3 attempts/);
    assert.equal(await tableCodeAllocator(tables).next(2026), 6); // the counter itself is untouched
  });
});
