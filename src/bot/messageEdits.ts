/**
 * The order of this instance's edits of one message. An edit takes a number when it is decided
 * (a card action's answer: when the action arrives, before it reads or changes anything; an effect:
 * when it is applied) and goes only if no later one has been decided since, so an edit drawn from
 * older state never lands on top of a newer one (the answer "the card is on its way" after the
 * receipt that says "delivered"). Edits from another instance are not ordered here; they come from
 * the sweep, long after.
 */
export interface MessageEdits {
  /** A number for a new edit of this message, later than every earlier one. */
  next(conversationId: string, activityId: string): number;
  /** True while no edit of this message was decided after `ticket`. */
  isLatest(conversationId: string, activityId: string, ticket: number): boolean;
}

const MAX_TRACKED = 10_000;

export function messageEdits(): MessageEdits {
  let counter = 0;
  const latest = new Map<string, number>();
  const key = (conversationId: string, activityId: string) => `${conversationId}|${activityId}`;
  return {
    next(conversationId, activityId) {
      const k = key(conversationId, activityId);
      latest.delete(k); // re-inserted last: the oldest entries go first when the map is full
      if (latest.size >= MAX_TRACKED) latest.delete(latest.keys().next().value!);
      latest.set(k, ++counter);
      return counter;
    },
    isLatest(conversationId, activityId, ticket) {
      return (latest.get(key(conversationId, activityId)) ?? ticket) <= ticket;
    },
  };
}
