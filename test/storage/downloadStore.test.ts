import assert from 'node:assert/strict';
import { tableDownloadStore, DOWNLOADS_TABLE } from '../../src/storage/downloadStore';
import { useIsolatedTables } from '../helpers/tableStore';

describe('storage/downloadStore (Azurite)', function () {
  this.timeout(30_000);
  const currentTables = useIsolatedTables();
  const now = new Date('2027-03-01T08:00:00Z');
  const token = '0123456789abcdef0123456789abcdef';

  it('gives a report link once, with its period', async () => {
    const store = tableDownloadStore(currentTables());
    const item = { kind: 'report' as const, scope: ['sst-1'], period: { preset: 'lastYear' as const, start: '2026-01-01', end: '2026-12-31' }, createdBy: 'gl-1' };
    await store.put(token, { ...item, expiresAt: '2027-03-01T08:10:00Z' });
    assert.deepEqual(await store.take(token, now), item);
    assert.equal(await store.take(token, now), undefined);
  });

  it('treats a link an earlier version made (a yearly report by year) as gone, and uses it up', async () => {
    const tables = currentTables();
    const client = await tables.ensureTable(DOWNLOADS_TABLE);
    await client.createEntity({ partitionKey: token, rowKey: '', data: JSON.stringify({ kind: 'yearReport', scope: ['sst-1'], year: 2026, createdBy: 'gl-1' }), expiresAt: '2027-03-01T08:10:00Z' });
    assert.equal(await tableDownloadStore(tables).take(token, now), undefined);
    await assert.rejects(client.getEntity(token, ''), (err: { statusCode?: number }) => err.statusCode === 404);
  });
});
