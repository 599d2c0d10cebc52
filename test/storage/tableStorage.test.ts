import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { TableClient, TableServiceClient } from '@azure/data-tables';
import { MemoryStorage } from 'botbuilder';
import { escapeKey, rowKeyFor, StorageConflictError, TableStorage, unescapeKey } from '../../src/storage/tableStorage';
import { storageContract } from '../contract/storageContract';
import { startAzurite, type RunningAzurite } from '../helpers/azurite';

describe('TableStorage', function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;

  before(async () => {
    azurite = await startAzurite();
  });
  after(async () => {
    await azurite?.stop();
  });

  const newTableName = () => 'state' + randomBytes(6).toString('hex');
  const newClient = (table = newTableName()) =>
    TableClient.fromConnectionString(azurite.connectionString, table, { allowInsecureConnection: true });
  const tableExists = async (table: string) => {
    const service = TableServiceClient.fromConnectionString(azurite.connectionString, { allowInsecureConnection: true });
    for await (const t of service.listTables({ queryOptions: { filter: `TableName eq '${table}'` } })) if (t.name === table) return true;
    return false;
  };

  storageContract('TableStorage on Azurite', async () => new TableStorage(newClient()));
  storageContract('MemoryStorage (checks the contract itself)', async () => new MemoryStorage());

  describe('keys', () => {
    let client: TableClient;
    let storage: TableStorage;
    beforeEach(() => {
      client = newClient();
      storage = new TableStorage(client);
    });

    const roundTrip = async (...keys: string[]) => {
      await storage.write(Object.fromEntries(keys.map((key, i) => [key, { i }])));
      const items = await storage.read(keys);
      assert.deepEqual(Object.keys(items).sort(), [...keys].sort());
      keys.forEach((key, i) => assert.equal(items[key].i, i, `value of ${JSON.stringify(key)}`));
    };

    it('stores keys with characters Table Storage forbids: / \\ # ?', async () => {
      await roundTrip('a/b', 'a\\b', 'a#b', 'a?b', '/\\#?', 'msteams/conversations/19:abc@thread.tacv2;messageid=1/');
      // The RowKey really is the escaped form.
      const entity = await client.getEntity('state', escapeKey('a/b'));
      assert.equal(entity.rowKey, 'a!2Fb');
    });

    it('stores keys with control characters', async () => {
      await roundTrip('a\u0000b', 'tab\there', 'line\nbreak', '\u001f\u007f\u0085\u009f');
    });

    it("stores unicode keys (åäö, emoji) and the legal but troublesome ' and %", async () => {
      await roundTrip('Skolkurator åäö ÅÄÖ', '😀👩‍👩‍👧', "o'brien", '100%', '%41', '');
    });

    it('stores a 1,024-char key, and long keys that differ only at the end stay distinct', async () => {
      const long = 'k'.repeat(1024);
      assert.match(rowKeyFor(long), /^!sha256:[0-9a-f]{64}$/);
      await roundTrip(long, 'k'.repeat(1023) + 'l', '/'.repeat(600), 'k'.repeat(512));
      assert.equal(rowKeyFor('k'.repeat(512)), 'k'.repeat(512)); // at the limit: stored as-is
    });

    it('keeps keys distinct that naive escaping would collide', async () => {
      await roundTrip('a/b', 'a!2Fb', 'a%2Fb', 'a!b', 'a!21b', 'a!!2F', '!sha256:' + '0'.repeat(64));
    });

    it('keeps partitions apart', async () => {
      const other = new TableStorage(client, { partitionKey: 'other/partition' });
      await storage.write({ k: { who: 'state' } });
      await other.write({ k: { who: 'other' } });
      assert.equal((await storage.read(['k'])).k.who, 'state');
      assert.equal((await other.read(['k'])).k.who, 'other');
    });
  });

  describe('values', () => {
    let client: TableClient;
    let storage: TableStorage;
    beforeEach(() => {
      client = newClient();
      storage = new TableStorage(client);
    });

    it('round-trips a 200 KB value split over several properties', async () => {
      const value = { text: 'x'.repeat(200_000) };
      await storage.write({ big: value });
      assert.equal((await storage.read(['big'])).big.text, value.text);
      const entity = await client.getEntity<{ n: number }>('state', 'big');
      assert.equal(entity.n, 7); // ceil(200,011 / 32,000)
    });

    it("round-trips a ~900 KB value (by Azure's size rules: 450,000 chars at 2 bytes each)", async () => {
      const value = { text: 'y'.repeat(450_000), list: [1, 2, 3] };
      await storage.write({ big: value });
      const { big } = await storage.read(['big']);
      assert.equal(big.text, value.text);
      assert.deepEqual(big.list, value.list);
    });

    it('never splits a surrogate pair between properties', async () => {
      // JSON is '{"text":"' + text: the emoji's high surrogate lands on index 31,999, the last of the first piece.
      // (Kept mostly ASCII on purpose: Azurite garbles non-ASCII text straddling 64 KiB of a request body.)
      const value = { text: 'x'.repeat(31_999 - 9) + '😀' + ' åäö' };
      await storage.write({ emoji: value });
      assert.equal((await storage.read(['emoji'])).emoji.text, value.text);
      const entity = await client.getEntity<{ n: number; d0: string; d1: string }>('state', 'emoji');
      assert.equal(entity.n, 2);
      assert.equal(entity.d0.length, 31_999);
      assert.ok(entity.d1.startsWith('😀'));
    });

    it('refuses a value over 1 MiB with a clear error and stores nothing', async () => {
      await assert.rejects(storage.write({ 'conv/1': { text: 'z'.repeat(600_000) } }), (err: Error) => {
        assert.ok(err instanceof RangeError);
        assert.match(err.message, /value for key "conv\/1" is too large .*\(\d+ bytes, limit 1 MiB/);
        assert.match(err.message, /Keep less in turn state/);
        return true;
      });
      assert.deepEqual(await storage.read(['conv/1']), {});
    });

    it('returns the entity etag as eTag', async () => {
      await storage.write({ a: { x: 1 } });
      const entity = await client.getEntity('state', 'a');
      assert.equal((await storage.read(['a'])).a.eTag, entity.etag);
    });

    it('treats a conditional write to a deleted item as an eTag conflict', async () => {
      await storage.write({ a: { x: 1 } });
      const { a } = await storage.read(['a']);
      await storage.delete(['a']);
      await assert.rejects(storage.write({ a }), (err: Error) => {
        assert.ok(err instanceof StorageConflictError);
        assert.equal(err.key, 'a');
        assert.equal(err.message, 'Storage: error writing "a" due to eTag conflict.');
        return true;
      });
    });

    it('rejects malformed changes', async () => {
      const bad = storage as unknown as { write(changes: unknown): Promise<void>; read(keys: unknown): Promise<unknown> };
      await assert.rejects(bad.write({ a: 'not an object' }));
      await assert.rejects(bad.write({ a: { eTag: 42 } }));
      await assert.rejects(bad.read(['ok', 7]));
      await assert.rejects(bad.read('a'));
    });
  });

  describe('table creation', () => {
    it('creates the table lazily, on the first call', async () => {
      const table = newTableName();
      const storage = new TableStorage(newClient(table));
      assert.equal(await tableExists(table), false);
      assert.deepEqual(await storage.read(['a']), {});
      assert.equal(await tableExists(table), true);
    });

    it('lets two concurrent first calls both succeed, on one instance and on two', async () => {
      const table = newTableName();
      const one = new TableStorage(newClient(table));
      const two = new TableStorage(newClient(table));
      await Promise.all([one.write({ a: { n: 1 } }), one.read(['a']), two.write({ b: { n: 2 } }), two.delete(['c'])]);
      assert.deepEqual(Object.keys(await one.read(['a', 'b'])).sort(), ['a', 'b']);
    });

    it('retries table creation on the next call after a failure', async () => {
      const real = newClient();
      let failures = 1;
      const flaky = new Proxy(real, {
        get(target, prop, receiver) {
          if (prop === 'createTable' && failures-- > 0) return () => Promise.reject(new Error('network down'));
          const value = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const storage = new TableStorage(flaky);
      await assert.rejects(storage.write({ a: { n: 1 } }), /network down/);
      await storage.write({ a: { n: 1 } });
      assert.equal((await storage.read(['a'])).a.n, 1);
    });
  });

  describe('escapeKey / unescapeKey', () => {
    const forbidden = /[/\\#?\u0000-\u001f\u007f-\u009f]/;

    it('escapes forbidden characters, the escape character, quote and percent', () => {
      assert.equal(escapeKey('a/b\\c#d?e'), 'a!2Fb!5Cc!23d!3Fe');
      assert.equal(escapeKey('\u0000\u001f\u007f\u009f'), '!00!1F!7F!9F');
      assert.equal(escapeKey("!'%"), '!21!27!25');
      assert.equal(escapeKey('plain-key_1:åäö😀'), 'plain-key_1:åäö😀');
    });

    it('round-trips every character up to U+02FF and astral characters', () => {
      let all = '';
      for (let c = 0; c < 0x300; c++) all += String.fromCharCode(c);
      all += '😀👍🏽';
      const escaped = escapeKey(all);
      assert.doesNotMatch(escaped, forbidden);
      assert.equal(unescapeKey(escaped), all);
    });

    it('is injective on tricky inputs', () => {
      const inputs = ['a/b', 'a!2Fb', 'a!2fb', '!', '!!', '!21', '!2', '%2F', '', '!sha256:x'];
      const escaped = inputs.map(escapeKey);
      assert.equal(new Set(escaped).size, inputs.length);
      inputs.forEach((input, i) => assert.equal(unescapeKey(escaped[i]), input));
    });
  });
});
