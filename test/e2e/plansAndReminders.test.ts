import assert from 'node:assert/strict';
import { executeActivity, installActivity, messageActivity } from '../fixtures/activities';
import { concernForm, eva, goran, personalConversation, sara, alva } from '../fixtures/people';
import { startAzurite, type RunningAzurite } from '../helpers/azurite';
import { startHarness, type Harness } from '../helpers/botHarness';

const text = (x: unknown) => JSON.stringify(x);
const cardFrom = (res: { body: any }) => res.body?.value;
const MARKER = 'MARKER-PLAN-8e2f';

describe('plans, reminders and the digest over HTTP (injected clock)', () => {
  let azurite: RunningAzurite;
  let h: Harness;

  beforeEach(async () => {
    azurite = await startAzurite();
    h = await startHarness({ env: { TABLES_CONNECTION_STRING: azurite.connectionString }, now: '2026-11-23T09:00:00+01:00' });
    for (const user of [eva, sara, goran, alva]) await h.post(installActivity(user, h.connector.url));
    await h.post(executeActivity(eva, h.connector.url, 'concern.submit', concernForm({ summary: `Frånvaro ${MARKER}` })));
    await h.post(executeActivity(sara, h.connector.url, 'case.accept', { caseCode: 'SST-2026-0001' }));
    h.connector.clear();
  });
  afterEach(async () => {
    await h.stop();
    await azurite.stop();
  });

  const cardsTo = (user: typeof eva) => h.connector.to(personalConversation(user)).map((s) => s.body?.attachments?.[0]?.content).filter(Boolean);
  const at = async (local: string) => {
    h.clock.set(local);
    return h.bot.tick();
  };

  async function recordPlan(reviewDate = '2026-12-10') {
    const res = cardFrom(await h.post(executeActivity(sara, h.connector.url, 'plan.record', {
      caseCode: 'SST-2026-0001', type: 'implementation', goals: 'Närvaro över 80 %\nTrygg skolstart på morgonen', responsible: 'mentor – följer upp närvaron varje vecka\nSara Socionom – samtal med familjen', reviewDate,
    })));
    return res;
  }

  it('records a plan with goals, responsibilities and a review date; EHT sees it read-only', async () => {
    const saved = await recordPlan();
    assert.match(text(saved), /Planen är sparad/);
    assert.match(text(saved), /Närvaro över 80 %/);
    assert.match(text(saved), /mentor/);
    await h.post(messageActivity(eva, h.connector.url, 'planer'));
    const evaView = text(cardsTo(eva));
    assert.match(evaView, /Trygg skolstart/);
    assert.doesNotMatch(evaView, /plan\.record/, 'EHT cannot record plans');
  });

  it('suggests a review date within the term on the plan form', async () => {
    const card = cardFrom(await h.post(executeActivity(sara, h.connector.url, 'plan.list', { caseCode: 'SST-2026-0001' })));
    const suggested = /"id":"reviewDate"[^}]*"value":"(\d{4}-\d{2}-\d{2})"/.exec(text(card))?.[1];
    assert.equal(suggested, '2026-12-04', 'two weeks before the autumn term ends (18 Dec), a Friday');
  });

  it('sends the review reminders 7 and 1 days before at 08:00, once each, and escalates when overdue', async () => {
    await recordPlan('2026-12-10');
    h.connector.clear();
    await at('2026-12-03T07:59:00+01:00');
    assert.equal(cardsTo(sara).filter((c) => /Uppföljning av plan/.test(text(c))).length, 0, 'not before 08:00');
    await at('2026-12-03T08:00:00+01:00');
    assert.equal(cardsTo(sara).filter((c) => /Uppföljning av plan om 7 dagar/.test(text(c))).length, 1);
    assert.equal(cardsTo(eva).filter((c) => /Uppföljning av plan om 7 dagar/.test(text(c))).length, 1);
    await at('2026-12-03T08:05:00+01:00');
    assert.equal(cardsTo(sara).filter((c) => /om 7 dagar/.test(text(c))).length, 1, 'sent once');
    await at('2026-12-09T08:00:00+01:00');
    assert.equal(cardsTo(sara).filter((c) => /om 1 dagar/.test(text(c))).length, 1);
    // Not recorded: three working days after 10 Dec (11, 14, 15) the group leader is told.
    await at('2026-12-15T08:00:00+01:00');
    const escalations = cardsTo(goran).filter((c) => /Försenad uppföljning: SST-2026-0001/.test(text(c)));
    assert.equal(escalations.length, 1);
    assert.doesNotMatch(h.connector.everythingSent(), new RegExp(MARKER));
  });

  it('skips a reminder whose review was recorded in time and schedules the next review', async () => {
    const saved = await recordPlan('2026-12-10');
    const review = saved.actions.find((a: any) => a.type === 'Action.ShowCard' && /Registrera uppföljning/.test(a.title));
    const data = review.card.actions[0].data;
    const done = cardFrom(await h.post(executeActivity(sara, h.connector.url, 'plan.review', { ...data, outcome: 'done', nextDate: '2027-02-11', absenceValid: '6', absenceInvalid: '3', goal1: 'partly', goal2: 'reached' })));
    assert.match(text(done), /Uppföljningen är registrerad/);
    h.connector.clear();
    await at('2026-12-09T08:00:00+01:00');
    await at('2026-12-15T08:00:00+01:00');
    assert.equal(cardsTo(goran).filter((c) => /Försenad uppföljning: SST/.test(text(c))).length, 0);
    assert.equal(cardsTo(sara).filter((c) => /Uppföljning av plan/.test(text(c))).length, 0, text(cardsTo(sara)).slice(0, 3000));
    await at('2027-02-04T08:00:00+01:00');
    assert.equal(cardsTo(sara).filter((c) => /om 7 dagar/.test(text(c))).length, 1, 'next review reminded');
  });

  it('sends the digest to the group leader at 07:30 on working days, with codes and counts only', async () => {
    await at('2026-11-24T07:29:00+01:00');
    assert.equal(cardsTo(goran).length, 0);
    await at('2026-11-24T07:30:00+01:00');
    const [digest] = cardsTo(goran);
    assert.ok(digest, 'digest sent');
    assert.match(text(digest), /Dagens läge i teamet 2026-11-24/);
    assert.match(text(digest), /Sara Socionom/);
    assert.doesNotMatch(text(digest), new RegExp(MARKER));
    // Saturday and Sunday: nothing; Monday: the next one.
    await at('2026-11-28T07:30:00+01:00');
    await at('2026-11-29T07:30:00+01:00');
    const before = cardsTo(goran).length;
    await at('2026-11-30T07:30:00+01:00');
    assert.equal(cardsTo(goran).length - before, 1);
  });

  it('shows the digest on demand to the group leader only', async () => {
    await h.post(messageActivity(goran, h.connector.url, 'sammanfattning'));
    assert.match(text(cardsTo(goran)), /Dagens läge i teamet/);
    await h.post(messageActivity(eva, h.connector.url, 'sammanfattning'));
    assert.match(text(h.connector.to(personalConversation(eva))), /till för gruppledare/);
  });

  it('catches up after downtime: missed reminders are sent once on the next tick, never twice', async () => {
    await recordPlan('2026-12-10');
    h.connector.clear();
    await h.restart();
    await at('2026-12-16T10:00:00+01:00'); // the bot was "down" over both warnings and the escalation
    assert.equal(cardsTo(sara).filter((c) => /Uppföljning av plan/.test(text(c))).length, 0, 'stale warnings are skipped, not late-delivered as news');
    assert.equal(cardsTo(goran).filter((c) => /Försenad uppföljning: SST/.test(text(c))).length, 1, 'the escalation still applies and is sent');
    await at('2026-12-16T10:01:00+01:00');
    assert.equal(cardsTo(goran).filter((c) => /Försenad uppföljning: SST/.test(text(c))).length, 1, 'not twice');
  });

  it('two bot instances on one store send each reminder once', async () => {
    await recordPlan('2026-12-10');
    const second = await startHarness({ env: { TABLES_CONNECTION_STRING: azurite.connectionString }, now: '2026-12-03T08:00:00+01:00' });
    try {
      h.connector.clear();
      h.clock.set('2026-12-03T08:00:00+01:00');
      await Promise.all([h.bot.tick(), second.bot.tick(), h.bot.tick(), second.bot.tick()]);
      assert.equal(cardsTo(sara).filter((c) => /om 7 dagar/.test(text(c))).length, 1);
      assert.equal(cardsTo(eva).filter((c) => /om 7 dagar/.test(text(c))).length, 1);
    } finally {
      await second.stop();
    }
  });

  it('records a recipient who blocked the bot (403) as unreachable and shows it in the digest', async () => {
    await recordPlan('2026-12-10');
    h.connector.respondWith((req) => (req.conversationId === personalConversation(eva) && req.method === 'POST' ? { status: 403, body: { error: { code: 'BotDisabledByAdmin', message: 'blocked' } } } : undefined));
    await at('2026-12-03T08:00:00+01:00');
    h.connector.respondWith(undefined);
    await h.post(messageActivity(goran, h.connector.url, 'sammanfattning'));
    const digest = text(cardsTo(goran).at(-1));
    assert.match(digest, /Nås inte av boten: 1/);
    assert.match(digest, /Eva Kurator/);
    await at('2026-12-03T08:30:00+01:00');
    assert.equal(h.connector.to(personalConversation(eva)).filter((s) => s.method.startsWith('POST')).length, 1, 'not retried');
  });

  it('gives the yearly report as a card and a CSV with counts only', async () => {
    h.clock.set('2027-03-01T09:00:00+01:00');
    await h.post(messageActivity(goran, h.connector.url, 'rapport'));
    const card = cardsTo(goran).at(-1);
    assert.match(text(card), /Uppföljning 2026: Skolsocialt team Väst/);
    const csvLink = card.actions.find((a: any) => a.type === 'Action.OpenUrl');
    const csv = await (await fetch(csvLink.url)).text();
    // skola; förfrågningar per kategori (5); totalt; konsultationer
    assert.match(csv, /2026;Rydskolan;<5;0;0;0;0;<5;0/, 'a count of 1 is published as <5');
    assert.doesNotMatch(csv, /Rydskolan;1;/);
    assert.doesNotMatch(csv, /SST-2026/);
    assert.doesNotMatch(csv, new RegExp(MARKER));
    await h.post(messageActivity(eva, h.connector.url, 'rapport'));
    assert.match(text(h.connector.to(personalConversation(eva))), /till för gruppledare, chefer och styrgrupp samt systemförvaltare/);
  });
});
