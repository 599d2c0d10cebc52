import assert from 'node:assert/strict';
import {
  MAX_CHART_CHARS, MAX_CHART_POINTS, MAX_CHART_SERIES, MAX_DONUT_SLICES, MAX_LABEL_CHARS, MAX_MULTI_POINTS,
  chartBlock, donutChart, groupedVerticalBarChart, horizontalBarChart, lineChart, verticalBarChart,
} from '../../src/bot/cards/charts';
import { translator } from '../../src/bot/i18n';

const sv = translator('sv');
const en = translator('en');
const json = (x: unknown) => JSON.stringify(x);

/** Every text in an element tree (TextBlock texts, Fact titles and values). */
function texts(node: unknown, into: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => texts(n, into));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.type === 'TextBlock' && typeof o.text === 'string') into.push(o.text);
    if (typeof o.title === 'string' && typeof o.value === 'string') into.push(o.title, o.value);
    for (const v of Object.values(o)) if (v && typeof v === 'object') texts(v, into);
  }
  return into;
}

describe('bot/cards charts', () => {
  it('a vertical bar: Teams\' Chart.VerticalBar with data [{x,y}], axis titles, bar values, and a FactSet of the same figures as fallback', () => {
    const c = verticalBarChart({ title: 'Förfrågningar per månad', xAxisTitle: 'Månad', yAxisTitle: 'Antal', data: [{ x: 'jan', y: 12 }, { x: 'feb', y: 7 }, { x: 'mar', y: 0 }] }, sv);
    assert.deepEqual(c, {
      type: 'Chart.VerticalBar',
      title: 'Förfrågningar per månad',
      xAxisTitle: 'Månad',
      yAxisTitle: 'Antal',
      colorSet: 'categorical',
      color: 'categoricalBlue',
      showBarValues: true,
      data: [{ x: 'jan', y: 12 }, { x: 'feb', y: 7 }, { x: 'mar', y: 0 }],
      fallback: { type: 'FactSet', facts: [{ title: 'jan', value: '12' }, { title: 'feb', value: '7' }, { title: 'mar', value: '0' }] },
    });
  });

  it('a suppressed figure ("<5") is drawn as 0, shown as "<5" in the fallback and beside the bar\'s label', () => {
    const c = verticalBarChart({ title: 'T', data: [{ x: 'Rydskolan', y: '<5' }, { x: 'Bergaskolan', y: 9 }] }, sv) as any;
    assert.deepEqual(c.data, [{ x: 'Rydskolan (<5)', y: 0 }, { x: 'Bergaskolan', y: 9 }]);
    assert.deepEqual(c.fallback.facts, [{ title: 'Rydskolan', value: '<5' }, { title: 'Bergaskolan', value: '9' }]);
    const h = horizontalBarChart({ title: 'T', data: [{ x: 'Sara', y: '<5' }] }, sv) as any;
    assert.deepEqual(h.data, [{ x: 'Sara (<5)', y: 0 }]);
    assert.deepEqual(h.fallback.facts, [{ title: 'Sara', value: '<5' }]);
  });

  it('a horizontal bar: Chart.HorizontalBar with the figure beside each bar (AbsoluteNoAxis); an empty name still gets a bar (Teams drops x "")', () => {
    const c = horizontalBarChart({ title: 'Ärenden per socialsekreterare', data: [{ x: 'Sara Socionom', y: 14 }, { x: '', y: 2 }] }, sv) as any;
    assert.equal(c.type, 'Chart.HorizontalBar');
    assert.equal(c.displayMode, 'AbsoluteNoAxis');
    assert.deepEqual(c.data, [{ x: 'Sara Socionom', y: 14 }, { x: '–', y: 2 }]);
    assert.deepEqual(c.fallback, { type: 'FactSet', facts: [{ title: 'Sara Socionom', value: '14' }, { title: '–', value: '2' }] });
  });

  it('grouped bars (absence before/after by giltig/ogiltig/total): data [{legend, values:[{x,y}]}], fallback a FactSet of every series\' figure per x', () => {
    const c = groupedVerticalBarChart({
      title: 'Frånvaro före och efter',
      yAxisTitle: '%',
      series: [
        { legend: 'Före', values: [{ x: 'giltig', y: 12 }, { x: 'ogiltig', y: 31 }, { x: 'total', y: 43 }] },
        { legend: 'Efter', values: [{ x: 'giltig', y: 8 }, { x: 'ogiltig', y: '<5' }, { x: 'total', y: 11 }] },
      ],
    }, sv) as any;
    assert.equal(c.type, 'Chart.VerticalBar.Grouped');
    assert.equal(c.showBarValues, true);
    // The suppressed value of one series is named beside its x label, in every series (the groups stay aligned).
    assert.deepEqual(c.data, [
      { legend: 'Före', values: [{ x: 'giltig', y: 12 }, { x: 'ogiltig (Efter <5)', y: 31 }, { x: 'total', y: 43 }] },
      { legend: 'Efter', values: [{ x: 'giltig', y: 8 }, { x: 'ogiltig (Efter <5)', y: 0 }, { x: 'total', y: 11 }] },
    ]);
    assert.deepEqual(c.fallback, {
      type: 'FactSet',
      facts: [{ title: 'giltig', value: 'Före 12 · Efter 8' }, { title: 'ogiltig', value: 'Före 31 · Efter <5' }, { title: 'total', value: 'Före 43 · Efter 11' }],
    });
  });

  it('a line (requests per month): Chart.Line with data [{legend, values:[{x,y}]}]; one series falls back to label → figure, two to label → each series figure; a missing point is "–"', () => {
    const one = lineChart({ title: 'Förfrågningar per månad', series: [{ legend: 'Förfrågningar', values: [{ x: 'jan', y: 5 }, { x: 'feb', y: 9 }] }] }, sv) as any;
    assert.equal(one.type, 'Chart.Line');
    assert.deepEqual(one.data, [{ legend: 'Förfrågningar', values: [{ x: 'jan', y: 5 }, { x: 'feb', y: 9 }] }]);
    assert.deepEqual(one.fallback, { type: 'FactSet', facts: [{ title: 'jan', value: '5' }, { title: 'feb', value: '9' }] });
    const two = lineChart({ title: 'T', series: [{ legend: 'A', values: [{ x: 'jan', y: 5 }, { x: 'feb', y: 9 }] }, { legend: 'B', values: [{ x: 'feb', y: 6 }] }] }, sv) as any;
    assert.deepEqual(two.fallback.facts, [{ title: 'jan', value: 'A 5 · B –' }, { title: 'feb', value: 'A 9 · B 6' }]);
  });

  it('a donut: Chart.Donut with data [{legend, value}], suppressed slices drawn as 0 and named "<5"', () => {
    const c = donutChart({ title: 'Utfall', data: [{ legend: 'Målen nådda', value: 11 }, { legend: 'Flyttat', value: '<5' }] }, sv);
    assert.deepEqual(c, {
      type: 'Chart.Donut',
      title: 'Utfall',
      colorSet: 'categorical',
      data: [{ legend: 'Målen nådda', value: 11 }, { legend: 'Flyttat (<5)', value: 0 }],
      fallback: { type: 'FactSet', facts: [{ title: 'Målen nådda', value: '11' }, { title: 'Flyttat', value: '<5' }] },
    });
  });

  it('every figure of every chart is in its fallback', () => {
    const values = [3, 17, 250, '<5', '–', 0];
    const data = values.map((y, i) => ({ x: `p${i}`, y }));
    const charts = [
      verticalBarChart({ title: 'T', data }, sv),
      horizontalBarChart({ title: 'T', data }, sv),
      lineChart({ title: 'T', series: [{ legend: 'L', values: data }] }, sv),
      groupedVerticalBarChart({ title: 'T', series: [{ legend: 'L', values: data }, { legend: 'M', values: data }] }, sv),
      donutChart({ title: 'T', data: data.map((p) => ({ legend: p.x, value: p.y })) }, sv),
    ];
    for (const c of charts) {
      const shown = texts(c.fallback);
      const multi = c.type === 'Chart.VerticalBar.Grouped';
      for (const [i, v] of values.entries()) {
        const expected = multi ? `L ${v} · M ${v}` : String(v);
        assert.equal(shown[shown.indexOf(`p${i}`) + 1], expected, `${String(c.type)}: ${v} beside p${i} in ${json(shown)}`);
      }
      for (const p of data) assert.ok(shown.includes(p.x), `${String(c.type)}: label ${p.x}`);
    }
  });

  it('bounds: at most MAX_CHART_POINTS points (MAX_MULTI_POINTS with several series), MAX_CHART_SERIES series, MAX_DONUT_SLICES slices; the fallback says how many more', () => {
    const many = Array.from({ length: MAX_CHART_POINTS + 7 }, (_, i) => ({ x: `x${i}`, y: i }));
    const v = verticalBarChart({ title: 'T', data: many }, sv) as any;
    assert.equal(v.data.length, MAX_CHART_POINTS);
    assert.match(json(v.fallback), /… och 7 till/);
    assert.equal(v.fallback.items[0].facts.length, MAX_CHART_POINTS);
    assert.match(json(horizontalBarChart({ title: 'T', data: many }, en)), /… and 7 more/);
    const series = Array.from({ length: MAX_CHART_SERIES + 2 }, (_, i) => ({ legend: `s${i}`, values: many }));
    const g = groupedVerticalBarChart({ title: 'T', series }, sv) as any;
    assert.equal(g.data.length, MAX_CHART_SERIES);
    for (const s of g.data) assert.equal(s.values.length, MAX_MULTI_POINTS);
    assert.equal(g.fallback.items[0].facts.length, MAX_MULTI_POINTS);
    assert.match(json(g.fallback), new RegExp(`… och ${2 + many.length - MAX_MULTI_POINTS} till`), '2 series and the x labels past the bound left out');
    const l = lineChart({ title: 'T', series }, sv) as any;
    assert.equal(l.data.length, MAX_CHART_SERIES);
    for (const s of l.data) assert.equal(s.values.length, MAX_MULTI_POINTS);
    const d = donutChart({ title: 'T', data: many.map((p) => ({ legend: p.x, value: p.y })) }, sv) as any;
    assert.equal(d.data.length, MAX_DONUT_SLICES);
    assert.match(json(d.fallback), new RegExp(`… och ${many.length - MAX_DONUT_SLICES} till`));
  });

  it('bounds: labels are cut at MAX_LABEL_CHARS, and a chart at every bound stays under MAX_CHART_CHARS', () => {
    const long = 'Å'.repeat(500);
    const data = Array.from({ length: 200 }, (_, i) => ({ x: `${long}${i}`, y: '<5' }));
    const series = Array.from({ length: 20 }, (_, i) => ({ legend: `${long}${i}`, values: data }));
    const charts = [
      verticalBarChart({ title: long, xAxisTitle: long, yAxisTitle: long, data }, sv),
      horizontalBarChart({ title: long, data }, sv),
      donutChart({ title: long, data: data.map((p) => ({ legend: p.x, value: p.y })) }, sv),
      lineChart({ title: long, series }, sv),
      groupedVerticalBarChart({ title: long, series }, sv),
    ];
    for (const c of charts) {
      assert.ok((c.title as string).length <= MAX_LABEL_CHARS);
      assert.ok(json(c).length <= MAX_CHART_CHARS, `${String(c.type)}: ${json(c).length} characters`);
      const facts = (JSON.parse(json(c.fallback)).items?.[0] ?? c.fallback).facts as Array<{ title: string }>;
      for (const f of facts) assert.ok(f.title.length <= MAX_LABEL_CHARS, `${String(c.type)} fallback label ${f.title.length}`);
    }
  });

  it('chartBlock: the chart under a visible heading (Teams draws no chart title)', () => {
    const c = verticalBarChart({ title: 'Uppföljningar per vecka', data: [{ x: 'v. 49', y: 2 }] }, sv);
    const [head, chart] = chartBlock(c);
    assert.deepEqual(head, { type: 'TextBlock', text: 'Uppföljningar per vecka', weight: 'Bolder', spacing: 'Medium', wrap: true });
    assert.equal(chart, c);
  });
});
