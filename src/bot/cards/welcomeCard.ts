import type { Translate } from '../i18n';
import { adaptiveCard, heading, paragraph, type AdaptiveCard, type CardElement } from './adaptiveCard';

export function welcomeCard(model: { footer?: CardElement[] }, t: Translate): AdaptiveCard {
  return adaptiveCard([heading(t('welcome.title')), paragraph(t('help.intro')), paragraph(t('welcome.body')), ...(model.footer ?? [])]);
}
