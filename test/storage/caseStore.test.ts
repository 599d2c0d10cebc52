import assert from 'node:assert/strict';
import type { Case, CaseEvent } from '../../src/domain/concern';
import { ConcurrencyError } from '../../src/domain/errors';
import type { CaseStore } from '../../src/domain/ports';
import { manualClock } from '../../src/domain/clock';
import { tableCaseStore } from '../../src/storage/caseStore';
import { tableChangeStore } from '../../src/storage/changeStore';
import { useIsolatedTables } from '../helpers/tableStore';

const t0 = '2026-09-01T08:00:00.000Z';

function aCase(code: string, teamId = 'west', overrides: Partial<Case> = {}): Case {
  return {
    code, teamId, schoolId: 'ryd', grade: '7', category: 'absence', absenceBand: '20to50', summary: 'Upprepad frånvaro',
    consent: { scope: 'Samverkan kring frånvaro', expires: '2027-01-31', recordedBy: 'eht-1', recordedAt: t0 },
    schoolRef: 'PRN-1234', status: 'new', raisedBy: 'eht-1', assignedTo: 'sw-1', createdAt: t0, updatedAt: t0, lastActivityAt: t0,
    ...overrides,
  };
}

const event = (caseCode: string, at: string, kind: CaseEvent['kind'] = 'raised', note?: string): CaseEvent => ({ caseCode, at, kind, by: 'eht-1', ...(note ? { note } : {}) });
/** `n` events a minute apart, each with its number as note. */
const manyEvents = (caseCode: string, n: number, startMinute = 0): CaseEvent[] =>
  Array.from({ length: n }, (_, i) => event(caseCode, new Date(Date.parse(t0) + (startMinute + i) * 60_000).toISOString(), 'infoRequested', String(startMinute + i)));

let actions = 0;

/**
 * The case store reads; cases are written the one way the bot writes them, as changes through the
 * change store (one transaction each): create, replace under an eTag, append events.
 */
function withWrites(reads: CaseStore, changes: ReturnType<typeof tableChangeStore>) {
  const commit = (teamId: string, cases: Array<{ value: Case; etag?: string }>, events: CaseEvent[]) =>
    changes.commit({ teamId, action: { id: `a-${++actions}`, result: {} }, cases, events, effects: [] });
  return {
    ...reads,
    create: async (c: Case, events: CaseEvent[]) => commit(c.teamId, [{ value: c }], events),
    update: async (c: Case, etag: string, events: CaseEvent[]) => {
      await commit(c.teamId, [{ value: c, etag }], events);
      return (await reads.get(c.teamId, c.code))!.etag;
    },
    appendEvents: async (teamId: string, events: CaseEvent[]) => {
      if (events.length > 0) await commit(teamId, [], events);
    },
  };
}

