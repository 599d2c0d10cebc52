import { CATEGORIES, GRADES, INSATS_FORMS, INSATS_KINDS, OUTCOMES, type Category, type Grade } from '../../domain/concern';
import { GOAL_ATTAINMENTS } from '../../domain/plan';
import { publishReport, type Report } from '../../domain/report';
import { PERIOD_PRESETS } from '../../domain/reportPeriod';
import type { PublishedCell } from '../../domain/suppression';
import type { Translate } from '../i18n';
import { executeAction } from './actions';
import { adaptiveCard, facts, heading, noticeBlock, paragraph, type AdaptiveCard, type CardElement, type Notice } from './adaptiveCard';
import { chartBlock, groupedVerticalBarChart, lineChart } from './charts';
import { categoryLabel, gradeLabel, monthLabel, outcomeLabel, periodLabel } from './labels';

export const REPORT_VERB = 'report.show';

export interface ReportCardModel {
  report: Report;
  /** Whose figures: a team's name, or all teams. */
  scopeName: string;
  schoolName(id: string): string;
  /** The categories and grades the municipality uses (others are shown only when a case has one). */
  categories: Category[];
  grades: Grade[];
  csvUrl?: string;
  /** The period chooser as the person left it (a rejected from–to comes back as typed). */
  chooser?: { preset: string; from?: string; to?: string };
  notice?: Notice;
}

const text = (v: PublishedCell | string) => String(v);
const cellBlock = (value: string, extra: CardElement = {}): CardElement => ({ type: 'TableCell', items: [{ type: 'TextBlock', text: value, wrap: true, size: 'Small', ...extra }] });

/**
 * The requests per school and category as one Table: a row per school, the categories as columns,
 * then the school's total and its anonymous consultations (apart); a totals row last.
 */
function schoolTable(m: ReportCardModel, p: ReturnType<typeof publishReport>, categories: Category[], t: Translate): CardElement {
  const header = { type: 'TableRow', style: 'accent', cells: [cellBlock(t('report.school'), { weight: 'Bolder' }), ...categories.map((c) => cellBlock(categoryLabel(c, t), { weight: 'Bolder' })), cellBlock(t('report.total'), { weight: 'Bolder' }), cellBlock(t('report.consultationsShort'), { weight: 'Bolder' })] };
  const rows = p.schools.map((s) => ({ type: 'TableRow', cells: [cellBlock(m.schoolName(s.schoolId)), ...categories.map((c) => cellBlock(text(s.categories[c]))), cellBlock(text(s.total), { weight: 'Bolder' }), cellBlock(text(s.consultations))] }));
  const totals = { type: 'TableRow', cells: [cellBlock(t('report.total'), { weight: 'Bolder' }), ...categories.map((c) => cellBlock(text(p.categoryTotals[c]), { weight: 'Bolder' })), cellBlock(text(p.requests), { weight: 'Bolder' }), cellBlock(text(p.consultations), { weight: 'Bolder' })] };
  return {
    type: 'Table',
    spacing: 'Small',
    firstRowAsHeader: true,
    showGridLines: true,
    gridStyle: 'default',
    columns: [{ width: 3 }, ...categories.map(() => ({ width: 2 })), { width: 2 }, { width: 2 }],
    rows: [header, ...rows, totals],
  };
}

/**
 * Requests and consultations per month, a line each (suppressed months drawn as 0, labelled "<5");
 * a period of more than a year by quarter, so the whole period fits the chart.
 */
function perMonthChart(p: ReturnType<typeof publishReport>, t: Translate): CardElement[] {
  const byQuarter = p.perMonth.length > 12;
  const acrossYears = p.perMonth.length > 0 && p.perMonth[0].month.slice(0, 4) !== p.perMonth[p.perMonth.length - 1].month.slice(0, 4);
  const points = byQuarter
    ? p.perQuarter.map((q) => ({ x: t('report.chart.quarterLabel', { n: q.quarter.slice(6), year: q.quarter.slice(2, 4) }), requests: q.requests, consultations: q.consultations }))
    : p.perMonth.map((m) => ({ x: monthLabel(m.month, t, acrossYears), requests: m.requests, consultations: m.consultations }));
  return chartBlock(
    lineChart({
      title: t(byQuarter ? 'report.chart.perQuarter' : 'report.chart.perMonth'),
      xAxisTitle: t(byQuarter ? 'report.chart.quarter' : 'report.chart.month'),
      yAxisTitle: t('report.chart.count'),
      series: [
        { legend: t('report.concerns'), values: points.map((q) => ({ x: q.x, y: q.requests })) },
        { legend: t('report.consultationsShort'), values: points.map((q) => ({ x: q.x, y: q.consultations })) },
      ],
    }, t),
  );
}

/** Absence before and after: the medians of giltig, ogiltig and total, before and after (withheld below five cases). */
function absenceChart(p: ReturnType<typeof publishReport>, t: Translate): CardElement[] {
  const a = p.absence;
  const values = (m: typeof a.before) => [
    { x: t('report.chart.valid'), y: m.valid },
    { x: t('report.chart.invalid'), y: m.invalid },
    { x: t('report.total'), y: m.total },
  ];
  return chartBlock(
    groupedVerticalBarChart({
      title: t('report.chart.absence'),
      yAxisTitle: t('report.chart.percent'),
      series: [{ legend: t('report.chart.before'), values: values(a.before) }, { legend: t('report.chart.after'), values: values(a.after) }],
    }, t),
  );
}

