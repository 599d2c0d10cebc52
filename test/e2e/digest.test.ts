import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { executeActivity, installActivity, messageActivity, type TeamsUser } from '../fixtures/activities';
import { alva, concernForm, eva, goran, personalConversation, sara } from '../fixtures/people';
import { gunilla, tableRows, writeTwoTeamRoster } from '../helpers/accessWorld';
import { startHarness, type Harness } from '../helpers/botHarness';
import { turns } from '../helpers/turns';

const text = (x: unknown) => JSON.stringify(x);
const utc = (local: string) => new Date(local).toISOString();
const WED_10 = utc('2026-11-25T10:00:00+01:00');

/** The digest's lines: each case code with the verb its line opens, and its "Påminn" data if it has one. */
function digestLines(card: any): Array<{ text: string; opens?: string; nudge?: Record<string, any> }> {
  const lines: Array<{ text: string; opens?: string; nudge?: Record<string, any> }> = [];
  for (const e of card.body) {
    if (e.type !== 'ColumnSet') continue;
    const [main, side] = e.columns;
    lines.push({
      text: main.items[0].text,
      opens: main.selectAction?.verb === 'case.open' ? main.selectAction.data.caseCode : undefined,
      nudge: side?.items[0].actions[0].data,
    });
  }
  return lines;
}

