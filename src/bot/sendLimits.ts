import { RetryLaterError } from '../effects/dispatcher';
import { realSleep, type Sleep } from '../services/timeBudget';

/**
 * Teams' documented limits for a bot's messages into one conversation ("thread"): every window at
 * once. Sends and updates (PUT) both count.
 */
export const CONVERSATION_WINDOWS: readonly SendWindow[] = [
  { limit: 7, ms: 1_000 },
  { limit: 8, ms: 2_000 },
  { limit: 60, ms: 30_000 },
  { limit: 1_800, ms: 3_600_000 },
];
/** The one-second window of a conversation (the bench reports against it). */
export const PER_CONVERSATION_PER_SECOND = 7;
/** Teams' limit for one app in one tenant, shared by every instance of the bot. */
export const PER_TENANT_PER_SECOND = 50;
/**
 * Every window is held this much longer than Teams counts it: messages leave the bot a little
 * apart in time and may arrive closer together, and one too many in Teams' window is a 429.
 */
export const WINDOW_MARGIN = 0.1;
/** A send that would wait longer than this is not waited for here: the dispatcher tries again then. */
export const MAX_WAIT_MS = 10_000;
const MAX_TRACKED = 10_000;

export interface SendWindow {
  /** At most this many sends … */
  limit: number;
  /** … in any stretch of this many milliseconds. */
  ms: number;
}

export interface SendLimits {
  /**
   * Waits until one more message may go to this conversation in this tenant, and counts it. When the
   * wait would be longer than the limiter's bound, nothing is counted and RetryLaterError says when
   * to try again (the dispatcher stores that and moves on).
   */
  acquire(tenantId: string, conversationId: string): Promise<void>;
}

export interface SendLimitOptions {
  /** Instances that send for the same tenant (INSTANCE_COUNT): each takes its share of the tenant's 50 per second. */
  instances?: number;
  /** Milliseconds on a monotonic clock (default performance.now); tests use virtual time. */
  now?: () => number;
  sleep?: Sleep;
  maxWaitMs?: number;
  conversationWindows?: readonly SendWindow[];
  perTenantPerSecond?: number;
  margin?: number;
  /** Told of every send the limiter lets go, with its time (tests check the windows with it). */
  onSend?: (tenantId: string, conversationId: string, at: number) => void;
}

/**
 * One sliding log of send times per conversation and per tenant. A send goes when one more entry
 * keeps every window of both logs (no window ever holds more than its limit); until then the caller
 * sleeps until the earliest such time and looks again (another caller may have taken that place).
 * Only sends that went are written, at the time they went, so a send that waits for its tenant
 * never holds up another conversation's place, and a later send is never wrong.
 */
export function teamsSendLimits(opts: SendLimitOptions = {}): SendLimits {
  const now = opts.now ?? (() => performance.now());
  const sleep = opts.sleep ?? realSleep;
  const maxWaitMs = opts.maxWaitMs ?? MAX_WAIT_MS;
  const margin = 1 + (opts.margin ?? WINDOW_MARGIN);
  const instances = Math.max(1, Math.floor(opts.instances ?? 1));
  const conversationWindows = (opts.conversationWindows ?? CONVERSATION_WINDOWS).map((w) => ({ limit: w.limit, ms: Math.ceil(w.ms * margin) }));
  const tenantWindows = [{ limit: Math.max(1, Math.floor((opts.perTenantPerSecond ?? PER_TENANT_PER_SECOND) / instances)), ms: Math.ceil(1_000 * margin) }];
  const conversations = new Map<string, number[]>();
  const tenants = new Map<string, number[]>();

  return {
    async acquire(tenantId, conversationId) {
      const started = now();
      for (;;) {
        const at = now();
        const conversation = logOf(conversations, conversationId, conversationWindows, at);
        const tenant = logOf(tenants, tenantId, tenantWindows, at);
        const when = Math.max(earliest(conversation, conversationWindows, at), earliest(tenant, tenantWindows, at));
        if (when <= at) {
          conversation.push(at);
          tenant.push(at);
          opts.onSend?.(tenantId, conversationId, at);
          return;
        }
        if (when - started > maxWaitMs) {
          throw new RetryLaterError(`Teams send limits: the next message to this conversation may go in ${Math.ceil((when - at) / 1000)} s`, Math.ceil(when - at));
        }
        await sleep(when - at);
      }
    },
  };
}

/**
 * The earliest time ≥ `at` at which one more send keeps every window, for a log of past sends: a
 * window already holding `limit` sends frees up `ms` after the `limit`-th latest of them.
 */
export function earliest(log: readonly number[], windows: ReadonlyArray<SendWindow>, at: number): number {
  let t = at;
  for (const w of windows) if (log.length >= w.limit) t = Math.max(t, log[log.length - w.limit] + w.ms);
  return t;
}

/** The log of one key, without the times older than its longest window. */
function logOf(map: Map<string, number[]>, key: string, windows: ReadonlyArray<SendWindow>, at: number): number[] {
  const longest = Math.max(...windows.map((w) => w.ms));
  let log = map.get(key);
  if (!log) {
    if (map.size >= MAX_TRACKED) evictIdle(map, at, longest);
    log = [];
    map.set(key, log);
  }
  let old = 0;
  while (old < log.length && log[old] <= at - longest) old++;
  if (old > 0) log.splice(0, old);
  return log;
}

/** Forgets the keys whose last send is older than every window (their limits no longer bind). */
function evictIdle(map: Map<string, number[]>, at: number, longestMs: number): void {
  for (const [key, log] of map) if (log.length === 0 || log[log.length - 1] <= at - longestMs) map.delete(key);
  if (map.size >= MAX_TRACKED) map.delete(map.keys().next().value!); // all busy: the oldest goes (Teams' 429 covers it)
}
