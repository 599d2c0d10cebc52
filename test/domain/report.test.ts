import assert from 'node:assert/strict';
import { OUTCOMES } from '../../src/domain/concern';
import { publishYearReport, type ReportRow, type YearReport } from '../../src/domain/report';
import { yearReportCsv } from '../../src/services/yearReport';
import { auditCsv } from '../../src/services/auditExport';
import type { Roster } from '../../src/domain/roster';
import { parse } from 'csv-parse/sync';

const outcomes = (n = 0) => Object.fromEntries(OUTCOMES.map((o) => [o, n])) as ReportRow['outcomes'];
const row = (schoolId: string, concerns: number, extra: Partial<ReportRow> = {}): ReportRow => ({
  schoolId, category: 'absence', concerns, anonymousConsultations: 0, meetingsHeld: 0, plans: 0, reviewsOnTime: 0, reviewsLate: 0, medianBasis: 0, outcomes: outcomes(), ...extra,
});
function report(rows: ReportRow[], totalsExtra: Partial<ReportRow> = {}): YearReport {
  const sum = (k: 'concerns' | 'anonymousConsultations' | 'meetingsHeld' | 'plans' | 'reviewsOnTime' | 'reviewsLate') => rows.reduce((a, r) => a + r[k], 0);
  return {
    year: 2026,
    rows,
    totals: {
      concerns: sum('concerns'), anonymousConsultations: sum('anonymousConsultations'), meetingsHeld: sum('meetingsHeld'), plans: sum('plans'), reviewsOnTime: sum('reviewsOnTime'), reviewsLate: sum('reviewsLate'),
      medianBasis: rows.reduce((a, r) => a + r.medianBasis, 0),
      outcomes: Object.fromEntries(OUTCOMES.map((o) => [o, rows.reduce((a, r) => a + r.outcomes[o], 0)])) as ReportRow['outcomes'],
      ...totalsExtra,
    },
  };
}

describe('yearly report: small cells suppressed in everything shown or exported', () => {
  it('shows 0 and 5 or more as they are, 1–4 as "<5", in every count and outcome', () => {
    const p = publishYearReport(report([row('a', 0), row('b', 1, { outcomes: { ...outcomes(), handedOver: 4 } }), row('c', 4, { plans: 3 }), row('d', 5, { reviewsLate: 7, outcomes: { ...outcomes(), handedOver: 5 } })]));
    assert.deepEqual(p.rows.map((r) => r.concerns), [0, '<5', '<5', 5]);
    assert.deepEqual(p.rows.map((r) => r.outcomes.handedOver), [0, '<5', 0, 5]);
    assert.deepEqual(p.rows.map((r) => r.plans), [0, 0, '<5', 0]);
    assert.deepEqual(p.rows.map((r) => r.reviewsLate), [0, 0, 0, 7]);
    for (const r of [...p.rows, p.totals]) {
      for (const v of [r.concerns, r.anonymousConsultations, r.meetingsHeld, r.plans, r.reviewsOnTime, r.reviewsLate, ...Object.values(r.outcomes)]) {
        assert.ok(typeof v !== 'number' || v === 0 || v >= 5, `published ${v}`);
      }
    }
  });

  it('withholds a total that would give a suppressed cell away, and keeps one that cannot', () => {
    // One suppressed cell: total − shown cells = that cell.
    assert.equal(publishYearReport(report([row('a', 3), row('b', 20)])).totals.concerns, '–');
    // Two cells that add up to 2 (both 1) or 8 (both 4): exact again.
    assert.equal(publishYearReport(report([row('a', 1), row('b', 1), row('c', 20)])).totals.concerns, '–');
    assert.equal(publishYearReport(report([row('a', 4), row('b', 4), row('c', 20)])).totals.concerns, '–');
    // Two cells adding up to 5: 1+4, 2+3, 3+2 or 4+1: nothing exact, the total may be shown.
    assert.equal(publishYearReport(report([row('a', 2), row('b', 3), row('c', 20)])).totals.concerns, 25);
    // Nothing suppressed: the total as it is; a small total is itself "<5".
    assert.equal(publishYearReport(report([row('a', 6), row('b', 7)])).totals.concerns, 13);
    assert.equal(publishYearReport(report([row('a', 0)], { concerns: 0 })).totals.concerns, 0);
  });

  it('withholds a median taken over fewer than five concerns', () => {
    const p = publishYearReport(report([row('a', 8, { medianDaysToFirstMeeting: 12, medianBasis: 4 }), row('b', 9, { medianDaysToFirstMeeting: 6, medianBasis: 5 })], { medianDaysToFirstMeeting: 9, medianBasis: 9 }));
    assert.deepEqual(p.rows.map((r) => r.medianDaysToFirstMeeting), ['–', 6]);
    assert.equal(p.totals.medianDaysToFirstMeeting, 9);
  });

  it('exports the suppressed figures in the CSV, never the raw ones', () => {
    const csv = yearReportCsv(report([row('ryd', 1, { anonymousConsultations: 1 }), row('berga', 12, { plans: 2 })]), (id) => id);
    const lines = csv.trim().split('\n');
    assert.equal(lines[1], '2026,ryd,absence,<5,<5,0,0,0,0,–,0,0,0,0');
    assert.equal(lines[2], '2026,berga,absence,12,0,0,<5,0,0,–,0,0,0,0');
    assert.equal(lines[3], '2026,totalt,,–,–,0,–,0,0,–,0,0,0,0');
  });
});

describe('CSV exports escape formulas', () => {
  const roster = { people: [{ id: 'eht-1', name: '=cmd|\' /C calc\'!A0', roles: ['eht'] }], schools: [], teams: [], municipality: {} } as unknown as Roster;
  const dangerous = ['=HYPERLINK("https://evil.example","klicka")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '＝1'];

  it('prefixes every cell that begins with =, +, -, @, tab or CR in the access-log CSV', () => {
    const entries = dangerous.map((v, i) => ({ at: `2026-11-0${i + 1}T08:00:00.000Z`, actorId: i === 0 ? 'eht-1' : v, action: 'raise' as const, schoolId: v, caseCode: v, allowed: false, via: v }));
    const cells = parse(auditCsv(entries, roster)).slice(1).flat() as string[];
    assert.ok(cells.length >= dangerous.length * 7);
    for (const cell of cells) assert.doesNotMatch(cell, /^[=+\-@\t\r＝]/, `cell ${JSON.stringify(cell)}`);
    assert.ok(cells.includes(`'${dangerous[0]}`));
    assert.ok(cells.includes("'=cmd|' /C calc'!A0"), 'a roster name too');
  });

  it('prefixes a school name that begins with "=" in the yearly report CSV', () => {
    const csv = yearReportCsv(report([row('x', 6)]), () => '=HYPERLINK("x")');
    assert.match(csv, /"'=HYPERLINK\(""x""\)"/);
  });
});
