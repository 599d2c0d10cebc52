import { CardFactory, MessageFactory, TurnContext } from 'botbuilder';
import type { AnsweredCard } from './cardActions';
import { sendWithin, type NotifierDeps } from './notifier';

/** After the answer to a card action: its message in the personal chat shows the same card for every client. */
export interface CardMessages {
  /** Replaces the message with the card, in the background, after this turn's answer; later calls for the same message go after earlier ones. */
  replaceAfterAnswer(context: TurnContext, answered: AnsweredCard): void;
  /** Resolves when no replacement is running (tests, shutdown). */
  idle(): Promise<void>;
}

/**
 * Teams shows an invoke response's card only in the client that acted; the message itself (what the
 * phone, another window or a reload shows) keeps the old card until the bot edits it. The edit is
 * a send like any other (limits, retries: sendWithin), so it runs after the answer, never inside the
 * invoke. It is not stored: if it cannot be made (the limiter would hold it too long, Teams refuses,
 * the instance stops), the acting client still shows the result and the case or meeting view shows
 * it everywhere; the next action on the message brings it up to date.
 */
export function cardMessages(deps: Pick<NotifierDeps, 'adapter' | 'botAppId' | 'limits' | 'logger' | 'sleep' | 'random' | 'refs' | 'clock'>): CardMessages {
  const inFlight = new Set<Promise<unknown>>();
  /** The last replacement queued per message: the next one waits for it, so the latest card ends up in the message. */
  const chains = new Map<string, Promise<unknown>>();
  return {
    replaceAfterAnswer(context, answered) {
      const ref = TurnContext.getConversationReference(context.activity);
      delete ref.activityId;
      const activity = { ...MessageFactory.attachment(CardFactory.adaptiveCard(answered.card)), id: answered.activityId };
      const key = `${ref.conversation?.id ?? ''}|${answered.activityId}`;
      const previous = chains.get(key) ?? Promise.resolve();
      const work = previous
        .then(() => sendWithin(deps, { ref }, 'answeredCard', (ctx) => ctx.updateActivity(activity)))
        .then((outcome) => {
          if (outcome !== 'sent') deps.logger.info({ what: 'answeredCard' }, 'card message not replaced: the chat is not reachable');
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
