import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startAzurite, type RunningAzurite } from '../helpers/azurite';
import { accountFromEnv, exportTables, importTables } from '../../infra/tools/table-backup';

describe('infra/tools/table-backup.ts (export and restore of the Table store)', function () {
  this.timeout(60_000);
  let source: RunningAzurite;
  let target: RunningAzurite;
  let dir: string;

  beforeEach(async () => {
    [source, target] = await Promise.all([startAzurite(), startAzurite()]);
    dir = mkdtempSync(path.join(tmpdir(), 'sst-backup-'));
  });
  afterEach(async () => {
    await Promise.all([source.stop(), target.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips every table and entity, with property types, into an empty account', async () => {
    const from = accountFromEnv({ TABLES_CONNECTION_STRING: source.connectionString });
    const cases = from.table('cases');
    await cases.createTable();
    const when = new Date('2026-11-23T08:00:00.000Z');
    await cases.createEntity({ partitionKey: 'sst-1', rowKey: 'c|SST-2026-0001', data: '{"code":"SST-2026-0001"}', n: 7, big: { value: '9007199254740993', type: 'Int64' }, at: when, ok: true, ratio: 0.5 });
    for (let i = 0; i < 130; i++) await cases.createEntity({ partitionKey: 'sst-2', rowKey: `e|${String(i).padStart(3, '0')}`, data: 'x' });
    const counters = from.table('counters');
    await counters.createTable();
    await counters.createEntity({ partitionKey: 'caseCode', rowKey: '2026', n: 1 });

    const exported = await exportTables(from, dir);
    assert.deepEqual(exported, { cases: 131, counters: 1 });
    assert.doesNotMatch(readFileSync(path.join(dir, 'cases.ndjson'), 'utf8'), /etag|odata\.metadata/i);

    const to = accountFromEnv({ TABLES_CONNECTION_STRING: target.connectionString });
    assert.deepEqual(await importTables(to, dir), { cases: 131, counters: 1 });
    const restored = await to.table('cases').getEntity<Record<string, unknown>>('sst-1', 'c|SST-2026-0001');
    assert.equal(restored.data, '{"code":"SST-2026-0001"}');
    assert.equal(restored.n, 7);
    assert.equal(restored.big, 9007199254740993n, 'Int64 beyond Number.MAX_SAFE_INTEGER survives');
    assert.equal((restored.at as Date).toISOString(), when.toISOString());
    assert.equal(restored.ok, true);
    assert.equal(restored.ratio, 0.5);
    let events = 0;
    for await (const _ of to.table('cases').listEntities({ queryOptions: { filter: "PartitionKey eq 'sst-2'" } })) events++;
    assert.equal(events, 130);
    // A second restore over existing data replaces, it does not fail or duplicate.
    assert.deepEqual(await importTables(to, dir), { cases: 131, counters: 1 });
    assert.equal((await to.table('counters').getEntity<{ n: number }>('caseCode', '2026')).n, 1);
  });

  it('names what to set when neither store variable is given', () => {
    assert.throws(() => accountFromEnv({}), /Set TABLES_ENDPOINT .* or TABLES_CONNECTION_STRING/);
  });
});
