/**
 * Charts as Adaptive Card elements that Teams draws (Chart.VerticalBar, Chart.VerticalBar.Grouped,
 * Chart.Line, Chart.HorizontalBar, Chart.Donut; Adaptive Cards 1.5, which every card of ours is), each
 * with a `fallback`: the same figures as a FactSet, for a client that draws no charts.
 *
 * Property names as Teams' renderer reads them (the Agents Playground bundles the same one):
 *   Chart.VerticalBar          data: [{ x, y }], xAxisTitle, yAxisTitle, showBarValues, colorSet, color, title
 *   Chart.VerticalBar.Grouped  data: [{ legend, values: [{ x, y }] }] (at most 4 series), showBarValues, …
 *   Chart.Line                 data: [{ legend, values: [{ x, y }] }], xAxisTitle, yAxisTitle, …
 *   Chart.HorizontalBar        data: [{ x, y }], displayMode (AbsoluteWithAxis | AbsoluteNoAxis | PartToWhole)
 *   Chart.Donut                data: [{ legend, value }]
 * A chart's `title` is its accessible name; the renderer does not draw it, so a card shows its own
 * heading above (chartBlock).
 *
 * A value may be text: a published cell that is suppressed ("<5") or withheld ("–"). It is drawn as 0,
 * and the text is shown in the fallback and beside the point's label (no chart draws a per-point note).
 */
import { translator, type Translate } from '../i18n';
import type { CardElement } from './adaptiveCard';

/** A figure: a count, or the text a published figure shows instead (e.g. "<5"). */
export type ChartValue = number | string;
export interface ChartPoint { x: string; y: ChartValue }
export interface ChartSeries { legend: string; values: ChartPoint[] }
export interface ChartSlice { legend: string; value: ChartValue }

interface Titles { title: string; xAxisTitle?: string; yAxisTitle?: string }

/**
 * Bounds that keep a chart small (Teams refuses a message over about 28 KB of card in some clients,
 * and a card holds a few charts beside its text): points per series, series per chart (Teams' grouped
 * bar draws at most 4), characters per label. What is left out is counted in the fallback ("… and N more").
 */
export const MAX_CHART_POINTS = 24;
/** Points (x labels) per series when there are several series: a year of months. */
export const MAX_MULTI_POINTS = 12;
export const MAX_CHART_SERIES = 4;
export const MAX_DONUT_SLICES = 12;
export const MAX_LABEL_CHARS = 32;
/** A chart at its bounds, fallback included, stays under this many characters of JSON (three to a card and its text stay under 28 KB). */
export const MAX_CHART_CHARS = 8_000;

const COLOR_SET = 'categorical';
/** One series in one colour (without it the renderer gives every bar of a series its own). */
const SINGLE_COLOR = 'categoricalBlue';

const clip = (label: string): string => {
  const s = label.trim() || '–';
  return s.length > MAX_LABEL_CHARS ? `${s.slice(0, MAX_LABEL_CHARS - 1)}…` : s;
};
const plotted = (v: ChartValue): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
/** A figure as text: Swedish with a decimal comma and a real minus sign. */
const shown = (v: ChartValue, t: Translate): string => (typeof v === 'number' ? (t.lang === 'en' ? String(v) : String(v).replace('.', ',').replace('-', '−')) : v);
const isText = (v: ChartValue): v is string => typeof v !== 'number';

/** The first `max`, and how many were left out. */
function bounded<T>(items: readonly T[], max: number): { kept: T[]; left: number } {
  return { kept: items.slice(0, max), left: Math.max(0, items.length - max) };
}

const titles = (m: Titles): CardElement => ({
  title: clip(m.title),
  ...(m.xAxisTitle ? { xAxisTitle: clip(m.xAxisTitle) } : {}),
  ...(m.yAxisTitle ? { yAxisTitle: clip(m.yAxisTitle) } : {}),
});

const moreLine = (n: number, t: Translate): CardElement[] =>
  n > 0 ? [{ type: 'TextBlock', text: t('chart.more', { n }), size: 'Small', isSubtle: true, spacing: 'None', wrap: true }] : [];

/** The fallback for one series: label → figure, as a FactSet (in a Container when something was left out). */
function factsFallback(rows: Array<[string, ChartValue]>, left: number, t: Translate): CardElement {
  const factSet: CardElement = { type: 'FactSet', facts: rows.map(([title, v]) => ({ title: clip(title), value: shown(v, t) })) };
  return left > 0 ? { type: 'Container', items: [factSet, ...moreLine(left, t)] } : factSet;
}

/**
 * The fallback for several series: a FactSet, one fact per x with every series' figure
 * ("giltig: Före 12 · Efter 8"): compact, and drawn by every client (a Table needs 1.5 and twice the bytes).
 */
function seriesFallback(xs: string[], series: ChartSeries[], left: number, t: Translate): CardElement {
  const valueAt = (s: ChartSeries, x: string) => s.values.find((p) => p.x === x)?.y;
  const rows = xs.map((x): [string, string] => [x, series.map((s) => { const v = valueAt(s, x); return `${clip(s.legend)} ${v === undefined ? '–' : shown(v, t)}`; }).join(' · ')]);
  return factsFallback(rows, left, t);
}

