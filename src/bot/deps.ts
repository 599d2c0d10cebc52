import type { Clock } from '../domain/clock';
import type { Logger } from '../logger';
import type { ConversationRefStore } from '../storage/conversationRefs';

/** What the bot's routes need from the rest of the system (built in the composition root). */
export interface BotDeps {
  clock: Clock;
  logger: Logger;
  conversationRefs: ConversationRefStore;
  /** The municipality's official orosanmälan URL (from the roster), if configured. */
  reportConcernUrl(): Promise<string | undefined>;
}
