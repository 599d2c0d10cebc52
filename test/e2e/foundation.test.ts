import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installActivity, messageActivity, executeActivity } from '../fixtures/activities';
import { startHarness, type Harness } from '../helpers/botHarness';
import { STATE_TABLE } from '../../src/index';
import { CONVERSATION_REFS_TABLE } from '../../src/storage/conversationRefs';

const eva = { aadObjectId: '00000000-0000-0000-0000-00000000e001', name: 'Eva Kurator' };
const evaEnglish = { ...eva, locale: 'en-US' };

function cardOf(sent: { body: any }): any {
  return sent.body.attachments?.[0]?.content;
}

describe('foundation over HTTP (bot + local Bot Connector stand-in)', () => {
  let h: Harness;
  let dataDir: string;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sst-e2e-'));
    h = await startHarness({ env: { DATA_DIR: dataDir } });
  });
  afterEach(async () => {
    await h.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('greets on install in Swedish by default', async () => {
    const res = await h.post(installActivity(eva, h.connector.url));
    assert.equal(res.status, 200);
    const [welcome] = h.connector.to(`a:personal-${eva.aadObjectId}`);
    assert.ok(welcome, 'a welcome was sent');
    assert.match(JSON.stringify(cardOf(welcome)), /Välkommen till Skolsocialt team/);
  });

  it('greets in English when the Teams client is English', async () => {
    await h.post(installActivity(evaEnglish, h.connector.url));
    const [welcome] = h.connector.sent;
    assert.match(JSON.stringify(cardOf(welcome)), /Welcome to the school social team/);
  });

  it('answers hjälp and help with the help card in the right language', async () => {
    await h.post(messageActivity(eva, h.connector.url, 'hjälp'));
    await h.post(messageActivity(evaEnglish, h.connector.url, 'Help'));
    const [sv, en] = h.connector.sent;
    assert.equal(cardOf(sv).body[0].text, 'Det här kan jag hjälpa till med');
    assert.equal(cardOf(en).body[0].text, 'Here is what I can help with');
    assert.equal(cardOf(sv).type, 'AdaptiveCard');
  });

  it('answers an unknown text politely without echoing it', async () => {
    await h.post(messageActivity(eva, h.connector.url, 'MARKER-Kalle-Anka-010101'));
    assert.equal(h.connector.sent.length, 1);
    assert.match(h.connector.sent[0].body.text, /Skriv \*\*hjälp\*\*/);
    assert.doesNotMatch(h.connector.everythingSent(), /MARKER-Kalle/);
    assert.doesNotMatch(h.logs.join(''), /MARKER-Kalle/);
  });

  it('stores the conversation reference by AAD object id on install and turns', async () => {
    await h.post(installActivity(eva, h.connector.url));
    const table = h.bot.store.table(CONVERSATION_REFS_TABLE);
    const entity = await table.getEntity<{ ref: string }>(eva.aadObjectId, 'personal');
    const ref = JSON.parse(entity.ref);
    assert.equal(ref.conversation.id, `a:personal-${eva.aadObjectId}`);
    assert.equal(ref.serviceUrl, h.connector.url);
  });

  it('keeps conversation state across a restart of the bot on the same store', async () => {
    await h.post(installActivity(eva, h.connector.url));
    const before = await h.bot.store.table(STATE_TABLE).listEntities().next();
    assert.ok(!before.done, 'state was written');
    await h.restart();
    const keys: string[] = [];
    for await (const e of h.bot.store.table(STATE_TABLE).listEntities()) keys.push(String(e.rowKey));
    assert.ok(keys.some((k) => k.includes('conversations')), `conversation state survived: ${keys.join(', ')}`);
    // and the restarted bot still answers
    await h.post(messageActivity(eva, h.connector.url, 'hjälp'));
    assert.ok(h.connector.sent.length >= 2);
  });

  it('reports the store in /healthz', async () => {
    const res = await fetch(`${h.bot.url}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok', store: 'up' });
  });

  it('shows no case data in a channel, only help and a pointer to the personal chat', async () => {
    await h.post(messageActivity(eva, h.connector.url, 'mina ärenden', { id: '19:channel@thread.tacv2', conversationType: 'channel' }));
    const texts = h.connector.sent.map((s) => s.body.text ?? JSON.stringify(cardOf(s)));
    assert.match(texts.join('\n'), /personliga chatten/);
  });

  it('rejects a body that is not an activity with 400', async () => {
    const res = await fetch(`${h.bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"nope":1}' });
    assert.equal(res.status, 400);
    const malformed = await fetch(`${h.bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":' });
    assert.equal(malformed.status, 400);
  });

  it('accepts an unknown card action invoke without a server error', async () => {
    const res = await h.post(executeActivity(eva, h.connector.url, 'no.such.verb', {}));
    assert.ok(res.status < 500, `status ${res.status}`);
  });
});
