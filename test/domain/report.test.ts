import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { OUTCOMES, type Case } from '../../src/domain/concern';
import type { Meeting } from '../../src/domain/meeting';
import type { Plan } from '../../src/domain/plan';
import { buildReport, publishReport } from '../../src/domain/report';
import type { ChosenPeriod } from '../../src/domain/reportPeriod';
import type { AbsenceMeasure } from '../../src/domain/absence';
import type { Roster } from '../../src/domain/roster';
import { reportCsv } from '../../src/services/report';
import { auditCsv } from '../../src/services/auditExport';
import { swedishExportLabels } from '../../src/bot/exportLabels';

const labels = swedishExportLabels();
/** Parses an export as Swedish Excel reads it: a BOM, then semicolon-separated lines. */
const parseExport = (csv: string): string[][] => {
  assert.ok(csv.startsWith('\uFEFF'), 'a BOM, so Excel reads UTF-8');
  return parse(csv.slice(1), { delimiter: ';' });
};

const YEAR: ChosenPeriod = { preset: 'year', start: '2026-01-01', end: '2026-12-31' };
const NOW = new Date('2026-12-31T12:00:00Z');
const consent = { scope: 's', expires: '2027-01-31', recordedBy: 'eht-1', recordedAt: '2026-03-02T09:00:00Z' };
let seq = 0;
const request = (extra: Partial<Case> = {}): Case => ({
  code: `SST-2026-${String(++seq).padStart(4, '0')}`, teamId: 'sst-1', schoolId: 'ryd', grade: '7', category: 'absence', absenceBand: '20to50', summary: 's', status: 'active', kind: 'request', consent,
  raisedBy: 'eht-1', assignedTo: 'sw-1', createdAt: '2026-03-02T09:00:00Z', updatedAt: '2026-03-02T09:00:00Z', lastActivityAt: '2026-03-02T09:00:00Z', ...extra,
});
const measure = (date: string, valid: number, invalid: number, at: AbsenceMeasure['at'] = 'review'): AbsenceMeasure => ({ at, date, valid, invalid, recordedBy: 'eht-1', recordedAt: `${date}T10:00:00Z` });
const closed = (date: string, extra: Partial<Case> = {}): Partial<Case> => ({ status: 'closed', outcome: 'attendanceImproved', updatedAt: `${date}T10:00:00Z`, ...extra });
const plan = (c: Case, extra: Partial<Plan>): Plan => ({
  id: `p-${c.code}`, caseCode: c.code, teamId: c.teamId, schoolId: c.schoolId, type: 'implementation', goals: ['g1'], responsibilities: [], reviews: [], status: 'active',
  createdAt: '2026-03-16T09:00:00Z', createdBy: 'sw-1', ...extra,
} as Plan);
const meeting = (c: Case, start: string): Meeting => ({ id: `m-${c.code}-${start}`, caseCode: c.code, teamId: c.teamId, schoolId: c.schoolId, status: 'confirmed', start } as unknown as Meeting);
const build = (cases: Case[], extra: { meetings?: Meeting[]; plans?: Plan[]; period?: ChosenPeriod; schoolIds?: string[] } = {}) =>
  buildReport({ period: extra.period ?? YEAR, now: NOW, cases, meetings: extra.meetings ?? [], plans: extra.plans ?? [], schoolIds: extra.schoolIds });

