import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { executeActivity, installActivity, type TeamsUser } from '../fixtures/activities';
import { concernForm, eva, goran, maja, sara } from '../fixtures/people';
import { findAction, writeTwoTeamRoster } from '../helpers/accessWorld';
import { startHarness, type Harness } from '../helpers/botHarness';
import { turns } from '../helpers/turns';

const text = (x: unknown) => JSON.stringify(x) ?? '';
const MARKER = 'MARKER-REPORT-SUMMARY-51c7';

/** The chooser's inputs as the card has them. */
function chooser(card: any): { preset?: string; from?: string; to?: string } {
  const inputs: Record<string, string> = {};
  const walk = (n: any): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    if (typeof n.type === 'string' && n.type.startsWith('Input.')) inputs[n.id] = n.value;
    Object.values(n).forEach(walk);
  };
  walk(card.body);
  return { preset: inputs.preset, from: inputs.from, to: inputs.to };
}
const showData = (card: any) => card.actions.find((a: any) => a.verb === 'report.show').data;

describe('the follow-up report over HTTP: any period, the manager role, a rejected period comes back as typed', function () {
  this.timeout(60_000);
  let h: Harness;
  let rosterFile: string;

  before(async () => {
    rosterFile = writeTwoTeamRoster();
    h = await startHarness({ now: '2026-11-23T09:00:00+01:00', env: { ROSTER_FILE: rosterFile } });
    for (const user of [eva, goran, maja]) await h.post(installActivity(user, h.connector.url));
    for (let i = 0; i < 6; i++) await h.post(executeActivity(eva, h.connector.url, 'concern.submit', concernForm({ summary: `${MARKER} ${i}` })));
  });
  after(async () => {
    await h.stop();
    rmSync(dirname(rosterFile), { recursive: true, force: true });
  });

  const { act: press, say } = turns(() => h);
  const act = (who: TeamsUser, data: Record<string, unknown>) => press(who, 'report.show', data);

  it('gives a manager (chef, styrgrupp) every team\'s figures, and never a case', async () => {
    const card = await say(maja, 'rapport');
    assert.match(text(card), /Uppföljning 2026: alla team/);
    for (const school of ['Rydskolan', 'Bergaskolan', 'Ekskolan']) assert.match(text(card), new RegExp(`"text":"${school}"`), `${school} has its row`);
    assert.match(text(card), /"title":"Förfrågningar","value":"6"/);
    assert.doesNotMatch(text(card), /SST-2026-\d{4}/);
    assert.ok(!text(card).includes(MARKER));
    const csv = await (await fetch(card.actions.find((a: any) => a.type === 'Action.OpenUrl').url)).text();
    assert.match(csv, /Ekskolan/);
    assert.ok(!csv.includes(MARKER) && !/SST-2026/.test(csv));
    const help = text(await say(maja, 'hjälp'));
    assert.match(help, /rapport/);
    assert.doesNotMatch(help, /ny oro|mina ärenden|sammanfattning|planer|boka möte|tilldela skola|åtkomstlogg/, 'a manager is offered the report only');
    const refused = await (await h.post(executeActivity(maja, h.connector.url, 'case.open', { caseCode: 'SST-2026-0001' }))).body?.value;
    assert.match(text(refused), /Ärendet finns inte, eller så har du inte behörighet till det/);
    assert.ok(!text(refused).includes(MARKER));
  });

  it('shows this or last term, and the group leader\'s own team only', async () => {
    const card = await act(goran, { preset: 'lastTerm' });
    assert.match(text(card), /Uppföljning VT 2026: Skolsocialt team Väst/);
    assert.match(text(card), /2026-01-08 – 2026-06-10/);
    assert.doesNotMatch(text(card), /Ekskolan/, 'another team\'s school');
    assert.deepEqual(chooser(card), { preset: 'lastTerm', from: '2026-01-08', to: '2026-06-10' });
    assert.match(text(await act(goran, { preset: 'term' })), /Uppföljning HT 2026: .*"title":"Förfrågningar","value":"6"/);
  });

  it('takes changed dates as a from–to even when the period was left as shown', async () => {
    const card = await act(goran, { preset: 'year', shownPreset: 'year', shownFrom: '2026-01-01', shownTo: '2026-12-31', from: '2026-11-01', to: '2026-11-30' });
    assert.match(text(card), /Uppföljning 2026-11-01 – 2026-11-30/);
    assert.deepEqual(chooser(card), { preset: 'custom', from: '2026-11-01', to: '2026-11-30' });
    assert.deepEqual(showData(card), { shownPreset: 'custom', shownFrom: '2026-11-01', shownTo: '2026-11-30', verb: 'report.show', cardId: showData(card).cardId, lang: 'sv' });
    // The same dates with another period chosen: the chosen period.
    assert.match(text(await act(goran, { preset: 'lastYear', shownPreset: 'year', shownFrom: '2026-01-01', shownTo: '2026-12-31', from: '2026-11-01', to: '2026-11-30' })), /Uppföljning 2025: /);
  });

  it('brings a rejected from–to back as typed, with what is wrong, in the person\'s language', async () => {
    const card = await act(goran, { preset: 'custom', from: '2026-05-01', to: '2026-03-01' });
    assert.match(text(card), /Fråndatumet ligger efter tilldatumet/);
    assert.deepEqual(chooser(card), { preset: 'custom', from: '2026-05-01', to: '2026-03-01' });
    const long = await act(goran, { preset: 'custom', from: '2020-01-01', to: '2026-03-01' });
    assert.match(text(long), /Perioden kan vara högst 3 år/);
    const english = (await h.post({ ...executeActivity({ ...goran, locale: 'en-GB' }, h.connector.url, 'report.show', { preset: 'custom', from: 'igår', to: '' }) })).body?.value;
    assert.match(text(english), /Give both a start and an end date/);
    assert.deepEqual(chooser(english), { preset: 'custom', from: 'igår', to: '' });
  });
});

