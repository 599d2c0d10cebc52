import type { Clock } from '../domain/clock';
import type { Logger } from '../logger';
import type { ServiceDeps } from '../services/deps';
import type { ConversationRefStore } from '../storage/conversationRefs';
import type { Dispatcher } from '../effects/dispatcher';
import type { CardMessages } from './answeredCards';

/** What the bot's routes need from the rest of the system (built in the composition root). */
export interface BotDeps {
  clock: Clock;
  logger: Logger;
  conversationRefs: ConversationRefStore;
  services: ServiceDeps;
  /** Applies stored effects after the turn; releases held messages when their recipient comes back. */
  dispatcher: Dispatcher;
  /** Replaces a card action's message with its answer after the turn (every client then shows it). */
  cardMessages?: CardMessages;
}
