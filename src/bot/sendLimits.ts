import { RateLimiter } from 'limiter';

/** Teams' documented limits for proactive messages (per bot instance; 429 + Retry-After covers the rest). */
export const PER_CONVERSATION_PER_SECOND = 7;
export const PER_TENANT_PER_SECOND = 50;
const MAX_TRACKED_CONVERSATIONS = 10_000;

export interface SendLimits {
  /** Waits until one more message may go to this conversation in this tenant. */
  acquire(tenantId: string, conversationId: string): Promise<void>;
}

export function teamsSendLimits(perConversation = PER_CONVERSATION_PER_SECOND, perTenant = PER_TENANT_PER_SECOND): SendLimits {
  const tenants = new Map<string, RateLimiter>();
  const conversations = new Map<string, RateLimiter>();
  const limiter = (map: Map<string, RateLimiter>, key: string, perSecond: number) => {
    let l = map.get(key);
    if (!l) {
      if (map.size >= MAX_TRACKED_CONVERSATIONS) map.delete(map.keys().next().value!); // oldest first; its window has long passed
      // One token at a time, paced at 90 % of the limit: a whole second's quota released at once can put
      // twice the limit into one sliding second (the connector then answers 429 and the sweep stalls).
      l = new RateLimiter({ tokensPerInterval: 1, interval: Math.ceil(1000 / (0.9 * perSecond)) });
      map.set(key, l);
    }
    return l;
  };
  return {
    async acquire(tenantId, conversationId) {
      await limiter(conversations, conversationId, perConversation).removeTokens(1);
      await limiter(tenants, tenantId, perTenant).removeTokens(1);
    },
  };
}
