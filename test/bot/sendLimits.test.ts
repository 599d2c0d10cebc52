import assert from 'node:assert/strict';
import { teamsSendLimits } from '../../src/bot/sendLimits';

/** How many of the promises have settled once pending I/O callbacks have run (no timers awaited). */
async function settledNow(promises: Array<Promise<unknown>>): Promise<number> {
  let settled = 0;
  for (const p of promises) void p.then(() => settled++);
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe('bot/sendLimits', () => {
  it('lets 7 messages into one conversation at once and holds the 8th', async () => {
    const limits = teamsSendLimits();
    const sends = Array.from({ length: 8 }, () => limits.acquire('tenant', 'conv-1'));
    assert.equal(await settledNow(sends), 7);
  });

  it('does not hold other conversations back', async () => {
    const limits = teamsSendLimits();
    const sends = Array.from({ length: 20 }, (_, i) => limits.acquire('tenant', `conv-${i}`));
    assert.equal(await settledNow(sends), 20);
  });

  it('holds the 51st message to one tenant within the same second', async () => {
    const limits = teamsSendLimits();
    const sends = Array.from({ length: 51 }, (_, i) => limits.acquire('tenant', `conv-${i}`));
    assert.equal(await settledNow(sends), 50);
  });
});
