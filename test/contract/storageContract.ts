import assert from 'node:assert/strict';
import type { Storage, StoreItems } from 'botbuilder';

/** Drops the eTag so stored values can be compared with what was written. */
function withoutETag(item: StoreItems[string]): Record<string, unknown> {
  const { eTag: _eTag, ...rest } = item as Record<string, unknown>;
  return rest;
}

/**
 * Contract tests every botbuilder Storage must pass (after botbuilder-js' storageBaseTests).
 * `makeStorage` is called before each test and must return an empty store.
 */
export function storageContract(name: string, makeStorage: () => Promise<Storage>): void {
  describe(`Storage contract: ${name}`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await makeStorage();
    });

    it('reads unknown keys as an empty object', async () => {
      assert.deepEqual(await storage.read(['unknown', 'other']), {});
      assert.deepEqual(await storage.read([]), {});
    });

    it('accepts an empty write', async () => {
      await storage.write({});
    });

    it('creates items and reads them back with an eTag', async () => {
      await storage.write({ a: { id: 1 }, b: { id: 2, eTag: '*' } });
      const items = await storage.read(['a', 'b']);
      assert.deepEqual(withoutETag(items.a), { id: 1 });
      assert.deepEqual(withoutETag(items.b), { id: 2 });
      assert.equal(typeof items.a.eTag, 'string');
      assert.ok(items.a.eTag);
      assert.notEqual(items.b.eTag, '*');
    });

    it('updates an item written with its current eTag, giving it a new eTag', async () => {
      await storage.write({ a: { count: 1 } });
      const { a } = await storage.read(['a']);
      await storage.write({ a: { ...a, count: 2 } });
      const { a: after } = await storage.read(['a']);
      assert.equal(after.count, 2);
      assert.notEqual(after.eTag, a.eTag);
    });

    it('rejects a write with a stale eTag and keeps the stored value', async () => {
      await storage.write({ a: { count: 1 } });
      const { a: stale } = await storage.read(['a']);
      await storage.write({ a: { ...stale, count: 2 } });
      await assert.rejects(storage.write({ a: { ...stale, count: 3 } }), /eTag conflict/);
      assert.equal((await storage.read(['a'])).a.count, 2);
    });

    it('lets exactly one of two writers holding the same eTag win', async () => {
      await storage.write({ a: { count: 0 } });
      const { a } = await storage.read(['a']);
      const results = await Promise.allSettled([
        storage.write({ a: { ...a, count: 1 } }),
        storage.write({ a: { ...a, count: 2 } }),
      ]);
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      assert.match(String(failure.reason), /eTag conflict/);
    });

    it("overwrites unconditionally with eTag '*'", async () => {
      await storage.write({ a: { count: 1 } });
      const { a } = await storage.read(['a']);
      await storage.write({ a: { ...a, count: 2 } }); // a.eTag is now stale
      await storage.write({ a: { count: 3, eTag: '*' } });
      assert.equal((await storage.read(['a'])).a.count, 3);
    });

    it('overwrites unconditionally without an eTag', async () => {
      await storage.write({ a: { count: 1 } });
      await storage.write({ a: { count: 2 } });
      await storage.write({ a: { count: 3 } });
      const { a } = await storage.read(['a']);
      assert.deepEqual(withoutETag(a), { count: 3 });
    });

    it('does not store the eTag field inside the value', async () => {
      await storage.write({ a: { x: 1, eTag: '*' } });
      const { a } = await storage.read(['a']);
      assert.deepEqual(Object.keys(a).sort(), ['eTag', 'x']);
      assert.notEqual(a.eTag, '*');
    });

    it('deletes items', async () => {
      await storage.write({ a: { id: 1 }, b: { id: 2 } });
      await storage.delete(['a']);
      const items = await storage.read(['a', 'b']);
      assert.deepEqual(Object.keys(items), ['b']);
    });

    it('deletes unknown keys without error', async () => {
      await storage.delete(['unknown']);
      await storage.delete([]);
    });

    it('reads several keys at once, leaving out the missing ones', async () => {
      await storage.write({ a: { v: 'a' }, c: { v: 'c' } });
      const items = await storage.read(['a', 'b', 'c']);
      assert.deepEqual(Object.keys(items).sort(), ['a', 'c']);
      assert.equal(items.a.v, 'a');
      assert.equal(items.c.v, 'c');
    });

    it('round-trips nested objects', async () => {
      const value = {
        conversation: { topic: 'Möte åäö 😀', turns: [1, 2.5, -3], flags: { open: true, closed: false } },
        list: [{ id: 'x', tags: [] }, null, 'text', { deep: { deeper: { deepest: 'ok' } } }],
        empty: {},
        nothing: null,
        quote: 'he said "hi" \\ / \n\t',
      };
      await storage.write({ nested: value });
      assert.deepEqual(withoutETag((await storage.read(['nested'])).nested), value);
    });

    it('writes, reads and deletes a batch of items', async () => {
      const keys = ['batch1', 'batch2', 'batch3', 'batch4', 'batch5'];
      await storage.write(Object.fromEntries(keys.map((k, i) => [k, { count: i * 10 }])));
      const items = await storage.read(keys);
      assert.deepEqual(Object.keys(items).sort(), keys);
      keys.forEach((k, i) => {
        assert.equal(items[k].count, i * 10);
        assert.ok(items[k].eTag);
      });
      await storage.delete(keys);
      assert.deepEqual(await storage.read(keys), {});
    });

    it('handles keys with unusual characters', async () => {
      const key = '!@#$%^&*()~/\\><,.?\';"`~ åäö';
      await storage.write({ [key]: { id: 1 } });
      assert.equal((await storage.read([key]))[key].id, 1);
    });

    it('rejects invalid arguments', async () => {
      const bad = storage as unknown as Record<'read' | 'write' | 'delete', (arg: unknown) => Promise<unknown>>;
      await assert.rejects(async () => bad.read(null));
      await assert.rejects(async () => bad.write(null));
      await assert.rejects(async () => bad.delete(null));
    });
  });
}