describe('report: requests and anonymous consultations are counted apart', () => {
  const base = (extra: Partial<Case>): Case => request(extra);
  const cases = [
    base({ kind: 'request' }),
    base({ kind: 'consultation', consent: undefined }),
    // A consultation that became a request in the year: counted as a consultation (raised) and as a request (since then).
    base({ convertedAt: '2026-05-04T09:00:00Z' }),
    // A consultation raised the year before that became a request this year: a request now, not a consultation of this year.
    base({ createdAt: '2025-12-01T09:00:00Z', convertedAt: '2026-01-10T09:00:00Z' }),
    // A consultation closed with its note: no outcome counted (it had no insats).
    base({ kind: 'consultation', consent: undefined, status: 'closed', outcome: 'consultationClosed', closingNote: 'Råd givna', updatedAt: '2026-06-01T09:00:00Z' }),
    // An older case's "handed over" is counted as "other": it never said where to.
    base(closed('2026-06-01', { outcome: 'handedOver' })),
    base(closed('2026-06-01', { outcome: 'referredHabilitation' })),
  ];

  it('counts a consultation never as a request, and a consultation that got consent as both, from when', () => {
    const r = build(cases);
    assert.equal(r.consultations, 3, 'two consultations and the one converted in May');
    assert.equal(r.consultationsConverted, 2);
    assert.equal(r.requests, 5);
    assert.equal(r.outcomes.other, 1);
    assert.equal(r.outcomes.referredHabilitation, 1);
    assert.equal(Object.values(r.outcomes).reduce((a, b) => a + b, 0), 2, 'the consultation has no outcome');
  });

  it('counts in any period: a läsår from 1 August takes in the consultation raised in December 2025', () => {
    const r = build(cases, { period: { preset: 'year', start: '2025-08-01', end: '2026-07-31' } });
    assert.equal(r.requests, 5);
    assert.equal(r.consultations, 4);
  });

  it('per month: requests by the month they became requests, consultations by the month raised; every month of the period listed', () => {
    const r = build(cases);
    assert.equal(r.perMonth.length, 12);
    assert.deepEqual(r.perMonth.find((m) => m.month === '2026-01'), { month: '2026-01', requests: 1, consultations: 0 });
    assert.deepEqual(r.perMonth.find((m) => m.month === '2026-03'), { month: '2026-03', requests: 3, consultations: 3 });
    assert.deepEqual(r.perMonth.find((m) => m.month === '2026-05'), { month: '2026-05', requests: 1, consultations: 0 });
  });
});

describe('report: per quarter for long periods', () => {
  it('adds months up by quarter before suppressing, so three months of 2 each show as 6', () => {
    const cases = ['2026-01-10', '2026-01-20', '2026-02-10', '2026-02-20', '2026-03-10', '2026-03-20', '2026-04-10'].map((d) => request({ createdAt: `${d}T09:00:00Z` }));
    const p = publishReport(build(cases, { period: { preset: 'custom', start: '2025-10-01', end: '2027-03-31' } }));
    assert.equal(p.perMonth.length, 18);
    assert.deepEqual(p.perMonth.filter((m) => m.month.startsWith('2026-0')).slice(0, 4).map((m) => m.requests), ['<5', '<5', '<5', '<5']);
    assert.deepEqual(p.perQuarter.map((q) => [q.quarter, q.requests]), [['2025-Q4', 0], ['2026-Q1', 6], ['2026-Q2', '<5'], ['2026-Q3', 0], ['2026-Q4', 0], ['2027-Q1', 0]]);
  });
});

describe('report: by school, årskurs and category; insats; time to first meeting and plan; intensive phase', () => {
  it('counts the period\'s requests per school × category and per årskurs, listing schools without any', () => {
    const cases = [request({ schoolId: 'ryd', category: 'home', grade: '4' }), request({ schoolId: 'ryd', category: 'absence' }), request({ schoolId: 'berga', grade: '4' }), request({ schoolId: 'berga', createdAt: '2025-05-01T09:00:00Z' })];
    const r = build(cases, { schoolIds: ['ryd', 'berga', 'tornhagen'] });
    assert.deepEqual(r.schools.map((s) => [s.schoolId, s.categories.absence, s.categories.home]), [['berga', 1, 0], ['ryd', 1, 1], ['tornhagen', 0, 0]]);
    assert.equal(r.grades['4'], 2);
    assert.equal(r.grades['7'], 1);
  });

  it('counts insatser started in the period by form and kind, and the intensive phase as set or until the case closed', () => {
    const insats = (start: string, intensiveUntil: string, form: 'service' | 'bistand', kind: 'individual' | 'family') => ({ insats: { form, kind, start, intensiveUntil, recordedBy: 'sw-1', recordedAt: `${start}T09:00:00Z` } });
    const cases = [
      request(insats('2026-02-01', '2026-04-25', 'service', 'individual')), // 84 days
      request({ ...insats('2026-03-01', '2026-05-23', 'bistand', 'family'), ...closed('2026-03-14') }), // closed after 14 days
      request(insats('2025-11-01', '2026-01-23', 'service', 'family')), // started before the period
    ];
    const r = build(cases);
    assert.deepEqual(r.insatsForms, { service: 1, bistand: 1 });
    assert.deepEqual(r.insatsKinds, { individual: 1, family: 1, group: 0, preventive: 0 });
    assert.deepEqual(r.intensiveDays, { value: 49, basis: 2 });
  });

  it('takes the median days from request to the first held meeting and to the first plan, over the requests that had one', () => {
    const [a, b, c] = [request(), request({ createdAt: '2026-04-01T09:00:00Z' }), request()];
    const r = build([a, b, c], {
      meetings: [meeting(a, '2026-03-09T09:00:00Z'), meeting(a, '2026-03-05T09:00:00Z'), meeting(b, '2026-04-11T09:00:00Z'), meeting(c, '2027-02-01T09:00:00Z')],
      plans: [plan(a, { createdAt: '2026-03-16T09:00:00Z' }), plan(b, { createdAt: '2026-04-02T09:00:00Z' })],
    });
    assert.deepEqual(r.daysToFirstMeeting, { value: 6.5, basis: 2 }, 'a: 3 days (its earliest), b: 10; c\'s meeting is not held yet');
    assert.deepEqual(r.daysToFirstPlan, { value: 7.5, basis: 2 }, 'a: 14, b: 1');
    assert.equal(r.meetingsHeld, 3);
  });
});

