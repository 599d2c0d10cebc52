/**
 * ADOPTED: src/bot/sendLimits.ts no longer uses `limiter`'s token buckets; it keeps a sliding log per
 * conversation and per tenant and enforces every Teams window (7/1 s, 8/2 s, 60/30 s, 1,800/h, and the
 * tenant's 50/s divided by INSTANCE_COUNT). The earlier what-ifs patched RateLimiter.prototype and have
 * nothing left to patch: both run `fn` unchanged, so the bench's "what-if" rows now measure the shipped limiter.
 */
export async function withSmoothPacing<T>(fn: () => Promise<T>): Promise<T> {
  return fn();
}

/** See above: runs `fn` with the shipped limiter (a bot started with `sendLimits` can leave it out). */
export async function withoutSendLimits<T>(fn: () => Promise<T>): Promise<T> {
  return fn();
}
