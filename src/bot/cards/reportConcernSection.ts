import type { Translate } from '../i18n';
import type { CardElement } from './adaptiveCard';

/**
 * The always visible way to the municipality's official orosanmälan channel. A concern in the bot
 * never replaces the personal and immediate duty to report (anmälningsplikt, socialtjänstlagen).
 */
export function reportConcernSection(url: string | undefined, t: Translate): CardElement[] {
  if (!url) return [];
  return [
    {
      type: 'Container',
      style: 'attention',
      separator: true,
      spacing: 'Large',
      items: [
        { type: 'TextBlock', text: t('orosanmalan.title'), weight: 'Bolder', wrap: true },
        { type: 'TextBlock', text: t('orosanmalan.duty'), wrap: true, size: 'Small' },
        {
          type: 'ActionSet',
          actions: [{ type: 'Action.OpenUrl', title: t('orosanmalan.action'), url, id: 'reportConcern' }],
        },
      ],
    },
  ];
}
