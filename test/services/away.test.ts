import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { manualClock } from '../../src/domain/clock';
import { AccessDeniedError } from '../../src/domain/errors';
import { assigneeFor, type Roster } from '../../src/domain/roster';
import { parseAway, setAway } from '../../src/services/away';
import type { ServiceDeps } from '../../src/services/deps';
import { swedishHolidays } from '../../src/services/holidays';
import { tableAccessLog } from '../../src/storage/accessLog';
import { tableCaseStore } from '../../src/storage/caseStore';
import { tableChangeStore } from '../../src/storage/changeStore';
import { tableCodeAllocator } from '../../src/storage/codeAllocator';
import { ROSTER_TABLE, tableRosterStore } from '../../src/storage/rosterStore';
import { useIsolatedTables } from '../helpers/tableStore';

const ROSTER = JSON.parse(readFileSync(join(__dirname, '../../roster.example.json'), 'utf8')) as Roster;
const person = (id: string) => ROSTER.people.find((p) => p.id === id)!;

describe('services/away: frånvaro (real stores on Azurite)', function () {
  this.timeout(60_000);
  const currentTables = useIsolatedTables();
  let deps: ServiceDeps;
  let roster: ReturnType<typeof tableRosterStore>;

  beforeEach(async () => {
    const tables = currentTables();
    const clock = manualClock('2026-11-23T09:00:00+01:00');
    roster = tableRosterStore(tables, clock, 0);
    await roster.importFile(ROSTER);
    deps = { clock, roster, isHoliday: swedishHolidays(), cases: tableCaseStore(tables), codes: tableCodeAllocator(tables), accessLog: tableAccessLog(tables), changes: tableChangeStore(tables, clock) };
  });

  const outbox = async () => {
    const rows: Array<Record<string, unknown>> = [];
    for await (const e of currentTables().table(ROSTER_TABLE).listEntities()) if (String(e.rowKey).startsWith('o|')) rows.push(e as Record<string, unknown>);
    return rows.map((r) => JSON.parse(String(r.data ?? r.effect ?? '{}')));
  };

  it('a social worker is away from a day until a day: stored beside the roster with its log line and the card to the group leader, kept when the file is loaded again', async () => {
    const done = await setAway(deps, person('sw-1'), { from: '2026-11-23', until: '2026-11-27' }, { id: 'away-1' });
    assert.equal(done.status, 'applied');
    assert.deepEqual((await roster.get()).people.find((p) => p.id === 'sw-1')?.away?.until, '2026-11-27');
    assert.equal(assigneeFor(await roster.get(), 'ryd', '2026-11-25')?.person.id, 'sw-2');
    const effects = JSON.stringify(await outbox());
    assert.match(effects, /"kind":"logAccess".*"action":"setAway"/);
    assert.match(effects, /"kind":"notify","to":"gl-1".*"kind":"away","personId":"sw-1"/);
    // The same action again writes nothing more; the file loaded again keeps the period.
    assert.equal((await setAway(deps, person('sw-1'), { from: '2026-11-23', until: '2026-11-27' }, { id: 'away-1' })).status, 'repeat');
    await roster.importFile(ROSTER);
    assert.equal((await roster.get()).people.find((p) => p.id === 'sw-1')?.away?.until, '2026-11-27');
    // Back early.
    assert.equal((await setAway(deps, person('sw-1'), undefined, { id: 'away-2' })).status, 'applied');
    assert.equal((await roster.get()).people.find((p) => p.id === 'sw-1')?.away, undefined);
    assert.equal((await setAway(deps, person('sw-1'), undefined, { id: 'away-3' })).status, 'unchanged', 'not away: nothing to end');
  });

  it('only a social worker marks themselves away; a refusal is logged', async () => {
    await assert.rejects(setAway(deps, person('gl-1'), { from: '2026-11-23', until: '2026-11-27' }, { id: 'away-gl' }), AccessDeniedError);
    const log = await deps.accessLog.list('2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z');
    assert.deepEqual(log.map((e) => [e.actorId, e.action, e.allowed]), [['gl-1', 'setAway', false]]);
    assert.equal((await roster.get()).people.find((p) => p.id === 'gl-1')?.away, undefined);
  });

  it('bounds the period: from today (or within three months) until on or after it, at most a year ahead', () => {
    assert.deepEqual(parseAway({ awayUntil: '2026-11-27' }, '2026-11-23'), { ok: true, from: '2026-11-23', until: '2026-11-27' });
    assert.deepEqual(parseAway({ awayFrom: '2026-11-20', awayUntil: '2026-11-27' }, '2026-11-23'), { ok: false, errors: { awayFrom: 'dateInPast' } });
    assert.deepEqual(parseAway({ awayFrom: '2026-11-25', awayUntil: '2026-11-24' }, '2026-11-23'), { ok: false, errors: { awayUntil: 'beforeStart' } });
    assert.deepEqual(parseAway({ awayUntil: '2028-01-01' }, '2026-11-23'), { ok: false, errors: { awayUntil: 'tooFar' } });
    assert.deepEqual(parseAway({ awayFrom: 'igår', awayUntil: '' }, '2026-11-23'), { ok: false, errors: { awayFrom: 'invalidDate', awayUntil: 'required' } });
  });
});
