import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executeActivity, installActivity, messageActivity, submitActivity } from '../fixtures/activities';
import { alva, concernForm, erik, eva, goran, olle, personalConversation, samir, sara } from '../fixtures/people';
import { startHarness, type Harness } from '../helpers/botHarness';

const SUMMARY_MARKER = 'MARKER-SUMMARY-7f3a';
const REF_MARKER = 'MARKER-REF-91c2';

/** The card an Action.Execute answered with (the invoke response body). */
const cardFrom = (res: { body: any }) => res.body?.value;
const text = (x: unknown) => JSON.stringify(x);
const cardsTo = (h: Harness, user: typeof eva) => h.connector.to(personalConversation(user)).map((s) => s.body.attachments?.[0]?.content).filter(Boolean);

describe('concern journey over HTTP', () => {
  let h: Harness;
  let dataDir: string;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sst-concern-'));
    h = await startHarness({ env: { DATA_DIR: dataDir }, now: '2026-11-23T09:00:00+01:00' });
    for (const user of [eva, erik, sara, samir, goran, alva]) await h.post(installActivity(user, h.connector.url));
    h.connector.clear();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && process.env.DEBUG_LOGS) console.log(h.logs.filter((l) => /"level":(40|50)/.test(l)).join(''));
    await h.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function raise(form: Record<string, string>) {
    const res = await h.post(executeActivity(eva, h.connector.url, 'concern.submit', form));
    assert.equal(res.status, 200);
    return cardFrom(res);
  }

  it('opens the concern form with the stable input ids and the orosanmälan action', async () => {
    await h.post(messageActivity(eva, h.connector.url, 'ny oro'));
    const card = h.connector.sent[0].body.attachments[0].content;
    const ids = JSON.stringify(card).match(/"id":"(\w+)"/g)!.map((m) => m.slice(6, -1));
    for (const id of ['school', 'grade', 'category', 'absenceValid', 'absenceInvalid', 'summary', 'consent', 'consentScope', 'consentExpires', 'schoolRef']) assert.ok(ids.includes(id), `input ${id}`);
    assert.match(text(card), /https:\/\/example\.org\/orosanmalan/);
    assert.match(text(card), /Anmälningsplikten är personlig och gäller omedelbart/);
  });

  it('raises a concern with consent: code, assignment, proactive card to the social worker, confirmation to EHT', async () => {
    const confirmation = await raise(concernForm({ summary: `Frånvaro ${SUMMARY_MARKER}`, schoolRef: REF_MARKER }));
    assert.match(text(confirmation), /SST-2026-0001/);
    assert.match(text(confirmation), /Sara Socionom/);

    const [assigned] = cardsTo(h, sara);
    assert.ok(assigned, 'Sara got a proactive card');
    const shown = text(assigned);
    for (const fact of ['SST-2026-0001', 'Rydskolan', 'Årskurs 7', 'Skolfrånvaro', '20–50 %', 'Ja']) assert.ok(shown.includes(fact), `card shows ${fact}`);
    assert.ok(shown.includes('case.accept'), 'accept action');
    assert.ok(shown.includes('case.requestInfo'), 'ask-for-information action');
    // The notification carries no narrative and no school reference.
    assert.doesNotMatch(shown, new RegExp(`${SUMMARY_MARKER}|${REF_MARKER}`));
  });

  it('raises an anonymous consultation without consent and stores no school reference', async () => {
    const confirmation = await raise(concernForm({ consent: 'no', consentScope: '', consentExpires: '', schoolRef: REF_MARKER }));
    assert.match(text(confirmation), /avidentifierad konsultation/i);
    const [assigned] = cardsTo(h, sara);
    assert.match(text(assigned), /Nej – avidentifierad konsultation/);
    // Eva, the school's EHT, opens the case: no school reference was kept.
    const view = cardFrom(await h.post(executeActivity(eva, h.connector.url, 'case.open', { caseCode: 'SST-2026-0001' })));
    assert.doesNotMatch(text(view), new RegExp(REF_MARKER));
    const stored: string[] = [];
    for await (const e of h.bot.store.table('cases').listEntities()) stored.push(JSON.stringify(e));
    assert.doesNotMatch(stored.join(''), new RegExp(REF_MARKER));
  });

  it('returns an invalid form filled in, with errors beside the fields, in the user\'s language', async () => {
    const bad = concernForm({ summary: 'Eleven 120304-1239 är borta', consentExpires: '2026-01-01', grade: '' });
    const card = await raise(bad);
    const shown = text(card);
    assert.match(shown, /Det ser ut som ett personnummer/);
    assert.match(shown, /Datumet måste ligga efter i dag/);
    assert.match(shown, /Fyll i det här fältet/);
    // what the user typed is still there
    assert.ok(shown.includes('Eleven 120304-1239 är borta'));
    assert.ok(shown.includes('PRN-1234'));
    assert.equal(cardsTo(h, sara).length, 0, 'nothing was sent to the social worker');
    const english = await h.post(executeActivity({ ...eva, locale: 'en-US' }, h.connector.url, 'concern.submit', bad));
    assert.match(text(cardFrom(english)), /looks like a personal identity number/);
  });

  it('lets the social worker accept; the EHT member is told; a second accept changes nothing', async () => {
    await raise(concernForm());
    const accepted = cardFrom(await h.post(executeActivity(sara, h.connector.url, 'case.accept', { caseCode: 'SST-2026-0001' })));
    assert.match(text(accepted), /Du har tagit emot SST-2026-0001/);
    assert.match(text(accepted), /Mottagen/);
    assert.ok(cardsTo(h, eva).some((c) => /har tagits emot av Sara Socionom/.test(text(c))));
    const rowsBefore: Record<string, string> = {};
    for await (const e of h.bot.store.table('cases').listEntities()) rowsBefore[String(e.rowKey)] = String(e.etag);
    const told = cardsTo(h, eva).length;
    // Another accept (another card, another day): nothing to change, so nothing is written or sent.
    const again = cardFrom(await h.post(executeActivity(sara, h.connector.url, 'case.accept', { caseCode: 'SST-2026-0001' })));
    assert.match(text(again), /var redan mottaget/);
    const rowsAfter: Record<string, string> = {};
    for await (const e of h.bot.store.table('cases').listEntities()) rowsAfter[String(e.rowKey)] = String(e.etag);
    assert.deepEqual(rowsAfter, rowsBefore, 'no row of the case written');
    assert.equal(cardsTo(h, eva).length, told, 'Eva is not told twice');
  });

  it('relays a question to the EHT member and the answer back', async () => {
    await raise(concernForm());
    await h.post(executeActivity(sara, h.connector.url, 'case.requestInfo', { caseCode: 'SST-2026-0001', message: 'Hur ser frånvaron ut på fredagar?' }));
    const question = cardsTo(h, eva).find((c) => /frågar om SST-2026-0001/.test(text(c)));
    assert.ok(question, 'Eva got the question');
    assert.match(text(question), /Hur ser frånvaron ut på fredagar\?/);
    await h.post(executeActivity(eva, h.connector.url, 'case.replyInfo', { caseCode: 'SST-2026-0001', message: 'Fredagar är bättre.' }));
    const answer = cardsTo(h, sara).find((c) => /svarar om SST-2026-0001/.test(text(c)));
    assert.ok(answer, 'Sara got the answer');
    assert.match(text(answer), /Fredagar är bättre\./);
  });

  it('shows "my cases" by need to know; another school and an unregistered user see nothing', async () => {
    await raise(concernForm({ summary: `Frånvaro ${SUMMARY_MARKER}`, schoolRef: REF_MARKER }));
    h.connector.clear();
    for (const user of [eva, sara, goran, erik, samir, olle]) await h.post(messageActivity(user, h.connector.url, 'mina ärenden'));
    const list = (u: typeof eva) => text(cardsTo(h, u));
    assert.match(list(eva), /SST-2026-0001/);
    assert.match(list(sara), /SST-2026-0001/);
    assert.match(list(goran), /SST-2026-0001/);
    assert.doesNotMatch(list(erik), /SST-2026-0001/);
    assert.doesNotMatch(list(samir), /SST-2026-0001/);
    const olleSaw = text(h.connector.to(personalConversation(olle)));
    assert.match(olleSaw, /finns inte i skolsociala teamets register/);
    assert.match(olleSaw, /Alva Admin/);
    assert.doesNotMatch(olleSaw, /SST-2026/);

    // Opening the case: school reference only for the school's EHT; others are refused.
    const forEva = text(cardFrom(await h.post(executeActivity(eva, h.connector.url, 'case.open', { caseCode: 'SST-2026-0001' }))));
    const forSara = text(cardFrom(await h.post(executeActivity(sara, h.connector.url, 'case.open', { caseCode: 'SST-2026-0001' }))));
    const forErik = text(cardFrom(await h.post(executeActivity(erik, h.connector.url, 'case.open', { caseCode: 'SST-2026-0001' }))));
    const forOlle = text(cardFrom(await h.post(executeActivity(olle, h.connector.url, 'case.open', { caseCode: 'SST-2026-0001' }))));
    assert.ok(forEva.includes(REF_MARKER) && forEva.includes(SUMMARY_MARKER));
    assert.ok(forSara.includes(SUMMARY_MARKER) && !forSara.includes(REF_MARKER));
    assert.match(forErik, /inte behörighet/);
    assert.doesNotMatch(forErik + forOlle, new RegExp(`${SUMMARY_MARKER}|${REF_MARKER}|Rydskolan`));
  });

  it('refuses tampered card data (another case, another school) and logs it', async () => {
    await raise(concernForm());
    const erikAccepts = cardFrom(await h.post(executeActivity(erik, h.connector.url, 'case.accept', { caseCode: 'SST-2026-0001' })));
    assert.match(text(erikAccepts), /inte behörighet/);
    const samirCloses = cardFrom(await h.post(executeActivity(samir, h.connector.url, 'case.close', { caseCode: 'SST-2026-0001', outcome: 'other', sameSchool: 'yes', absenceValid: '4', absenceInvalid: '2' })));
    assert.match(text(samirCloses), /inte behörighet/);
    const erikRaisesForRyd = cardFrom(await h.post(executeActivity(erik, h.connector.url, 'concern.submit', concernForm({ school: 'ryd' }))));
    assert.match(text(erikRaisesForRyd), /bara lyfta en oro för dina egna skolor/);
    const denied: any[] = [];
    for await (const e of h.bot.store.table('accessLog').listEntities()) if (e.allowed === false) denied.push(e);
    assert.ok(denied.some((e) => e.actorId === 'eht-2' && e.action === 'accept' && e.caseCode === 'SST-2026-0001'));
    assert.ok(denied.some((e) => e.actorId === 'sw-2' && e.action === 'close'));
    assert.ok(denied.some((e) => e.actorId === 'eht-2' && e.action === 'raise' && e.schoolId === 'ryd'));
  });

  it('writes an access-log entry for every read and change of a case', async () => {
    await raise(concernForm());
    await h.post(executeActivity(sara, h.connector.url, 'case.open', { caseCode: 'SST-2026-0001' }));
    await h.post(executeActivity(sara, h.connector.url, 'case.accept', { caseCode: 'SST-2026-0001' }));
    await h.post(messageActivity(goran, h.connector.url, 'mina ärenden'));
    const entries: any[] = [];
    for await (const e of h.bot.store.table('accessLog').listEntities()) entries.push(e);
    const actions = entries.map((e) => `${e.actorId}:${e.action}:${e.allowed}`);
    for (const expected of ['eht-1:raise:true', 'sw-1:view:true', 'sw-1:accept:true', 'gl-1:list:true']) assert.ok(actions.includes(expected), `${expected} in ${actions.join(', ')}`);
  });

  it('gives unique codes to concurrent concerns', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => raise(concernForm())));
    const codes = results.map((card) => /SST-2026-\d{4}/.exec(text(card))?.[0]);
    assert.equal(new Set(codes).size, 8, codes.join(','));
  });

  it('keeps cases across a restart of the bot', async () => {
    await raise(concernForm());
    await h.restart();
    h.connector.clear();
    await h.post(messageActivity(sara, h.connector.url, 'mina ärenden'));
    assert.match(text(cardsTo(h, sara)), /SST-2026-0001/);
  });

  it('closes a case with an outcome', async () => {
    await raise(concernForm());
    await h.post(executeActivity(sara, h.connector.url, 'case.accept', { caseCode: 'SST-2026-0001' }));
    const closed = cardFrom(await h.post(executeActivity(sara, h.connector.url, 'case.close', { caseCode: 'SST-2026-0001', outcome: 'attendanceImproved', sameSchool: 'yes', absenceValid: '4', absenceInvalid: '2' })));
    assert.match(text(closed), /SST-2026-0001 är avslutat/);
    assert.match(text(closed), /Närvaron har förbättrats/);
  });

  it('lets an admin reassign a school and tells its EHT members the new contact', async () => {
    const res = cardFrom(await h.post(executeActivity(alva, h.connector.url, 'admin.assignSchool', { schoolId: 'ryd', socialWorkerId: 'sw-2', backupSocialWorkerId: 'sw-1' })));
    assert.match(text(res), /Rydskolan har nu Samir Socionom/);
    assert.ok(cardsTo(h, eva).some((c) => /Samir Socionom/.test(text(c)) && /Ny kontaktperson för Rydskolan/.test(text(c))));
    await raise(concernForm());
    assert.ok(cardsTo(h, samir).some((c) => /SST-2026-0001/.test(text(c))), 'new concern goes to the new social worker');
    const notAdmin = cardFrom(await h.post(executeActivity(eva, h.connector.url, 'admin.assignSchool', { schoolId: 'ryd', socialWorkerId: 'sw-1' })));
    assert.match(text(notAdmin), /Bara systemförvaltare/);
  });

  it('works through the Action.Submit fallback too', async () => {
    await h.post(submitActivity(eva, h.connector.url, { ...concernForm(), verb: 'concern.submit' }));
    assert.ok(cardsTo(h, sara).some((c) => /SST-2026-0001/.test(text(c))));
  });

  it('never lets planted markers reach anyone but the allowed readers, nor the logs', async () => {
    await raise(concernForm({ summary: `Frånvaro ${SUMMARY_MARKER}`, schoolRef: REF_MARKER }));
    await h.post(executeActivity(sara, h.connector.url, 'case.accept', { caseCode: 'SST-2026-0001' }));
    for (const user of [eva, sara, goran, erik, samir, olle, alva]) {
      await h.post(messageActivity(user, h.connector.url, 'mina ärenden'));
      await h.post(executeActivity(user, h.connector.url, 'case.open', { caseCode: 'SST-2026-0001' }));
    }
    const proactive = h.connector.sent.map((s) => JSON.stringify(s.body)).join('\n');
    // Proactive sends and list cards never carry them; only the opened case (an invoke response) does.
    assert.doesNotMatch(proactive, new RegExp(`${SUMMARY_MARKER}|${REF_MARKER}`));
    assert.doesNotMatch(h.logs.join('\n'), new RegExp(`${SUMMARY_MARKER}|${REF_MARKER}`));
  });

  it('gives one case for the same form submitted twice (double click) and for a redelivered activity', async () => {
    const formId = '3f2a9c1e-0000-4000-8000-000000000001';
    const first = await raise({ ...concernForm(), formId });
    const second = await raise({ ...concernForm(), formId });
    assert.match(text(first), /SST-2026-0001/);
    assert.match(text(second), /SST-2026-0001/);
    const redelivered = executeActivity(sara, h.connector.url, 'case.requestInfo', { caseCode: 'SST-2026-0001', message: 'En fråga' });
    await h.post(redelivered);
    const again = await h.post(redelivered);
    assert.equal(again.status, 200);
    // Answered as the first was: the case, with the message saved once.
    assert.match(text(again.body), /Meddelandet är sparat i ärendet och går till Eva Kurator/);
    const questions = cardsTo(h, eva).filter((c) => /frågar om SST-2026-0001/.test(text(c)));
    assert.equal(questions.length, 1, 'relayed once');
    const rows: string[] = [];
    for await (const e of h.bot.store.table('cases').listEntities()) rows.push(String(e.rowKey));
    assert.equal(rows.filter((r) => r.startsWith('c|')).length, 1, 'one case stored');
    assert.equal(cardsTo(h, sara).filter((c) => /Ny oro från skolan/.test(text(c))).length, 1, 'social worker told once');
  });
});