const section = (title: string): CardElement => ({ type: 'TextBlock', text: title, weight: 'Bolder', spacing: 'Large', separator: true, wrap: true });

/**
 * The follow-up report as a compact card, counts only and as published (1–4 as "<5"): the key
 * figures, requests per school and category as a table, årskurs, insats, outcomes, absence before
 * and after, goals, and a period chooser (this or last term, this or last report period, from–to).
 */
export function reportCard(m: ReportCardModel, t: Translate): AdaptiveCard {
  const p = publishReport(m.report);
  const nonZero = <K extends string>(all: readonly K[], used: readonly K[], parts: Record<K, PublishedCell>) => all.filter((k) => used.includes(k) || parts[k] !== 0);
  const categories = CATEGORIES.filter((c) => m.categories.includes(c) || p.categoryTotals[c] !== 0);
  const grades = nonZero(GRADES, m.grades, p.grades.parts);
  const a = p.absence;
  // Swedish decimal commas and a real minus sign.
  const num = (v: number) => String(v).replace('-', '−').replace('.', t.lang === 'en' ? '.' : ',');
  const pp = (v: number | string) => (typeof v === 'number' ? t('report.pp', { n: v > 0 ? `+${num(v)}` : num(v) }) : v);
  const pct = (v: number | string) => (typeof v === 'number' ? `${num(v)} %` : v);
  const period = periodLabel(p.period, t);
  const chooser = m.chooser ?? { preset: p.period.preset, from: p.period.start, to: p.period.end };
  const body: CardElement[] = [
    heading(t('report.title', { period, scope: m.scopeName })),
    paragraph(t('report.periodDates', { start: p.period.start, end: p.period.end }), { size: 'Small', isSubtle: true, spacing: 'None' }),
    ...noticeBlock(m.notice),
    paragraph(t('report.intro'), { size: 'Small', isSubtle: true }),
    facts([
      [t('report.concerns'), text(p.requests)],
      [t('report.anonymous'), text(p.consultations)],
      [t('report.converted'), text(p.consultationsConverted)],
      [t('report.meetings'), text(p.meetingsHeld)],
      [t('report.plans'), text(p.plans)],
      [t('report.reviews'), t('report.reviewsValue', { onTime: p.reviewsOnTime, late: p.reviewsLate })],
      [t('report.daysToMeeting'), text(p.daysToFirstMeeting)],
      [t('report.daysToPlan'), text(p.daysToFirstPlan)],
      [t('report.intensive'), typeof p.intensiveWeeks === 'number' ? t('report.weeks', { n: num(p.intensiveWeeks) }) : p.intensiveWeeks],
    ]),
    ...perMonthChart(p, t),
    section(t('report.absenceTitle')),
    paragraph(t('report.absenceIntro'), { size: 'Small', isSubtle: true, spacing: 'None' }),
    facts([
      [t('report.absenceBasis'), text(a.basis)],
      [t('report.absenceChange'), pp(a.medianChange)],
      [t('report.absenceImproved'), `${text(a.improved)} (${pct(a.improvedShare)})`],
      [t('report.absenceBefore'), t('report.absenceValue', { valid: pct(a.before.valid), invalid: pct(a.before.invalid) })],
      [t('report.absenceAfter'), t('report.absenceValue', { valid: pct(a.after.valid), invalid: pct(a.after.invalid) })],
      [t('report.sameSchool'), `${text(p.sameSchool.yes)} / ${text(p.sameSchool.basis)} (${pct(p.sameSchool.share)})`],
    ]),
    ...absenceChart(p, t),
    section(t('report.goalsTitle')),
    facts(GOAL_ATTAINMENTS.map((g): [string, string] => [t(`plan.attainment.${g}`), text(p.goals.parts[g])])),
    section(t('report.bySchool')),
    schoolTable(m, p, categories, t),
    section(t('report.byGrade')),
    facts(grades.map((g): [string, string] => [gradeLabel(g, t), text(p.grades.parts[g])])),
    section(t('report.insatsTitle')),
    facts([
      ...INSATS_FORMS.map((f): [string, string] => [t(`insats.form.${f}`), text(p.insatsForms.parts[f])]),
      ...INSATS_KINDS.map((k): [string, string] => [t(`insats.kind.${k}`), text(p.insatsKinds.parts[k])]),
    ]),
    section(t('report.outcomesTitle')),
    facts(OUTCOMES.map((o): [string, string] => [outcomeLabel(o, t), text(p.outcomes.parts[o])])),
    section(t('report.choosePeriod')),
    {
      type: 'Input.ChoiceSet',
      id: 'preset',
      label: t('report.preset'),
      style: 'compact',
      value: chooser.preset,
      choices: PERIOD_PRESETS.map((x) => ({ title: t(`report.preset.${x}`), value: x })),
    },
    {
      type: 'ColumnSet',
      columns: [
        { type: 'Column', width: 'stretch', items: [{ type: 'Input.Date', id: 'from', label: t('report.from'), value: chooser.from }] },
        { type: 'Column', width: 'stretch', items: [{ type: 'Input.Date', id: 'to', label: t('report.to'), value: chooser.to }] },
      ],
    },
  ];
  return adaptiveCard(body, [
    executeAction(t('report.show'), REPORT_VERB, { shownPreset: chooser.preset, shownFrom: chooser.from ?? '', shownTo: chooser.to ?? '' }, { style: 'positive' }),
    ...(m.csvUrl ? [{ type: 'Action.OpenUrl', title: t('report.csv'), url: m.csvUrl }] : []),
  ]);
}
