import assert from 'node:assert/strict';
import { OUTCOMES } from '../../src/domain/concern';
import { buildYearReport, publishYearReport, reportPeriod, type ReportRow, type YearReport } from '../../src/domain/report';
import type { Case } from '../../src/domain/concern';
import { yearReportCsv } from '../../src/services/report';
import { auditCsv } from '../../src/services/auditExport';
import type { Roster } from '../../src/domain/roster';
import { parse } from 'csv-parse/sync';
import { swedishExportLabels } from '../../src/bot/exportLabels';

const labels = swedishExportLabels();
/** Parses an export as Swedish Excel reads it: a BOM, then semicolon-separated lines. */
const parseExport = (csv: string): string[][] => {
  assert.ok(csv.startsWith('\uFEFF'), 'a BOM, so Excel reads UTF-8');
  return parse(csv.slice(1), { delimiter: ';' });
};

const outcomes = (n = 0) => Object.fromEntries(OUTCOMES.map((o) => [o, n])) as ReportRow['outcomes'];
const row = (schoolId: string, requests: number, extra: Partial<ReportRow> = {}): ReportRow => ({
  schoolId, category: 'absence', requests, consultations: 0, consultationsConverted: 0, meetingsHeld: 0, plans: 0, reviewsOnTime: 0, reviewsLate: 0, medianBasis: 0, outcomes: outcomes(), ...extra,
});
function report(rows: ReportRow[], totalsExtra: Partial<ReportRow> = {}): YearReport {
  const sum = (k: 'requests' | 'consultations' | 'consultationsConverted' | 'meetingsHeld' | 'plans' | 'reviewsOnTime' | 'reviewsLate') => rows.reduce((a, r) => a + r[k], 0);
  return {
    year: 2026,
    rows,
    totals: {
      requests: sum('requests'), consultations: sum('consultations'), consultationsConverted: sum('consultationsConverted'), meetingsHeld: sum('meetingsHeld'), plans: sum('plans'), reviewsOnTime: sum('reviewsOnTime'), reviewsLate: sum('reviewsLate'),
      medianBasis: rows.reduce((a, r) => a + r.medianBasis, 0),
      outcomes: Object.fromEntries(OUTCOMES.map((o) => [o, rows.reduce((a, r) => a + r.outcomes[o], 0)])) as ReportRow['outcomes'],
      ...totalsExtra,
    },
  };
}

describe('yearly report: small cells suppressed in everything shown or exported', () => {
  it('shows 0 and 5 or more as they are, 1–4 as "<5", in every count and outcome', () => {
    const p = publishYearReport(report([row('a', 0), row('b', 1, { outcomes: { ...outcomes(), referredBup: 4 } }), row('c', 4, { plans: 3 }), row('d', 5, { reviewsLate: 7, outcomes: { ...outcomes(), referredBup: 5 } })]));
    assert.deepEqual(p.rows.map((r) => r.requests), [0, '<5', '<5', 5]);
    assert.deepEqual(p.rows.map((r) => r.outcomes.referredBup), [0, '<5', 0, 5]);
    assert.deepEqual(p.rows.map((r) => r.plans), [0, 0, '<5', 0]);
    assert.deepEqual(p.rows.map((r) => r.reviewsLate), [0, 0, 0, 7]);
    for (const r of [...p.rows, p.totals]) {
      for (const v of [r.requests, r.consultations, r.consultationsConverted, r.meetingsHeld, r.plans, r.reviewsOnTime, r.reviewsLate, ...Object.values(r.outcomes)]) {
        assert.ok(typeof v !== 'number' || v === 0 || v >= 5, `published ${v}`);
      }
    }
  });

  it('withholds a total that would give a suppressed cell away, and keeps one that cannot', () => {
    // One suppressed cell: total − shown cells = that cell.
    assert.equal(publishYearReport(report([row('a', 3), row('b', 20)])).totals.requests, '–');
    // Two cells that add up to 2 (both 1) or 8 (both 4): exact again.
    assert.equal(publishYearReport(report([row('a', 1), row('b', 1), row('c', 20)])).totals.requests, '–');
    assert.equal(publishYearReport(report([row('a', 4), row('b', 4), row('c', 20)])).totals.requests, '–');
    // Two cells adding up to 5: 1+4, 2+3, 3+2 or 4+1: nothing exact, the total may be shown.
    assert.equal(publishYearReport(report([row('a', 2), row('b', 3), row('c', 20)])).totals.requests, 25);
    // Nothing suppressed: the total as it is; a small total is itself "<5".
    assert.equal(publishYearReport(report([row('a', 6), row('b', 7)])).totals.requests, 13);
    assert.equal(publishYearReport(report([row('a', 0)], { requests: 0 })).totals.requests, 0);
  });

  it('withholds a median taken over fewer than five concerns', () => {
    const p = publishYearReport(report([row('a', 8, { medianDaysToFirstMeeting: 12, medianBasis: 4 }), row('b', 9, { medianDaysToFirstMeeting: 6, medianBasis: 5 })], { medianDaysToFirstMeeting: 9, medianBasis: 9 }));
    assert.deepEqual(p.rows.map((r) => r.medianDaysToFirstMeeting), ['–', 6]);
    assert.equal(p.totals.medianDaysToFirstMeeting, 9);
  });

  it('exports the suppressed figures in the CSV, never the raw ones', () => {
    const csv = yearReportCsv(report([row('ryd', 1, { consultations: 1 }), row('berga', 12, { plans: 2 })]), (id) => id, labels);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    assert.equal(lines[1], '2026;ryd;Skolfrånvaro;<5;<5;0;0;0;0;0;–;0;0;0;0;0;0;0;0');
    assert.equal(lines[2], '2026;berga;Skolfrånvaro;12;0;0;0;<5;0;0;–;0;0;0;0;0;0;0;0');
    assert.equal(lines[3], '2026;totalt;;–;–;0;0;–;0;0;–;0;0;0;0;0;0;0;0');
  });

  it('opens in a Swedish Excel: BOM, semicolons, Swedish words for every code, decimal commas', () => {
    const csv = yearReportCsv(report([row('ryd', 12, { medianDaysToFirstMeeting: 4.5, medianBasis: 6, outcomes: { ...outcomes(), attendanceImproved: 5 } })], { medianDaysToFirstMeeting: 4.5, medianBasis: 6 }), () => 'Rydskolan', labels);
    const [header, first] = parseExport(csv);
    assert.deepEqual(header.slice(3, 6), ['förfrågningar', 'avidentifierade konsultationer', 'varav blev förfrågan']);
    assert.deepEqual(header.slice(-8), [
      'utfall: Målen uppnådda', 'utfall: Närvaron har förbättrats', 'utfall: Vidare till myndighetsutövning/utredning', 'utfall: Vidare till BUP',
      'utfall: Vidare till habiliteringen', 'utfall: Familjen tackade nej', 'utfall: Eleven har bytt skola', 'utfall: Annat',
    ]);
    assert.equal(first[2], 'Skolfrånvaro');
    assert.equal(first[10], '4,5');
    for (const code of [...OUTCOMES, 'absence', 'attendanceImproved']) assert.ok(!csv.includes(code), `raw code ${code} in the export`);
    assert.ok(!/aktualiser/i.test(csv), 'the school raises a concern; it does not "aktualisera"');
  });
});

