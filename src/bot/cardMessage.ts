import { randomUUID } from 'node:crypto';
import { CardFactory, MessageFactory, type Activity } from 'botbuilder';
import { stampCardId, type AdaptiveCard } from './cards/adaptiveCard';
import type { Language } from './i18n';

/** A card stamped with a fresh rendering id and the language it was drawn in (see stampCardId). */
export const stamped = (card: AdaptiveCard, lang: Language): AdaptiveCard => stampCardId(card, randomUUID(), lang);

/** A message carrying one card, stamped with a fresh rendering id and its language. */
export function cardMessage(card: AdaptiveCard, lang: Language): Partial<Activity> {
  return MessageFactory.attachment(CardFactory.adaptiveCard(stamped(card, lang)));
}