/** "före (<5)": a label with the text of a figure that is drawn as 0. */
const noted = (label: string, notes: string[]): string => (notes.length > 0 ? `${clip(label)} (${notes.join(', ')})` : clip(label));

/** Vertical bars, one series: e.g. requests per month. */
export function verticalBarChart(m: Titles & { data: ChartPoint[] }, t: Translate = translator('sv')): CardElement {
  const { kept, left } = bounded(m.data, MAX_CHART_POINTS);
  return {
    type: 'Chart.VerticalBar',
    ...titles(m),
    colorSet: COLOR_SET,
    color: SINGLE_COLOR,
    showBarValues: true,
    data: kept.map((p) => ({ x: noted(p.x, isText(p.y) ? [p.y] : []), y: plotted(p.y) })),
    fallback: factsFallback(kept.map((p) => [p.x, p.y]), left, t),
  };
}

/** Horizontal bars, one series, the figure beside each bar: e.g. open cases per social worker. */
export function horizontalBarChart(m: Titles & { data: ChartPoint[] }, t: Translate = translator('sv')): CardElement {
  const { kept, left } = bounded(m.data, MAX_CHART_POINTS);
  return {
    type: 'Chart.HorizontalBar',
    ...titles(m),
    colorSet: COLOR_SET,
    color: SINGLE_COLOR,
    displayMode: 'AbsoluteNoAxis',
    data: kept.map((p) => ({ x: noted(p.x, isText(p.y) ? [p.y] : []), y: plotted(p.y) })),
    fallback: factsFallback(kept.map((p) => [p.x, p.y]), left, t),
  };
}

/** Several series over the same x labels (bounded), the text figures of each x beside its label. */
function multiSeries(series: ChartSeries[]): { kept: ChartSeries[]; xs: string[]; left: number; label(x: string): string } {
  const s = bounded(series, MAX_CHART_SERIES);
  const allXs = [...new Set(s.kept.flatMap((x) => x.values.map((p) => p.x)))];
  const xs = bounded(allXs, MAX_MULTI_POINTS);
  const inXs = new Set(xs.kept);
  const kept = s.kept.map((x) => ({ legend: x.legend, values: x.values.filter((p) => inXs.has(p.x)) }));
  // One series' text figure at x is named with its series ("ogiltig (Efter <5)"); several, by their texts only.
  const label = (x: string) => {
    const notes = kept.flatMap((sr) => sr.values.filter((p) => p.x === x && isText(p.y)).map((p) => ({ legend: sr.legend, text: p.y as string })));
    return noted(x, notes.length === 1 ? [`${clip(notes[0].legend)} ${notes[0].text}`] : [...new Set(notes.map((n) => n.text))]);
  };
  return { kept, xs: xs.kept, left: s.left + xs.left, label };
}

/** Bars side by side per x, one colour per series: e.g. absence before/after, giltig/ogiltig/total. */
export function groupedVerticalBarChart(m: Titles & { series: ChartSeries[] }, t: Translate = translator('sv')): CardElement {
  const { kept, xs, left, label } = multiSeries(m.series);
  return {
    type: 'Chart.VerticalBar.Grouped',
    ...titles(m),
    colorSet: COLOR_SET,
    showBarValues: true,
    data: kept.map((s) => ({ legend: clip(s.legend), values: s.values.map((p) => ({ x: label(p.x), y: plotted(p.y) })) })),
    fallback: seriesFallback(xs, kept, left, t),
  };
}

/** Lines over x labels, one per series: e.g. requests and consultations per month. */
export function lineChart(m: Titles & { series: ChartSeries[] }, t: Translate = translator('sv')): CardElement {
  const { kept, xs, left, label } = multiSeries(m.series);
  return {
    type: 'Chart.Line',
    ...titles(m),
    colorSet: COLOR_SET,
    data: kept.map((s) => ({ legend: clip(s.legend), values: s.values.map((p) => ({ x: label(p.x), y: plotted(p.y) })) })),
    fallback: kept.length === 1 ? factsFallback(kept[0].values.map((p) => [p.x, p.y]), left, t) : seriesFallback(xs, kept, left, t),
  };
}

/** Parts of a whole: e.g. outcomes. */
export function donutChart(m: { title: string; data: ChartSlice[] }, t: Translate = translator('sv')): CardElement {
  const { kept, left } = bounded(m.data, MAX_DONUT_SLICES);
  return {
    type: 'Chart.Donut',
    title: clip(m.title),
    colorSet: COLOR_SET,
    data: kept.map((s) => ({ legend: noted(s.legend, isText(s.value) ? [s.value] : []), value: plotted(s.value) })),
    fallback: factsFallback(kept.map((s) => [s.legend, s.value]), left, t),
  };
}

/** A chart under its own heading (the renderer does not draw a chart's title). */
export function chartBlock(chart: CardElement, extra: CardElement = {}): CardElement[] {
  return [{ type: 'TextBlock', text: String(chart.title ?? ''), weight: 'Bolder', spacing: 'Medium', wrap: true, ...extra }, chart];
}