describe('yearly report: requests and anonymous consultations are counted apart', () => {
  const base = (code: string, extra: Partial<Case>): Case => ({
    code, teamId: 'sst-1', schoolId: 'ryd', grade: '7', category: 'absence', absenceBand: '20to50', summary: 's', status: 'new',
    raisedBy: 'eht-1', assignedTo: 'sw-1', createdAt: '2026-03-02T09:00:00Z', updatedAt: '2026-03-02T09:00:00Z', lastActivityAt: '2026-03-02T09:00:00Z', ...extra,
  });
  const consent = { scope: 's', expires: '2027-01-31', recordedBy: 'eht-1', recordedAt: '2026-03-02T09:00:00Z' };
  const cases = [
    base('SST-2026-0001', { kind: 'request', consent }),
    base('SST-2026-0002', { kind: 'consultation' }),
    // A consultation that became a request in the year: counted as a consultation (raised) and as a request (since then).
    base('SST-2026-0003', { kind: 'request', consent, convertedAt: '2026-05-04T09:00:00Z' }),
    // A consultation raised the year before that became a request this year: a request now, not a consultation of this year.
    base('SST-2025-0099', { kind: 'request', consent, createdAt: '2025-12-01T09:00:00Z', convertedAt: '2026-01-10T09:00:00Z' }),
    // A consultation closed with its note: no outcome counted (it had no insats).
    base('SST-2026-0004', { kind: 'consultation', status: 'closed', outcome: 'consultationClosed', closingNote: 'Råd givna', updatedAt: '2026-06-01T09:00:00Z' }),
    // An older case's "handed over" is counted as "other": it never said where to.
    base('SST-2026-0005', { kind: 'request', consent, status: 'closed', outcome: 'handedOver', updatedAt: '2026-06-01T09:00:00Z' }),
    base('SST-2026-0006', { kind: 'request', consent, status: 'closed', outcome: 'referredHabilitation', updatedAt: '2026-06-01T09:00:00Z' }),
  ];

  it('counts a consultation never as a request, and a consultation that got consent as both, from when', () => {
    const r = buildYearReport({ year: 2026, now: new Date('2026-12-31T12:00:00Z'), cases, meetings: [], plans: [] });
    assert.equal(r.totals.consultations, 3, '0002, 0003, 0004');
    assert.equal(r.totals.consultationsConverted, 2, '0003 and 0099 became requests this year');
    assert.equal(r.totals.requests, 5, '0001, 0003, 0099, 0005, 0006');
    assert.equal(r.totals.outcomes.other, 1);
    assert.equal(r.totals.outcomes.referredHabilitation, 1);
    assert.equal(Object.values(r.totals.outcomes).reduce((a, b) => a + b, 0), 2, 'the consultation has no outcome');
  });

  it('counts in the municipality\'s report period (a läsår from 1 August), due by its deadline after the period', () => {
    assert.deepEqual(reportPeriod(2026, { periodStart: '01-01', deadline: '03-31' }), { start: '2026-01-01', end: '2026-12-31', deadline: '2027-03-31' });
    assert.deepEqual(reportPeriod(2025, { periodStart: '08-01', deadline: '09-30' }), { start: '2025-08-01', end: '2026-07-31', deadline: '2026-09-30' });
    const r = buildYearReport({ year: 2025, period: { start: '2025-08-01', end: '2026-07-31' }, now: new Date('2026-12-31T12:00:00Z'), cases, meetings: [], plans: [] });
    assert.equal(r.totals.requests, 5, '0001, 0003, 0005, 0006, and 0099 (converted in January 2026)');
    assert.equal(r.totals.consultations, 4, '0099 was raised in December 2025, inside this läsår');
  });
});

