import assert from 'node:assert/strict';
import { installActivity } from '../fixtures/activities';
import { concernForm, eva, goran, samir, sara } from '../fixtures/people';
import { tableRows } from '../helpers/accessWorld';
import { startHarness, type Harness } from '../helpers/botHarness';
import { errorsBeside, inputs } from '../helpers/cardElements';
import { turns } from '../helpers/turns';

const text = (x: unknown) => JSON.stringify(x);
const utc = (local: string) => new Date(local).toISOString();
const TUE_09 = utc('2026-11-24T09:00:00+01:00');


describe('forms that explain themselves (HTTP)', function () {
  this.timeout(60_000);
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness({ now: '2026-11-23T09:00:00+01:00' });
    for (const user of [eva, sara, samir, goran]) await h.post(installActivity(user, h.connector.url));
    h.connector.clear();
  });
  afterEach(async () => h.stop());

  const { act, say } = turns(() => h);
  const newCase = async () => {
    const code = /SST-2026-\d{4}/.exec(text(await act(eva, 'concern.submit', concernForm())))![0];
    await act(sara, 'case.accept', { caseCode: code });
    return code;
  };

  it('the concern form: every required input says what is missing, every problem at once beside its field, everything typed kept', async () => {
    const form = await say(eva, 'ny oro');
    for (const input of inputs(form).filter((i) => i.isRequired)) assert.ok(input.errorMessage, `${input.id} has an errorMessage`);
    const labels = Object.fromEntries(inputs(form).map((i) => [i.id, i.label]));
    assert.match(labels.consentScope, /^Om ja:/);
    assert.match(labels.consentExpires, /^Om ja:/);
    assert.match(labels.schoolRef, /^Om ja:/);

    const back = await act(eva, 'concern.submit', { formId: 'a0a0a0a0-1111-2222-3333-444455556666', school: 'ryd', grade: '', category: '', absenceValid: '70', absenceInvalid: '40', summary: '', consent: 'yes', consentScope: '', consentExpires: '2026-11-23', schoolRef: 'PRN-77' });
    // With consent, what it holds is asked for too: which guardians and how, the child's view.
    assert.deepEqual(errorsBeside(back), ['absenceInvalidError', 'categoryError', 'childViewError', 'consentExpiresError', 'consentScopeError', 'custodyError', 'gradeError', 'summaryError', 'vh1HowError']);
    assert.match(text(back), /9 fält behöver rättas/);
    assert.match(text(back), /Giltig och ogiltig frånvaro blir tillsammans mer än 100 %/);
    assert.equal(inputs(back).find((i) => i.id === 'schoolRef').value, 'PRN-77', 'what was typed comes back');
    assert.equal(inputs(back).find((i) => i.id === 'absenceValid').value, 70);
    assert.equal(inputs(back).find((i) => i.id === 'absenceInvalid').value, 40);
    assert.equal((await tableRows(h, 'cases')).filter((r) => r.type === 'case').length, 0);
  });

  it('the plan form: every problem at once beside its field, open (not folded behind its button), with what was typed', async () => {
    const code = await newCase();
    const plans = await act(sara, 'plan.list', { caseCode: code });
    const folded = plans.actions.find((a: any) => a.type === 'Action.ShowCard' && a.title === 'Ny plan');
    assert.ok(folded, 'the empty form waits behind its button');
    for (const input of folded.card.body.flatMap((e: any) => (e.columns ? e.columns.flatMap((c: any) => c.items) : [e])).filter((e: any) => e.isRequired)) assert.ok(input.errorMessage, `${input.id} has an errorMessage`);
    const reviewInput = folded.card.body.find((e: any) => e.id === 'reviewDate');
    assert.equal(reviewInput.min, '2026-11-24', 'the date picker starts after today');

    const back = await act(sara, 'plan.record', { caseCode: code, type: 'implementation', goals: '', resp1Who: '', resp1What: 'ringer hem varje morgon', resp2Who: 'role:guardians', resp2What: '', reviewDate: '2026-11-23' });
    assert.deepEqual(errorsBeside(back), ['goalsError', 'resp1WhoError', 'resp2WhatError', 'reviewDateError']);
    assert.match(text(back), /4 fält behöver rättas/);
    assert.match(text(back), /Välj ett datum efter i dag/);
    const open = inputs(back);
    assert.ok(open.some((i) => i.id === 'goals'), 'the form is open in the card');
    assert.equal(open.find((i) => i.id === 'resp1What').value, 'ringer hem varje morgon');
    assert.equal(open.find((i) => i.id === 'resp2Who').value, 'role:guardians');
    assert.equal((await tableRows(h, 'cases')).filter((r) => r.type === 'plan').length, 0);
  });

  it('responsibilities are chosen from the case\'s people and a fixed list of roles; a name typed as "who" is never stored', async () => {
    const code = await newCase();
    const plans = await act(sara, 'plan.list', { caseCode: code });
    const who = plans.actions.find((a: any) => a.title === 'Ny plan').card.body.flatMap((e: any) => (e.columns ? e.columns.flatMap((c: any) => c.items) : [e])).find((e: any) => e.id === 'resp1Who');
    const titles = who.choices.map((c: any) => c.title);
    // The joint team's school-side member (Stina, speciallärare) owns the school situation: she can carry a part too.
    assert.deepEqual(titles.slice(0, 5).sort(), ['Eva Kurator', 'Göran Gruppledare', 'Samir Socionom', 'Sara Socionom', 'Stina Speciallärare']);
    assert.ok(!titles.includes('Erik Kurator') && !titles.includes('Alva Admin'), 'nobody outside the school and team');
    assert.ok(titles.includes('Vårdnadshavare') && titles.includes('Eleven') && titles.includes('Mentor'));
    assert.equal(who.style, 'compact');
    assert.ok(!('isMultiline' in who), 'a choice, not a text box');

    // An old card's free text ("Kalle Anka – ringer hem"): refused, the line kept in "what", "who" asked for.
    const legacy = await act(sara, 'plan.record', { caseCode: code, type: 'implementation', goals: 'Närvaro', responsible: 'Kalle Anka – ringer hem', reviewDate: '2026-12-10' });
    assert.deepEqual(errorsBeside(legacy), ['resp1WhoError']);
    assert.equal(inputs(legacy).find((i) => i.id === 'resp1What').value, 'Kalle Anka – ringer hem');
    // Tampered choices: a person outside the school and team, a role that is not on the list.
    const tampered = await act(sara, 'plan.record', { caseCode: code, type: 'implementation', goals: 'Närvaro', resp1Who: 'person:eht-2', resp1What: 'ringer', resp2Who: 'role:Kalle Anka', resp2What: 'hämtar', reviewDate: '2026-12-10' });
    assert.deepEqual(errorsBeside(tampered), ['resp1WhoError', 'resp2WhoError']);
    assert.equal((await tableRows(h, 'cases')).filter((r) => r.type === 'plan').length, 0, 'nothing stored');

    const saved = await act(sara, 'plan.record', { caseCode: code, type: 'implementation', goals: 'Närvaro över 90 %', resp1Who: 'person:eht-1', resp1What: 'följer upp närvaron', resp2Who: 'role:guardians', resp2What: 'väcker i tid', reviewDate: '2026-12-10' });
    assert.match(text(saved), /Planen är sparad/);
    assert.match(text(saved), /"title":"Eva Kurator","value":"följer upp närvaron"/);
    assert.match(text(saved), /"title":"Vårdnadshavare","value":"väcker i tid"/);
    const [plan] = (await tableRows(h, 'cases')).filter((r) => r.type === 'plan').map((r) => JSON.parse(String(r.data)));
    assert.deepEqual(plan.responsibilities, [{ personId: 'eht-1', what: 'följer upp närvaron' }, { role: 'guardians', what: 'väcker i tid' }]);
  });

  it('a review with a next date of today is refused beside the date, the review form open', async () => {
    const code = await newCase();
    const plan = await act(sara, 'plan.record', { caseCode: code, type: 'implementation', goals: 'Närvaro', resp1Who: 'role:mentor', resp1What: 'följer upp', reviewDate: '2026-11-24' });
    const review = plan.actions.find((a: any) => a.type === 'Action.ShowCard' && /Registrera uppföljning/.test(a.title));
    const ids = review.card.actions[0].data;
    h.clock.set('2026-11-24T10:00:00+01:00');
    const back = await act(sara, 'plan.review', { teamId: ids.teamId, planId: ids.planId, date: ids.date, outcome: 'done', nextDate: '2026-11-24', absenceValid: '6', absenceInvalid: '3', goal1: 'partly' });
    assert.deepEqual(errorsBeside(back), ['nextDateError']);
    assert.match(text(back), /Uppföljningen måste ligga efter i dag/);
    assert.equal(inputs(back).find((i) => i.id === 'nextDate').value, '2026-11-24');
  });

  it('the booking form and the meeting card\'s own forms: problems beside the fields, the form open, the times kept', async () => {
    const code = await newCase();
    const back = await act(eva, 'meeting.request', { caseCode: code, type: 'startup', minutes: '17', place: 'school', guardians: 'false', ownDate: '2026-11-24' });
    assert.deepEqual(errorsBeside(back), ['minutesError', 'timesError']);
    assert.match(text(back), /Ange både datum och klockslag/);
    assert.equal(inputs(back).find((i) => i.id === 'ownDate').value, '2026-11-24');
    for (const input of inputs(back).filter((i) => i.isRequired)) assert.ok(input.errorMessage, `${input.id} has an errorMessage`);

    const card = await act(eva, 'meeting.request', { caseCode: code, type: 'startup', minutes: '60', place: 'school', guardians: 'false', slots: TUE_09 });
    const ids = { teamId: card.refresh.action.data.teamId, meetingId: card.refresh.action.data.meetingId };
    const counter = await act(sara, 'meeting.counter', { ...ids, ownDate: '2026-11-26' });
    assert.deepEqual(errorsBeside(counter), ['timesError']);
    assert.ok(inputs(counter).some((i) => i.id === 'ownDate' && i.value === '2026-11-26'), 'the counter-proposal form is open with the date typed');
    const declined = await act(sara, 'meeting.decline', { ...ids, reason: 'Gäller 121212-1212' });
    assert.deepEqual(errorsBeside(declined), ['reasonError']);
    assert.doesNotMatch(text(declined), /1212/, 'a personnummer is never sent back');
  });

  it('a double click on "Bekräfta" answers both clicks with what happened: the meeting is confirmed, once', async () => {
    const code = await newCase();
    const card = await act(eva, 'meeting.request', { caseCode: code, type: 'startup', minutes: '60', place: 'school', guardians: 'false', slots: TUE_09 });
    const data = { teamId: card.refresh.action.data.teamId, meetingId: card.refresh.action.data.meetingId, start: TUE_09, cardId: '5b1f0e4c-0000-4000-8000-000000000001' };
    const [a, b] = await Promise.all([act(sara, 'meeting.accept', data, 'sara-card'), act(sara, 'meeting.accept', data, 'sara-card')]);
    for (const answer of [a, b]) {
      assert.match(text(answer), /Bekräftat/);
      assert.doesNotMatch(text(answer), /redan ett möte då|ändrades samtidigt/, 'the second click is not told about a clash with itself');
    }
    const confirmations = (await tableRows(h, 'cases')).filter((r) => String(r.data).includes('"meetingConfirmed"'));
    assert.equal(confirmations.length, 1);
  });
});