describe('an actionable digest (HTTP)', function () {
  this.timeout(60_000);
  let h: Harness;
  let rosterFile: string;

  beforeEach(async () => {
    rosterFile = writeTwoTeamRoster();
    h = await startHarness({ now: '2026-11-23T09:00:00+01:00', env: { ROSTER_FILE: rosterFile } });
    for (const user of [eva, sara, goran, gunilla, alva]) await h.post(installActivity(user, h.connector.url));
    h.connector.clear();
  });
  afterEach(async () => {
    await h.stop();
    rmSync(dirname(rosterFile), { recursive: true, force: true });
  });

  const { act, say } = turns(() => h);
  const cardsTo = (who: TeamsUser, from: number) => h.connector.sent.slice(from).filter((s) => s.conversationId === personalConversation(who) && s.method === 'POST');

  it('each case opens with one click, counts appear once, "i dag" instead of "0 dagar"; Påminn reaches whoever it waits for, once a day', async () => {
    const code = /SST-2026-\d{4}/.exec(text(await act(eva, 'concern.submit', concernForm())))![0];
    const digest = await say(goran, 'sammanfattning');
    assert.equal(text(digest).split('Nya, ej mottagna').length - 1, 1, 'each count once');
    assert.doesNotMatch(text(digest), /0 dagar/);
    const [line] = digestLines(digest);
    assert.equal(line.text, `${code} · hos Sara Socionom · väntar sedan i dag`);
    assert.equal(line.opens, code, 'one click opens the case');
    assert.deepEqual({ about: line.nudge?.about, caseCode: line.nudge?.caseCode }, { about: 'accept', caseCode: code });
    assert.match(text(await act(goran, 'case.open', { caseCode: code })), new RegExp(`Ärende ${code}`));

    // Påminn: Sara gets a card with the button that does it; the case shows it; it is logged.
    const from = h.connector.sent.length;
    const nudged = await act(goran, 'digest.nudge', line.nudge!);
    assert.match(text(nudged), new RegExp(`Påminnelsen om ${code} är sparad och går till Sara Socionom`));
    assert.match(text(nudged), /Dagens läge i teamet/, 'the answer is the digest again');
    const toSara = cardsTo(sara, from);
    assert.equal(toSara.length, 1);
    assert.match(text(toSara[0].body), new RegExp(`Göran Gruppledare påminner om ${code}`));
    assert.match(text(toSara[0].body), /"verb":"case.accept"/);
    assert.match(text(await act(goran, 'case.open', { caseCode: code })), /Påminnelse från gruppledaren/);
    assert.ok((await tableRows(h, 'accessLog')).some((e) => e.actorId === 'gl-1' && e.action === 'nudge' && e.caseCode === code && e.allowed === true));

    // Once a day: another press, even from another copy of the digest, changes nothing and says so.
    const again = await act(goran, 'digest.nudge', { ...line.nudge!, cardId: '2e8c0000-0000-4000-8000-000000000002' }, 'another-digest');
    assert.match(text(again), new RegExp(`Du har redan påmint Sara Socionom om ${code} i dag`));
    assert.equal(cardsTo(sara, from).length, 1, 'Sara got one reminder');
    // The next day it can be sent again.
    h.clock.set('2026-11-24T09:00:00+01:00');
    const tomorrow = await say(goran, 'sammanfattning');
    assert.equal(digestLines(tomorrow)[0].text, `${code} · hos Sara Socionom · väntar i 1 dag`);
    assert.match(text(await act(goran, 'digest.nudge', digestLines(tomorrow)[0].nudge!)), /är sparad och går till Sara Socionom/);
    assert.equal(cardsTo(sara, from).length, 2);

    // Once Sara has accepted, an old digest's Påminn says it no longer waits, and sends nothing.
    await act(sara, 'case.accept', { caseCode: code });
    h.clock.set('2026-11-25T09:00:00+01:00');
    const late = h.connector.sent.length;
    assert.match(text(await act(goran, 'digest.nudge', { ...line.nudge!, cardId: '2e8c0000-0000-4000-8000-000000000003' })), /väntar inte längre på någon/);
    assert.equal(cardsTo(sara, late).length, 0);
  });

  it('a meeting request waiting is nudged to the party it awaits; an overdue review to its owner', async () => {
    const code = /SST-2026-\d{4}/.exec(text(await act(eva, 'concern.submit', concernForm())))![0];
    await act(sara, 'case.accept', { caseCode: code });
    const card = await act(eva, 'meeting.request', { caseCode: code, type: 'startup', minutes: '60', place: 'school', guardians: 'false', slots: WED_10 });
    const ids = { teamId: card.refresh.action.data.teamId, meetingId: card.refresh.action.data.meetingId };
    await act(sara, 'meeting.counter', { ...ids, ownDate: '2026-11-26', ownTime: '10:00' });
    await act(sara, 'plan.record', { caseCode: code, type: 'implementation', goals: 'Närvaro', resp1Who: 'role:mentor', resp1What: 'följer upp', reviewDate: '2026-11-24' });
    h.clock.set('2026-11-26T09:00:00+01:00');
    const lines = digestLines(await say(goran, 'sammanfattning'));
    const meetingLine = lines.find((l) => l.nudge?.about === 'meeting')!;
    assert.match(meetingLine.text, new RegExp(`${code} · väntar på svar från Eva Kurator i 3 dagar`));
    const reviewLine = lines.find((l) => l.nudge?.about === 'review')!;
    assert.ok(reviewLine, 'an overdue review has its Påminn');
    const from = h.connector.sent.length;
    await act(goran, 'digest.nudge', meetingLine.nudge!);
    await act(goran, 'digest.nudge', reviewLine.nudge!);
    assert.match(text(cardsTo(eva, from)), /En mötesförfrågan i SST-2026-0001 väntar på ditt svar/);
    assert.match(text(cardsTo(eva, from)), /"verb":"meeting.open"/);
    assert.match(text(cardsTo(sara, from)), /Uppföljningen av planen i SST-2026-0001 skulle ha gjorts 2026-11-24/);
  });

  it('whom a nudge reaches comes from the stored case, never from the card: a meeting of another case nudges nobody', async () => {
    const first = /SST-2026-\d{4}/.exec(text(await act(eva, 'concern.submit', concernForm())))![0];
    const second = /SST-2026-\d{4}/.exec(text(await act(eva, 'concern.submit', concernForm({ summary: 'Annan' }))))![0];
    const card = await act(eva, 'meeting.request', { caseCode: second, type: 'startup', minutes: '60', place: 'school', guardians: 'false', slots: WED_10 });
    const from = h.connector.sent.length;
    const tampered = await act(goran, 'digest.nudge', { about: 'meeting', caseCode: first, meetingId: card.refresh.action.data.meetingId });
    assert.match(text(tampered), new RegExp(`${first} väntar inte längre på någon`));
    assert.equal(h.connector.sent.slice(from).filter((s) => s.conversationId !== personalConversation(goran)).length, 0, 'nobody was reminded');
    assert.match(text(await act(goran, 'digest.nudge', { about: 'review', caseCode: first, planId: 'ffffffffffff' })), /väntar inte längre på någon/);
  });

  it('the group leader\'s digest carries two charts, caseload per social worker and reviews per week, with their figures as text; a social worker gets no digest', async () => {
    const code = /SST-2026-\d{4}/.exec(text(await act(eva, 'concern.submit', concernForm())))![0];
    await act(sara, 'case.accept', { caseCode: code });
    await act(sara, 'plan.record', { caseCode: code, type: 'implementation', goals: 'Närvaro', resp1Who: 'role:mentor', resp1What: 'följer upp', reviewDate: '2026-12-02' });
    const digest = await say(goran, 'sammanfattning');
    assert.equal(digest.version, '1.5');
    const charts = digest.body.filter((e: any) => String(e.type).startsWith('Chart.'));
    assert.deepEqual(charts.map((c: any) => c.type), ['Chart.HorizontalBar', 'Chart.VerticalBar']);
    const [caseload, reviews] = charts;
    assert.ok(caseload.data.some((p: any) => p.x === 'Sara Socionom' && p.y === 1), text(caseload.data));
    assert.ok(caseload.data.some((p: any) => p.x === 'Samir Socionom' && p.y === 0), 'every social worker of the team, also with none');
    assert.ok(caseload.fallback.facts.some((f: any) => f.title === 'Sara Socionom' && f.value === '1'));
    // Mon 2026-11-23 is week 48; the review on Wed 2026-12-02 is in week 49.
    assert.deepEqual(reviews.data, [{ x: 'v. 48', y: 0 }, { x: 'v. 49', y: 1 }, { x: 'v. 50', y: 0 }, { x: 'v. 51', y: 0 }, { x: 'v. 52', y: 0 }, { x: 'v. 53', y: 0 }]);
    assert.deepEqual(reviews.fallback.facts.slice(0, 2), [{ title: 'v. 48', value: '0' }, { title: 'v. 49', value: '1' }]);
    assert.doesNotMatch(text(charts), /SST-\d{4}-\d{4}/, 'no case code in a chart');
    const from = h.connector.sent.length;
    await say(sara, 'sammanfattning');
    const toSara = text(cardsTo(sara, from).map((s) => s.body));
    assert.match(toSara, /Sammanfattningen är till för gruppledare/);
    assert.doesNotMatch(toSara, /Chart\.|Samir Socionom/);
  });

  it('only the team\'s group leader can nudge: others are refused, and every refusal is logged', async () => {
    const code = /SST-2026-\d{4}/.exec(text(await act(eva, 'concern.submit', concernForm())))![0];
    const from = h.connector.sent.length;
    assert.match(text(await act(sara, 'digest.nudge', { about: 'accept', caseCode: code })), /Sammanfattningen är till för gruppledare/);
    assert.match(text(await act(gunilla, 'digest.nudge', { about: 'accept', caseCode: code })), /Ärendet finns inte, eller så har du inte behörighet/);
    assert.equal(h.connector.sent.slice(from).filter((s) => s.conversationId !== personalConversation(sara) && s.conversationId !== personalConversation(gunilla)).length, 0, 'nobody was reminded');
    const refusals = (await tableRows(h, 'accessLog')).filter((e) => e.allowed === false);
    assert.ok(refusals.some((e) => e.actorId === 'sw-1' && e.via === 'card:digest.nudge'));
    assert.ok(refusals.some((e) => e.actorId === 'gl-2' && e.action === 'nudge' && e.caseCode === code));
    assert.doesNotMatch(text((await tableRows(h, 'cases')).filter((r) => r.type === 'event')), /"nudged"/);
  });
});

