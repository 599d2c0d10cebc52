import assert from 'node:assert/strict';
import { executeActivity, installActivity, messageActivity, type TeamsUser } from '../fixtures/activities';
import { concernForm, erik, eva, goran, personalConversation, samir, sara } from '../fixtures/people';
import { findAction } from '../helpers/accessWorld';
import { startHarness, type Harness } from '../helpers/botHarness';

const text = (x: unknown) => JSON.stringify(x);
const utc = (local: string) => new Date(local).toISOString();
const WED_10 = utc('2026-11-25T10:00:00+01:00');

/** A Teams client that says en-US, used by someone who works in Swedish. */
const enClient = (u: TeamsUser): TeamsUser => ({ ...u, locale: 'en-US' });

/** Every card the bot sent or updated in someone's chat (proactive sends and in-place updates). */
const cardsTo = (h: Harness, who: TeamsUser, from = 0) =>
  h.connector.sent
    .slice(from)
    .filter((s) => s.conversationId === personalConversation(who) && (s.method === 'POST' || s.method === 'PUT') && s.body?.attachments)
    .map((s) => s.body.attachments[0].content);

/** The language a card was drawn in: its own `lang`, and every action's (they must agree). */
function languageOf(card: any): string {
  const langs = new Set<string>([card.lang]);
  const walk = (x: unknown): void => {
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, any>;
    if ((o.type === 'Action.Execute' || o.type === 'Action.Submit') && o.data) langs.add(o.data.lang);
    for (const v of Object.values(o)) walk(v);
  };
  walk(card);
  assert.equal(langs.size, 1, `one language per card: ${[...langs].join(', ')} in ${text(card).slice(0, 200)}`);
  return [...langs][0];
}

