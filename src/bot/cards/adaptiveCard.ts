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

/**
 * The same card with `cardId` in the data of every Action.Execute and Action.Submit (nested cards
 * included): the id of this rendering, so a repeat of one submission from it is recognised. With
 * `lang`, the language the card was drawn in goes with it too (the card's own `lang` and every
 * action's data), so an action from the card is answered in the card's language.
 */
export function stampCardId<T>(card: T, cardId: string, lang?: 'sv' | 'en'): T {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = walk(v);
    if ((out.type === 'Action.Execute' || out.type === 'Action.Submit') && out.data && typeof out.data === 'object') {
      out.data = { ...(out.data as object), cardId, ...(lang ? { lang } : {}) };
    }
    if (lang && out.type === 'AdaptiveCard') out.lang = lang;
    return out;
  };
  return walk(card) as T;
}

/** A line at the top of a card: a problem in the Attention colour, a success in Good (never red). */
export type Notice = string | { text: string; tone: 'ok' | 'problem' };

export function noticeBlock(notice: Notice | undefined): CardElement[] {
  if (notice === undefined) return [];
  const { text, tone } = typeof notice === 'string' ? { text: notice, tone: 'problem' as const } : notice;
  return [paragraph(text, { color: tone === 'ok' ? 'Good' : 'Attention', weight: 'Bolder' })];
}

/** A success notice. */
export const ok = (text: string): Notice => ({ text, tone: 'ok' });

const PRIVATE_ID = 'private.';

/**
 * An element only the person who asked may see, in the answer to their card action: the case summary
 * and the school's own reference. It is left out whenever the card is stored as a message (forStoredMessage).
 */
export const privateElement = (name: string, element: CardElement): CardElement => ({ ...element, id: `${PRIVATE_ID}${name}` });

/**
 * The card as it may be kept in a chat message (Teams keeps messages, shows them on every client and
 * in notification previews): without private elements and without text that was typed into it (an
 * Input.Text's value: a form answered with errors still holds what the user wrote, only in the answer).
 */
export function forStoredMessage<T>(card: T): T {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.filter((n) => !isPrivate(n)).map(walk);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = walk(v);
    if (out.type === 'Input.Text') delete out.value;
    return out;
  };
  return walk(card) as T;
}

const isPrivate = (node: unknown): boolean => Boolean(node && typeof node === 'object' && typeof (node as { id?: unknown }).id === 'string' && (node as { id: string }).id.startsWith(PRIVATE_ID));
