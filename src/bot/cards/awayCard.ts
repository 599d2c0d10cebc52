import type { AwayPeriod } from '../../domain/roster';
import type { Translate } from '../i18n';
import { executeAction } from './actions';
import { adaptiveCard, heading, noticeBlock, paragraph, type AdaptiveCard, type CardElement, type Notice } from './adaptiveCard';

export const AWAY_VERB = 'away.save';

export interface AwayModel {
  /** The period set now, if any. */
  current?: AwayPeriod;
  today: string;
  values: { awayFrom?: string; awayUntil?: string };
  /** Problems by field, already in words. */
  errors: { awayFrom?: string; awayUntil?: string };
  notice?: Notice;
}

/** `frånvaro`: away from a day until a day (new concerns for one's schools go to the backup meanwhile), or back. */
export function awayCard(m: AwayModel, t: Translate): AdaptiveCard {
  const error = (id: 'awayFrom' | 'awayUntil'): CardElement[] =>
    m.errors[id] ? [{ type: 'TextBlock', id: `${id}Error`, text: m.errors[id], color: 'Attention', wrap: true, size: 'Small', spacing: 'None' }] : [];
  return adaptiveCard(
    [
      heading(t('away.title')),
      ...noticeBlock(m.notice),
      paragraph(m.current ? t('away.current', { from: m.current.from, until: m.current.until }) : t('away.notAway'), { weight: 'Bolder' }),
      paragraph(t('away.intro'), { size: 'Small' }),
      { type: 'Input.Date', id: 'awayFrom', label: t('away.field.from'), min: m.today, value: m.values.awayFrom ?? m.current?.from ?? m.today, isRequired: true, errorMessage: t('away.problem.invalidDate') },
      ...error('awayFrom'),
      { type: 'Input.Date', id: 'awayUntil', label: t('away.field.until'), min: m.today, value: m.values.awayUntil ?? m.current?.until, isRequired: true, errorMessage: t('away.problem.required') },
      ...error('awayUntil'),
    ],
    [
      executeAction(t('away.save'), AWAY_VERB, { op: 'set' }, { style: 'positive' }),
      ...(m.current ? [executeAction(t('away.end'), AWAY_VERB, { op: 'end' }, { associatedInputs: 'none' })] : []),
    ],
  );
}
