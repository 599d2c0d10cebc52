/** Adaptive Card schema version Teams renders on desktop and mobile, including Action.Execute. */
export const CARD_VERSION = '1.5';

export type CardElement = Record<string, unknown>;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: CardElement[];
  actions?: CardElement[];
  refresh?: CardElement;
  msteams?: Record<string, unknown>;
  [key: string]: unknown;
}

export function adaptiveCard(body: CardElement[], actions?: CardElement[], extra: Partial<AdaptiveCard> = {}): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    body,
    ...(actions && actions.length > 0 ? { actions } : {}),
    msteams: { width: 'Full' },
    ...extra,
  };
}

export const heading = (text: string): CardElement => ({ type: 'TextBlock', text, weight: 'Bolder', size: 'Medium', wrap: true, style: 'heading' });
export const paragraph = (text: string, extra: CardElement = {}): CardElement => ({ type: 'TextBlock', text, wrap: true, ...extra });
export const facts = (items: Array<[string, string]>): CardElement => ({
  type: 'FactSet',
  facts: items.map(([title, value]) => ({ title, value })),
});
