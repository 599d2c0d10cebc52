import assert from 'node:assert/strict';
import type { Case } from '../../src/domain/concern';
import { CATEGORIES } from '../../src/domain/concern';
import { buildReport } from '../../src/domain/report';
import { reportCard } from '../../src/bot/cards/reportCard';
import { translator } from '../../src/bot/i18n';

const MARKER = 'MARKER-CARD-SUMMARY-0c41';
const cases: Case[] = Array.from({ length: 900 }, (_, i) => {
  const date = `2026-${String(1 + (i % 12)).padStart(2, '0')}-1${i % 10}`;
  return {
    code: `SST-2026-${String(i + 1).padStart(4, '0')}`, teamId: 'sst-1', schoolId: `school-${i % 15}`, grade: '7', category: CATEGORIES[i % 5], absenceBand: '20to50', summary: `${MARKER} ${i}`,
    status: 'closed', outcome: 'attendanceImproved', kind: 'request', raisedBy: 'eht-1', assignedTo: 'sw-1', createdAt: `${date}T08:00:00.000Z`, updatedAt: `2026-12-0${1 + (i % 9)}T08:00:00.000Z`, lastActivityAt: `${date}T08:00:00.000Z`,
    absence: [{ at: 'intake', date, valid: 10, invalid: 20 + (i % 10), recordedBy: 'eht-1', recordedAt: `${date}T08:00:00.000Z` }, { at: 'closing', date: '2026-12-01', valid: 5, invalid: 5, recordedBy: 'sw-1', recordedAt: '2026-12-01T08:00:00.000Z' }],
  } as Case;
});
const model = (lang: 'sv' | 'en') => ({
  report: buildReport({ period: { preset: 'year', start: '2026-01-01', end: '2026-12-31' }, now: new Date('2026-12-31T12:00:00Z'), cases, meetings: [], plans: [], schoolIds: Array.from({ length: 15 }, (_, i) => `school-${i}`) }),
  scopeName: 'Skolsocialt team Väst', schoolName: (id: string) => `Skolan med ett långt namn ${id}`, categories: [...CATEGORIES], grades: ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as Case['grade'][],
  csvUrl: 'https://bot.example/api/downloads/0123456789abcdef0123456789abcdef.csv',
});
const find = (card: unknown, type: string): any[] => {
  const out: any[] = [];
  const walk = (n: any) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    if (n.type === type) out.push(n);
    Object.values(n).forEach(walk);
  };
  walk(card);
  return out;
};

describe('report card', () => {
  it('carries requests per month and absence before/after as charts, each with the same figures as text for clients without charts', () => {
    const card = reportCard(model('sv'), translator('sv'));
    const [line] = find(card, 'Chart.Line');
    const [bars] = find(card, 'Chart.VerticalBar.Grouped');
    assert.ok(line && bars, 'both charts');
    assert.deepEqual(line.data[0].values.slice(0, 3), [{ x: 'jan', y: 75 }, { x: 'feb', y: 75 }, { x: 'mars', y: 75 }]);
    assert.match(JSON.stringify(line.fallback), /"title":"jan","value":"Förfrågningar 75 · Konsultationer 0"/);
    assert.deepEqual(bars.data.map((s: any) => [s.legend, s.values.map((v: any) => v.y)]), [['Före', [10, 24.5, 34.5]], ['Efter', [5, 5, 10]]]);
    assert.match(JSON.stringify(bars.fallback), /"title":"Ogiltig","value":"Före 24,5 · Efter 5"/);
  });

  it('draws a period of more than a year by quarter, so the whole period fits the chart', () => {
    const long = { ...model('sv'), report: buildReport({ period: { preset: 'custom', start: '2025-07-01', end: '2026-12-31' }, now: new Date('2026-12-31T12:00:00Z'), cases, meetings: [], plans: [] }) };
    const [line] = find(reportCard(long, translator('sv')), 'Chart.Line');
    assert.equal(line.title, 'Förfrågningar per kvartal');
    assert.deepEqual(line.data[0].values.map((v: any) => v.x), ['K3 ’25', 'K4 ’25', 'K1 ’26', 'K2 ’26', 'K3 ’26', 'K4 ’26']);
    assert.deepEqual(line.data[0].values.slice(2).map((v: any) => v.y), [225, 225, 225, 225]);
  });

  it('shows the schools as one table with the categories as columns, stays well under Teams\' card size for 15 schools, and holds no case data', () => {
    const card = reportCard(model('sv'), translator('sv'));
    const [table] = find(card, 'Table');
    assert.equal(table.rows.length, 1 + 15 + 1, 'header, a row per school, totals');
    assert.equal(table.rows[0].cells.length, 1 + CATEGORIES.length + 2);
    const json = JSON.stringify(card);
    assert.ok(json.length < 28_000, `${json.length} characters`);
    assert.ok(!json.includes(MARKER), 'no summary');
    assert.doesNotMatch(json, /SST-2026-\d{4}/, 'no case code');
  });

  it('words the figures in the person\'s language, with Swedish decimal commas', () => {
    const sv = JSON.stringify(reportCard(model('sv'), translator('sv')));
    const en = JSON.stringify(reportCard(model('en'), translator('en')));
    assert.match(sv, /"title":"Förändring, median","value":"−24,5 procentenheter"/);
    assert.match(en, /"title":"Change, median","value":"−24.5 percentage points"/);
    assert.match(en, /Follow-up 2026: Skolsocialt team Väst/);
  });
});
