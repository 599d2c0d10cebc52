import type { Translate } from '../i18n';
import type { CardElement } from './adaptiveCard';

/**
 * The always visible way to the municipality's official orosanmälan channel. A concern in the bot
 * never replaces the personal and immediate duty to report (anmälningsplikt, socialtjänstlagen).
 * In full (the red box with the duty spelled out) on the welcome, help and concern form; elsewhere
 * one line with the link, so it is always there without shouting over every card.
 */
export function reportConcernSection(url: string | undefined, t: Translate, form: 'full' | 'link' = 'full'): CardElement[] {
  if (!url) return [];
  if (form === 'link') {
    return [{ type: 'TextBlock', text: t('orosanmalan.link', { url }), wrap: true, size: 'Small', isSubtle: true, separator: true, spacing: 'Medium' }];
  }
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