describe('report: absence before and after', () => {
  const cases = [
    // Intake 40 %, closing 15 %: 25 points less.
    request({ absence: [measure('2026-02-01', 10, 30, 'intake'), measure('2026-05-01', 10, 20), measure('2026-06-01', 5, 10, 'closing')] }),
    // One value only: no change to show.
    request({ absence: [measure('2026-02-01', 10, 30, 'intake')] }),
    // 20 → 22: two points more.
    request({ absence: [measure('2025-11-01', 0, 20, 'intake'), measure('2026-03-01', 5, 17)] }),
    // Its second value is after the period: only one value up to the period's end.
    request({ absence: [measure('2026-01-10', 20, 20, 'intake'), measure('2027-01-15', 0, 0)] }),
    // Both values before the period: not this period's follow-up.
    request({ absence: [measure('2025-01-01', 30, 30, 'intake'), measure('2025-06-01', 10, 10)] }),
  ];

  it('compares the first value with the latest in the period, for cases with both; a single value counts nowhere', () => {
    const r = build(cases);
    assert.equal(r.absence.basis, 2);
    assert.equal(r.absence.medianChange, -11.5);
    assert.equal(r.absence.improved, 1);
    assert.deepEqual(r.absence.before, { valid: 5, invalid: 25, total: 30 });
    assert.deepEqual(r.absence.after, { valid: 5, invalid: 13.5, total: 18.5 });
  });

  it('publishes nothing taken over fewer than five cases', () => {
    const p = publishReport(build(cases)).absence;
    assert.deepEqual(p, { basis: '<5', medianChange: '–', improved: '<5', improvedShare: '–', before: { valid: '–', invalid: '–', total: '–' }, after: { valid: '–', invalid: '–', total: '–' } });
  });

  it('shows the share improved only when neither the improved nor the rest is a cell of 1–4', () => {
    const change = (points: number) => request({ absence: [measure('2026-02-01', 0, 40, 'intake'), measure('2026-06-01', 0, 40 + points)] });
    const six = [-10, -8, -6, -5, -4, 3].map(change);
    const p6 = publishReport(build(six)).absence;
    assert.equal(p6.medianChange, -5.5);
    assert.equal(p6.improved, '<5', '4 fell by 5 points or more');
    assert.equal(p6.improvedShare, '–');
    const ten = [-20, -10, -9, -6, -5, -4, 0, 0, 2, 7].map(change);
    const p10 = publishReport(build(ten)).absence;
    assert.equal(p10.basis, 10);
    assert.equal(p10.improved, 5);
    assert.equal(p10.improvedShare, 50);
    assert.equal(p10.medianChange, -4.5);
    assert.deepEqual(p10.before, { valid: 0, invalid: 40, total: 40 });
  });
});

