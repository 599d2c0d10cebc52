import assert from 'node:assert/strict';
import { installActivity, messageActivity, TENANT_ID } from '../fixtures/activities';
import { eva } from '../fixtures/people';
import { startAzurite, type RunningAzurite } from '../helpers/azurite';
import { startHarness, type Harness } from '../helpers/botHarness';

/** Counts the rows of every table the bot wrote (to prove nothing was stored). */
async function rowCount(h: Harness): Promise<number> {
  let n = 0;
  for (const name of ['botState', 'conversationRefs', 'cases', 'accessLog']) {
    try {
      for await (const _ of h.bot.store.table(name).listEntities()) n++;
    } catch {
      /* table not created: nothing stored */
    }
  }
  return n;
}

describe('authentication and tenants', () => {
  let azurite: RunningAzurite;
  beforeEach(async () => {
    azurite = await startAzurite();
  });
  afterEach(async () => azurite.stop());

  it('with BOT_ID, refuses a request without a valid Bot Framework token (401) and stores nothing', async () => {
    const h = await startHarness({
      env: { BOT_ID: '11111111-2222-3333-4444-555555555555', BOT_PASSWORD: 'not-a-real-secret', BOT_TENANT_ID: TENANT_ID, ALLOWED_TENANTS: TENANT_ID, TABLES_CONNECTION_STRING: azurite.connectionString, ROSTER_FILE: 'roster.example.json', SST_NOW: undefined },
    });
    try {
      const before = await rowCount(h);
      const unsigned = await h.post(messageActivity(eva, h.connector.url, 'hjälp'));
      assert.equal(unsigned.status, 401);
      const res = await fetch(`${h.bot.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer not.a.jwt' },
        body: JSON.stringify(installActivity(eva, h.connector.url)),
      });
      assert.equal(res.status, 401);
      assert.equal(h.connector.sent.length, 0, 'nothing was sent');
      assert.equal(await rowCount(h), before, 'nothing was stored');
    } finally {
      await h.stop();
    }
  });

  it('refuses and logs activities from a tenant outside ALLOWED_TENANTS', async () => {
    const h = await startHarness({ env: { ALLOWED_TENANTS: '99999999-9999-9999-9999-999999999999', TABLES_CONNECTION_STRING: azurite.connectionString } });
    try {
      const res = await h.post(messageActivity(eva, h.connector.url, 'mina ärenden'));
      assert.equal(res.status, 200);
      assert.equal(h.connector.sent.length, 0, 'no answer to another tenant');
      assert.ok(h.logs.some((l) => /outside ALLOWED_TENANTS/.test(l) && l.includes(TENANT_ID)));
    } finally {
      await h.stop();
    }
  });
});
