import assert from 'node:assert/strict';
import { executeActivity, type TeamsUser } from '../fixtures/activities';
import { concernForm, eva, personalConversation, sara } from '../fixtures/people';
import { seedWorld, slotSource, tableRows, writeTwoTeamRoster, type World } from '../helpers/accessWorld';
import { startHarness, type Harness } from '../helpers/botHarness';

/** One personnummer (Skatteverket's test person), written as people do; every free-text field must refuse each. */
const WRITINGS = [
  '121212-1212',
  '121212–1212', // en dash, as Word makes it
  '12 12 12 1212',
  '19121212-1212',
  '１２１２１２－１２１２', // fullwidth
  '1212\u200b12-12\u200b12', // zero-width spaces
  '121212.1212',
  '121272-1219', // samordningsnummer
];
/** What must never reach anyone or any table: the digits, however separated. */
const DIGITS = /1\W{0,3}2\W{0,3}1\W{0,3}2\W{0,3}1\W{0,3}2\W{0,3}1\W{0,3}2\W{0,3}1\W{0,3}2|1212721219|１２１２/;

describe('the personnummer guard on every free-text field (over HTTP)', function () {
  this.timeout(120_000);
  let h: Harness;
  let w: World;
  before(async () => {
    h = await startHarness({ env: { ROSTER_FILE: writeTwoTeamRoster() } });
    w = await seedWorld(h, slotSource());
  });
  after(async () => h?.stop());

  const fields = (): Array<{ field: string; who: TeamsUser; verb: string; data: (value: string) => Record<string, unknown>; says: RegExp }> => [
    { field: 'concern summary', who: eva, verb: 'concern.submit', data: (v) => concernForm({ summary: `Frånvaro, elev ${v}` }), says: /Det ser ut som ett personnummer/ },
    { field: 'concern school reference', who: eva, verb: 'concern.submit', data: (v) => concernForm({ schoolRef: v }), says: /Det ser ut som ett personnummer/ },
    { field: 'consent scope', who: eva, verb: 'concern.submit', data: (v) => concernForm({ consentScope: `Samverkan kring ${v}` }), says: /Det ser ut som ett personnummer/ },
    { field: 'relayed question', who: sara, verb: 'case.requestInfo', data: (v) => ({ caseCode: w.R.code, message: `Gäller det ${v}?` }), says: /ser ut att innehålla ett personnummer/ },
    { field: 'relayed answer', who: eva, verb: 'case.replyInfo', data: (v) => ({ caseCode: w.R.code, message: `Ja, ${v}` }), says: /ser ut att innehålla ett personnummer/ },
    { field: 'plan goal', who: sara, verb: 'plan.record', data: (v) => ({ caseCode: w.R.code, type: 'implementation', goals: `Närvaro för ${v}`, responsible: 'mentor – följer upp', reviewDate: '2027-01-20' }), says: /ser ut som ett personnummer/ },
    { field: 'plan responsibility', who: sara, verb: 'plan.record', data: (v) => ({ caseCode: w.R.code, type: 'implementation', goals: 'Närvaro', responsible: `mentor – ringer om ${v}`, reviewDate: '2027-01-20' }), says: /ser ut som ett personnummer/ },
    { field: 'plan responsible role', who: sara, verb: 'plan.record', data: (v) => ({ caseCode: w.R.code, type: 'implementation', goals: 'Närvaro', responsible: `${v} – följer upp`, reviewDate: '2027-01-20' }), says: /ser ut som ett personnummer/ },
    { field: 'declined meeting\'s reason', who: sara, verb: 'meeting.decline', data: (v) => ({ teamId: w.R.teamId, meetingId: w.R.meetingId, reason: `Gäller ${v}` }), says: /Skälet ser ut att innehålla ett personnummer/ },
  ];

  const everything = async () => {
    const rows: string[] = [];
    for (const t of ['cases', 'dueItems', 'accessLog']) for (const r of await tableRows(h, t)) rows.push(JSON.stringify(r));
    return rows.join('\n');
  };

  it('refuses each way of writing one in each field: says so, stores nothing of it, sends it to no one', async () => {
    const problems: string[] = [];
    const casesBefore = (await tableRows(h, 'cases')).length;
    for (const f of fields()) {
      for (const writing of WRITINGS) {
        h.connector.clear();
        const logsFrom = h.logs.length;
        const res = await h.post(executeActivity(f.who, h.connector.url, f.verb, f.data(writing)));
        const label = `${f.field} with ${JSON.stringify(writing)}`;
        if (res.status !== 200) problems.push(`${label}: HTTP ${res.status}`);
        if (!f.says.test(JSON.stringify(res.body))) problems.push(`${label}: ${JSON.stringify(res.body).replace(/\\"/g, '"').slice(0, 200)}`);
        const toOthers = h.connector.sent.filter((x) => x.conversationId !== personalConversation(f.who));
        if (toOthers.length > 0) problems.push(`${label}: ${toOthers.length} activities sent to others`);
        if (DIGITS.test(h.connector.everythingSent())) problems.push(`${label}: the number was sent`);
        if (DIGITS.test(h.logs.slice(logsFrom).join('\n'))) problems.push(`${label}: in the logs`);
      }
    }
    if (problems.length > 0) assert.fail(`${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    assert.equal((await tableRows(h, 'cases')).length, casesBefore, 'no row added');
    assert.doesNotMatch(await everything(), DIGITS);
  });

  it('lets ordinary text with dates, phone numbers and times through in the same fields', async () => {
    const ordinary = 'Ring 070-123 45 67 efter 2026-12-15 kl 10.30–11.00';
    const relayed = await h.post(executeActivity(sara, h.connector.url, 'case.requestInfo', { caseCode: w.R.code, message: ordinary }));
    assert.match(JSON.stringify(relayed.body), /Meddelandet är skickat|sparat i ärendet/);
    const plan = await h.post(executeActivity(sara, h.connector.url, 'plan.record', { caseCode: w.R.code, type: 'implementation', goals: `Närvaro ${ordinary}`, responsible: `mentor – ${ordinary}`, reviewDate: '2027-01-20' }));
    assert.match(JSON.stringify(plan.body), /Planen är sparad/);
    const concern = await h.post(executeActivity(eva, h.connector.url, 'concern.submit', concernForm({ summary: ordinary, consentScope: `Samverkan t.o.m. 2027-06-15, tel 08-123 456 78` })));
    assert.match(JSON.stringify(concern.body), /SST-2026-\d{4}/);
    const declined = await h.post(executeActivity(sara, h.connector.url, 'meeting.decline', { teamId: w.R.teamId, meetingId: w.R.meetingId, reason: 'Kan inte 2026-11-24, ring 070-123 45 67' }));
    assert.match(JSON.stringify(declined.body), /[Aa]vböj/);
  });
});
