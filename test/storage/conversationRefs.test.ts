import assert from 'node:assert/strict';
import type { TableClient } from '@azure/data-tables';
import type { ConversationReference } from 'botbuilder';
import { tableConversationRefStore } from '../../src/storage/conversationRefs';
import type { TableStore } from '../../src/storage/tables';
import { useIsolatedTables } from '../helpers/tableStore';

const AT = new Date('2026-11-23T08:00:00Z');
const ref = (conversationId = 'a:personal-1'): Partial<ConversationReference> => ({
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  channelId: 'msteams',
  conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
  bot: { id: '28:bot', name: 'SST' },
  user: { id: '29:user', name: 'Eva', aadObjectId: 'aad-e001' },
});

/** The real store, with every upsertEntity counted (and optionally failing the first `failures` times). */
function countingStore(base: TableStore, failures = 0): TableStore & { writes: () => number } {
  let writes = 0;
  const spy = (client: TableClient) =>
    new Proxy(client, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop !== 'upsertEntity') return typeof value === 'function' ? value.bind(target) : value;
        return (...args: Parameters<TableClient['upsertEntity']>) => {
          writes++;
          if (failures-- > 0) return Promise.reject(new Error('network down'));
          return target.upsertEntity(...args);
        };
      },
    });
  return { ...base, table: (name) => spy(base.table(name)), ensureTable: async (name) => spy(await base.ensureTable(name)), writes: () => writes };
}

describe('storage/conversationRefs (tableConversationRefStore on Azurite)', function () {
  this.timeout(60_000);
  const currentTables = useIsolatedTables();
  let tables: TableStore;
  beforeEach(() => {
    tables = currentTables();
  });

  it('gives back a saved reference', async () => {
    const refs = tableConversationRefStore(tables);
    await refs.touch('aad-e001', ref(), AT);
    assert.deepEqual(await refs.get('aad-e001'), ref());
  });

  it('gives undefined for someone never seen', async () => {
    const refs = tableConversationRefStore(tables);
    assert.equal(await refs.get('aad-nobody'), undefined);
    await refs.touch('aad-e001', ref(), AT);
    assert.equal(await refs.get('aad-nobody'), undefined);
  });

  it('keeps people apart and replaces a changed reference', async () => {
    const refs = tableConversationRefStore(tables);
    await refs.touch('aad-e001', ref('a:one'), AT);
    await refs.touch('aad-e002', ref('a:two'), AT);
    await refs.touch('aad-e001', ref('a:three'), AT);
    assert.equal((await refs.get('aad-e001'))?.conversation?.id, 'a:three');
    assert.equal((await refs.get('aad-e002'))?.conversation?.id, 'a:two');
  });

  it('finds a reference whatever the case of the AAD object id, as personByAad does', async () => {
    // Turns save under activity.from.aadObjectId; the notifier gets under the roster's aadObjectId,
    // which the roster matches case-insensitively, so an upper-case GUID in the file is valid.
    const refs = tableConversationRefStore(tables);
    await refs.touch('0000000a-0000-0000-0000-00000000e001', ref(), AT);
    assert.deepEqual(await refs.get('0000000A-0000-0000-0000-00000000E001'), ref());
  });

  it('writes the same reference only once', async () => {
    const counting = countingStore(tables);
    const refs = tableConversationRefStore(counting);
    await refs.touch('aad-e001', ref(), AT);
    await refs.touch('aad-e001', ref(), AT);
    await refs.touch('aad-e001', ref(), AT);
    assert.equal(counting.writes(), 1);
    await refs.touch('aad-e001', ref('a:new'), AT);
    assert.equal(counting.writes(), 2);
  });

  it('tells a turn that messages are held, and clears the mark only if nothing was held since', async () => {
    const refs = tableConversationRefStore(tables);
    assert.deepEqual(await refs.touch('aad-e001', ref(), AT), {});
    await refs.markHeld('aad-e001');
    const { heldTag } = await refs.touch('aad-e001', ref(), AT);
    assert.ok(heldTag, 'the next turn learns that something waits');
    // Held again while the first batch was being delivered: the mark stays for the next turn.
    await refs.markHeld('aad-e001');
    await refs.clearHeld('aad-e001', heldTag!);
    const again = await refs.touch('aad-e001', ref(), AT);
    assert.ok(again.heldTag);
    await refs.clearHeld('aad-e001', again.heldTag!);
    assert.deepEqual(await refs.touch('aad-e001', ref(), AT), {});
  });

  it('marks someone who never opened the bot, who still has no reference, and says when a reference came', async () => {
    const refs = tableConversationRefStore(tables);
    assert.deepEqual(await refs.markHeld('aad-e009'), { refAt: undefined });
    assert.equal(await refs.get('aad-e009'), undefined);
    const { heldTag } = await refs.touch('aad-e009', ref(), AT);
    assert.ok(heldTag, 'their first turn releases what waits');
    assert.equal((await refs.markHeld('aad-e009')).refAt, AT.toISOString());
  });

  it('writes again after a failed write', async () => {
    const counting = countingStore(tables, 1);
    const refs = tableConversationRefStore(counting);
    await assert.rejects(refs.touch('aad-e001', ref(), AT), /network down/);
    await refs.touch('aad-e001', ref(), AT);
    assert.equal(counting.writes(), 2);
    assert.deepEqual(await refs.get('aad-e001'), ref());
  });
});