describe('the report counts what was recorded through the bot: absence at intake, review and closing, goals, same school (HTTP)', function () {
  this.timeout(90_000);
  let h: Harness;
  before(async () => {
    h = await startHarness({ now: '2026-11-23T09:00:00+01:00' });
    for (const user of [eva, sara, goran]) await h.post(installActivity(user, h.connector.url));
  });
  after(async () => h?.stop());
  const { act } = turns(() => h);

  it('five requests followed from intake to closing give the figures a styrgrupp reads', async () => {
    for (let i = 0; i < 5; i++) {
      h.clock.set('2026-11-23T09:00:00+01:00');
      const raised = await act(eva, 'concern.submit', concernForm({ summary: `${MARKER} journey ${i}`, absenceValid: '12', absenceInvalid: '18' }));
      const code = /SST-2026-\d{4}/.exec(text(raised))![0];
      await act(sara, 'case.accept', { caseCode: code });
      const plans = await act(sara, 'plan.record', { caseCode: code, type: 'implementation', goals: 'Närvaro över 80 %\nTrygg skolstart', resp1Who: 'role:mentor', resp1What: 'följer upp närvaron', reviewDate: '2026-12-10' });
      const review = findAction(plans, 'plan.review');
      assert.ok(review, text(plans).slice(0, 300));
      h.clock.set('2026-12-10T10:00:00+01:00');
      const reviewed = await act(sara, 'plan.review', { ...review.data, outcome: 'ended', absenceValid: '8', absenceInvalid: '10', goal1: 'partly', goal2: 'reached' });
      assert.match(text(reviewed), /Uppföljningen är registrerad/);
      h.clock.set('2026-12-14T10:00:00+01:00');
      const closed = await act(sara, 'case.close', { caseCode: code, outcome: 'attendanceImproved', sameSchool: 'yes', absenceValid: '3', absenceInvalid: '1' });
      assert.match(text(closed), new RegExp(`${code} är avslutat`));
    }
    const report = await act(goran, 'report.show', { preset: 'year' });
    const facts = new Map<string, string>();
    const walk = (n: any): void => {
      if (Array.isArray(n)) return n.forEach(walk);
      if (!n || typeof n !== 'object') return;
      if (n.type === 'FactSet') for (const f of n.facts) if (!facts.has(f.title)) facts.set(f.title, f.value);
      if (n.type !== 'FactSet') Object.values(n).forEach(walk);
    };
    walk(report.body);
    assert.equal(facts.get('Förfrågningar'), '5');
    assert.equal(facts.get('Planer upprättade'), '5');
    assert.equal(facts.get('Uppföljningar i tid / sena'), '5 / 0');
    assert.equal(facts.get('Ärenden med värde före och efter'), '5');
    assert.equal(facts.get('Förändring, median'), '−26 procentenheter', 'intake 12 + 18, closing 3 + 1');
    assert.equal(facts.get('Minskat minst 5 procentenheter'), '5 (100 %)');
    assert.equal(facts.get('Före (median)'), 'giltig 12 %, ogiltig 18 %');
    assert.equal(facts.get('Efter (median)'), 'giltig 3 %, ogiltig 1 %');
    assert.equal(facts.get('Går kvar på samma skola vid avslut'), '5 / 5 (100 %)');
    assert.equal(facts.get('Delvis uppnått'), '5');
    assert.equal(facts.get('Uppnått'), '5');
    assert.equal(facts.get('Närvaron har förbättrats'), '5');
    assert.ok(!text(report).includes(MARKER));
  });
});
