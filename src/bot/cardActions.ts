import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { Application } from '@microsoft/teams-ai';
import type { AdaptiveCard } from './cards/adaptiveCard';
import type { AppTurnState } from './turnState';

export type CardActionHandler = (context: TurnContext, state: AppTurnState, data: Record<string, unknown>) => Promise<AdaptiveCard>;

/**
 * Registers one handler for a card verb on both paths: Action.Execute (the returned card replaces
 * the card for the user who acted) and the Action.Submit fallback (the card replaces the original
 * message when Teams tells us which one it was, else it is sent as a new message).
 */
export function onCardAction(app: Application<AppTurnState>, verb: string, handler: CardActionHandler): void {
  app.adaptiveCards.actionExecute(verb, async (context, state, data) => handler(context, state, asRecord(data)));
  app.adaptiveCards.actionSubmit(verb, async (context, state, data) => {
    const card = await handler(context, state, asRecord(data));
    const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
    if (context.activity.replyToId) {
      activity.id = context.activity.replyToId;
      await context.updateActivity(activity);
    } else {
      await context.sendActivity(activity);
    }
  });
}

function asRecord(data: unknown): Record<string, unknown> {
  return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

/** A string field from card data, trimmed and bounded; anything else becomes ''. */
export function field(data: Record<string, unknown>, name: string, max = 2000): string {
  const v = data[name];
  return typeof v === 'string' ? v.trim().slice(0, max) : '';
}