describe('one language per person, for every card to them (HTTP)', function () {
  this.timeout(60_000);
  let h: Harness | undefined;
  afterEach(async () => h?.stop());

  const act = async (who: TeamsUser, verb: string, data: Record<string, unknown>, replyToId?: string) => (await h!.post(executeActivity(who, h!.connector.url, verb, data, replyToId))).body?.value;
  const say = async (who: TeamsUser, words: string) => {
    const from = h!.connector.sent.length;
    await h!.post(messageActivity(who, h!.connector.url, words));
    return cardsTo(h!, who, from).pop();
  };

  it('a Swedish-speaking person with an en-US client gets every proactive card in Swedish, once they typed Swedish', async () => {
    h = await startHarness({ now: '2026-11-23T09:00:00+01:00' });
    const [evaEn, saraEn, goranEn] = [enClient(eva), enClient(sara), enClient(goran)];
    for (const u of [evaEn, saraEn, goranEn]) await h.post(installActivity(u, h.connector.url));
    // Each types a Swedish command once; from then on that is their language, whatever the client says.
    await say(saraEn, 'mina ärenden');
    await say(goranEn, 'sammanfattning');
    const form = await say(evaEn, 'ny oro');
    assert.equal(languageOf(form), 'sv');
    const submit = findAction(form, 'concern.submit')!;
    const start = h.connector.sent.length;

    // A concern: the social worker's card, and Eva's receipt updated in place.
    const receipt = await act(evaEn, 'concern.submit', { ...submit.data, ...concernForm() }, 'eva-form');
    assert.match(text(receipt), /Oron är mottagen: SST-2026-0001/);
    await act(saraEn, 'case.accept', { caseCode: 'SST-2026-0001' });
    // A meeting: the request card to Sara, the confirmation on Eva's card.
    const mine = await act(evaEn, 'meeting.request', { caseCode: 'SST-2026-0001', type: 'startup', minutes: '60', place: 'school', guardians: 'false', slots: WED_10 }, 'eva-meeting');
    const ids = mine.refresh.action.data;
    await act(saraEn, 'meeting.accept', { teamId: ids.teamId, meetingId: ids.meetingId, start: WED_10 }, 'sara-meeting');
    // A relayed question.
    await act(saraEn, 'case.requestInfo', { caseCode: 'SST-2026-0001', message: 'Hur går det på fredagar?' });
    // Reminders: the meeting the working day before (Tuesday 08:00), and the digest (Wednesday 07:30).
    h.clock.set('2026-11-24T08:00:00+01:00');
    await h.bot.tick();
    h.clock.set('2026-11-25T07:30:00+01:00');
    await h.bot.tick();
    await h.bot.settle();
    const digest = cardsTo(h, goranEn, start).pop();
    assert.match(text(digest), /Dagens läge i teamet 2026-11-25/);

    const expectations: Array<[TeamsUser, RegExp[]]> = [
      [saraEn, [/Ny oro från skolan: SST-2026-0001/, /Eva Kurator föreslår ett möte/, /Möte nästa arbetsdag: SST-2026-0001/]],
      [evaEn, [/Sara Socionom har fått kortet om ärendet/, /SST-2026-0001 har tagits emot av Sara Socionom/, /Sara Socionom har bekräftat mötet/, /Sara Socionom frågar om SST-2026-0001/, /Möte nästa arbetsdag: SST-2026-0001/]],
      [goranEn, [/Dagens läge i teamet/]],
    ];
    for (const [who, phrases] of expectations) {
      const cards = cardsTo(h, who, start);
      assert.ok(cards.length >= phrases.length, `${who.name}: ${cards.length} cards`);
      for (const card of cards) assert.equal(languageOf(card), 'sv', `${who.name} got a card in ${languageOf(card)}: ${text(card).slice(0, 200)}`);
      for (const phrase of phrases) assert.ok(cards.some((c) => phrase.test(text(c))), `${who.name}: ${phrase}`);
    }
  });

  it('an English speaker with a Swedish client gets English; a card keeps its language through its actions', async () => {
    h = await startHarness({ now: '2026-11-23T09:00:00+01:00' });
    for (const u of [erik, samir, eva, sara]) await h.post(installActivity(u, h.connector.url));
    await say(samir, 'help');
    const start = h.connector.sent.length;
    await act(erik, 'concern.submit', concernForm({ school: 'berga' }));
    const toSamir = cardsTo(h, samir, start);
    assert.equal(toSamir.length, 1);
    assert.equal(languageOf(toSamir[0]), 'en');
    assert.match(text(toSamir[0]), /New concern from a school: SST-2026-0001/);

    // Eva opens an English form, then types Swedish; the English form, submitted with a mistake, answers in English.
    const english = await say(eva, 'new concern');
    assert.equal(languageOf(english), 'en');
    await say(eva, 'hjälp');
    const submit = findAction(english, 'concern.submit')!;
    const back = await act(eva, 'concern.submit', { ...submit.data, ...concernForm({ summary: '' }) });
    assert.equal(languageOf(back), 'en');
    assert.match(text(back), /One field needs fixing/);
    // Her next proactive card is Swedish: she typed Swedish last.
    const from = h.connector.sent.length;
    await act(samir, 'case.requestInfo', { caseCode: 'SST-2026-0001', message: 'Hur ser det ut?' });
    const toErik = cardsTo(h, erik, from);
    assert.equal(toErik.length, 1);
    assert.equal(languageOf(toErik[0]), 'sv', 'Erik never typed English: his sv-SE client decides');
  });

  it('BOT_LOCALE (local mode) stands in for the client\'s locale for proactive cards too; without it an en-US client gets English', async () => {
    for (const [env, expected] of [[{ BOT_LOCALE: 'sv-SE' }, 'sv'], [{}, 'en']] as const) {
      h = await startHarness({ now: '2026-11-23T09:00:00+01:00', env });
      const [evaEn, saraEn] = [enClient(eva), enClient(sara)];
      for (const u of [evaEn, saraEn]) await h.post(installActivity(u, h.connector.url));
      const start = h.connector.sent.length;
      await act(evaEn, 'concern.submit', concernForm());
      const cards = cardsTo(h, saraEn, start);
      assert.equal(cards.length, 1);
      assert.equal(languageOf(cards[0]), expected, JSON.stringify(env));
      await h.stop();
      h = undefined;
    }
  });

  it('no duplicate card to the person who acted: a meeting request reaches only the other party', async () => {
    h = await startHarness({ now: '2026-11-23T09:00:00+01:00' });
    for (const u of [eva, sara]) await h.post(installActivity(u, h.connector.url));
    await act(eva, 'concern.submit', concernForm());
    const start = h.connector.sent.length;
    const mine = await act(eva, 'meeting.request', { caseCode: 'SST-2026-0001', type: 'startup', minutes: '60', place: 'school', guardians: 'false', slots: WED_10 }, 'eva-card');
    assert.match(text(mine), /Väntar på svar från Sara Socionom/);
    const toEva = h.connector.sent.slice(start).filter((s) => s.conversationId === personalConversation(eva));
    assert.equal(toEva.filter((s) => s.method === 'POST').length, 0, 'no new card to Eva');
    // Only her own card, replaced where it is (Teams refreshes a card with a refresh action for all its viewers).
    assert.deepEqual(toEva.map((s) => s.path.split('/').pop()), toEva.map(() => 'eva-card'));
    assert.equal(cardsTo(h, sara, start).length, 1);
  });
});
