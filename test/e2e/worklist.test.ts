import assert from 'node:assert/strict';
import { installActivity, type TeamsUser } from '../fixtures/activities';
import { alva, concernForm, eva, goran, olle, personalConversation, samir, sara } from '../fixtures/people';
import { findAction, tableRows } from '../helpers/accessWorld';
import { startHarness, type Harness } from '../helpers/botHarness';
import { turns } from '../helpers/turns';

const text = (x: unknown) => JSON.stringify(x);
const utc = (local: string) => new Date(local).toISOString();
const TUE_09 = utc('2026-11-24T09:00:00+01:00');
const TUE_13 = utc('2026-11-24T13:00:00+01:00');
const MARKER = 'MARKER-WORKLIST-93c1';

/** Every Action.Execute in a card (body ActionSets, selectActions and top-level actions alike). */
function actionsIn(card: unknown): Array<{ title: string; verb: string; data: Record<string, any> }> {
  const found: Array<{ title: string; verb: string; data: Record<string, any> }> = [];
  const walk = (x: unknown): void => {
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, any>;
    if (o.type === 'Action.Execute') found.push({ title: o.title, verb: o.verb, data: o.data ?? {} });
    for (const v of Object.values(o)) walk(v);
  };
  walk(card);
  return found;
}

describe('att göra / to do, meetings in the case view, möten (HTTP)', function () {
  this.timeout(60_000);
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness({ now: '2026-11-23T09:00:00+01:00' });
    for (const user of [eva, sara, samir, goran, alva]) await h.post(installActivity(user, h.connector.url));
    h.connector.clear();
  });
  afterEach(async () => h.stop());

  const { act, say } = turns(() => h);
  const raise = async (summary = `Frånvaro ${MARKER}`) => {
    const card = await act(eva, 'concern.submit', concernForm({ summary }));
    const code = /SST-2026-\d{4}/.exec(text(card))?.[0];
    assert.ok(code, text(card).slice(0, 300));
    return code;
  };
  /** Eva asks for a meeting; Sara's card for it is left unanswered ("missed"). */
  const requestMeeting = async (code: string, slots = [TUE_09, TUE_13]) => {
    const card = await act(eva, 'meeting.request', { caseCode: code, type: 'startup', minutes: '60', place: 'school', guardians: 'false', slots: slots.join(',') }, `eva-request-${code}`);
    const ids = card.refresh.action.data;
    return { teamId: ids.teamId as string, meetingId: ids.meetingId as string };
  };
  const posts = (who: TeamsUser, from = 0) => h.connector.sent.slice(from).filter((s) => s.conversationId === personalConversation(who) && s.method === 'POST');
  const puts = (who: TeamsUser, from = 0) => h.connector.sent.slice(from).filter((s) => s.conversationId === personalConversation(who) && s.method === 'PUT');
  const logged = async (via: string) => (await tableRows(h, 'accessLog')).filter((e) => e.via === via);

  it('a meeting request not acted on from its card is answered from "att göra", in one click, with no second card to the one who answered', async () => {
    const code = await raise();
    await act(sara, 'case.accept', { caseCode: code });
    await requestMeeting(code);
    const todo = await say(sara, 'att göra');
    assert.match(text(todo), /Att göra \(1\)/);
    assert.match(text(todo), new RegExp(`Uppstartsmöte – ${code}: välj en tid`));
    assert.match(text(todo), /Förslag från Eva Kurator/);
    assert.doesNotMatch(text(todo), new RegExp(MARKER), 'no case content in the worklist');
    const confirm = actionsIn(todo).find((a) => a.verb === 'meeting.accept' && a.data.start === TUE_13);
    assert.ok(confirm, 'a one-click confirm for each proposed time');
    assert.equal(confirm.title, 'Bekräfta tis 24 nov. 13:00');
    assert.ok((await logged('command:todo')).some((e) => e.caseCode === code && e.action === 'list' && e.allowed === true), 'the read is logged');

    const from = h.connector.sent.length;
    const answered = await act(sara, confirm.verb, confirm.data, 'sara-todo-card');
    assert.match(text(answered), new RegExp(`Mötet ${code} är bekräftat till tis 24 nov\\.? 13:00\\. Eva Kurator får besked`));
    assert.match(text(answered), /Inget väntar på dig just nu/, 'the answer is the worklist again, now empty');
    // Eva's card was updated in place; Sara got no card about her own answer (her request card is brought up to date in place).
    assert.match(text(puts(eva, from).pop()?.body), /Sara Socionom har bekräftat mötet/);
    assert.equal(posts(sara, from).length, 0, 'no new card to the one who acted');
    assert.equal(posts(eva, from).length, 0, 'no new card to Eva either: her card is updated in place');
    assert.match(text(puts(sara, from).pop()?.body), /Bekräftat/, 'Sara\'s own request card no longer offers the times');
  });

  it('… and when the one who answers has no copy of the meeting card left, no new one is sent to them', async () => {
    const code = await raise();
    await act(sara, 'case.accept', { caseCode: code });
    const ids = await requestMeeting(code);
    // Her copy is gone from the bot's memory (an old meeting, a new chat): only a copy she has would be brought up to date.
    await h.bot.store.table('cardMessages').deleteEntity(`meeting|${ids.meetingId}`, 'sw-1');
    const confirm = actionsIn(await say(sara, 'att göra')).find((a) => a.verb === 'meeting.accept')!;
    const from = h.connector.sent.length;
    assert.match(text(await act(sara, confirm.verb, confirm.data)), /är bekräftat till/);
    assert.equal(posts(sara, from).length, 0, 'no card about her own answer');
    assert.equal(puts(eva, from).length, 1, 'Eva\'s card is updated');
  });

  it('… and when her copy was deleted from the chat, no new one is sent to her either', async () => {
    const code = await raise();
    await act(sara, 'case.accept', { caseCode: code });
    await requestMeeting(code);
    const confirm = actionsIn(await say(sara, 'att göra')).find((a) => a.verb === 'meeting.accept')!;
    // Teams answers 404 for her request card: she deleted the message.
    h.connector.respondWith((r) => (r.method === 'PUT' && r.conversationId === personalConversation(sara) ? { status: 404 } : undefined));
    const from = h.connector.sent.length;
    assert.match(text(await act(sara, confirm.verb, confirm.data)), /är bekräftat till/);
    assert.equal(posts(sara, from).length, 0, 'no card about her own answer');
    assert.ok(h.connector.sent.slice(from).some((s) => s.method === 'PUT!404'), 'her copy was tried, in place');
  });

  it('… and from the case view, which lists the case\'s meetings for both parties with time, place and .ics', async () => {
    const code = await raise();
    await act(sara, 'case.accept', { caseCode: code });
    await requestMeeting(code);
    const forSara = await act(sara, 'case.open', { caseCode: code });
    assert.match(text(forSara), /"text":"Möten"/);
    assert.match(text(forSara), /Uppstartsmöte · Väntar på svar/);
    assert.match(text(forSara), /tis 24 nov\.? 09:00, tis 24 nov\.? 13:00/);
    const forEva = await act(eva, 'case.open', { caseCode: code });
    assert.match(text(forEva), /Uppstartsmöte · Väntar på svar/, 'the pending request is visible to the one who asked, too');
    assert.match(text(forEva), /Väntar på svar från Sara Socionom\./);
    assert.ok(!actionsIn(forEva).some((a) => a.verb === 'meeting.accept'), 'not Eva\'s turn: no confirm buttons for her');

    const confirm = actionsIn(forSara).find((a) => a.verb === 'meeting.accept' && a.data.start === TUE_09)!;
    const from = h.connector.sent.length;
    const answered = await act(sara, confirm.verb, confirm.data, 'sara-case-card');
    assert.match(text(answered), new RegExp(`Ärende ${code}`), 'the answer is the case again');
    assert.match(text(answered), /Mötet .* är bekräftat till tis 24 nov\.? 09:00/);
    assert.match(text(answered), /Uppstartsmöte · Bekräftat/);
    assert.equal(posts(sara, from).length, 0, 'no second card to Sara');

    // Eva sees the confirmed time, place and the invitation in her case view.
    const evaNow = await act(eva, 'case.open', { caseCode: code });
    assert.match(text(evaNow), /Uppstartsmöte · Bekräftat/);
    assert.match(text(evaNow), /"title":"Tid","value":"tis 24 nov\.? 09:00 \(60 min\)"/);
    assert.match(text(evaNow), /"title":"Plats","value":"Rydskolan"/);
    const ics = JSON.stringify(evaNow).match(/http:\/\/127\.0\.0\.1:\d+\/api\/meetings\/[^"]+\.ics/)?.[0];
    assert.ok(ics, 'the .ics link is on the case');
    assert.equal((await fetch(ics)).status, 200);
    assert.ok(actionsIn(evaNow).some((a) => a.verb === 'meeting.open' && a.title === 'Flytta mötet'), 'move');
    assert.ok(actionsIn(evaNow).some((a) => a.verb === 'meeting.cancel' && a.data.from === 'case'), 'cancel');
    // The group leader sees the meeting on the case, without buttons (not a party).
    const forGoran = await act(goran, 'case.open', { caseCode: code });
    assert.match(text(forGoran), /Uppstartsmöte · Bekräftat/);
    assert.ok(!actionsIn(forGoran).some((a) => a.verb.startsWith('meeting.')), 'no meeting buttons for a non-party');
    // Sara's case view is not taken for her meeting card: a later change updates her meeting card, never the case view.
    const later = h.connector.sent.length;
    const cancel = actionsIn(evaNow).find((a) => a.verb === 'meeting.cancel')!;
    await act(eva, cancel.verb, cancel.data, 'eva-case-card');
    const updated = puts(sara, later).map((s) => s.path.split('/').pop());
    assert.ok(updated.length > 0, 'Sara\'s meeting card is updated');
    assert.ok(!updated.includes('sara-case-card'), `the case view stays a case view: ${updated.join(', ')}`);
    // Eva's case view is saved into its message as the case view it is (the answer to her action), never as a meeting card.
    const evasCaseCard = puts(eva, later).filter((s) => s.path.endsWith('/eva-case-card'));
    assert.ok(evasCaseCard.every((s) => !/"verb":"meeting\.refresh"/.test(text(s.body)) && new RegExp(`Ärende ${code}`).test(text(s.body))), 'nor is Eva\'s');
  });

  it('"möten" lists one\'s upcoming and waiting meetings; cancelling from there comes back to the list', async () => {
    const code = await raise();
    await requestMeeting(code, [TUE_09]);
    const mine = await say(eva, 'möten');
    assert.match(text(mine), /Dina möten \(1\)/);
    assert.match(text(mine), new RegExp(`Uppstartsmöte – ${code} · Väntar på svar`));
    assert.ok((await logged('command:meetings')).some((e) => e.caseCode === code && e.action === 'list'), 'the read is logged');
    assert.match(text(await say(sara, 'meetings')), /Your meetings \(1\)/);
    assert.match(text(await say(samir, 'möten')), /Dina möten \(0\)/, 'only the parties see it');
    const cancel = actionsIn(mine).find((a) => a.verb === 'meeting.cancel')!;
    const after = await act(eva, cancel.verb, cancel.data);
    assert.match(text(after), new RegExp(`Mötet ${code} är inställt`));
    assert.match(text(after), /Dina möten \(0\)/);
  });

  it('a social worker\'s list includes the team\'s unclaimed concerns, and taking one makes it theirs', async () => {
    const code = await raise();
    const forSamir = await say(samir, 'att göra');
    assert.match(text(forSamir), new RegExp(`Ingen i teamet har tagit emot ${code} än`));
    assert.match(text(forSamir), /Rydskolan · Årskurs 7 · Skolfrånvaro · 20–50 % · skickad till Sara Socionom/);
    assert.doesNotMatch(text(forSamir), new RegExp(MARKER), 'facts only: the summary is for whoever takes it');
    const take = actionsIn(forSamir).find((a) => a.verb === 'case.accept')!;
    assert.equal(take.title, 'Ta ärendet');
    // Before taking it, Samir cannot open it.
    assert.match(text(await act(samir, 'case.open', { caseCode: code })), /Ärendet finns inte, eller så har du inte behörighet/);
    const from = h.connector.sent.length;
    const taken = await act(samir, take.verb, take.data);
    assert.match(text(taken), new RegExp(`Du har tagit emot ${code}. Ärendet är nu ditt`));
    assert.match(text(posts(sara, from)), new RegExp(`${code} har tagits emot av Samir Socionom`), 'the one it was first sent to is told');
    assert.match(text(posts(eva, from)), new RegExp(`${code} har tagits emot av Samir Socionom`), 'the school is told');
    assert.match(text(await act(samir, 'case.open', { caseCode: code })), new RegExp(MARKER), 'now Samir\'s case');
    assert.match(text(await act(eva, 'case.open', { caseCode: code })), /"title":"Handläggare","value":"Samir Socionom"/);
    assert.doesNotMatch(text(await say(sara, 'att göra')), new RegExp(code));
    // Sara, a moment too late from her list, gets the list again and words that fit (no name, nothing of a case not hers).
    const late = await act(sara, 'case.accept', { caseCode: code, from: 'todo' });
    assert.match(text(late), /någon annan i teamet kan ha hunnit före/);
    assert.doesNotMatch(text(late), new RegExp(`${code}|Samir`));
  });

  it('questions, reviews and consents about to expire, newest first, each with its button', async () => {
    const code = await raise();
    await act(sara, 'case.accept', { caseCode: code });
    const plan = await act(sara, 'plan.record', { caseCode: code, type: 'implementation', goals: 'Närvaro', resp1Who: 'role:mentor', resp1What: 'följer upp', reviewDate: '2026-11-27' });
    assert.match(text(plan), /Planen är sparad/);
    h.clock.set('2026-11-23T10:00:00+01:00');
    await act(sara, 'case.requestInfo', { caseCode: code, message: 'Hur ser fredagarna ut?' });
    const forEva = await say(eva, 'att göra');
    assert.match(text(forEva), new RegExp(`Sara Socionom har en fråga om ${code}`));
    assert.equal(actionsIn(forEva).find((a) => a.title === 'Svara')?.verb, 'case.open');
    const forSara = await say(sara, 'att göra');
    assert.match(text(forSara), new RegExp(`Uppföljning fre 27 nov\\.?: ${code}`));
    assert.equal(actionsIn(forSara).find((a) => a.title === 'Registrera uppföljning')?.verb, 'plan.list');
    await act(eva, 'case.replyInfo', { caseCode: code, message: 'Bättre.' });
    assert.doesNotMatch(text(await say(eva, 'att göra')), /har en fråga/, 'answered: off the list');

    // A consent expiring within 14 days is on the list of the one who recorded it.
    const soon = await act(eva, 'concern.submit', concernForm({ consentExpires: '2026-12-01', summary: 'Annan elev' }));
    const soonCode = /SST-2026-\d{4}/.exec(text(soon))![0];
    const list = await say(eva, 'att göra');
    assert.match(text(list), new RegExp(`Samtycket går ut tis 1 dec\\.?: ${soonCode}`));
    const titles = [...text(list).matchAll(/"text":"(Samtycket går ut[^"]*|Sara Socionom har en fråga[^"]*)"/g)].map((m) => m[1]);
    assert.ok(titles.length >= 1);
  });

  it('help and the welcome say how much waits, with the button; each role gets its own commands and buttons', async () => {
    const code = await raise();
    await requestMeeting(code, [TUE_09]);
    const help = await say(sara, 'hjälp');
    assert.match(text(help), /2 saker väntar på dig/, 'the concern to accept and the meeting request');
    const todoButton = actionsIn(help).find((a) => a.verb === 'nav.open' && a.data.command === 'todo')!;
    assert.ok(todoButton, 'the button to the list');
    assert.match(text(await act(sara, todoButton.verb, todoButton.data)), /Att göra \(2\)/);
    const buttons = (card: unknown) => actionsIn(card).filter((a) => a.verb === 'nav.open').map((a) => a.title);
    assert.deepEqual(buttons(help), ['Att göra', 'Att göra', 'Mina ärenden', 'Planer', 'Frånvaro']);
    assert.match(text(help), /frånvaro/, 'a social worker can mark themselves away');
    assert.match(text(help), /boka möte/, 'a social worker can book too');
    assert.doesNotMatch(text(help), /åtkomstlogg|tilldela skola/, 'no admin commands for a social worker');
    const forEva = await say(eva, 'hjälp');
    assert.deepEqual(buttons(forEva), ['Ny oro', 'Mina ärenden', 'Boka möte', 'Att göra']);
    assert.doesNotMatch(text(forEva), /åtkomstlogg|sammanfattning/);
    assert.match(text(forEva), /Gör en orosanmälan/, 'the Orosanmälan box in full on help');
    assert.deepEqual(buttons(await say(goran, 'hjälp')).slice(-5), ['Att göra', 'Mina ärenden', 'Planer', 'Sammanfattning', 'Rapport']);
    assert.deepEqual(buttons(await say(alva, 'hjälp')), ['Tilldela skola', 'Åtkomstlogg', 'Rapport']);
    // Every button does what typing the command does, with the same role checks.
    const newConcern = actionsIn(forEva).find((a) => a.title === 'Ny oro')!;
    assert.match(text(await act(eva, newConcern.verb, newConcern.data)), /Ny oro till skolsociala teamet/);
    assert.match(text(await act(sara, newConcern.verb, newConcern.data)), /Bara elevhälsoteamets medlemmar/);
    assert.ok((await tableRows(h, 'accessLog')).some((e) => e.actorId === 'sw-1' && e.allowed === false && e.via === 'card:nav.open:newConcern'), 'a refusal by role from a button is logged');

    // The welcome on install: a returning person is told what waits; someone outside the roster whom to ask, at once.
    h.connector.clear();
    await h.post(installActivity(sara, h.connector.url));
    assert.match(text(posts(sara)[0]?.body), /Välkommen till Skolsocialt team.*2 saker väntar på dig/);
    await h.post(installActivity(olle, h.connector.url));
    const welcomeOlle = posts(olle)[0]?.body.attachments[0].content;
    assert.match(text(welcomeOlle), /Du finns inte i skolsociala teamets register.*Alva Admin/);
    assert.equal(actionsIn(welcomeOlle).length, 0, 'no buttons that would only be refused');
    assert.match(text(welcomeOlle), /Gör en orosanmälan/);
  });

  it('the Orosanmälan box in full on the concern form, away from its submit button; a one-line link on other cards', async () => {
    const form = await say(eva, 'ny oro');
    const firstInput = form.body.findIndex((e: any) => String(e.type).startsWith('Input.'));
    const box = form.body.findIndex((e: any) => e.style === 'attention');
    assert.ok(box >= 0 && box < firstInput, 'the box comes before the form, not right above its submit button');
    const code = await raise();
    const view = await act(eva, 'case.open', { caseCode: code });
    assert.ok(!text(view).includes('"style":"attention"'), 'no red box on the case');
    assert.match(text(view), /\[Gör en orosanmälan\]\(https:\/\/example\.org\/orosanmalan\)/, 'a one-line link instead');
    assert.match(text(await say(eva, 'att göra')), /\[Gör en orosanmälan\]/);
  });

  it('an admin has nothing to do; someone outside the roster is told whom to ask; the group leader sees the team\'s unclaimed concerns', async () => {
    const code = await raise();
    assert.match(text(await say(alva, 'att göra')), /Inget väntar på dig just nu/);
    assert.match(text(await say(olle, 'att göra')), /finns inte i skolsociala teamets register/);
    assert.ok((await tableRows(h, 'accessLog')).every((e) => e.actorId !== 'adm-1' || e.caseCode === undefined), 'the admin read no case');
    const forGoran = await say(goran, 'att göra');
    assert.match(text(forGoran), new RegExp(code));
    assert.equal(findAction(forGoran, 'case.accept')?.data.caseCode, code);
  });
});
