import { RateLimiter } from 'limiter'; // the same (CommonJS) module instance src/bot/sendLimits.ts uses

/**
 * PROPOSAL (not in src/), measured as a what-if: src/bot/sendLimits.ts builds
 *   new RateLimiter({ tokensPerInterval: perSecond, interval: 'second' })
 * which lets a whole second's quota out as one burst at the start of each fixed window; a service that
 * counts over a sliding second (the bench's connector; Teams documents its limits per 1 s / 2 s / 30 s)
 * then sees up to twice the limit across a window boundary and answers 429 + Retry-After, and the
 * sequential sweep stands still for the Retry-After. The proposed one-line change paces instead:
 *   new RateLimiter({ tokensPerInterval: 1, interval: Math.ceil(1000 / (0.9 * perSecond)) })
 * (one send per 23 ms for 50/s, 159 ms for 7/s: never more than ~45 in any second).
 * This what-if runs exactly that limiter in place of each RateLimiter the bot made, for the duration of `fn`.
 */
export async function withSmoothPacing<T>(fn: () => Promise<T>): Promise<T> {
  const original = RateLimiter.prototype.removeTokens;
  const paced = new WeakMap<RateLimiter, RateLimiter>();
  RateLimiter.prototype.removeTokens = function (this: RateLimiter, count: number) {
    let inner = paced.get(this);
    if (!inner) {
      const perSecond = (this.tokenBucket.tokensPerInterval * 1000) / (this.tokenBucket.interval as number);
      inner = new RateLimiter({ tokensPerInterval: 1, interval: Math.ceil(1000 / (0.9 * perSecond)) });
      paced.set(this, inner);
    }
    return original.call(inner, count);
  };
  try {
    return await fn();
  } finally {
    RateLimiter.prototype.removeTokens = original;
  }
}

/** What-if: the send limiter does not wait at all (only the connector's 429s hold sends back). */
export async function withoutSendLimits<T>(fn: () => Promise<T>): Promise<T> {
  const original = RateLimiter.prototype.removeTokens;
  RateLimiter.prototype.removeTokens = async function () {
    return 1;
  };
  try {
    return await fn();
  } finally {
    RateLimiter.prototype.removeTokens = original;
  }
}
