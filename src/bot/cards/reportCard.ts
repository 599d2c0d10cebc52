import { OUTCOMES } from '../../domain/concern';
import { publishYearReport, type PublishedFigures, type YearReport } from '../../domain/report';
import type { Translate } from '../i18n';
import { executeAction } from './actions';
import { adaptiveCard, facts, heading, paragraph, type AdaptiveCard, type CardElement } from './adaptiveCard';
import { categoryLabel, outcomeLabel } from './labels';

export const REPORT_VERB = 'report.show';

/** The yearly report as a card: totals, then one block per school and category. Counts only, as published: 1–4 shown as "<5". */
export function reportCard(m: { report: YearReport; schoolName(id: string): string; csvUrl?: string }, t: Translate): AdaptiveCard {
  const r = publishYearReport(m.report);
  const lines = (x: PublishedFigures): Array<[string, string]> => [
    [t('report.concerns'), String(x.requests)],
    [t('report.anonymous'), String(x.consultations)],
    [t('report.converted'), String(x.consultationsConverted)],
    [t('report.meetings'), String(x.meetingsHeld)],
    [t('report.plans'), String(x.plans)],
    [t('report.reviews'), t('report.reviewsValue', { onTime: x.reviewsOnTime, late: x.reviewsLate })],
    [t('report.daysToMeeting'), String(x.medianDaysToFirstMeeting)],
    ...OUTCOMES.filter((o) => x.outcomes[o] !== 0).map((o): [string, string] => [outcomeLabel(o, t), String(x.outcomes[o])]),
  ];
  const blocks: CardElement[] = r.rows.flatMap((row) => [
    { type: 'TextBlock', text: `${m.schoolName(row.schoolId)} · ${categoryLabel(row.category, t)}`, weight: 'Bolder', spacing: 'Medium', wrap: true },
    facts(lines(row)),
  ]);
  return adaptiveCard(
    [
      heading(t('report.title', { year: r.year })),
      paragraph(t('report.intro'), { size: 'Small', isSubtle: true }),
      facts(lines(r.totals)),
      ...(blocks.length > 0 ? blocks : [paragraph(t('report.empty'))]),
      { type: 'Input.Number', id: 'year', label: t('report.otherYear'), min: 2019, max: 2100, value: r.year - 1 },
    ],
    [
      ...(m.csvUrl ? [{ type: 'Action.OpenUrl', title: t('report.csv'), url: m.csvUrl }] : []),
      executeAction(t('report.show'), REPORT_VERB, {}),
    ],
  );
}