describe('report: goals, and still at the same school', () => {
  it('counts each goal at its plan\'s last review in the period that recorded attainment', () => {
    const [a, b] = [request(), request()];
    const plans = [
      plan(a, { goals: ['g1', 'g2', 'g3'], reviews: [
        { date: '2026-03-01', status: 'done', goals: ['tooEarly', 'tooEarly', 'notReached'], recordedAt: '2026-03-01T10:00:00Z' },
        { date: '2026-06-01', status: 'done', goals: ['reached', 'partly', 'notReached'], recordedAt: '2026-06-01T10:00:00Z' },
        { date: '2026-10-01', status: 'planned' },
      ] }),
      plan(b, { goals: ['g1'], reviews: [
        { date: '2026-09-01', status: 'done', goals: ['partly'], recordedAt: '2026-09-03T10:00:00Z' },
        { date: '2027-02-01', status: 'done', goals: ['reached'], recordedAt: '2027-02-01T10:00:00Z' },
      ] }),
    ];
    const r = build([a, b], { plans });
    assert.deepEqual(r.goals, { reached: 1, partly: 2, notReached: 1, tooEarly: 0 });
    assert.equal(r.reviewsOnTime, 2);
    assert.equal(r.reviewsLate, 2, 'b\'s September review was recorded two days late; a\'s October one never was');
  });

  it('counts the requests closed in the period with the answer, and publishes the share only when no cell is 1–4', () => {
    const yes = Array.from({ length: 6 }, () => request(closed('2026-05-01', { sameSchoolAtClose: true })));
    const no = Array.from({ length: 5 }, () => request(closed('2026-05-01', { sameSchoolAtClose: false })));
    const unknown = request(closed('2026-05-01'));
    const before = request(closed('2025-05-01', { sameSchoolAtClose: false }));
    const r = build([...yes, ...no, unknown, before]);
    assert.deepEqual(r.sameSchool, { yes: 6, no: 5 });
    assert.deepEqual(publishReport(r).sameSchool, { yes: 6, no: 5, basis: 11, share: 55 });
    assert.deepEqual(publishReport(build([...yes, no[0]])).sameSchool, { yes: 6, no: '<5', basis: '–', share: '–' });
  });
});

describe('report: small cells suppressed in everything shown or exported', () => {
  const at = (schoolId: string, n: number, category: Case['category'] = 'absence') => Array.from({ length: n }, () => request({ schoolId, category }));

  it('shows 0 and 5 or more as they are, 1–4 as "<5", per school and category, and withholds totals that give one away', () => {
    const r = build([...at('a', 0), ...at('b', 1), ...at('c', 4, 'home'), ...at('d', 5), ...at('d', 7, 'home')], { schoolIds: ['a', 'b', 'c', 'd'] });
    const p = publishReport(r);
    assert.deepEqual(p.schools.map((s) => [s.categories.absence, s.categories.home, s.total]), [[0, 0, 0], ['<5', 0, '<5'], [0, '<5', '<5'], [5, 7, 12]]);
    assert.equal(p.categoryTotals.absence, '–', 'one suppressed cell: the total gives it away');
    assert.equal(p.categoryTotals.home, '–');
    assert.equal(p.requests, 17, 'the grand total: the sum over 4 cells of which 2 are hidden, 1 + 4 = 5: nothing exact');
  });

  it('withholds a total that would give a suppressed cell away, and keeps one that cannot', () => {
    const totalOf = (ns: number[]) => publishReport(build(ns.flatMap((n, i) => at(`s${i}`, n)))).categoryTotals.absence;
    assert.equal(totalOf([3, 20]), '–', 'one suppressed cell: total − shown = that cell');
    assert.equal(totalOf([1, 1, 20]), '–', 'two cells adding up to 2: both 1');
    assert.equal(totalOf([4, 4, 20]), '–', 'two cells adding up to 8: both 4');
    assert.equal(totalOf([2, 3, 20]), 25, 'two cells adding up to 5: 1+4, 2+3, 3+2 or 4+1');
    assert.equal(totalOf([6, 7]), 13);
  });

  it('publishes every count of every figure as 0, 5 or more, "<5" or "–"', () => {
    const three = at('a', 3);
    const a = three[0];
    const p = publishReport(build([...three, request(closed('2026-06-01')), ...at('b', 9, 'home')], { meetings: [meeting(a, '2026-03-09T09:00:00Z')], plans: [plan(a, {})] }));
    const walk = (v: unknown): void => {
      if (typeof v === 'number') assert.ok(v === 0 || v >= 5 || !Number.isInteger(v), `published ${v}`);
      else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => k !== 'period' && k !== 'month' && walk(x));
    };
    walk({ ...p, period: undefined, daysToFirstMeeting: undefined, daysToFirstPlan: undefined, intensiveWeeks: undefined, absence: { ...p.absence, medianChange: undefined, before: undefined, after: undefined, improvedShare: undefined }, sameSchool: { ...p.sameSchool, share: undefined } });
    assert.equal(p.meetingsHeld, '<5');
    assert.equal(p.outcomes.parts.attendanceImproved, '<5');
  });

  it('withholds a median taken over fewer than five cases', () => {
    const cases = at('a', 5);
    const meetings = cases.map((c, i) => meeting(c, `2026-03-${String(3 + i).padStart(2, '0')}T09:00:00Z`));
    assert.equal(publishReport(build(cases, { meetings: meetings.slice(0, 4) })).daysToFirstMeeting, '–');
    assert.equal(publishReport(build(cases, { meetings })).daysToFirstMeeting, 3);
  });
});

