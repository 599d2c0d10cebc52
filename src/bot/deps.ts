import type { Clock } from '../domain/clock';
import type { Logger } from '../logger';
import type { ServiceDeps } from '../services/deps';
import type { ConversationRefStore } from '../storage/conversationRefs';

/** What the bot's routes need from the rest of the system (built in the composition root). */
export interface BotDeps {
  clock: Clock;
  logger: Logger;
  conversationRefs: ConversationRefStore;
  services: ServiceDeps;
}
