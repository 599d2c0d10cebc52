import { CardFactory, MessageFactory, TurnContext } from 'botbuilder';
import type { AnsweredCard } from './cardActions';
import type { MessageEdits } from './messageEdits';
import { forStoredMessage } from './cards/adaptiveCard';
import { sendWithin, type NotifierDeps } from './notifier';

const TICKET = Symbol('sst.answeredCardTicket');

/** After the answer to a card action: its message in the personal chat shows the same card for every client. */
export interface CardMessages {
  /**
   * Called when a card action arrives, before anything is read or changed: the answer's place among
   * the edits of its message (an effect applied meanwhile, such as a receipt, is newer and wins).
   */
  reserve(context: TurnContext): void;
  /** Replaces the message with the card, in the background, after this turn's answer, unless a newer edit of it was decided meanwhile. */
  replaceAfterAnswer(context: TurnContext, answered: AnsweredCard): void;
  /** Resolves when no replacement is running (tests, shutdown). */
  idle(): Promise<void>;
}

/**
 * Teams shows an invoke response's card only in the client that acted; the message itself (what the
 * phone, another window or a reload shows) keeps the old card until the bot edits it. The message
 * gets the same card (same rendering id, so a click on either is the same action) as it may be
 * stored: without the case summary, the school's reference and typed text (forStoredMessage). The edit is
 * a send like any other (limits, retries: sendWithin), so it runs after the answer, never inside the
 * invoke. It is not stored: if it cannot be made (the limiter would hold it too long, Teams refuses,
 * the instance stops), the acting client still shows the result and the case or meeting view shows
 * it everywhere; the next action on the message brings it up to date.
 */
export function cardMessages(deps: Pick<NotifierDeps, 'adapter' | 'botAppId' | 'limits' | 'logger' | 'sleep' | 'random' | 'refs' | 'clock'> & { edits: MessageEdits }): CardMessages {
  const inFlight = new Set<Promise<unknown>>();
  /** The last replacement queued per message: the next one waits for it, so the latest card ends up in the message. */
  const chains = new Map<string, Promise<unknown>>();
  return {
    reserve(context) {
      const { replyToId, conversation } = context.activity;
      if (typeof replyToId === 'string' && replyToId && conversation?.id) context.turnState.set(TICKET, deps.edits.next(conversation.id, replyToId));
    },
    replaceAfterAnswer(context, answered) {
      const ref = TurnContext.getConversationReference(context.activity);
      delete ref.activityId;
      const conversationId = ref.conversation?.id ?? '';
      const ticket = (context.turnState.get(TICKET) as number | undefined) ?? deps.edits.next(conversationId, answered.activityId);
      const activity = { ...MessageFactory.attachment(CardFactory.adaptiveCard(forStoredMessage(answered.card))), id: answered.activityId };
      const key = `${conversationId}|${answered.activityId}`;
      const previous = chains.get(key) ?? Promise.resolve();
      let superseded = false;
      const work = previous
        .then(() =>
          sendWithin(deps, { ref }, 'answeredCard', async (ctx) => {
            // Checked at the last moment (after the limiter): a receipt or another answer decided since is newer.
            if (!deps.edits.isLatest(conversationId, answered.activityId, ticket)) {
              superseded = true;
              return;
            }
            await ctx.updateActivity(activity);
          }),
        )
        .then((outcome) => {
          if (superseded) deps.logger.debug({ what: 'answeredCard' }, 'card message not replaced: a newer edit of it was decided meanwhile');
          else if (outcome !== 'sent') deps.logger.info({ what: 'answeredCard' }, 'card message not replaced: the chat is not reachable');
        })
        .catch((err) =>
          deps.logger.warn({ err: { type: (err as Error)?.name, status: (err as { statusCode?: number }).statusCode } }, 'card message not replaced; the acting client shows the answer'),
        )
        .finally(() => {
          inFlight.delete(work);
          if (chains.get(key) === work) chains.delete(key);
        });
      chains.set(key, work);
      inFlight.add(work);
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
