import assert from 'node:assert/strict';
import { digestCard, digestCharts } from '../../src/bot/cards/reminderCards';
import { MAX_CHART_POINTS } from '../../src/bot/cards/charts';
import { cardChars, MAX_CARD_CHARS } from '../../src/bot/cards/caseCards';
import { stampCardId } from '../../src/bot/cards/adaptiveCard';
import { translator } from '../../src/bot/i18n';
import { DIGEST_SHOWN_PER_SECTION, digestCodes, type Digest } from '../../src/domain/digest';

/** A digest of a large team: every section far longer than a card shows. */
function fullDigest(n: number): Digest {
  const code = (base: number, i: number) => `SST-2026-${base + i}`;
  return {
    teamId: 'sst-1',
    date: '2026-11-25',
    totals: { open: 10_000, closed: 0 },
    newConcerns: Array.from({ length: n }, (_, i) => ({ code: code(10000, i), ageDays: 3, assigneeId: 'sw-1' })),
    meetingRequestsWaiting: Array.from({ length: n }, (_, i) => ({ code: code(20000, i), meetingId: 'abcdef123456', awaiting: 'socialWorker' as const, awaitingId: 'sw-1', ageDays: 2 })),
    meetingsToday: Array.from({ length: n }, (_, i) => ({ code: code(30000, i), start: '2026-11-25T09:00:00Z', socialWorkerId: 'sw-1' })),
    reviewsDueThisWeek: Array.from({ length: n }, (_, i) => ({ code: code(40000, i), date: '2026-11-27', ownerId: 'sw-1' })),
    reviewsOverdue: Array.from({ length: n }, (_, i) => ({ code: code(50000, i), date: '2026-11-20', ownerId: 'sw-1', planId: 'abcdef123456' })),
    consentsExpiring: Array.from({ length: n }, (_, i) => ({ code: code(60000, i), expires: '2026-12-01' })),
    unreachable: Array.from({ length: 5 }, (_, i) => ({ personId: `eht-${i}`, since: '2026-11-20T07:00:00Z' })),
    caseload: Array.from({ length: 12 }, (_, i) => ({ socialWorkerId: `sw-${i}`, open: 800 })),
    reviewsByWeek: Array.from({ length: 6 }, (_, i) => ({ weekYear: 2026, week: 48 + i, from: '2026-11-23', count: 500 })),
  } as Digest;
}

describe('bot/cards digest card size', () => {
  it('stays under Teams\' message size for a team of thousands of cases, as sent (every action stamped)', () => {
    for (const lang of ['sv', 'en'] as const) {
      const card = stampCardId(digestCard(fullDigest(500), { nameOf: (id) => `Förnamn Efternamnsson ${id}` }, translator(lang)), '3be03737-45f9-4b04-84db-b3bbbe426b6b', lang);
      assert.ok(cardChars(card) <= MAX_CARD_CHARS, `${lang}: ${cardChars(card)} characters`);
    }
  });

  it('shows (and so logs) at most DIGEST_SHOWN_PER_SECTION codes per section, and says how many more', () => {
    const d = fullDigest(50);
    const text = JSON.stringify(digestCard(d, { nameOf: (id) => id }, translator('sv')));
    assert.equal(digestCodes(d).length, 6 * DIGEST_SHOWN_PER_SECTION);
    for (const code of digestCodes(d)) assert.ok(text.includes(code));
    assert.ok(!text.includes(`SST-2026-${10000 + DIGEST_SHOWN_PER_SECTION}"`), 'the next one is not shown');
  });
});

/** Every element of a card, nested ones (fallbacks, containers, columns) included. */
function elements(node: unknown, into: Array<Record<string, any>> = []): Array<Record<string, any>> {
  if (Array.isArray(node)) node.forEach((n) => elements(n, into));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, any>;
    if (typeof o.type === 'string') into.push(o);
    for (const v of Object.values(o)) if (v && typeof v === 'object') elements(v, into);
  }
  return into;
}