describe('report CSV', () => {
  it('exports the suppressed figures, never the raw ones, with Swedish labels for every code', () => {
    const cases = [request({ schoolId: 'ryd' }), ...Array.from({ length: 12 }, () => request({ schoolId: 'berga', category: 'home', ...closed('2026-06-01', { outcome: 'goalsMet' }) }))];
    const rows = parseExport(reportCsv(build(cases, { schoolIds: ['ryd', 'berga'] }), (id) => ({ ryd: 'Rydskolan', berga: 'Bergaskolan' })[id] ?? id, labels));
    const figure = (name: string) => rows.find((r) => r[1] === name)?.[2];
    assert.deepEqual(rows[0].filter(Boolean), ['period', 'mått', 'värde']);
    assert.equal(figure('förfrågningar'), '13');
    assert.equal(figure('utfall: Målen uppnådda'), '12');
    assert.equal(figure('insats, form: Serviceinsats'), '0');
    const header = rows.find((r) => r[1] === 'skola')!;
    assert.deepEqual(header.slice(2, 4), ['förfrågningar: Skolfrånvaro', 'förfrågningar: Beteende/studiero']);
    assert.deepEqual(rows.find((r) => r[1] === 'Rydskolan')!.slice(2), ['<5', '0', '0', '0', '0', '<5', '0']);
    assert.deepEqual(rows.find((r) => r[1] === 'totalt')!.slice(2), ['<5', '0', '12', '0', '0', '13', '0']);
    assert.equal(rows.filter((r) => /^2026-\d\d$/.test(r[1] ?? '')).length, 12, 'a line per month');
    assert.equal(rows[1][0], '2026', 'the period named as people name it');
    const csv = reportCsv(build(cases), (id) => id, labels);
    for (const code of [...OUTCOMES, 'absence', 'attendanceImproved', 'bistand', 'notReached', 'tooEarly']) assert.ok(!csv.includes(code), `raw code ${code} in the export`);
    assert.ok(!/aktualiser/i.test(csv), 'the school raises a concern; it does not "aktualisera"');
  });

  it('writes decimal commas, as a Swedish Excel reads them', () => {
    const change = (points: number) => request({ absence: [measure('2026-02-01', 0, 40, 'intake'), measure('2026-06-01', 0, 40 + points)] });
    const rows = parseExport(reportCsv(build([-10, -8, -6, -5, -4, 3].map(change)), (id) => id, labels));
    assert.equal(rows.find((r) => r[1] === 'frånvaro: median förändring (procentenheter)')?.[2], '-5,5');
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

  it('prefixes a school name that begins with "=" in the report CSV', () => {
    const r = buildReport({ period: YEAR, now: NOW, cases: [], meetings: [], plans: [], schoolIds: ['x'] });
    const csv = reportCsv(r, () => '=HYPERLINK("x")', labels);
    assert.match(csv, /"'=HYPERLINK\(""x""\)"/);
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
      { at: '2026-07-01T06:00:00.000Z', actorId: 'download-link', action: 'export' as const, allowed: true, via: 'download:report:2026-01-01..2026-12-31:created-by:gl-1' },
      { at: '2026-11-24T07:00:00.000Z', actorId: 'eht-1', action: 'list' as const, caseCode: 'SST-2026-0001', schoolId: 'ryd', allowed: true, via: 'command:todo' },
    ];
    const [header, summer, morning, noon] = parseExport(auditCsv(entries, roster, labels));
    assert.deepEqual(header, ['tid (svensk tid)', 'vem', 'person-id', 'åtgärd', 'ärende', 'skola', 'tillåten', 'varifrån', 'kod']);
    assert.deepEqual(noon, ['2026-11-24 13:05:09', 'Eva Kurator', 'eht-1', 'svarade på eller ändrade ett möte', 'SST-2026-0001', 'Rydskolan', 'ja', 'kortet: Föreslå andra tider (visning efteråt)', 'card:meeting.counter:view']);
    assert.equal(summer[0], '2026-07-01 08:00:00', 'summer time is UTC+2');
    assert.deepEqual(summer.slice(1, 4), ['nedladdningslänk', 'download-link', 'tog ut en export']);
    assert.equal(summer[7], 'nedladdningslänk: uppföljningsrapport 2026-01-01–2026-12-31, skapad av gl-1');
    assert.equal(morning[7], 'kommandot att göra');
  });
});
