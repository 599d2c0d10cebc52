import { createHash } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type { Application } from '@microsoft/teams-ai';
import { cardMessage, stamped } from './cardMessage';
import { cardVerbs } from './cardVerbs';
import type { AdaptiveCard } from './cards/adaptiveCard';
import type { AppTurnState } from './turnState';
import type { Logger } from '../logger';
import type { ActionRef } from '../domain/effects';
import { isPersonalChat, translatorFor } from './context';
import { describeFailure } from './failures';

/**
 * A card action's answer: the card that replaces the one acted on, or one sentence, which Teams shows
 * while it keeps the card as it was, with everything typed in it (for a failure before anything was
 * changed, when the form cannot be drawn again).
 */
export type CardActionHandler = (context: TurnContext, state: AppTurnState, data: Record<string, unknown>) => Promise<AdaptiveCard | string>;

/**
 * Registers one handler for a card verb on both paths: Action.Execute (the returned card is the
 * invoke response: it replaces the card for the user who acted) and the Action.Submit fallback.
 * Every returned card is stamped with a fresh rendering id. A verb that changes something says so
 * (`changes`).
 *
 * The invoke response is written here, not by teams-ai: its actionExecute switches a verb whose card
 * carries `refresh` (the meeting cards) to "replace for all" for good and edits the message inside
 * the invoke on every call, automatic refreshes included, and Teams answers each such edit with
 * another automatic refresh (a loop; microsoft/Agents-for-js#1202). Here:
 * - an automatic refresh (`trigger: "automatic"`: Teams showing the card) gets the card in the invoke
 *   response and nothing else: no message edit;
 * - a manual action in a personal chat also leaves its card for the stored message (answeredCard):
 *   after the answer, the message is replaced with the same card, so the phone, another client or a
 *   reload shows the result too, not the old form. (Teams shows the invoke response only to the
 *   client that acted.) An Action.Submit's card replaces its message the same way, after the turn.
 */
export { cardVerbs };

const CARD_RESPONSE = 'application/vnd.microsoft.card.adaptive';
const MESSAGE_RESPONSE = 'application/vnd.microsoft.activity.message';

export function onCardAction(app: Application<AppTurnState>, verb: string, logger: Logger, handler: CardActionHandler, opts: { changes?: boolean } = {}): void {
  cardVerbs.set(verb, { changes: opts.changes === true });
  // A failure the handler did not turn into a card (the store down before anything was read) answers
  // with a message, not a card: Teams then keeps the user's card, and everything typed in it, as it was.
  // A changing handler answers for itself once it reaches its use case; what escapes it failed before
  // (nothing was saved) or is a read.
  const run = async (context: TurnContext, state: AppTurnState, data: unknown): Promise<AdaptiveCard | string> => {
    context.turnState.set(HANDLER_STARTED, true);
    try {
      const answer = await handler(context, state, asRecord(data));
      return typeof answer === 'string' ? answer : stamped(answer, translatorFor(context).lang);
    } catch (err) {
      return describeFailure(err, translatorFor(context), logger, { change: opts.changes });
    }
  };
  app.adaptiveCards.actionExecute(verb, async (context, state, data) => {
    const answer = await run(context, state, data);
    await context.sendActivity({
      type: 'invokeResponse',
      value: { status: 200, body: typeof answer === 'string' ? { statusCode: 200, type: MESSAGE_RESPONSE, value: answer } : { statusCode: 200, type: CARD_RESPONSE, value: answer } },
    });
    if (typeof answer !== 'string' && !isAutomaticRefresh(context)) leaveForMessage(context, answer);
    return answer; // not used: the invoke response is already set
  });
  app.adaptiveCards.actionSubmit(verb, async (context, state, data) => {
    const card = await run(context, state, data);
    if (typeof card === 'string') {
      await context.sendActivity(card);
      return;
    }
    if (leaveForMessage(context, card)) return;
    try {
      await context.sendActivity(cardMessage(card, translatorFor(context).lang));
    } catch (err) {
      // Whatever the handler did is done (and was answered for); only showing its card failed.
      logger.warn({ verb, err: { type: (err as Error)?.name, status: (err as { statusCode?: number }).statusCode } }, 'card answer to an Action.Submit not delivered');
    }
  });
}

/** Teams asks for the card because it is being shown (or the bot edited it), not because someone acted. */
export function isAutomaticRefresh(context: TurnContext): boolean {
  const value = context.activity.value as { trigger?: unknown } | undefined;
  return context.activity.type === 'invoke' && value?.trigger === 'automatic';
}

const ANSWERED_CARD = Symbol('sst.answeredCard');

/** A card that answered a manual action in a personal chat, for its message (`activityId`) after the turn. */
export interface AnsweredCard {
  activityId: string;
  card: AdaptiveCard;
}

function leaveForMessage(context: TurnContext, card: AdaptiveCard): boolean {
  const activityId = context.activity.replyToId;
  if (typeof activityId !== 'string' || !activityId || !isPersonalChat(context)) return false;
  context.turnState.set(ANSWERED_CARD, { activityId, card } satisfies AnsweredCard);
  return true;
}

/** The card this turn answered with, for its message (see onCardAction); undefined when there is none. */
export function answeredCard(context: TurnContext): AnsweredCard | undefined {
  return context.turnState.get(ANSWERED_CARD) as AnsweredCard | undefined;
}

const HANDLER_STARTED = Symbol('sst.cardHandlerStarted');

/** True once a card action's handler has started in this turn (before that, nothing it changes was touched). */
export function handlerStarted(context: TurnContext): boolean {
  return context.turnState.get(HANDLER_STARTED) === true;
}

const CARD_ID = /^[0-9a-f-]{8,64}$/i;

/**
 * The identity of this card action: who acted, with which verb, from which card rendering (its
 * `cardId`, else the card's message), with which data. A double click, a retry or Teams redelivering
 * the activity gives the same id, so the action is applied once. `identity` narrows what counts as
 * "the same" (a concern form is one concern whatever was corrected in it).
 */
export function actionRefOf(context: TurnContext, verb: string, data: Record<string, unknown>, identity?: Record<string, unknown>): ActionRef {
  if (!cardVerbs.get(verb)?.changes) throw new Error(`Card verb ${verb} changes something: register it with onCardAction(…, { changes: true }).`);
  const a = context.activity;
  const cardId = typeof data.cardId === 'string' && CARD_ID.test(data.cardId) ? data.cardId : undefined;
  const canonical = (fields: Record<string, unknown>) => JSON.stringify(Object.keys(fields).sort().map((k) => [k, fields[k]]));
  const what = identity
    ? canonical(identity)
    : `${cardId ?? a.replyToId ?? a.id ?? ''}\n${canonical(Object.fromEntries(Object.entries(data).filter(([k]) => k !== 'cardId' && k !== 'verb')))}`;
  const id = createHash('sha256').update([verb, a.from?.aadObjectId ?? a.from?.id ?? '', what].join('\n')).digest('hex').slice(0, 32);
  return { id, activityId: typeof a.replyToId === 'string' && a.replyToId ? a.replyToId : undefined, locale: translatorFor(context).lang };
}

function asRecord(data: unknown): Record<string, unknown> {
  return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

/** A string field from card data, trimmed and bounded; anything else becomes ''. */
export function field(data: Record<string, unknown>, name: string, max = 2000): string {
  const v = data[name];
  return typeof v === 'string' ? v.trim().slice(0, max) : '';
}