describe('exports open in a Swedish Excel (HTTP download links)', function () {
  this.timeout(60_000);
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: '2026-11-23T09:00:00+01:00' });
    for (const user of [eva, sara, goran, alva]) await h.post(installActivity(user, h.connector.url));
  });
  afterEach(async () => h.stop());

  const link = (card: unknown) => text(card).match(/http:\/\/127\.0\.0\.1:\d+\/api\/downloads\/[0-9a-f]{32}\.csv/)![0];
  const download = async (url: string) => {
    const res = await fetch(url);
    assert.equal(res.status, 200);
    const body = Buffer.from(await res.arrayBuffer()).toString('utf8');
    assert.ok(body.startsWith('\uFEFF'), 'a BOM: Excel reads UTF-8');
    assert.ok(body.includes('\r\n'), 'CRLF');
    return parse(body.slice(1), { delimiter: ';' }) as string[][];
  };

  it('the access log: semicolons, Stockholm local time, Swedish words for every code', async () => {
    await h.post(executeActivity(eva, h.connector.url, 'concern.submit', concernForm()));
    await h.post(messageActivity(sara, h.connector.url, 'att göra'));
    const card = (await h.post(executeActivity(alva, h.connector.url, 'audit.export', { from: '2026-11-01', to: '2026-11-30' }))).body.value;
    const [header, ...rows] = await download(link(card));
    assert.deepEqual(header, ['tid (svensk tid)', 'vem', 'person-id', 'åtgärd', 'ärende', 'skola', 'tillåten', 'varifrån', 'kod']);
    const raised = rows.find((r) => r[3] === 'lyfte en oro')!;
    assert.deepEqual(raised.slice(0, 8), ['2026-11-23 09:00:00', 'Eva Kurator', 'eht-1', 'lyfte en oro', 'SST-2026-0001', 'Rydskolan', 'ja', 'kortet: Skicka oro till skolsociala teamet']);
    assert.ok(rows.some((r) => r[1] === 'Sara Socionom' && r[3] === 'såg ärendet i en lista' && r[7] === 'kommandot att göra'));
    for (const r of rows) assert.ok(!/^(view|list|raise|accept)$/.test(r[3]), `a raw action: ${r[3]}`);
  });

  it('the yearly report: semicolons, Swedish categories and outcomes', async () => {
    for (let i = 0; i < 5; i++) await h.post(executeActivity(eva, h.connector.url, 'concern.submit', concernForm({ summary: `Oro ${i}` })));
    const card = (await h.post(messageActivity(goran, h.connector.url, 'rapport'))).body;
    const reportCard = h.connector.sent.filter((s) => s.conversationId === personalConversation(goran)).pop()!.body.attachments[0].content;
    assert.equal(card, undefined);
    const rows = await download(link(reportCard));
    assert.deepEqual(rows[0].filter(Boolean), ['period', 'mått', 'värde']);
    assert.deepEqual(rows.find((r) => r[1] === 'förfrågningar')!.slice(0, 3), ['2026', 'förfrågningar', '5']);
    assert.ok(rows.some((r) => r[1] === 'utfall: Närvaron har förbättrats'));
    const header = rows.find((r) => r[1] === 'skola')!;
    assert.deepEqual(header.slice(0, 3), ['period', 'skola', 'förfrågningar: Skolfrånvaro']);
    assert.deepEqual(rows.find((r) => r[1] === 'Rydskolan')!.slice(0, 3), ['2026', 'Rydskolan', '5']);
  });
});