describe('CSV exports escape formulas', () => {
  const roster = { people: [{ id: 'eht-1', name: '=cmd|\' /C calc\'!A0', roles: ['eht'] }], schools: [], teams: [], municipality: {} } as unknown as Roster;
  const dangerous = ['=HYPERLINK("https://evil.example","klicka")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '＝1'];

  it('prefixes every cell that begins with =, +, -, @, tab or CR in the access-log CSV', () => {
    const entries = dangerous.map((v, i) => ({ at: `2026-11-0${i + 1}T08:00:00.000Z`, actorId: i === 0 ? 'eht-1' : v, action: 'raise' as const, schoolId: v, caseCode: v, allowed: false, via: v }));
    const cells = parseExport(auditCsv(entries, roster, labels)).slice(1).flat();
    assert.ok(cells.length >= dangerous.length * 7);
    for (const cell of cells) assert.doesNotMatch(cell, /^[=+\-@\t\r＝]/, `cell ${JSON.stringify(cell)}`);
    assert.ok(cells.includes(`'${dangerous[0]}`));
    assert.ok(cells.includes("'=cmd|' /C calc'!A0"), 'a roster name too');
  });

  it('prefixes a school name that begins with "=" in the yearly report CSV', () => {
    const csv = yearReportCsv(report([row('x', 6)]), () => '=HYPERLINK("x")', labels);
    assert.match(csv, /"'=HYPERLINK\(""x""\)"/);
    assert.ok(parseExport(csv)[1].includes('\'=HYPERLINK("x")'));
  });
});

describe('access-log CSV for the monthly review', () => {
  const roster = {
    people: [{ id: 'eht-1', name: 'Eva Kurator', roles: ['eht'] }],
    schools: [{ id: 'ryd', name: 'Rydskolan', team: 'sst-1' }],
    teams: [], municipality: {},
  } as unknown as Roster;

  it('says every code in Swedish, in Stockholm local time, with the ids kept beside the words', () => {
    const entries = [
      { at: '2026-11-24T12:05:09.000Z', actorId: 'eht-1', action: 'answerMeeting' as const, caseCode: 'SST-2026-0001', schoolId: 'ryd', allowed: true, via: 'card:meeting.counter:view' },
      { at: '2026-07-01T06:00:00.000Z', actorId: 'download-link', action: 'export' as const, allowed: true, via: 'download:report:2026:created-by:gl-1' },
      { at: '2026-11-24T07:00:00.000Z', actorId: 'eht-1', action: 'list' as const, caseCode: 'SST-2026-0001', schoolId: 'ryd', allowed: true, via: 'command:todo' },
    ];
    const [header, summer, morning, noon] = parseExport(auditCsv(entries, roster, labels));
    assert.deepEqual(header, ['tid (svensk tid)', 'vem', 'person-id', 'åtgärd', 'ärende', 'skola', 'tillåten', 'varifrån', 'kod']);
    assert.deepEqual(noon, ['2026-11-24 13:05:09', 'Eva Kurator', 'eht-1', 'svarade på eller ändrade ett möte', 'SST-2026-0001', 'Rydskolan', 'ja', 'kortet: Föreslå andra tider (visning efteråt)', 'card:meeting.counter:view']);
    assert.equal(summer[0], '2026-07-01 08:00:00', 'summer time is UTC+2');
    assert.deepEqual(summer.slice(1, 4), ['nedladdningslänk', 'download-link', 'tog ut en export']);
    assert.equal(summer[7], 'nedladdningslänk: verksamhetsberättelse 2026, skapad av gl-1');
    assert.equal(morning[7], 'kommandot att göra');
  });
});
