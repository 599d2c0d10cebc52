import assert from 'node:assert/strict';
import { manualClock } from '../../src/domain/clock';
import type { Roster } from '../../src/domain/roster';
import { tableRosterStore } from '../../src/storage/rosterStore';
import type { TableStore } from '../../src/storage/tables';
import { useIsolatedTables } from '../helpers/tableStore';

function rosterFile(): Roster {
  return {
    municipality: { name: 'Testkommun', reportConcernUrl: 'https://example.org/orosanmalan' },
    teams: [{ id: 'west', name: 'Väst', groupLeader: 'gl-1' }],
    schools: [
      { id: 'ryd', name: 'Rydskolan', team: 'west', socialWorker: 'sw-1', backupSocialWorker: 'sw-2' },
      { id: 'berga', name: 'Bergaskolan', team: 'west', socialWorker: 'sw-2', backupSocialWorker: 'sw-1' },
    ],
    people: [
      { id: 'eht-1', aadObjectId: 'e1', name: 'Eva', roles: ['eht'], schools: ['ryd'] },
      { id: 'sw-1', aadObjectId: 'a1', name: 'Sara', roles: ['socialWorker'], team: 'west' },
      { id: 'sw-2', aadObjectId: 'a2', name: 'Samir', roles: ['socialWorker'], team: 'west' },
      { id: 'gl-1', aadObjectId: 'b1', name: 'Göran', roles: ['groupLeader'], team: 'west' },
    ],
  };
}

/** The roster with its lists in id order, since the store does not promise the file's order. */
const sorted = (r: Roster): Roster => {
  const byId = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
  return { municipality: r.municipality, teams: byId(r.teams), schools: byId(r.schools), people: byId(r.people) };
};
const ryd = (r: Roster) => r.schools.find((s) => s.id === 'ryd');

let actions = 0;
/** A change made from the bot with no effects, as its own action. */
const noEffects = () => ({ action: { id: `test-action-${++actions}`, result: {} }, effects: [] });

describe('storage/rosterStore (tableRosterStore on Azurite)', function () {
  this.timeout(60_000);
  const TTL = 30_000;
  const currentTables = useIsolatedTables();
  let tables: TableStore;
  const clock = manualClock('2026-09-01T08:00:00Z');

  beforeEach(() => {
    tables = currentTables();
  });

  it('gives back the imported file', async () => {
    const store = tableRosterStore(tables, clock, TTL);
    const { changed } = await store.importFile(rosterFile());
    assert.equal(changed, 1 + 1 + 2 + 4);
    assert.deepEqual(sorted(await store.get()), sorted(rosterFile()));
  });

  it('changes nothing when the same file is imported again', async () => {
    const store = tableRosterStore(tables, clock, TTL);
    await store.importFile(rosterFile());
    assert.deepEqual(await store.importFile(rosterFile()), { changed: 0 });
    assert.deepEqual(sorted(await store.get()), sorted(rosterFile()));
  });

  it('keeps a school saved from the bot when the unchanged file is imported again', async () => {
    const store = tableRosterStore(tables, clock, TTL);
    await store.importFile(rosterFile());
    const reassigned = { ...ryd(rosterFile())!, socialWorker: 'sw-2', backupSocialWorker: 'sw-1' };
    await store.saveSchool(reassigned, noEffects());
    assert.deepEqual(ryd(await store.get()), reassigned);
    assert.deepEqual(await store.importFile(rosterFile()), { changed: 0 });
    assert.deepEqual(ryd(await store.get()), reassigned);
  });

  it('lets a changed entry in the file overwrite the saved school', async () => {
    const store = tableRosterStore(tables, clock, TTL);
    await store.importFile(rosterFile());
    await store.saveSchool({ ...ryd(rosterFile())!, socialWorker: 'sw-2' }, noEffects());
    const file = rosterFile();
    file.schools[0] = { ...file.schools[0], name: 'Rydskolan F–9' };
    assert.deepEqual(await store.importFile(file), { changed: 1 });
    assert.deepEqual(ryd(await store.get()), file.schools[0]);
  });

  it('deletes entries that were removed from the file', async () => {
    const store = tableRosterStore(tables, clock, TTL);
    await store.importFile(rosterFile());
    const file = rosterFile();
    file.schools = file.schools.filter((s) => s.id !== 'berga');
    file.people = file.people.filter((p) => p.id !== 'eht-1');
    assert.deepEqual(await store.importFile(file), { changed: 2 });
    assert.deepEqual(sorted(await store.get()), sorted(file));
  });

  it('imports a roster of more than 100 entries (over the transaction limit)', async () => {
    const store = tableRosterStore(tables, clock, TTL);
    const file = rosterFile();
    for (let i = 0; i < 150; i++) file.people.push({ id: `eht-x${i}`, aadObjectId: `x${i}`, name: `EHT ${i}`, roles: ['eht'], schools: ['berga'] });
    await store.importFile(file);
    assert.equal((await store.get()).people.length, 154);
  });

  it("refuses to save a school that is not in the roster", async () => {
    const store = tableRosterStore(tables, clock, TTL);
    await store.importFile(rosterFile());
    await assert.rejects(store.saveSchool({ id: 'haga', name: 'Hagaskolan', team: 'west' }, noEffects()));
    assert.equal((await store.get()).schools.length, 2);
  });

  it('sees a change made by another instance only after the cache ttl has passed', async () => {
    const clock = manualClock('2026-09-01T08:00:00Z');
    const mine = tableRosterStore(tables, clock, TTL);
    const other = tableRosterStore(tables, clock, TTL);
    await other.importFile(rosterFile());
    assert.equal(ryd(await mine.get())?.socialWorker, 'sw-1'); // now cached

    await other.saveSchool({ ...ryd(rosterFile())!, socialWorker: 'sw-2' }, noEffects());
    assert.equal(ryd(await other.get())?.socialWorker, 'sw-2'); // the writer sees its own change at once
    clock.advance(TTL - 1);
    assert.equal(ryd(await mine.get())?.socialWorker, 'sw-1');
    clock.advance(2);
    assert.equal(ryd(await mine.get())?.socialWorker, 'sw-2');
  });

  it('reloads at once when told to invalidate', async () => {
    const mine = tableRosterStore(tables, clock, TTL);
    const other = tableRosterStore(tables, clock, TTL);
    await other.importFile(rosterFile());
    await mine.get();
    await other.saveSchool({ ...ryd(rosterFile())!, socialWorker: 'sw-2' }, noEffects());
    mine.invalidate();
    assert.equal(ryd(await mine.get())?.socialWorker, 'sw-2');
  });
});