describe('storage/caseStore (tableCaseStore on Azurite, written through tableChangeStore)', function () {
  this.timeout(60_000);
  const currentTables = useIsolatedTables();
  let store: ReturnType<typeof withWrites>;

  beforeEach(() => {
    store = withWrites(tableCaseStore(currentTables()), tableChangeStore(currentTables(), manualClock(t0)));
  });

  it('listFor narrows a team\'s cases in the store: schools, assignee, still unclaimed; closed ones only when asked', async () => {
    await store.create(aCase('SST-2026-0001', 'west', { schoolId: 'ryd', assignedTo: 'sw-1', status: 'accepted' }), []);
    await store.create(aCase('SST-2026-0002', 'west', { schoolId: 'berga', assignedTo: 'sw-2', status: 'new' }), []);
    await store.create(aCase('SST-2026-0003', 'west', { schoolId: 'berga', assignedTo: 'sw-2', status: 'active' }), []);
    await store.create(aCase('SST-2026-0004', 'west', { schoolId: 'ryd', assignedTo: 'sw-1', status: 'closed', outcome: 'other' }), []);
    await store.create(aCase('SST-2026-0005', 'east', { schoolId: 'ryd', assignedTo: 'sw-1', status: 'new' }), []);
    const codes = async (scope: Parameters<CaseStore['listFor']>[1], team = 'west') => (await store.listFor(team, scope)).map((c) => c.code).sort();
    assert.deepEqual(await codes({ schoolIds: ['ryd'] }), ['SST-2026-0001'], 'a closed case stays out');
    assert.deepEqual(await codes({ schoolIds: ['ryd'], includeClosed: true }), ['SST-2026-0001', 'SST-2026-0004']);
    assert.deepEqual(await codes({ assignedTo: 'sw-1' }), ['SST-2026-0001']);
    assert.deepEqual(await codes({ assignedTo: 'sw-1', unclaimed: true }), ['SST-2026-0001', 'SST-2026-0002'], 'the team\'s new cases, whoever they went to');
    assert.deepEqual(await codes({}), [], 'no scope, nothing');
  });

  it('gives back a created case with an etag', async () => {
    const c = aCase('SST-2026-0001');
    await store.create(c, [event(c.code, t0)]);
    const got = await store.get('west', c.code);
    assert.ok(got);
    assert.deepEqual(got.value, c);
    assert.ok(got.etag.length > 0);
  });

  it('gives undefined for an unknown case, or a known case asked for in another team', async () => {
    await store.create(aCase('SST-2026-0001'), []);
    assert.equal(await store.get('west', 'SST-2026-0002'), undefined);
    assert.equal(await store.get('east', 'SST-2026-0001'), undefined);
  });

  it('refuses to create a case that exists, and appends none of its events', async () => {
    const c = aCase('SST-2026-0001');
    await store.create(c, [event(c.code, t0)]);
    await assert.rejects(store.create({ ...c, summary: 'other' }, [event(c.code, '2026-09-02T08:00:00.000Z')]));
    assert.equal((await store.get('west', c.code))?.value.summary, c.summary);
    assert.equal((await store.timeline('west', c.code)).length, 1);
  });

  it('updates with the current etag, returns the new etag and appends the events', async () => {
    const c = aCase('SST-2026-0001');
    await store.create(c, [event(c.code, t0)]);
    const before = (await store.get('west', c.code))!;
    const accepted = { ...c, status: 'accepted' as const, updatedAt: '2026-09-02T08:00:00.000Z' };
    const etag = await store.update(accepted, before.etag, [event(c.code, '2026-09-02T08:00:00.000Z', 'accepted')]);
    assert.notEqual(etag, before.etag);
    const after = (await store.get('west', c.code))!;
    assert.deepEqual(after, { value: accepted, etag });
    assert.deepEqual((await store.timeline('west', c.code)).map((e) => e.kind), ['raised', 'accepted']);
  });

  it('refuses an update with a stale etag with ConcurrencyError, changing nothing and appending nothing', async () => {
    const c = aCase('SST-2026-0001');
    await store.create(c, [event(c.code, t0)]);
    const stale = (await store.get('west', c.code))!.etag;
    const first = { ...c, status: 'accepted' as const };
    await store.update(first, stale, [event(c.code, '2026-09-02T08:00:00.000Z', 'accepted')]);
    await assert.rejects(store.update({ ...c, status: 'closed', outcome: 'other' }, stale, [event(c.code, '2026-09-02T09:00:00.000Z', 'closed')]), (err: unknown) => {
      assert.ok(err instanceof ConcurrencyError, String(err));
      assert.equal(err.code, 'conflict');
      return true;
    });
    assert.deepEqual((await store.get('west', c.code))?.value, first);
    assert.deepEqual((await store.timeline('west', c.code)).map((e) => e.kind), ['raised', 'accepted']);
  });

  it("lists only the team's cases, without events", async () => {
    await store.create(aCase('SST-2026-0001'), manyEvents('SST-2026-0001', 3));
    await store.create(aCase('SST-2026-0002'), manyEvents('SST-2026-0002', 2));
    await store.create(aCase('SST-2026-0003', 'east'), manyEvents('SST-2026-0003', 2));
    await store.create(aCase('SST-2026-0004', "o'team"), []); // a quote in a team id must not break the filter
    const west = await store.listByTeam('west');
    assert.deepEqual(west.map((c) => c.code).sort(), ['SST-2026-0001', 'SST-2026-0002']);
    assert.deepEqual(west[0], aCase(west[0].code));
    assert.deepEqual((await store.listByTeam('east')).map((c) => c.code), ['SST-2026-0003']);
    assert.deepEqual((await store.listByTeam("o'team")).map((c) => c.code), ['SST-2026-0004']);
    assert.deepEqual(await store.listByTeam('nobody'), []);
  });

  it("gives only the case's own events, in time order", async () => {
    const code = 'SST-2026-1000';
    await store.create(aCase(code), [event(code, '2026-09-03T08:00:00.000Z', 'accepted'), event(code, '2026-09-01T08:00:00.000Z', 'raised')]);
    await store.appendEvents('west', [event(code, '2026-09-02T08:00:00.000Z', 'infoRequested')]);
    // Codes that share a prefix, and the same code in another team, must stay apart.
    await store.create(aCase('SST-2026-10000'), [event('SST-2026-10000', t0)]);
    await store.create(aCase(code, 'east'), [event(code, t0)]);
    assert.deepEqual((await store.timeline('west', code)).map((e) => e.kind), ['raised', 'infoRequested', 'accepted']);
    assert.equal((await store.timeline('west', 'SST-2026-10000')).length, 1);
    assert.equal((await store.timeline('east', code)).length, 1);
    assert.deepEqual(await store.timeline('west', 'SST-2026-9999'), []);
  });

  it('keeps two events with the same timestamp written together, in the order given', async () => {
    const code = 'SST-2026-0001';
    await store.create(aCase(code), [event(code, t0, 'raised'), event(code, t0, 'assigned')]);
    assert.deepEqual((await store.timeline('west', code)).map((e) => e.kind), ['raised', 'assigned']);
  });

  it('keeps events with the same timestamp written by separate calls, in the order written', async () => {
    // A frozen or coarse clock gives one turn's events and the next turn's the same timestamp.
    const code = 'SST-2026-0001';
    await store.create(aCase(code), [event(code, t0, 'raised')]);
    for (let i = 1; i <= 9; i++) await store.appendEvents('west', [event(code, t0, 'infoRequested', String(i))]);
    const timeline = await store.timeline('west', code);
    assert.deepEqual(timeline.map((e) => e.note ?? e.kind), ['raised', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('appends events without changing the case or its etag', async () => {
    const c = aCase('SST-2026-0001');
    await store.create(c, []);
    const before = await store.get('west', c.code);
    await store.appendEvents('west', [event(c.code, t0, 'infoReplied')]);
    await store.appendEvents('west', []);
    assert.deepEqual(await store.get('west', c.code), before);
    assert.deepEqual((await store.timeline('west', c.code)).map((e) => e.kind), ['infoReplied']);
  });

  it('writes a case with 98 events (and the action\'s mark) in one transaction and refuses more rather than split it', async () => {
    const c = aCase('SST-2026-0001');
    await store.create(c, manyEvents(c.code, 98));
    const { etag } = (await store.get('west', c.code))!;
    await store.update({ ...c, status: 'accepted' }, etag, manyEvents(c.code, 98, 98));
    const timeline = await store.timeline('west', c.code);
    assert.equal(timeline.length, 196);
    assert.deepEqual(timeline.map((e) => e.note), Array.from({ length: 196 }, (_, i) => String(i)));
    const { etag: latest } = (await store.get('west', c.code))!;
    await assert.rejects(store.update({ ...c, status: 'closed', outcome: 'other' }, latest, manyEvents(c.code, 99, 196)), /too large for one transaction/);
    assert.equal((await store.get('west', c.code))?.value.status, 'accepted', 'nothing written');
    assert.equal((await store.timeline('west', c.code)).length, 196);
  });

  it('appends none of its events when the etag is stale', async () => {
    const c = aCase('SST-2026-0001');
    await store.create(c, []);
    const stale = (await store.get('west', c.code))!.etag;
    await store.update({ ...c, status: 'accepted' }, stale, []);
    await assert.rejects(store.update({ ...c, status: 'closed', outcome: 'other' }, stale, manyEvents(c.code, 50)), ConcurrencyError);
    assert.deepEqual(await store.timeline('west', c.code), []);
  });
});
