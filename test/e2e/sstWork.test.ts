import assert from 'node:assert/strict';
import { installActivity, type TeamsUser } from '../fixtures/activities';
import { concernForm, eva, goran, personalConversation, samir, sara, stina } from '../fixtures/people';
import { findAction, tableRows } from '../helpers/accessWorld';
import { startHarness, type Harness } from '../helpers/botHarness';
import { turns } from '../helpers/turns';

/*
 * The SST's way of working (issue 14), journey by journey over HTTP with real Azurite and an injected
 * clock: intake by function with escalation, frånvaro, handläggarbyte, the anonymous consultation and
 * its conversion, consent withdrawn, renewed and expired, the insats, either side booking, the joint
 * team's school-side member. Marker strings are planted in every free text; they must never reach
 * anyone but the personal answer of someone who may see them, nor the logs.
 */

const text = (x: unknown) => JSON.stringify(x);
const utc = (local: string) => new Date(local).toISOString();
const SUMMARY = 'MARKER-SST-SUM-41d2';
const REF = 'MARKER-SST-REF-8e0a';
const CHILD = 'MARKER-SST-CHILD-77b1';
const NOTE = 'MARKER-SST-NOTE-c0de';

describe('the SST way of working: intake, consent, consultations, insats, joint team (HTTP)', function () {
  this.timeout(90_000);
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness({ now: '2026-11-23T09:00:00+01:00' }); // a Monday
    for (const user of [eva, sara, samir, goran, stina]) await h.post(installActivity(user, h.connector.url));
    h.connector.clear();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'passed') {
      // Nothing typed ever reaches a log line.
      const logs = h.logs.join('');
      for (const m of [SUMMARY, REF, CHILD, NOTE]) assert.ok(!logs.includes(m), `${m} in the logs`);
      // Nor any message the bot sent or stored (cards to people, answers kept in their message): the summary,
      // the school's reference and the child's view are only ever in the answer to the one who opened the case.
      const sent = h.connector.everythingSent();
      for (const m of [SUMMARY, REF, CHILD]) assert.ok(!sent.includes(m), `${m} in a message`);
    }
    await h.stop();
  });

  const { act, say } = turns(() => h);
  /** New cards (not updates) to someone since `from`. */
  const cardsTo = (who: TeamsUser, from = 0) =>
    h.connector.sent.slice(from).filter((s) => s.conversationId === personalConversation(who) && s.method === 'POST').map((s) => s.body.attachments?.[0]?.content ?? s.body.text);
  let lastReceipt: unknown;
  const raise = async (overrides: Record<string, string> = {}) => {
    const card = (lastReceipt = await act(eva, 'concern.submit', concernForm({ summary: `Frånvaro ${SUMMARY}`, schoolRef: REF, childViewNote: `Vill ha stöd ${CHILD}`, ...overrides })));
    const code = /SST-2026-\d{4}/.exec(text(card))?.[0];
    assert.ok(code, text(card).slice(0, 300));
    return code;
  };
  const caseRow = async (code: string) => (await tableRows(h, 'cases')).filter((r) => r.type === 'case').map((r) => JSON.parse(String(r.data))).find((c) => c.code === code);
  const at = async (local: string) => {
    h.clock.set(utc(local));
    await h.bot.tick();
    await h.bot.settle();
  };
  /** Everything the bot sent to people other than `allowed`, as one string (for marker checks). */
  const sentToOthers = (...allowed: TeamsUser[]) => text(h.connector.sent.filter((s) => !allowed.some((u) => s.conversationId === personalConversation(u))));

  describe('intake by function (mottagning)', () => {
    it("the school's social worker is the suggested owner and told; a colleague takes it from the team's list", async () => {
      const code = await raise();
      // The school is told the concern went to the team's intake, with the suggested owner.
      assert.match(text(lastReceipt), /Oron har gått till skolsociala teamets mottagning; Sara Socionom är föreslagen handläggare/);
      assert.match(text(cardsTo(sara)), new RegExp(`Ny oro från skolan: ${code}.*föreslagen handläggare`));
      const samirsList = await say(samir, 'att göra');
      assert.match(text(samirsList), new RegExp(`Ingen i teamet har tagit emot ${code} än`));
      assert.doesNotMatch(text(samirsList), new RegExp(SUMMARY), 'facts only until taken');
      const taken = await act(samir, 'case.accept', { caseCode: code, from: 'todo' });
      assert.match(text(taken), new RegExp(`Du har tagit emot ${code}`));
      assert.equal((await caseRow(code)).assignedTo, 'sw-2');
      // The timeline says who it was given to, not who pressed: "Tilldelad Sara Socionom", then the new owner.
      const view = text(await act(samir, 'case.open', { caseCode: code }));
      assert.match(view, /Oro lyft · Eva Kurator/);
      assert.match(view, /Tilldelad Sara Socionom"/);
      assert.match(view, /Ny handläggare: Samir Socionom · Samir Socionom/);
      assert.doesNotMatch(view, /aktualiser/i);
    });

    it('nobody takes it within one working day (holidays respected): the group leader is told and assigns it', async () => {
      // Raised on Wednesday 13 May 2026 at 10:00; Thursday is Kristi himmelfärdsdag: due Friday 10:00.
      h.clock.set(utc('2026-05-13T10:00:00+02:00'));
      const code = await raise({ consentExpires: '2026-12-31' });
      await at('2026-05-14T10:30:00+02:00');
      assert.equal(cardsTo(goran).filter((c) => /Ingen har tagit/.test(text(c))).length, 0, 'not on the holiday');
      await at('2026-05-15T09:59:00+02:00');
      assert.equal(cardsTo(goran).filter((c) => /Ingen har tagit/.test(text(c))).length, 0, 'not before a working day has passed');
      await at('2026-05-15T10:00:00+02:00');
      const escalation = cardsTo(goran).find((c) => new RegExp(`Ingen har tagit ${code}`).test(text(c)));
      assert.ok(escalation, 'the group leader is told');
      assert.match(text(escalation), /föreslagen handläggare är Sara Socionom/);
      assert.doesNotMatch(text(escalation), new RegExp(`${SUMMARY}|${REF}`), 'facts only');
      const assign = findAction(escalation, 'case.reassign');
      assert.ok(assign, 'with the choice of whom to give it to');
      const from = h.connector.sent.length;
      const done = await act(goran, assign.verb, { ...assign.data, to: 'sw-2' });
      assert.match(text(done), new RegExp(`${code} är nu Samir Socionoms`));
      assert.match(text(cardsTo(samir, from)), new RegExp(`Ärende till dig: ${code}.*Göran Gruppledare har gett dig ärendet`));
      assert.match(text(cardsTo(sara, from)), new RegExp(`${code} har fått ny handläggare`));
      assert.match(text(cardsTo(eva, from)), new RegExp(`Ny handläggare för ${code}.*Samir Socionom`));
      // Still unclaimed a working day after it was given to Samir: told again, once.
      await at('2026-05-18T10:01:00+02:00');
      assert.equal(cardsTo(goran).filter((c) => new RegExp(`Ingen har tagit ${code}`).test(text(c))).length, 2);
      await act(samir, 'case.accept', { caseCode: code });
      await at('2026-05-20T10:01:00+02:00');
      assert.equal(cardsTo(goran).filter((c) => new RegExp(`Ingen har tagit ${code}`).test(text(c))).length, 2, 'taken: no more');
    });

    it('frånvaro: while Sara is away new concerns for her schools go to the backup; the group leader is told; back again', async () => {
      const form = await say(sara, 'frånvaro');
      assert.match(text(form), /Du är inte markerad som borta/);
      const saved = await act(sara, 'away.save', { op: 'set', awayFrom: '2026-11-23', awayUntil: '2026-11-27' });
      assert.match(text(saved), /Sparat: du är borta 2026-11-23 till och med 2026-11-27/);
      assert.match(text(cardsTo(goran)), /Sara Socionom är borta 2026-11-23 till och med 2026-11-27/);
      const code = await raise();
      assert.equal((await caseRow(code)).assignedTo, 'sw-2', 'the backup');
      assert.match(text(cardsTo(samir)), /som ersättare eftersom skolans socialsekreterare är borta/);
      const digest = await say(goran, 'sammanfattning');
      assert.match(text(digest), /Borta: 1.*Sara Socionom till och med 2026-11-27/);
      // A bad period is refused beside its field, with what was typed kept.
      const bad = await act(sara, 'away.save', { op: 'set', awayFrom: '2026-11-23', awayUntil: '2026-11-20' });
      assert.match(text(bad), /Slutet måste vara samma dag som starten eller senare/);
      // After the period: back to her, without doing anything.
      h.clock.set(utc('2026-11-30T09:00:00+01:00'));
      const later = await raise({ summary: 'Annan elev' });
      assert.equal((await caseRow(later)).assignedTo, 'sw-1');
      // Or back early, from the bot.
      await act(sara, 'away.save', { op: 'set', awayFrom: '2026-11-30', awayUntil: '2026-12-04' });
      const back = await act(sara, 'away.save', { op: 'end' });
      assert.match(text(back), /Välkommen tillbaka/);
      assert.equal((await caseRow(await raise({ summary: 'Tredje' }))).assignedTo, 'sw-1');
    });
  });

  it('handläggarbyte: the group leader hands an open case over; its meetings and plans go with it; the school and both social workers are told', async () => {
    const code = await raise();
    await act(sara, 'case.accept', { caseCode: code });
    const plan = await act(sara, 'plan.record', { caseCode: code, type: 'implementation', goals: 'Närvaro', resp1Who: 'role:mentor', resp1What: 'följer upp', reviewDate: '2026-12-10' });
    assert.match(text(plan), /Planen är sparad/);
    const meeting = await act(eva, 'meeting.request', { caseCode: code, type: 'startup', minutes: '60', place: 'school', guardians: 'false', slots: utc('2026-11-25T10:00:00+01:00') }, 'eva-meeting');
    const ids = meeting.refresh.action.data;
    const view = await act(goran, 'case.open', { caseCode: code });
    const reassign = findAction(view, 'case.reassign');
    assert.ok(reassign, 'the group leader has "Byt handläggare"');
    assert.ok(!findAction(await act(sara, 'case.open', { caseCode: code }), 'case.reassign'), 'the social worker has not');
    const from = h.connector.sent.length;
    assert.match(text(await act(goran, 'case.reassign', { caseCode: code, to: 'sw-2' })), new RegExp(`${code} är nu Samir Socionoms`));
    assert.match(text(cardsTo(samir, from)), new RegExp(`Ärende till dig: ${code}`));
    assert.match(text(cardsTo(sara, from)), /Du ser det inte längre/);
    assert.match(text(cardsTo(eva, from)), new RegExp(`Från och med nu är Samir Socionom handläggare för ${code}`));
    for (const c of [...cardsTo(samir, from), ...cardsTo(sara, from)]) assert.doesNotMatch(text(c), new RegExp(`${SUMMARY}|${REF}`));
    const rows = await tableRows(h, 'cases');
    const m = rows.filter((r) => r.type === 'meeting').map((r) => JSON.parse(String(r.data))).find((x) => x.id === ids.meetingId);
    assert.equal(m.socialWorkerId, 'sw-2', 'the meeting request now waits for Samir');
    assert.equal(rows.filter((r) => r.type === 'plan').map((r) => JSON.parse(String(r.data)))[0].ownerId, 'sw-2', 'the plan is his');
    assert.match(text(await act(sara, 'case.open', { caseCode: code })), /Ärendet finns inte, eller så har du inte behörighet/);
    assert.match(text(await act(samir, 'meeting.accept', { ...ids, start: m.proposals[0] })), /Bekräftat/);
    // Someone away cannot be given a case.
    await act(sara, 'away.save', { op: 'set', awayFrom: '2026-11-23', awayUntil: '2026-11-27' });
    assert.match(text(await act(goran, 'case.reassign', { caseCode: code, to: 'sw-1' })), /borta till och med 2026-11-27/);
    assert.equal((await caseRow(code)).assignedTo, 'sw-2');
  });

  it('an anonymous consultation: questions and a closing note, a consultation meeting, no family meeting, no plan; counted apart; consent makes it a request with the same code', async () => {
    const code = await raise({ consent: 'no', schoolRef: '' });
    const c = await caseRow(code);
    assert.equal(c.kind, 'consultation');
    assert.equal(c.consent, undefined);
    // The booking form offers consultation meetings only; a meeting with the guardians is refused even if sent.
    const form = await act(eva, 'meeting.form', { caseCode: code });
    assert.deepEqual(form.body.find((e: any) => e.id === 'type').choices.map((x: any) => x.value), ['consultation']);
    assert.ok(!text(form).includes('"id":"guardians"'), 'no "guardians attending" toggle');
    const refused = await act(eva, 'meeting.request', { caseCode: code, type: 'guardians', minutes: '60', place: 'school', guardians: 'true', slots: utc('2026-11-25T10:00:00+01:00') });
    assert.match(text(refused), /avidentifierad konsultation: inga möten med familjen/);
    assert.match(text(await act(eva, 'meeting.request', { caseCode: code, type: 'consultation', minutes: '45', place: 'teams', guardians: 'false', slots: utc('2026-11-25T10:00:00+01:00') })), /Väntar på svar från Sara Socionom/);
    // No plan: the form is not offered, and a submitted one is refused with why.
    await act(sara, 'case.accept', { caseCode: code });
    const plans = await act(sara, 'plan.list', { caseCode: code });
    assert.ok(!findAction(plans, 'plan.record'), 'no plan form');
    assert.match(text(plans), /avidentifierad konsultation/);
    const planRefused = await act(sara, 'plan.record', { caseCode: code, type: 'sip', goals: 'Närvaro', resp1Who: 'role:mentor', resp1What: 'x', reviewDate: '2026-12-10' });
    assert.match(text(planRefused), /avidentifierad konsultation/);
    assert.equal((await tableRows(h, 'cases')).filter((r) => r.type === 'plan').length, 0);
    // No insats either.
    assert.ok(!findAction(await act(sara, 'case.open', { caseCode: code }), 'case.insats'));
    // The yearly report counts it apart from requests.
    const other = await raise({ summary: 'En förfrågan' });
    h.clock.set(utc('2027-03-01T09:00:00+01:00'));
    const report = text(await say(goran, 'rapport'));
    assert.match(report, /"title":"Förfrågningar","value":"<5"/);
    assert.match(report, /"title":"Avidentifierade konsultationer \(räknas för sig\)","value":"<5"/);
    h.clock.set(utc('2026-11-24T09:00:00+01:00'));
    assert.ok(other);

    // The guardians consent: the school records it on the case; same code and history, now a request.
    const view = await act(eva, 'case.open', { caseCode: code });
    assert.ok(findAction(view, 'consent.record'), 'the consent form is on the case');
    const from = h.connector.sent.length;
    const converted = await act(eva, 'consent.record', { caseCode: code, custody: 'sole', vh1How: 'oral', consentScope: 'Samverkan kring frånvaro', consentExpires: '2027-05-31', childView: 'notYet', schoolRef: REF });
    assert.match(text(converted), new RegExp(`${code} är nu en förfrågan med samtycke till och med 2027-05-31`));
    assert.match(text(cardsTo(sara, from)), new RegExp(`Konsultationen är nu en förfrågan: ${code}`));
    const now = await caseRow(code);
    assert.equal(now.kind, 'request');
    assert.equal(now.consent.recordedBy, 'eht-1');
    assert.deepEqual(now.consent.guardians, [{ who: 'vh1', how: 'oral' }]);
    assert.match(text(await act(eva, 'case.open', { caseCode: code })), /Oro lyft.*Samtycke lämnat: konsultationen är nu en förfrågan/);
    assert.match(text(await act(sara, 'plan.record', { caseCode: code, type: 'implementation', goals: 'Närvaro', resp1Who: 'role:mentor', resp1What: 'x', reviewDate: '2026-12-10' })), /Planen är sparad/);
  });

  it('a consultation closes with a note to the school, not an outcome', async () => {
    const code = await raise({ consent: 'no', schoolRef: '' });
    await act(sara, 'case.accept', { caseCode: code });
    const view = await act(sara, 'case.open', { caseCode: code });
    assert.match(text(view), /"id":"closingNote"/);
    assert.doesNotMatch(text(view), /"id":"outcome"/);
    assert.match(text(await act(sara, 'case.close', { caseCode: code, closingNote: '' })), /Välj ett utfall|Skriv en kort avslutande kommentar/);
    const withId = text(await act(sara, 'case.close', { caseCode: code, closingNote: 'Eleven 120304-1239 har fått råd' }));
    assert.match(withId, /ser ut att innehålla ett personnummer/);
    assert.equal((await caseRow(code)).status, 'accepted', 'not closed');
    const from = h.connector.sent.length;
    assert.match(text(await act(sara, 'case.close', { caseCode: code, closingNote: `Råd om kontakt med hemmet ${NOTE}` })), new RegExp(`${code} är avslutat`));
    assert.match(text(cardsTo(eva, from)), new RegExp(`avslutat konsultationen ${code}.*${NOTE}`), 'the note reaches the school');
    assert.equal((await caseRow(code)).outcome, 'consultationClosed');
    assert.ok(!sentToOthers(eva, sara).includes(NOTE), 'the note goes to the school only');
  });

  it('consent withdrawn: the school reference hidden, no new family meeting or plan, both sides told; renewed: back', async () => {
    const code = await raise();
    await act(sara, 'case.accept', { caseCode: code });
    const before = text(await act(eva, 'case.open', { caseCode: code }));
    assert.ok(before.includes(REF), 'the school sees its reference while the consent holds');
    assert.ok(before.includes(CHILD), "and the child's view note, in its own answer");
    assert.match(before, /Båda \(gemensam vårdnad\): vårdnadshavare 1 skriftligt, vårdnadshavare 2 muntligt/);
    const family = await act(eva, 'meeting.request', { caseCode: code, type: 'guardians', minutes: '60', place: 'school', guardians: 'true', slots: utc('2026-11-26T10:00:00+01:00') }, 'eva-family');
    const familyId = family.refresh.action.data.meetingId;
    const from = h.connector.sent.length;
    const withdrawn = await act(sara, 'consent.withdraw', { caseCode: code });
    assert.match(text(withdrawn), new RegExp(`Samtycket för ${code} är återkallat; 1 möte\\(n\\) med familjen är inställda`));
    const meetingNow = (await tableRows(h, 'cases')).filter((r) => r.type === 'meeting').map((r) => JSON.parse(String(r.data))).find((m) => m.id === familyId);
    assert.equal(meetingNow.status, 'cancelled', 'the meeting with the family not yet held is cancelled');
    assert.match(text(h.connector.messageNow(personalConversation(eva), 'eva-family')), /Samtycket är återkallat\. Mötet med familjen är inställt/);
    assert.match(text(cardsTo(eva, from)), new RegExp(`Samtycket är återkallat: ${code}`));
    const after = text(await act(eva, 'case.open', { caseCode: code }));
    assert.ok(!after.includes(REF), 'the reference is hidden');
    assert.match(after, /Samtycket är återkallat\. Skolans referens visas inte/);
    assert.match(text(await act(eva, 'meeting.request', { caseCode: code, type: 'homeVisit', minutes: '60', place: 'home', guardians: 'true', slots: utc('2026-11-25T10:00:00+01:00') })), /Samtycket är återkallat: inga nya möten med familjen/);
    const planRefused = text(await act(sara, 'plan.record', { caseCode: code, type: 'implementation', goals: 'Närvaro', resp1Who: 'role:mentor', resp1What: 'x', reviewDate: '2026-12-10' }));
    assert.match(planRefused, /Samtycket är återkallat/);
    assert.doesNotMatch(planRefused, /Planen är sparad/);
    const insatsRefused = text(await act(sara, 'case.insats', { caseCode: code, insatsForm: 'service', insatsKind: 'family', insatsStart: '2026-11-23', intensiveUntil: '2027-02-14' }));
    assert.match(insatsRefused, /Samtycket är återkallat: inga nya möten med familjen, planer eller insatser/);
    assert.doesNotMatch(insatsRefused, /Insatsen är sparad/);
    assert.equal((await tableRows(h, 'cases')).filter((r) => r.type === 'plan').length, 0, 'no plan stored');
    assert.equal((await caseRow(code)).insats, undefined, 'no insats stored');
    assert.match(text(await act(eva, 'meeting.request', { caseCode: code, type: 'followUp', minutes: '30', place: 'teams', guardians: 'false', slots: utc('2026-11-25T10:00:00+01:00') })), /Väntar på svar från Sara Socionom/, 'school and SST may still meet without the family');
    assert.match(text(await say(eva, 'att göra')), new RegExp(`Samtycket är återkallat: ${code}`));
    // A personnummer in the child's view note is refused beside its field, and never sent back.
    const bad = await act(eva, 'consent.record', { caseCode: code, custody: 'joint', vh1How: 'written', vh2How: '', consentScope: 'Samverkan', consentExpires: '2027-05-31', childView: 'asked', childViewNote: 'Eleven 120304-1239 vill' });
    assert.match(text(bad), /Det ser ut som ett personnummer/);
    assert.match(text(bad), /Fyll i det här fältet/, 'with joint custody both guardians are needed');
    assert.ok(!text(bad).includes('120304-1239'), 'the personnummer is not sent back');
    assert.equal((await caseRow(code)).consent.withdrawnAt !== undefined, true, 'nothing saved');
    const renewed = await act(eva, 'consent.record', { caseCode: code, custody: 'joint', vh1How: 'written', vh2How: 'written', consentScope: 'Samverkan', consentExpires: '2027-05-31', childView: 'asked' });
    assert.match(text(renewed), /Samtycket är sparat och gäller till och med 2027-05-31\. Sara Socionom får besked/);
    assert.ok(text(await act(eva, 'case.open', { caseCode: code })).includes(REF), 'visible again');
    assert.match(text(await act(sara, 'plan.record', { caseCode: code, type: 'sip', goals: 'Närvaro', resp1Who: 'role:mentor', resp1What: 'x', reviewDate: '2026-12-10' })), /Planen är sparad/);
  });

  it('consent expires with time: hidden and blocked from the day after its last day, both sides told that morning', async () => {
    const code = await raise({ consentExpires: '2026-12-04' }); // a Friday
    await act(sara, 'case.accept', { caseCode: code });
    await at('2026-12-04T16:00:00+01:00');
    assert.ok(text(await act(eva, 'case.open', { caseCode: code })).includes(REF), 'valid through its last day');
    await at('2026-12-05T09:00:00+01:00'); // Saturday: expired, nobody told yet (08:00 on a working day)
    const expired = text(await act(eva, 'case.open', { caseCode: code }));
    assert.ok(!expired.includes(REF), 'hidden the day after');
    assert.match(expired, /Gick ut 2026-12-04/);
    assert.equal(cardsTo(eva).filter((c) => /Samtycket har gått ut/.test(text(c))).length, 0);
    await at('2026-12-07T08:00:00+01:00');
    for (const who of [eva, sara]) assert.equal(cardsTo(who).filter((c) => new RegExp(`Samtycket har gått ut: ${code}`).test(text(c))).length, 1, who.name);
    assert.match(text(await act(sara, 'meeting.request', { caseCode: code, type: 'guardians', minutes: '60', place: 'school', guardians: 'true', slots: utc('2026-12-09T10:00:00+01:00') })), /Samtycket har gått ut/);
  });

  it('the insats: form, kind and intensive phase on the case; reminded a week before it ends; in att göra', async () => {
    const code = await raise();
    await act(sara, 'case.accept', { caseCode: code });
    const view = await act(sara, 'case.open', { caseCode: code });
    const insatsForm = JSON.stringify(view);
    assert.match(insatsForm, /"id":"intensiveUntil".*"value":"2027-02-14"/, "the default end: the municipality's 12 weeks");
    const bad = await act(sara, 'case.insats', { caseCode: code, insatsForm: 'service', insatsKind: '', insatsStart: '2026-11-23', intensiveUntil: '2026-11-20' });
    assert.match(text(bad), /Insatsen har fel/);
    assert.match(text(bad), /"id":"insatsKindError"/);
    const saved = await act(sara, 'case.insats', { caseCode: code, insatsForm: 'bistand', insatsKind: 'family', insatsStart: '2026-11-23', intensiveUntil: '2026-12-18' });
    assert.match(text(saved), /Insatsen är sparad\. Den intensiva fasen slutar 2026-12-18/);
    assert.match(text(saved), /Bistånd \(efter biståndsbeslut\) · Familj/);
    const c = await caseRow(code);
    assert.equal(c.status, 'active');
    await at('2026-12-11T08:00:00+01:00');
    assert.match(text(cardsTo(sara)), new RegExp(`Den intensiva fasen slutar snart: ${code}`));
    assert.match(text(await say(sara, 'att göra')), new RegExp(`Den intensiva fasen slutar fre 18 dec\\.?: ${code}`));
    // Closing with the referral it led to.
    assert.match(text(await act(sara, 'case.close', { caseCode: code, outcome: 'referredHabilitation', sameSchool: 'yes', absenceValid: '4', absenceInvalid: '2' })), /är avslutat/);
    assert.match(text(await act(eva, 'case.open', { caseCode: code })), /Vidare till habiliteringen/);
  });

  it('the social worker books too (a hembesök with tolk); the school answers; a counter-proposal is "Nytt tidsförslag"', async () => {
    const code = await raise();
    await act(sara, 'case.accept', { caseCode: code });
    const form = await act(sara, 'meeting.form', { caseCode: code });
    assert.match(text(form), /Med skolans Eva Kurator/);
    assert.match(text(form), /"id":"interpreter"/);
    const from = h.connector.sent.length;
    const card = await act(sara, 'meeting.request', { caseCode: code, type: 'homeVisit', minutes: '60', place: 'home', guardians: 'true', interpreter: 'true', slots: utc('2026-11-25T10:00:00+01:00') });
    assert.match(text(card), /Hembesök – /);
    assert.match(text(card), /Väntar på svar från Eva Kurator/);
    assert.match(text(card), /"title":"Tolk behövs","value":"Ja"/);
    assert.match(text(cardsTo(eva, from)), /Sara Socionom föreslår ett möte/);
    const ids = card.refresh.action.data;
    assert.match(text(await act(eva, 'meeting.counter', { ...ids, slots: utc('2026-11-26T10:00:00+01:00') })), /Väntar på svar från Sara Socionom/);
    assert.match(text(await act(sara, 'case.open', { caseCode: code })), /Nytt tidsförslag · Eva Kurator/);
  });

  it("the joint team: a school-side member taking part sees the case (not the school's reference), carries a plan part, records that an orosanmälan was made", async () => {
    const code = await raise();
    await act(sara, 'case.accept', { caseCode: code });
    assert.match(text(await act(stina, 'case.open', { caseCode: code })), /Ärendet finns inte, eller så har du inte behörighet/, 'not before taking part');
    const from = h.connector.sent.length;
    const plan = await act(sara, 'plan.record', { caseCode: code, type: 'implementation', goals: 'Trygg skolgång', resp1Who: 'person:st-1', resp1What: 'anpassar skolsituationen', reviewDate: '2026-12-10' });
    assert.match(text(plan), /Planen är sparad/);
    assert.match(text(cardsTo(stina, from)), new RegExp(`Du tar del i ${code}`));
    const view = text(await act(stina, 'case.open', { caseCode: code }));
    assert.ok(view.includes(SUMMARY), 'she works on the case');
    assert.ok(!view.includes(REF), "the school's own reference is the school's");
    assert.match(view, /"title":"Skolsidan i teamet","value":"Stina Speciallärare"/);
    assert.ok(!findAction(JSON.parse(view), 'case.close') && !findAction(JSON.parse(view), 'consent.withdraw'), 'no closing, no consent');
    assert.match(text(await act(stina, 'plan.list', { caseCode: code })), /Stina Speciallärare.*anpassar skolsituationen/);
    assert.match(text(await say(stina, 'mina ärenden')), new RegExp(code));
    assert.match(text(await act(stina, 'case.reportMade', { caseCode: code, reportDate: '2026-11-20' })), /Datumet för orosanmälan är sparat/);
    assert.match(text(await act(eva, 'case.open', { caseCode: code })), /Orosanmälan gjord 2026-11-20 · Stina Speciallärare/);
    assert.match(text(await act(stina, 'case.close', { caseCode: code, outcome: 'other', sameSchool: 'yes', absenceValid: '4', absenceInvalid: '2' })), /Det kan du inte göra i det här ärendet/);
    // Taken off the case: she no longer sees it.
    await act(sara, 'case.staff', { caseCode: code, staff: '' });
    assert.match(text(await act(stina, 'case.open', { caseCode: code })), /Ärendet finns inte, eller så har du inte behörighet/);
  });
});
