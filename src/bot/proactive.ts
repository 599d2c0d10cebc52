import type { ConversationReference, TurnContext } from 'botbuilder';
import type { TeamsAdapter } from '@microsoft/teams-ai';

/**
 * Runs `logic` in the user's conversation and lets its errors reach the caller. (The adapter hands
 * errors inside continueConversationAsync to onTurnError and resolves, which would turn a 403 or a
 * 429 into a silent "sent".)
 */
export async function inConversation<T>(adapter: TeamsAdapter, botAppId: string, ref: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<T>): Promise<T> {
  let result: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  await adapter.continueConversationAsync(botAppId, ref as ConversationReference, async (context) => {
    try {
      result = { ok: true, value: await logic(context) };
    } catch (error) {
      result = { ok: false, error };
    }
  });
  if (!result) throw new Error('The proactive send did not run; check the conversation reference and the bot credentials.');
  if (!result.ok) throw result.error;
  return result.value;
}
