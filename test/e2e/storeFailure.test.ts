import assert from 'node:assert/strict';
import { executeActivity, installActivity } from '../fixtures/activities';
import { concernForm, eva, sara } from '../fixtures/people';
import { startAzurite, type RunningAzurite } from '../helpers/azurite';
import { startHarness, type Harness } from '../helpers/botHarness';

describe('when the Table store goes down during use', () => {
  let azurite: RunningAzurite;
  let h: Harness;

  beforeEach(async () => {
    azurite = await startAzurite();
    h = await startHarness({ env: { TABLES_CONNECTION_STRING: azurite.connectionString } });
    for (const u of [eva, sara]) await h.post(installActivity(u, h.connector.url));
  });
  afterEach(async () => {
    await h.stop();
    await azurite.stop().catch(() => undefined);
  });

  it('answers a submitted form with a clear "try again" message that keeps the card, and /healthz says down', async () => {
    assert.equal((await fetch(`${h.bot.url}/healthz`)).status, 200);
    await azurite.stop();
    const res = await h.post(executeActivity(eva, h.connector.url, 'concern.submit', concernForm({ summary: 'Frånvaro, främst måndagar' })));
    assert.equal(res.status, 200);
    // A message response (not a card): Teams leaves the form, and what was typed in it, in place.
    const answered = JSON.stringify(res.body);
    assert.ok(res.body.type === 'application/vnd.microsoft.activity.message' || /Frånvaro, främst måndagar/.test(answered), answered);
    assert.match(answered, /kommer inte åt lagringen|Försök igen/);
    const health = await fetch(`${h.bot.url}/healthz`);
    assert.equal(health.status, 503);
    assert.deepEqual(await health.json(), { status: 'degraded', store: 'down' });
  });
});