describe('bot/cards digest charts', () => {
  const names = { nameOf: (id: string) => ({ 'sw-1': 'Sara Socionom', 'sw-2': 'Sven Socionom' })[id] ?? id };
  const digest = (): Digest => ({
    teamId: 'sst-1', date: '2026-11-25', totals: { open: 5, closed: 1 },
    newConcerns: [{ code: 'SST-2026-0001', ageDays: 1, assigneeId: 'sw-1' }], meetingRequestsWaiting: [], meetingsToday: [],
    reviewsDueThisWeek: [{ code: 'SST-2026-0003', date: '2026-11-27', ownerId: 'sw-2' }], reviewsOverdue: [], consentsExpiring: [], unreachable: [],
    caseload: [{ socialWorkerId: 'sw-1', open: 3 }, { socialWorkerId: 'sw-2', open: 2 }, { socialWorkerId: 'sw-3', open: 0 }],
    reviewsByWeek: [48, 49, 50, 51, 52, 53].map((week, i) => ({ weekYear: 2026, week, from: '2026-11-23', count: [2, 1, 0, 1, 0, 0][i] })),
  });

  it('caseload per social worker as horizontal bars (names from the roster), reviews per ISO week as vertical bars, each under its heading', () => {
    const card = digestCard(digest(), names, translator('sv'));
    const i = card.body.findIndex((e) => e.type === 'Chart.HorizontalBar');
    assert.deepEqual(card.body[i - 1], { type: 'TextBlock', text: 'Ärenden per socialsekreterare', weight: 'Bolder', spacing: 'Medium', wrap: true });
    assert.deepEqual(card.body[i].data, [{ x: 'Sara Socionom', y: 3 }, { x: 'Sven Socionom', y: 2 }, { x: 'sw-3', y: 0 }]);
    const j = card.body.findIndex((e) => e.type === 'Chart.VerticalBar');
    assert.equal(card.body[j - 1].text, 'Uppföljningar per vecka');
    assert.deepEqual(card.body[j].data, [{ x: 'v. 48', y: 2 }, { x: 'v. 49', y: 1 }, { x: 'v. 50', y: 0 }, { x: 'v. 51', y: 1 }, { x: 'v. 52', y: 0 }, { x: 'v. 53', y: 0 }]);
    assert.equal(card.version, '1.5', 'Teams draws charts from Adaptive Cards 1.5');
    const en = digestCard(digest(), names, translator('en'));
    assert.match(JSON.stringify(en), /"Cases per social worker"/);
    assert.match(JSON.stringify(en), /"Reviews per week"/);
    assert.match(JSON.stringify(en), /"x":"wk 49","y":1/);
  });

  it('each chart falls back to its figures as text', () => {
    const [, caseload, , reviews] = digestCharts(digest(), names, translator('sv'));
    assert.deepEqual(caseload.fallback, { type: 'FactSet', facts: [{ title: 'Sara Socionom', value: '3' }, { title: 'Sven Socionom', value: '2' }, { title: 'sw-3', value: '0' }] });
    assert.deepEqual((reviews.fallback as any).facts.map((f: any) => `${f.title}: ${f.value}`), ['v. 48: 2', 'v. 49: 1', 'v. 50: 0', 'v. 51: 1', 'v. 52: 0', 'v. 53: 0']);
  });

  it('the charts hold no case code (nor anything of a case): only staff names, week labels and counts', () => {
    const card = digestCard(digest(), names, translator('sv'));
    const charts = elements(card.body).filter((e) => String(e.type).startsWith('Chart.'));
    assert.equal(charts.length, 2);
    assert.doesNotMatch(JSON.stringify(charts), /SST-\d{4}-\d{4}/);
    assert.match(JSON.stringify(card), /SST-2026-0001/, 'the card itself still lists the codes');
  });

  it('a team larger than a chart: the caseload shows MAX_CHART_POINTS social workers and says how many more', () => {
    const d = { ...digest(), caseload: Array.from({ length: MAX_CHART_POINTS + 3 }, (_, i) => ({ socialWorkerId: `sw-${i}`, open: 40 - i })) };
    const [, chart] = digestCharts(d, names, translator('sv'));
    assert.equal((chart.data as unknown[]).length, MAX_CHART_POINTS);
    assert.match(JSON.stringify(chart.fallback), /… och 3 till/);
  });

  it('no social workers and no weeks (an old digest): a line of text, no empty chart', () => {
    const els = digestCharts({ caseload: [], reviewsByWeek: undefined as never }, names, translator('sv'));
    assert.deepEqual(els.map((e) => e.type), ['TextBlock']);
    assert.equal(els[0].text, 'Ärenden per socialsekreterare: 0');
  });
});
