import type { CardElement } from './adaptiveCard';

/**
 * A Universal Action (Action.Execute) with an Action.Submit fallback for clients that lack it;
 * both carry the verb, so one handler serves both paths.
 */
export function executeAction(title: string, verb: string, data: Record<string, unknown>, extra: CardElement = {}): CardElement {
  return {
    type: 'Action.Execute',
    title,
    verb,
    data: { ...data, verb },
    ...extra,
    fallback: { type: 'Action.Submit', title, data: { ...data, verb } },
  };
}

/**
 * A tap target (a Container's or Column's selectAction) that opens something: an Action.Execute
 * without the Action.Submit copy, since a list of them would otherwise double the card's size.
 */
export function selectAction(title: string, verb: string, data: Record<string, unknown>): CardElement {
  return { type: 'Action.Execute', title, verb, data: { ...data, verb } };
}
