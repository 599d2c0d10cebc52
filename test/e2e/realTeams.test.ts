import assert from 'node:assert/strict';
import { FREE_BUSY_BUDGET_MS } from '../../src/services/meetings';
import { WINDOW_MARGIN, teamsSendLimits } from '../../src/bot/sendLimits';
import { MAX_CARD_CHARS, TIMELINE_SHOWN, cardChars } from '../../src/bot/cards/caseCards';
import { ACCESS_LOG_TABLE } from '../../src/storage/accessLog';
import { executeActivity, installActivity, messageActivity, submitActivity, type TeamsUser } from '../fixtures/activities';
import { alva, concernForm, eva, goran, personalConversation, sara } from '../fixtures/people';
import { startHarness, type Harness } from '../helpers/botHarness';
import { GraphStandIn } from '../helpers/graphStandIn';
import { manualTimers, recordingSleep, virtualTime } from '../helpers/virtualTime';

/**
 * Issue 16: what real Teams does differently from the Playground, over HTTP against the Bot Connector
 * stand-in: automatic card refreshes, results saved into the message for every client, nothing slow
 * inside an invoke, Teams' send windows, creating a chat for someone the bot has none with, and a
 * long case within Teams' message size.
 */

const text = (x: unknown) => JSON.stringify(x);
const SUMMARY = 'SUMMARY-MARKER-16b';
const SCHOOL_REF = 'REF-MARKER-16b';
const TUE_09 = new Date('2026-11-24T09:00:00+01:00').toISOString();
/** Teams' message limit: about 100 KB counted as UTF-16, two bytes a character. */
const TEAMS_MESSAGE_CHARS = 50_000;

/** An Action.Execute as Teams sends it for a refresh: `automatic` when the card is shown (or the bot edited it). */
function refreshActivity(user: TeamsUser, serviceUrl: string, data: Record<string, unknown>, replyToId: string, trigger: 'automatic' | 'manual') {
  const a = executeActivity(user, serviceUrl, 'meeting.refresh', data, replyToId);
  return { ...a, value: { ...a.value, trigger } };
}

async function accessRows(h: Harness): Promise<Array<Record<string, any>>> {
  const rows: Array<Record<string, any>> = [];
  for await (const e of h.bot.store.table(ACCESS_LOG_TABLE).listEntities()) rows.push(e);
  return rows;
}

const cardIdOf = (card: unknown) => /"cardId":"([0-9a-f-]+)"/.exec(text(card))?.[1];

