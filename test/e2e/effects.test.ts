import assert from 'node:assert/strict';
import { executeActivity, installActivity, messageActivity } from '../fixtures/activities';
import { concernForm, eva, goran, personalConversation, sara } from '../fixtures/people';
import { startHarness, type Harness } from '../helpers/botHarness';

const text = (x: unknown) => JSON.stringify(x);
const NEW_CASE = /Ny oro från skolan: SST-2026-000(\d)/;

describe('effects after the turn: receipts that tell the truth, held notifications, retries', function () {
  this.timeout(60_000);
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness({ now: '2026-11-23T09:00:00+01:00' });
    await h.post(installActivity(eva, h.connector.url));
    await h.post(installActivity(goran, h.connector.url));
    h.connector.clear();
  });
  afterEach(async () => {
    await h.stop();
  });

  const sent = (user: typeof eva) => h.connector.to(personalConversation(user));
  const newCaseCards = () => sent(sara).filter((s) => s.method === 'POST' && NEW_CASE.test(text(s.body)));
  /** The updates of Eva's receipt (the message her form was in). */
  const receiptUpdates = (activityId: string) => sent(eva).filter((s) => s.method === 'PUT' && s.path.endsWith(`/activities/${activityId}`));
  const raise = async (replyToId: string, overrides: Record<string, string> = {}) => {
    const res = await h.post(executeActivity(eva, h.connector.url, 'concern.submit', concernForm(overrides), replyToId));
    return text(res.body);
  };
  const caseView = async (code = 'SST-2026-0001') => text((await h.post(executeActivity(eva, h.connector.url, 'case.open', { caseCode: code }))).body);

  it('the receipt says the card is on its way, and is updated in place once Sara has it; the case shows it delivered', async () => {
    await h.post(installActivity(sara, h.connector.url));
    const receipt = await raise('form-1');
    assert.match(receipt, /Sara Socionom får ett kort om ärendet i Teams/);
    assert.doesNotMatch(receipt, /har fått kortet/, 'no claim before the connector confirmed it');
    assert.equal(newCaseCards().length, 1);
    // What every client shows: the message as last updated (the answer first, the delivered receipt after it).
    const update = receiptUpdates('form-1').at(-1);
    assert.ok(update, 'the receipt was updated in place');
    assert.match(text(update.body), /Sara Socionom har fått kortet om ärendet/);
    assert.match(text(update.body), /"color":"Good"/, 'success is never red');
    assert.match(await caseView(), /Nytt ärende till Sara Socionom · levererat/);
  });

  it('a card to someone who never opened the bot is held, shown as waiting, and delivered once, late and marked so, when she opens it', async () => {
    const receipt = await raise('form-2');
    assert.match(receipt, /Sara Socionom får ett kort om ärendet/);
    assert.equal(newCaseCards().length, 0);
    assert.match(text(receiptUpdates('form-2').at(-1)?.body), /Sara Socionom har inte öppnat boten ännu/);
    assert.match(await caseView(), /Nytt ärende till Sara Socionom · väntar: har inte öppnat boten/);
    // The group leader's digest names her.
    await h.post(messageActivity(goran, h.connector.url, 'sammanfattning'));
    assert.match(text(sent(goran).at(-1)!.body), /Sara Socionom \(sedan 2026-11-23\)/);

    // A second concern an hour later waits too; then Sara opens the bot.
    h.clock.advance(60 * 60_000);
    await raise('form-3', { summary: 'Oro för hemsituationen.' });
    h.clock.advance(60 * 60_000);
    await h.post(installActivity(sara, h.connector.url));
    const cards = newCaseCards().map((s) => NEW_CASE.exec(text(s.body))![1]);
    assert.deepEqual(cards, ['1', '2'], 'both, once each, in the order they were meant');
    assert.match(text(newCaseCards()[0].body), /Det här skulle ha nått dig mån 23 nov\.? 09:00/);
    assert.match(text(receiptUpdates('form-2').at(-1)!.body), /Sara Socionom har fått kortet om ärendet/);
    assert.match(await caseView(), /Nytt ärende till Sara Socionom · levererat/);

    // Her next turns deliver nothing again; the digest no longer names her.
    await h.post(messageActivity(sara, h.connector.url, 'hjälp'));
    await h.post(messageActivity(sara, h.connector.url, 'mina ärenden'));
    assert.equal(newCaseCards().length, 2);
    await h.post(messageActivity(goran, h.connector.url, 'sammanfattning'));
    assert.doesNotMatch(text(sent(goran).at(-1)!.body), /Sara Socionom \(sedan/);
  });

  it('a meeting card for someone who cannot be reached is shown as waiting on the case, then as delivered', async () => {
    await raise('form-m');
    const start = new Date('2026-11-25T10:00:00+01:00').toISOString();
    const requested = text((await h.post(executeActivity(eva, h.connector.url, 'meeting.request', { caseCode: 'SST-2026-0001', type: 'startup', minutes: '60', place: 'school', guardians: 'false', slots: start }))).body);
    assert.match(requested, /Väntar på svar från Sara Socionom/);
    assert.match(await caseView(), /Mötet till Sara Socionom · väntar: har inte öppnat boten/);
    await h.post(installActivity(sara, h.connector.url));
    assert.match(await caseView(), /Mötet till Sara Socionom · levererat/);
    assert.equal(sent(sara).filter((s) => s.method === 'POST' && /Tider att välja mellan|Väntar på svar/.test(text(s.body))).length, 1, 'her meeting card, once');
  });

  it('success is shown in the Good colour, never in red', async () => {
    await h.post(installActivity(sara, h.connector.url));
    await raise('form-g');
    const accepted = text((await h.post(executeActivity(sara, h.connector.url, 'case.accept', { caseCode: 'SST-2026-0001' }))).body);
    assert.match(accepted, /\{"type":"TextBlock","text":"Du har tagit emot SST-2026-0001\. Skolan får besked\.","wrap":true,"color":"Good"/);
  });

  it('a question sent twice from the same card (two clients, or a double click) is relayed once', async () => {
    await h.post(installActivity(sara, h.connector.url));
    await raise('form-q');
    const card = (await h.post(executeActivity(sara, h.connector.url, 'case.open', { caseCode: 'SST-2026-0001' }))).body.value;
    const cardId = JSON.stringify(card).match(/"cardId":"([^"]+)"/)?.[1];
    assert.ok(cardId, 'every card carries the id of its rendering');
    for (const replyToId of ['on-the-phone', 'on-the-desktop']) {
      await h.post(executeActivity(sara, h.connector.url, 'case.requestInfo', { caseCode: 'SST-2026-0001', message: 'Hur ser närvaron ut nu?', cardId }, replyToId));
    }
    assert.equal(sent(eva).filter((s) => s.method === 'POST' && /Hur ser närvaron ut nu\?/.test(text(s.body))).length, 1);
  });

  it('someone who removed the bot (404) is held too, and reached again on her next message', async () => {
    await h.post(installActivity(sara, h.connector.url));
    h.connector.respondWith((r) => (r.conversationId === personalConversation(sara) ? { status: 404 } : undefined));
    await raise('form-4');
    assert.equal(newCaseCards().length, 0);
    assert.match(await caseView(), /väntar: har inte öppnat boten/);
    h.connector.respondWith(undefined);
    await h.post(messageActivity(sara, h.connector.url, 'hjälp'));
    assert.equal(newCaseCards().length, 1);
  });

  // (A 5xx is first retried by the connector client's own pipeline, with real waits; a bare 429 reaches the bot at once.)
  it('a connector that asks to slow down (429) is tried again by the sweep after the wait, and the card goes once', async () => {
    await h.post(installActivity(sara, h.connector.url));
    h.connector.respondWith((r) => (r.conversationId === personalConversation(sara) ? { status: 429 } : undefined));
    await raise('form-5');
    assert.equal(newCaseCards().length, 0);
    assert.match(await caseView(), /Nytt ärende till Sara Socionom · skickas/, 'not claimed as delivered');
    h.connector.respondWith(undefined);
    let tick = await h.bot.tick();
    assert.equal(tick.effects?.applied ?? 0, 0, 'not before the backoff');
    h.clock.advance(30_000);
    tick = await h.bot.tick();
    await h.bot.settle();
    assert.equal(newCaseCards().length, 1);
    h.clock.advance(60 * 60_000);
    await h.bot.tick();
    assert.equal(newCaseCards().length, 1, 'once');
  });
});
