import assert from 'node:assert/strict';
import { MemoryStorage } from 'botbuilder';
import { conversationStateOnly } from '../../src/bot/conversationStateOnly';

describe('bot/conversationStateOnly', () => {
  const conversationKey = 'msteams/28:bot/conversations/a:1';
  const userKey = 'msteams/28:bot/users/29:eva';

  it('reads and writes conversation state, never user state', async () => {
    const inner = new MemoryStorage();
    const reads: string[][] = [];
    const spy = { ...inner, read: (keys: string[]) => (reads.push(keys), inner.read(keys)), write: inner.write.bind(inner), delete: inner.delete.bind(inner) };
    const storage = conversationStateOnly(spy);
    await storage.write({ [conversationKey]: { welcomedAt: 'x' }, [userKey]: { name: 'should not be kept' } });
    assert.deepEqual(Object.keys(await inner.read([conversationKey, userKey])), [conversationKey]);
    const items = await storage.read([conversationKey, userKey]);
    assert.deepEqual(reads.at(-1), [conversationKey], 'one key read');
    assert.equal(items[conversationKey].welcomedAt, 'x');
    assert.equal(items[userKey], undefined);
    await storage.delete([conversationKey, userKey]);
    assert.deepEqual(await inner.read([conversationKey]), {});
  });
});
