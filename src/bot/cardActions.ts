import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { Application } from '@microsoft/teams-ai';
import type { AdaptiveCard } from './cards/adaptiveCard';
import type { AppTurnState } from './turnState';
import type { Logger } from '../logger';
import { translatorFor } from './context';
import { describeFailure } from './failures';

export type CardActionHandler = (context: TurnContext, state: AppTurnState, data: Record<string, unknown>) => Promise<AdaptiveCard>;

/**
 * Registers one handler for a card verb on both paths: Action.Execute (the returned card replaces
 * the card for the user who acted) and the Action.Submit fallback (the card replaces the original
 * message when Teams tells us which one it was, else it is sent as a new message).
 */
export function onCardAction(app: Application<AppTurnState>, verb: string, logger: Logger, handler: CardActionHandler): void {
  // A failure the handler did not turn into a card (the store down before anything was read) answers
  // with a message, not a card: Teams then keeps the user's card, and everything typed in it, as it was.
  const run = async (context: TurnContext, state: AppTurnState, data: unknown): Promise<AdaptiveCard | string> => {
    try {
      return await handler(context, state, asRecord(data));
    } catch (err) {
      return describeFailure(err, translatorFor(context), logger);
    }
  };
  app.adaptiveCards.actionExecute(verb, run);
  app.adaptiveCards.actionSubmit(verb, async (context, state, data) => {
    const card = await run(context, state, data);
    if (typeof card === 'string') {
      await context.sendActivity(card);
      return;
    }
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
