import assert from 'node:assert/strict';
import type { AccessLog, AccessLogEntry } from '../../src/domain/ports';
import { tableAccessLog } from '../../src/storage/accessLog';
import { useIsolatedTables } from '../helpers/tableStore';

const entry = (at: string, overrides: Partial<AccessLogEntry> = {}): AccessLogEntry => ({
  at, actorId: 'sw-1', action: 'view', caseCode: 'SST-2026-0001', schoolId: 'ryd', allowed: true, via: 'card:case.view', ...overrides,
});
const iso = (s: string) => new Date(s).toISOString();

describe('storage/accessLog (tableAccessLog on Azurite)', function () {
  this.timeout(60_000);
  const currentTables = useIsolatedTables();
  let log: AccessLog;

  beforeEach(() => {
    log = tableAccessLog(currentTables());
  });

  it('gives back a recorded entry as it was', async () => {
    const allowed = entry(iso('2026-10-15T09:00Z'));
    const denied: AccessLogEntry = { at: iso('2026-10-15T09:01Z'), actorId: 'eht-2', action: 'list', allowed: false, via: 'command:myCases' };
    await log.record(allowed);
    await log.record(denied);
    assert.deepEqual(await log.list(iso('2026-10-01T00:00Z'), iso('2026-11-01T00:00Z')), [allowed, denied]);
  });

  it('records 150 entries in one call, spread over two months, and lists them in time order', async () => {
    const start = Date.parse('2026-10-31T22:00:00Z');
    const entries = Array.from({ length: 150 }, (_, i) => entry(new Date(start + i * 60_000).toISOString(), { caseCode: `SST-2026-${String(i + 1).padStart(4, '0')}` }));
    await log.recordMany([...entries].reverse());
    assert.deepEqual(await log.list(iso('2026-10-01T00:00Z'), iso('2026-12-01T00:00Z')), entries);
  });

  it('records nothing for an empty list', async () => {
    await log.recordMany([]);
    assert.deepEqual(await log.list(iso('2026-01-01T00:00Z'), iso('2027-01-01T00:00Z')), []);
  });

  it('lists a range across a month boundary, start inclusive and end exclusive', async () => {
    const lastOfOctober = entry(iso('2026-10-31T23:59Z'), { caseCode: 'SST-2026-0001' });
    const firstOfNovember = entry(iso('2026-11-01T00:01Z'), { caseCode: 'SST-2026-0002' });
    const atEnd = entry(iso('2026-11-01T00:05Z'), { caseCode: 'SST-2026-0003' });
    const before = entry(iso('2026-10-31T23:58:59.999Z'), { caseCode: 'SST-2026-0004' });
    await log.recordMany([lastOfOctober, firstOfNovember, atEnd, before]);

    assert.deepEqual(await log.list(iso('2026-10-31T23:59Z'), iso('2026-11-01T00:05Z')), [lastOfOctober, firstOfNovember]);
    assert.deepEqual(await log.list(iso('2026-10-31T23:59Z'), iso('2026-11-01T00:05:00.001Z')), [lastOfOctober, firstOfNovember, atEnd]);
    assert.deepEqual(await log.list(iso('2026-11-01T00:00Z'), iso('2026-12-01T00:00Z')), [firstOfNovember, atEnd]);
    assert.deepEqual(await log.list(iso('2026-10-01T00:00Z'), iso('2026-11-01T00:00Z')), [before, lastOfOctober]);
    assert.deepEqual(await log.list(iso('2026-11-01T00:02Z'), iso('2026-11-01T00:03Z')), []);
  });

  it('lists a range across a year boundary', async () => {
    const december = entry(iso('2026-12-31T23:00Z'));
    const january = entry(iso('2027-01-01T01:00Z'));
    await log.recordMany([december, january]);
    assert.deepEqual(await log.list(iso('2026-12-01T00:00Z'), iso('2027-02-01T00:00Z')), [december, january]);
  });
});
