import assert from 'node:assert/strict';
import { executeActivity, messageActivity, type TeamsUser } from '../fixtures/activities';
import { personalConversation } from '../fixtures/people';
import type { Harness } from './botHarness';

/**
 * A test's two ways of talking to the bot over HTTP, for the harness `current()` returns (a suite
 * may start a new one per test): `act` presses a card button (asserting HTTP 200) and returns the
 * card the bot answered with; `reply` types words in the personal chat and returns the bot's last new
 * message there; `say` returns that message's card, or its text when it has none.
 */
export function turns(current: () => Harness) {
  const act = async (who: TeamsUser, verb: string, data: Record<string, unknown>, replyToId?: string) => {
    const h = current();
    const res = await h.post(executeActivity(who, h.connector.url, verb, data, replyToId));
    assert.equal(res.status, 200, `${verb}: HTTP ${res.status}`);
    return res.body?.value;
  };
  const reply = async (who: TeamsUser, words: string) => {
    const h = current();
    const from = h.connector.sent.length;
    await h.post(messageActivity(who, h.connector.url, words));
    return h.connector.sent.slice(from).filter((s) => s.conversationId === personalConversation(who) && s.method === 'POST').pop()?.body;
  };
  const say = async (who: TeamsUser, words: string) => {
    const body = await reply(who, words);
    return body?.attachments?.[0]?.content ?? body?.text;
  };
  return { act, reply, say };
}
