import type { Storage, StoreItems } from 'botbuilder';

/** teams-ai keys: "<channel>/<bot>/conversations/<id>" and "<channel>/<bot>/users/<id>". */
const isUserStateKey = (key: string) => key.split('/')[2] === 'users';

/**
 * The bot keeps nothing per user (less personal data, and one state read per turn instead of two):
 * user-state keys are answered as empty without a round trip and never written.
 */
export function conversationStateOnly(inner: Storage): Storage {
  return {
    read: (keys: string[]) => inner.read(keys.filter((k) => !isUserStateKey(k))),
    async write(changes: StoreItems) {
      const kept = Object.fromEntries(Object.entries(changes).filter(([k]) => !isUserStateKey(k)));
      if (Object.keys(kept).length > 0) await inner.write(kept);
    },
    async delete(keys: string[]) {
      const kept = keys.filter((k) => !isUserStateKey(k));
      if (kept.length > 0) await inner.delete(kept);
    },
  };
}
