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
  it('lets the first message through at once and paces the next one in the same conversation', async () => {
    const limits = teamsSendLimits();
    assert.equal(await settledNow([limits.acquire('tenant', 'conv-1'), limits.acquire('tenant', 'conv-1')]), 1);
  });

  it('paces a tenant too: a message to another conversation also waits its turn', async () => {
    const limits = teamsSendLimits();
    assert.equal(await settledNow([limits.acquire('tenant', 'conv-1'), limits.acquire('tenant', 'conv-2')]), 1);
  });

  it('keeps tenants apart', async () => {
    const limits = teamsSendLimits();
    assert.equal(await settledNow([limits.acquire('tenant-a', 'conv-1'), limits.acquire('tenant-b', 'conv-2')]), 2);
  });

  it('releases paced messages in order, without losing any', async () => {
    const limits = teamsSendLimits(1000, 1000); // fast pacing keeps this test short
    const order: number[] = [];
    await Promise.all(Array.from({ length: 5 }, (_, i) => limits.acquire('tenant', 'conv').then(() => order.push(i))));
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
  });
});