describe('issue 16: behaving in real Teams as in the Playground (over HTTP, Bot Connector stand-in)', function () {
  this.timeout(120_000);
  let h: Harness;
  afterEach(async () => h?.stop());

  const raise = async (replyToId = 'eva-form') => h.post(executeActivity(eva, h.connector.url, 'concern.submit', concernForm({ summary: `Frånvaro ${SUMMARY}`, schoolRef: SCHOOL_REF }), replyToId));
  const sent = (user: TeamsUser) => h.connector.to(personalConversation(user));

  describe('card refresh', () => {
    let ids: { teamId: string; meetingId: string };
    beforeEach(async () => {
      h = await startHarness({ now: '2026-11-23T09:00:00+01:00' });
      for (const user of [eva, sara]) await h.post(installActivity(user, h.connector.url));
      await raise();
      const mine = await h.post(executeActivity(eva, h.connector.url, 'meeting.request', { caseCode: 'SST-2026-0001', type: 'startup', minutes: '60', place: 'school', guardians: 'false', slots: TUE_09 }, 'eva-meeting'));
      ids = { teamId: mine.body.value.refresh.action.data.teamId, meetingId: mine.body.value.refresh.action.data.meetingId };
      h.connector.clear();
    });

    it('answers automatic refreshes with the card only: no message edit (no loop), no plain view row, each logged as automatic', async () => {
      const before = (await accessRows(h)).length;
      for (let i = 0; i < 3; i++) {
        h.clock.advance(60_000); // Teams refreshes a shown card at most once a minute
        const res = await h.post(refreshActivity(sara, h.connector.url, ids, 'sara-meeting-card', 'automatic'));
        assert.equal(res.status, 200);
        assert.equal(res.body.type, 'application/vnd.microsoft.card.adaptive');
        assert.match(text(res.body.value), /Bekräfta vald tid/, 'the card as it is now, for Sara');
        assert.ok(res.body.value.refresh, 'still refreshable');
      }
      assert.deepEqual(h.connector.sent.map((s) => `${s.method} ${s.path}`), [], 'nothing sent or edited: Teams gets no edit to answer with another refresh');
      const rows = (await accessRows(h)).slice(before);
      assert.equal(rows.filter((r) => r.via === 'card:meeting.refresh:automatic').length, 3);
      assert.equal(rows.filter((r) => r.via === 'card:meeting.refresh').length, 0);
    });

    it('a manual refresh puts the card into its message once, after the answer; the automatic refresh Teams sends for that edit ends there', async () => {
      const res = await h.post(refreshActivity(sara, h.connector.url, ids, 'sara-meeting-card', 'manual'));
      assert.equal(res.body.type, 'application/vnd.microsoft.card.adaptive');
      const puts = sent(sara).filter((s) => s.method === 'PUT');
      assert.deepEqual(puts.map((p) => p.path.split('/').at(-1)), ['sara-meeting-card']);
      assert.equal(cardIdOf(puts[0].body), cardIdOf(res.body.value), 'the same rendering in the message and in the answer');
      // Teams answers the bot's edit with an automatic refresh for the users listed in `refresh`.
      await h.post(refreshActivity(sara, h.connector.url, ids, 'sara-meeting-card', 'automatic'));
      await h.post(refreshActivity(eva, h.connector.url, ids, 'eva-meeting', 'automatic'));
      assert.equal(h.connector.sent.filter((s) => s.method === 'PUT').length, 1, 'no further edit: no loop');
    });

    it('a meeting answer (a card with refresh) edits the message once, not "replace for all" inside the invoke', async () => {
      const res = await h.post(executeActivity(sara, h.connector.url, 'meeting.accept', { ...ids, start: TUE_09 }, 'sara-meeting-card'));
      assert.match(text(res.body.value), /Bekräftat/);
      const ownEdits = sent(sara).filter((s) => s.method === 'PUT' && s.path.endsWith('/sara-meeting-card'));
      assert.equal(ownEdits.length, 1);
      assert.match(text(h.connector.messageNow(personalConversation(sara), 'sara-meeting-card')), /Bekräftat/);
      // Eva's card is the dispatcher's (an effect), updated in place.
      assert.match(text(h.connector.messageNow(personalConversation(eva), 'eva-meeting')), /Sara Socionom har bekräftat mötet/);
    });
  });

  describe('a button\'s result is saved: what a second client (the phone, a reload) shows', () => {
    beforeEach(async () => {
      h = await startHarness({ now: '2026-11-23T09:00:00+01:00' });
      for (const user of [eva, sara]) await h.post(installActivity(user, h.connector.url));
    });

    it('the concern form becomes the receipt, and the social worker\'s card becomes the accepted case, without the summary or the school\'s reference', async () => {
      await raise('eva-form');
      assert.match(text(h.connector.messageNow(personalConversation(eva), 'eva-form')), /Oron är mottagen: SST-2026-0001/);
      const answer = await h.post(executeActivity(sara, h.connector.url, 'case.accept', { caseCode: 'SST-2026-0001' }, 'sara-new-case'));
      assert.match(text(answer.body.value), new RegExp(SUMMARY), 'the answer to Sara shows the summary');
      const onPhone = text(h.connector.messageNow(personalConversation(sara), 'sara-new-case'));
      assert.match(onPhone, /Du har tagit emot SST-2026-0001/);
      assert.doesNotMatch(onPhone, /Ta emot ärendet/, 'not the old button');
      assert.doesNotMatch(h.connector.everythingSent(), new RegExp(`${SUMMARY}|${SCHOOL_REF}`), 'the summary and the reference stay in answers only');
    });

    it('a form answered with errors shows the errors in its message, but not what was typed', async () => {
      const res = await h.post(executeActivity(eva, h.connector.url, 'concern.submit', concernForm({ grade: 'nope', summary: `Skrivet ${SUMMARY}` }), 'eva-form'));
      assert.match(text(res.body.value), new RegExp(SUMMARY), 'the answer keeps what she typed');
      const onPhone = text(h.connector.messageNow(personalConversation(eva), 'eva-form'));
      assert.match(onPhone, /fält behöver rättas/);
      assert.doesNotMatch(onPhone, new RegExp(SUMMARY));
    });

    it('the Action.Submit fallback replaces its message after the turn too', async () => {
      await h.post(submitActivity(eva, h.connector.url, { ...concernForm(), verb: 'concern.submit' }, 'eva-submit-form'));
      assert.match(text(h.connector.messageNow(personalConversation(eva), 'eva-submit-form')), /Oron är mottagen: SST-2026-0001/);
    });
  });

  describe('nothing slow inside an invoke', () => {
    it('the invoke is answered while no send has been answered yet: the card to Sara and the message edit go after', async () => {
      h = await startHarness({ now: '2026-11-23T09:00:00+01:00' });
      for (const user of [eva, sara]) await h.post(installActivity(user, h.connector.url));
      h.connector.clear();
      const gate = h.connector.hold(() => true);
      const res = await h.postOnly(executeActivity(eva, h.connector.url, 'concern.submit', concernForm(), 'eva-form'));
      assert.equal(res.status, 200);
      assert.match(text(res.body.value), /Oron är mottagen: SST-2026-0001/);
      assert.match(text(res.body.value), /Sara Socionom får ett kort/, 'not yet claimed as delivered');
      assert.equal(h.connector.sent.length, 0, 'the Bot Connector had answered nothing when the invoke was answered');
      gate.release();
      await h.bot.settle();
      assert.ok(sent(sara).some((s) => s.method === 'POST' && /Ny oro från skolan: SST-2026-0001/.test(text(s.body))));
      assert.match(text(h.connector.messageNow(personalConversation(eva), 'eva-form')), /Sara Socionom har fått kortet/);
    });

    it('a 502 on a proactive send is retried by the bot after an injected, jittered wait, not by the SDK with a real one', async () => {
      const waits = recordingSleep();
      h = await startHarness({ now: '2026-11-23T09:00:00+01:00', sleep: waits.sleep, random: () => 0 });
      for (const user of [eva, sara]) await h.post(installActivity(user, h.connector.url));
      h.connector.clear();
      let failed = 0;
      h.connector.respondWith((r) => (r.conversationId === personalConversation(sara) && r.method === 'POST' && failed++ === 0 ? { status: 502 } : undefined));
      await raise('eva-form');
      assert.deepEqual(sent(sara).map((s) => s.method), ['POST!502', 'POST']);
      assert.deepEqual(waits.asked, [500], 'one quick retry after half of the first step (jitter 0)');
      assert.match(text(h.connector.messageNow(personalConversation(eva), 'eva-form')), /Sara Socionom har fått kortet/);
    });

    describe('Outlook free/busy (Microsoft Graph) within a time budget, with the bot\'s own bookings as fallback', () => {
      let graph: GraphStandIn;
      let timers: ReturnType<typeof manualTimers>;
      beforeEach(async () => {
        graph = await new GraphStandIn().start();
        timers = manualTimers();
        h = await startHarness({
          now: '2026-11-23T09:00:00+01:00',
          env: { GRAPH_TENANT_ID: 'tenant', GRAPH_CLIENT_ID: 'client', GRAPH_CLIENT_SECRET: 'secret', GRAPH_BASE_URL: graph.baseUrl },
          start: { graphAuthority: { tokenUrl: graph.tokenUrl } },
          sleep: timers.sleep,
        });
        for (const user of [eva, sara]) await h.post(installActivity(user, h.connector.url));
        await raise();
      });
      afterEach(async () => {
        graph.slow = false;
        graph.release();
        await h.bot.settle();
        await graph.stop();
      });

      it('a Graph that does not answer: the form is answered when the budget runs out, from the bot\'s own bookings, and says Outlook was not checked', async () => {
        graph.slow = true;
        const answer = h.postOnly(executeActivity(eva, h.connector.url, 'meeting.form', { caseCode: 'SST-2026-0001' }, 'eva-form-2'));
        await graph.freeBusyAsked();
        await timers.waitedFor();
        assert.deepEqual(timers.asked, [FREE_BUSY_BUDGET_MS], 'the only wait is the budget, and it is injected');
        assert.equal(timers.fire(), 1);
        const res = await answer;
        assert.equal(res.status, 200);
        assert.match(text(res.body.value), /Outlook svarade inte i tid/);
        assert.ok(res.body.value.body.find((e: any) => e.id === 'slots')?.choices.length >= 3, 'suggestions from the bot\'s own bookings');
      });

      it('a meeting request checked while Graph is slow is stored and says so; the proactive card for Sara waits for Graph after the answer', async () => {
        graph.slow = true;
        const answer = h.postOnly(executeActivity(eva, h.connector.url, 'meeting.request', { caseCode: 'SST-2026-0001', type: 'startup', minutes: '60', place: 'school', guardians: 'false', slots: TUE_09 }, 'eva-meeting'));
        await graph.freeBusyAsked();
        await timers.waitedFor();
        timers.fire();
        const res = await answer;
        assert.match(text(res.body.value), /Väntar på svar från Sara Socionom/);
        assert.match(text(res.body.value), /Outlook svarade inte i tid/);
        graph.slow = false; // Graph recovers: what is held is answered, and so is what comes next
        graph.release();
        await h.bot.settle();
        const forSara = sent(sara).find((s) => s.method === 'POST' && /Bekräfta vald tid/.test(text(s.body)));
        assert.ok(forSara, 'Sara\'s card went after the answer');
        assert.doesNotMatch(text(forSara.body), /Outlook svarade inte/, 'drawn with Outlook, which answered in the end');
        assert.ok(graph.freeBusyRequests() >= 2, 'Graph was asked again for Sara\'s card, after the answer');
      });

      it('a Graph that answers within the budget: no notice, and the budget\'s timer is let go', async () => {
        const res = await h.post(executeActivity(eva, h.connector.url, 'meeting.form', { caseCode: 'SST-2026-0001' }, 'eva-form-2'));
        assert.ok(graph.freeBusyRequests() >= 1);
        assert.doesNotMatch(text(res.body.value), /Outlook svarade inte/);
        assert.equal(timers.pending, 0, 'the budget\'s wait ended with the answer');
      });
    });
  });

  describe('a long case: 70 relayed messages', () => {
    /** Sara asks and Eva answers, 35 times each, with messages near the 500-character limit. */
    const relay70 = async () => {
      await raise();
      await h.post(executeActivity(sara, h.connector.url, 'case.accept', { caseCode: 'SST-2026-0001' }, 'sara-case'));
      for (let i = 0; i < 70; i++) {
        const [who, verb, card] = i % 2 === 0 ? [sara, 'case.requestInfo', 'sara-case'] : [eva, 'case.replyInfo', 'eva-case'];
        const message = `Meddelande ${String(i + 1).padStart(2, '0')}: ${'frånvaro och stöd i skolan '.repeat(17)}`.slice(0, 480);
        const res = await h.postOnly(executeActivity(who, h.connector.url, verb, { caseCode: 'SST-2026-0001', message }, card));
        assert.match(text(res.body?.value), /Meddelandet är sparat i ärendet/, `relay ${i + 1}`);
      }
      await h.bot.settle();
    };

    it('the case card shows the 10 latest of 72 events with the count, and it and every message stay under Teams\' size limit', async function () {
      this.timeout(180_000);
      h = await startHarness({ now: '2026-11-23T09:00:00+01:00', sendLimits: { acquire: async () => {} } });
      for (const user of [eva, sara]) await h.post(installActivity(user, h.connector.url));
      await relay70();
      const opened = await h.post(executeActivity(sara, h.connector.url, 'case.open', { caseCode: 'SST-2026-0001' }, 'sara-case'));
      const card = opened.body.value;
      assert.match(text(card), /Visar de 10 senaste av 7\d\./);
      assert.match(text(card), /Meddelande 70:/, 'the latest is shown');
      assert.doesNotMatch(text(card), /Meddelande 01:/, 'the oldest is not');
      assert.ok(cardChars(card) <= MAX_CARD_CHARS, `case card ${cardChars(card)} characters`);
      // The same case after one more message: answered, and its message updated, under the limit.
      const more = await h.post(executeActivity(sara, h.connector.url, 'case.requestInfo', { caseCode: 'SST-2026-0001', message: 'En till fråga' }, 'sara-case'));
      assert.ok(cardChars(more.body.value) <= MAX_CARD_CHARS);
      const onPhone = h.connector.messageNow(personalConversation(sara), 'sara-case');
      assert.match(text(onPhone), /En till fråga/);
      const largest = Math.max(...h.connector.sent.map((s) => text(s.body).length));
      assert.ok(largest < TEAMS_MESSAGE_CHARS, `largest message to the Bot Connector: ${largest} characters`);
      assert.equal(TIMELINE_SHOWN, 10);
      console.log(`      (70-message case: case card ${cardChars(card)} characters; largest message sent ${largest})`);
    });

    it('Teams\' send windows hold for every message into one chat; what would wait too long is tried again later, and all arrive once', async function () {
      this.timeout(180_000);
      const sends = new Map<string, number[]>();
      let clockMs = () => 0;
      const time = virtualTime(() => clockMs());
      const limits = teamsSendLimits({ now: time.now, sleep: time.sleep, onSend: (_t, conversation, at) => sends.set(conversation, [...(sends.get(conversation) ?? []), at]) });
      h = await startHarness({ now: '2026-11-23T09:00:00+01:00', sendLimits: limits });
      clockMs = () => h.clock.now().getTime();
      for (const user of [eva, sara]) await h.post(installActivity(user, h.connector.url));
      await relay70();
      // What the limiter deferred (RetryLaterError) waits for the sweep: a minute at a time, until nothing is left.
      for (let i = 0; i < 10; i++) {
        h.clock.advance(60_000);
        await h.bot.tick();
        await h.bot.settle();
      }
      const relayed = (user: TeamsUser) => sent(user).filter((s) => s.method === 'POST' && /Meddelande \d\d:/.test(text(s.body))).map((s) => /Meddelande (\d\d):/.exec(text(s.body))![1]);
      assert.equal(new Set(relayed(eva)).size, 35, 'every question reached Eva');
      assert.equal(relayed(eva).length, 35, 'once each');
      assert.equal(relayed(sara).length, 35, 'every answer reached Sara, once each');
      const toEva = sends.get(personalConversation(eva)) ?? [];
      assert.ok(toEva.length >= 60, `${toEva.length} sends into Eva's chat`);
      // Teams' documented windows, written out here (not the limiter's own list, which is what is tested).
      for (const w of [{ limit: 7, ms: 1_000 }, { limit: 8, ms: 2_000 }, { limit: 60, ms: 30_000 }, { limit: 1_800, ms: 3_600_000 }]) {
        const ms = w.ms;
        const sorted = [...toEva].sort((a, b) => a - b);
        for (let i = 0; i + w.limit < sorted.length; i++) assert.ok(sorted[i + w.limit] - sorted[i] >= ms, `${w.limit} per ${w.ms} ms broken at send ${i}`);
      }
      assert.ok(time.waits.length > 0, 'the limiter made sends wait');
      assert.ok(h.logs.some((l) => /"error":"RetryLaterError/.test(l)), 'sends that would have waited too long were handed back to the dispatcher');
      assert.ok(toEva.at(-1)! - toEva[0] >= Math.ceil(30_000 * (1 + WINDOW_MARGIN)), 'more than 60 sends spread over more than 30 s');
    });
  });

  describe('reaching people the bot has no chat with', () => {
    beforeEach(async () => {
      h = await startHarness({ now: '2026-11-23T09:00:00+01:00', createConversations: true });
      for (const user of [eva, goran]) await h.post(installActivity(user, h.connector.url));
      h.connector.clear();
    });

    it('creates the 1:1 chat (createConversation with the tenant, the bot and her object id) and delivers there; later cards use it', async () => {
      await raise('eva-form');
      const creates = h.connector.sent.filter((s) => s.method === 'POST' && /\/v3\/conversations\/?$/.test(s.path));
      assert.equal(creates.length, 1);
      const params = creates[0].body;
      assert.equal(params.isGroup, false);
      assert.deepEqual(params.members.map((m: any) => m.id), [sara.aadObjectId]);
      assert.equal(params.tenantId, '00000000-0000-0000-0000-0000000000aa');
      assert.equal(params.bot?.id, '28:sst-bot');
      assert.ok(sent(sara).some((s) => s.method === 'POST' && /Ny oro från skolan: SST-2026-0001/.test(text(s.body))), 'the card in the created chat');
      assert.match(text(h.connector.messageNow(personalConversation(eva), 'eva-form')), /Sara Socionom har fått kortet/);
      await raise('eva-form-2');
      assert.equal(h.connector.sent.filter((s) => /\/v3\/conversations\/?$/.test(s.path)).length, 1, 'the created chat is remembered');
      assert.ok(sent(sara).some((s) => /Ny oro från skolan: SST-2026-0002/.test(text(s.body))));
    });

    it('403 ForbiddenOperationException (the app is not installed for her): held, not retried, in the digest as "app not installed"; delivered once she has the app', async () => {
      h.connector.respondWith((r) => (/\/v3\/conversations\/?$/.test(r.path) ? { status: 403, body: { error: { code: 'ForbiddenOperationException', message: "Bot is not installed in user's personal scope" } } } : undefined));
      await raise('eva-form');
      assert.match(text(h.connector.messageNow(personalConversation(eva), 'eva-form')), /Sara Socionom har inte öppnat boten ännu/);
      const creates = () => h.connector.sent.filter((s) => /\/v3\/conversations\/?$/.test(s.path)).length;
      assert.equal(creates(), 1);
      h.clock.advance(60 * 60_000);
      await h.bot.tick();
      await h.bot.settle();
      assert.equal(creates(), 1, 'not retried by the sweep');
      await h.post(messageActivity(goran, h.connector.url, 'sammanfattning'));
      assert.match(text(sent(goran).at(-1)!.body), /Sara Socionom \(sedan 2026-11-23\) – appen är inte installerad för hen/);
      h.connector.respondWith(undefined);
      await h.post(installActivity(sara, h.connector.url));
      assert.equal(sent(sara).filter((s) => /Ny oro från skolan: SST-2026-0001/.test(text(s.body))).length, 1, 'delivered once she has the app');
      await h.post(messageActivity(goran, h.connector.url, 'sammanfattning'));
      assert.doesNotMatch(text(sent(goran).at(-1)!.body), /Sara Socionom \(sedan/);
    });

    it('once the app is installed, the next card\'s chat creation succeeds and what was held goes with it, in order', async () => {
      h.connector.respondWith((r) => (/\/v3\/conversations\/?$/.test(r.path) ? { status: 403, body: { error: { code: 'ForbiddenOperationException', message: "Bot is not installed in user's personal scope" } } } : undefined));
      await raise('eva-form');
      h.connector.respondWith(undefined); // the admin installs the app for her (no conversationUpdate arrives)
      h.clock.advance(60 * 60_000);
      await raise('eva-form-2');
      const cards = sent(sara).filter((s) => s.method === 'POST' && s.path.includes('/activities')).map((s) => /Ny oro från skolan: (SST-2026-000\d)/.exec(text(s.body))?.[1]);
      assert.deepEqual(cards.sort(), ['SST-2026-0001', 'SST-2026-0002'], 'both, once each');
      assert.match(text(h.connector.messageNow(personalConversation(eva), 'eva-form')), /Sara Socionom har fått kortet/);
    });

    it('in local mode (no BOT_ID, one Playground per person) no chat is created: the card is held', async () => {
      await h.stop();
      h = await startHarness({ now: '2026-11-23T09:00:00+01:00' });
      for (const user of [eva, goran]) await h.post(installActivity(user, h.connector.url));
      await raise('eva-form');
      assert.equal(h.connector.sent.filter((s) => /\/v3\/conversations\/?$/.test(s.path)).length, 0);
      assert.match(text(h.connector.messageNow(personalConversation(eva), 'eva-form')), /Sara Socionom har inte öppnat boten ännu/);
    });
  });

  describe('destructive actions take an explicit second click (Teams ignores style: destructive)', () => {
    it('cancelling a meeting and closing a case sit behind a confirm that says what happens', async () => {
      h = await startHarness({ now: '2026-11-23T09:00:00+01:00' });
      for (const user of [eva, sara]) await h.post(installActivity(user, h.connector.url));
      await raise();
      const meeting = (await h.post(executeActivity(eva, h.connector.url, 'meeting.request', { caseCode: 'SST-2026-0001', type: 'startup', minutes: '60', place: 'school', guardians: 'false', slots: TUE_09 }))).body.value;
      const caseView = (await h.post(executeActivity(sara, h.connector.url, 'case.open', { caseCode: 'SST-2026-0001' }))).body.value;
      for (const [card, verb, says] of [[meeting, 'meeting.cancel', /Det går inte att ångra/], [caseView, 'case.close', /Det går inte att öppna igen här/]] as const) {
        assert.ok(!(card.actions ?? []).some((a: any) => a.verb === verb), `${verb} is not a button on the card itself`);
        const confirm = (card.actions ?? []).find((a: any) => a.type === 'Action.ShowCard' && (a.card.actions ?? []).some((x: any) => x.verb === verb));
        assert.ok(confirm, `${verb} behind a confirm step`);
        assert.match(text(confirm.card.body), says);
        assert.match(confirm.card.actions.find((x: any) => x.verb === verb).title, /^Ja, /);
      }
    });
  });

  describe('dropdowns', () => {
    it('every dropdown (compact choice set) the bot sends has a placeholder', async () => {
      h = await startHarness({ now: '2026-11-23T09:00:00+01:00' });
      for (const user of [eva, sara, alva]) await h.post(installActivity(user, h.connector.url));
      await raise();
      await h.post(executeActivity(sara, h.connector.url, 'case.accept', { caseCode: 'SST-2026-0001' }));
      await raise('eva-form-2');
      const cards: unknown[] = [];
      for (const [user, command] of [[eva, 'ny oro'], [eva, 'boka möte'], [sara, 'planer'], [alva, 'tilldela skola']] as const) {
        h.connector.clear();
        await h.post(messageActivity(user, h.connector.url, command));
        cards.push(...h.connector.sent.map((s) => s.body));
      }
      cards.push((await h.post(executeActivity(eva, h.connector.url, 'meeting.form', { caseCode: 'SST-2026-0001' }))).body.value);
      const dropdowns: any[] = [];
      const walk = (node: unknown): void => {
        if (Array.isArray(node)) return node.forEach(walk);
        if (!node || typeof node !== 'object') return;
        const el = node as Record<string, unknown>;
        if (el.type === 'Input.ChoiceSet' && el.style !== 'expanded') dropdowns.push(el);
        Object.values(el).forEach(walk);
      };
      walk(cards);
      assert.ok(dropdowns.length >= 8, `${dropdowns.length} dropdowns found`);
      for (const d of dropdowns) assert.ok(typeof d.placeholder === 'string' && d.placeholder.length > 0, `${d.id} has no placeholder`);
    });
  });
});
