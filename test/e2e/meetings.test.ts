import assert from 'node:assert/strict';
import { executeActivity, installActivity, messageActivity } from '../fixtures/activities';
import { concernForm, eva, goran, personalConversation, sara } from '../fixtures/people';
import { startHarness, type Harness } from '../helpers/botHarness';

const text = (x: unknown) => JSON.stringify(x);
const cardFrom = (res: { body: any }) => res.body?.value;
const utc = (local: string) => new Date(local).toISOString();
const TUE_09 = utc('2026-11-24T09:00:00+01:00');
const TUE_13 = utc('2026-11-24T13:00:00+01:00');
const WED_10 = utc('2026-11-25T10:00:00+01:00');
const MARKER = 'MARKER-MEETING-5d1e';

describe('meeting booking over HTTP', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness({ now: '2026-11-23T09:00:00+01:00' });
    for (const user of [eva, sara, goran]) await h.post(installActivity(user, h.connector.url));
    await h.post(executeActivity(eva, h.connector.url, 'concern.submit', concernForm({ summary: `Frånvaro ${MARKER}` })));
    h.connector.clear();
  });
  afterEach(async () => h.stop());

  const request = async (slots: string[], extra: Record<string, string> = {}) =>
    cardFrom(await h.post(executeActivity(eva, h.connector.url, 'meeting.request', { caseCode: 'SST-2026-0001', type: 'startup', minutes: '60', place: 'school', guardians: 'false', slots: slots.join(','), ...extra })));

  /** The latest card each party has in their chat (sent or updated in place). */
  const latestCard = (user: typeof eva) => {
    const msgs = h.connector.to(personalConversation(user)).filter((s) => s.body?.attachments);
    return msgs[msgs.length - 1]?.body.attachments[0].content;
  };
  const idsOf = (card: any) => ({ teamId: card.refresh.action.data.teamId, meetingId: card.refresh.action.data.meetingId });

  it('opens the booking form with free times for the assigned social worker, within working hours', async () => {
    await h.post(messageActivity(eva, h.connector.url, 'boka möte'));
    const form = h.connector.sent[0].body.attachments[0].content;
    const slots = form.body.find((e: any) => e.id === 'slots');
    assert.ok(slots.choices.length >= 3, 'suggestions offered');
    for (const choice of slots.choices) {
      const local = new Date(choice.value).toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm', hour: '2-digit', weekday: 'short', hour12: false });
      assert.ok(new Date(choice.value) > new Date('2026-11-23T09:00:00+01:00'), `not in the past: ${choice.value}`);
      const hour = Number(local.slice(-2));
      assert.ok(hour >= 8 && hour < 17, `within 08–17: ${local}`);
    }
    for (const id of ['type', 'minutes', 'place', 'guardians', 'ownDate', 'ownTime']) assert.match(text(form), new RegExp(`"id":"${id}"`));
  });

  it('propose → accept: both parties end with the same confirmed meeting and an invitation without case content', async () => {
    const mine = await request([TUE_09, TUE_13]);
    assert.match(text(mine), /Väntar på svar från Sara Socionom/);
    const request4sara = latestCard(sara);
    assert.ok(request4sara, 'Sara got the request proactively');
    assert.match(text(request4sara), /Bekräfta vald tid/);
    assert.deepEqual(request4sara.refresh.userIds.sort(), [`29:${eva.aadObjectId}`, `29:${sara.aadObjectId}`].sort());
    assert.equal(request4sara.refresh.action.type, 'Action.Execute');

    const accepted = cardFrom(await h.post(executeActivity(sara, h.connector.url, 'meeting.accept', { ...idsOf(request4sara), start: TUE_13 })));
    assert.match(text(accepted), /Bekräftat/);
    assert.match(text(accepted), /tis 24 nov\.? 13:00/);
    // Eva's copy was replaced in place (PUT on the same activity), not left with stale buttons.
    const evaUpdates = h.connector.to(personalConversation(eva)).filter((s) => s.method === 'PUT');
    assert.ok(evaUpdates.length >= 1, 'Eva\'s card updated in place');
    const evaNow = latestCard(eva);
    assert.match(text(evaNow), /Sara Socionom har bekräftat mötet/);
    assert.doesNotMatch(text(evaNow), /Bekräfta vald tid/);

    const icsLink = evaNow.actions.find((a: any) => a.type === 'Action.OpenUrl' && /\.ics$/.test(a.url));
    assert.ok(icsLink, 'an .ics invitation link');
    const ics = await (await fetch(icsLink.url)).text();
    assert.match(ics, /SUMMARY:SST-2026-0001 – Uppstartsmöte/);
    assert.match(ics, /DTSTART:20261124T120000Z/);
    assert.doesNotMatch(ics, new RegExp(MARKER));
    assert.doesNotMatch(h.connector.everythingSent(), new RegExp(MARKER));
    const tampered = await fetch(icsLink.url.replace(/[0-9a-f]{32}\.ics$/, `${'0'.repeat(32)}.ics`));
    assert.equal(tampered.status, 404);

    // The booked hour is now busy: the next booking cannot take it.
    const clash = await request([TUE_13]);
    assert.match(text(clash), /socialsekreteraren har redan ett möte då/);
  });

  it('propose → counter-proposal → accept', async () => {
    await request([TUE_09]);
    const forSara = latestCard(sara);
    const countered = cardFrom(await h.post(executeActivity(sara, h.connector.url, 'meeting.counter', { ...idsOf(forSara), slots: WED_10 })));
    assert.match(text(countered), /Väntar på svar från Eva Kurator/);
    const forEva = latestCard(eva);
    assert.match(text(forEva), /Sara Socionom föreslår andra tider/);
    assert.match(text(forEva), /Bekräfta vald tid/);
    const done = cardFrom(await h.post(executeActivity(eva, h.connector.url, 'meeting.accept', { ...idsOf(forEva), start: WED_10 })));
    assert.match(text(done), /Bekräftat/);
    assert.match(text(latestCard(sara)), /Eva Kurator har bekräftat mötet/);
    // The meeting is in the case timeline.
    const view = cardFrom(await h.post(executeActivity(eva, h.connector.url, 'case.open', { caseCode: 'SST-2026-0001' })));
    assert.match(text(view), /Möte bekräftat/);
  });

  it('decline with a reason', async () => {
    await request([TUE_09]);
    const declined = cardFrom(await h.post(executeActivity(sara, h.connector.url, 'meeting.decline', { ...idsOf(latestCard(sara)), reason: 'Utbildning hela veckan' })));
    assert.match(text(declined), /Avböjt/);
    assert.match(text(latestCard(eva)), /Sara Socionom har avböjt mötet/);
    assert.match(text(latestCard(eva)), /Utbildning hela veckan/);
  });

  it('two accepts at the same moment give one meeting; the loser is told', async () => {
    await request([TUE_09, TUE_13]);
    const ids = idsOf(latestCard(sara));
    const [a, b] = await Promise.all([
      h.post(executeActivity(sara, h.connector.url, 'meeting.accept', { ...ids, start: TUE_09 })),
      h.post(executeActivity(sara, h.connector.url, 'meeting.accept', { ...ids, start: TUE_13 })),
    ]);
    const texts = [text(cardFrom(a)), text(cardFrom(b))];
    assert.equal(texts.filter((t) => /Mötet är redan bekräftat|ändrades samtidigt/.test(t)).length, 1, texts.join('\n'));
    const confirmations: unknown[] = [];
    for await (const e of h.bot.store.table('cases').listEntities()) if (String(e.data).includes('"meetingConfirmed"')) confirmations.push(e);
    assert.equal(confirmations.length, 1);
  });

  it('refuses a time on a holiday or at 18:00 with a clear message, keeping the form', async () => {
    const holiday = await request([utc('2026-12-25T10:00:00+01:00')]);
    assert.match(text(holiday), /det är en helgdag i Sverige/);
    assert.match(text(holiday), /"id":"slots"/);
    const evening = await request([], { ownDate: '2026-11-24', ownTime: '18:00' });
    assert.match(text(evening), /utanför arbetstid/);
    assert.match(text(evening), /"value":"18:00"/);
    const halfOwn = await request([], { ownDate: '2026-11-24' });
    assert.match(text(halfOwn), /både datum och klockslag/);
    assert.equal(h.connector.to(personalConversation(sara)).length, 0, 'nothing reached the social worker');
  });

  it('cancel notifies the other party; a cancelled meeting cannot be accepted', async () => {
    await request([TUE_09]);
    const ids = idsOf(latestCard(sara));
    await h.post(executeActivity(sara, h.connector.url, 'meeting.accept', { ...ids, start: TUE_09 }));
    const cancelled = cardFrom(await h.post(executeActivity(eva, h.connector.url, 'meeting.cancel', ids)));
    assert.match(text(cancelled), /Inställt/);
    assert.match(text(latestCard(sara)), /Eva Kurator har ställt in mötet/);
    const late = cardFrom(await h.post(executeActivity(sara, h.connector.url, 'meeting.accept', { ...ids, start: TUE_09 })));
    assert.match(text(late), /Mötet är inställt/);
  });

  it('reschedule a confirmed meeting back to proposed, awaiting the other party', async () => {
    await request([TUE_09]);
    const ids = idsOf(latestCard(sara));
    await h.post(executeActivity(sara, h.connector.url, 'meeting.accept', { ...ids, start: TUE_09 }));
    const moved = cardFrom(await h.post(executeActivity(eva, h.connector.url, 'meeting.reschedule', { ...ids, slots: WED_10 })));
    assert.match(text(moved), /Väntar på svar från Sara Socionom/);
    assert.match(text(latestCard(sara)), /vill flytta mötet/);
  });

  it('only the two parties can answer; the group leader and others are refused', async () => {
    await request([TUE_09]);
    const ids = idsOf(latestCard(sara));
    const byGoran = cardFrom(await h.post(executeActivity(goran, h.connector.url, 'meeting.accept', { ...ids, start: TUE_09 })));
    assert.match(text(byGoran), /inte behörighet/);
    const evaOutOfTurn = cardFrom(await h.post(executeActivity(eva, h.connector.url, 'meeting.accept', { ...ids, start: TUE_09 })));
    assert.match(text(evaOutOfTurn), /den andra partens tur/);
  });

  it('refresh returns the current card for the asking party', async () => {
    await request([TUE_09]);
    const ids = idsOf(latestCard(sara));
    const refreshed = cardFrom(await h.post(executeActivity(sara, h.connector.url, 'meeting.refresh', ids)));
    assert.match(text(refreshed), /Bekräfta vald tid/);
    const forEva = cardFrom(await h.post(executeActivity(eva, h.connector.url, 'meeting.refresh', ids)));
    assert.doesNotMatch(text(forEva), /Bekräfta vald tid/);
  });
});
