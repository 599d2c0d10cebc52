import assert from 'node:assert/strict';
import type { TableClient } from '@azure/data-tables';
import type { ConversationReference } from 'botbuilder';
import { tableConversationRefStore } from '../../src/storage/conversationRefs';
import type { TableStore } from '../../src/storage/tables';
import { useIsolatedTables } from '../helpers/tableStore';

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
    await refs.save('aad-e001', ref());
    assert.deepEqual(await refs.get('aad-e001'), ref());
  });

  it('gives undefined for someone never seen', async () => {
    const refs = tableConversationRefStore(tables);
    assert.equal(await refs.get('aad-nobody'), undefined);
    await refs.save('aad-e001', ref());
    assert.equal(await refs.get('aad-nobody'), undefined);
  });

  it('keeps people apart and replaces a changed reference', async () => {
    const refs = tableConversationRefStore(tables);
    await refs.save('aad-e001', ref('a:one'));
    await refs.save('aad-e002', ref('a:two'));
    await refs.save('aad-e001', ref('a:three'));
    assert.equal((await refs.get('aad-e001'))?.conversation?.id, 'a:three');
    assert.equal((await refs.get('aad-e002'))?.conversation?.id, 'a:two');
  });

  it('finds a reference whatever the case of the AAD object id, as personByAad does', async () => {
    // Turns save under activity.from.aadObjectId; the notifier gets under the roster's aadObjectId,
    // which the roster matches case-insensitively, so an upper-case GUID in the file is valid.
    const refs = tableConversationRefStore(tables);
    await refs.save('0000000a-0000-0000-0000-00000000e001', ref());
    assert.deepEqual(await refs.get('0000000A-0000-0000-0000-00000000E001'), ref());
  });

  it('writes the same reference only once', async () => {
    const counting = countingStore(tables);
    const refs = tableConversationRefStore(counting);
    await refs.save('aad-e001', ref());
    await refs.save('aad-e001', ref());
    await refs.save('aad-e001', ref());
    assert.equal(counting.writes(), 1);
    await refs.save('aad-e001', ref('a:new'));
    assert.equal(counting.writes(), 2);
  });

  it('writes again after a failed write', async () => {
    const counting = countingStore(tables, 1);
    const refs = tableConversationRefStore(counting);
    await assert.rejects(refs.save('aad-e001', ref()), /network down/);
    await refs.save('aad-e001', ref());
    assert.equal(counting.writes(), 2);
    assert.deepEqual(await refs.get('aad-e001'), ref());
  });
});
