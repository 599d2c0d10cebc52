import type { Translate } from '../i18n';
import { executeAction } from './actions';
import { adaptiveCard, heading, paragraph, type AdaptiveCard, noticeBlock, type Notice } from './adaptiveCard';

export const AUDIT_VERB = 'audit.export';

/** The admin's access-log export: a date range, then a download link. */
export function auditCard(m: { from: string; to: string; notice?: Notice; result?: { count: number; url?: string } }, t: Translate): AdaptiveCard {
  return adaptiveCard(
    [
      heading(t('audit.title')),
      paragraph(t('audit.intro'), { size: 'Small', isSubtle: true }),
      ...noticeBlock(m.notice),
      ...(m.result ? [paragraph(t('audit.ready', { count: m.result.count, from: m.from, to: m.to }), { weight: 'Bolder' })] : []),
      {
        type: 'ColumnSet',
        columns: [
          { type: 'Column', width: 'stretch', items: [{ type: 'Input.Date', id: 'from', label: t('audit.from'), isRequired: true, value: m.from }] },
          { type: 'Column', width: 'stretch', items: [{ type: 'Input.Date', id: 'to', label: t('audit.to'), isRequired: true, value: m.to }] },
        ],
      },
    ],
    [
      ...(m.result?.url ? [{ type: 'Action.OpenUrl', title: t('audit.download'), url: m.result.url }] : []),
      executeAction(t('audit.create'), AUDIT_VERB, {}, { style: 'positive' }),
    ],
  );
}
