import { randomUUID } from 'node:crypto';
import { CardFactory, MessageFactory, type Activity } from 'botbuilder';
import { stampCardId, type AdaptiveCard } from './cards/adaptiveCard';

/** A card stamped with a fresh rendering id (see stampCardId). */
export const stamped = (card: AdaptiveCard): AdaptiveCard => stampCardId(card, randomUUID());

/** A message carrying one card, stamped with a fresh rendering id. */
export function cardMessage(card: AdaptiveCard): Partial<Activity> {
  return MessageFactory.attachment(CardFactory.adaptiveCard(stamped(card)));
}
