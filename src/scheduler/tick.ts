import type { DueItemStore } from '../domain/ports';
import type { DueItem } from '../domain/reminders';
import type { Clock } from '../domain/clock';
import type { Logger } from '../logger';

export interface TickDeps {
  dueItems: DueItemStore;
  deliver(item: DueItem): Promise<'sent' | 'unreachable' | 'skipped'>;
  clock: Clock;
  logger: Logger;
  /** Names this instance in claims (host + pid + random). */
  instanceId: string;
  /** How long a claim holds before another instance may take the item over (crash recovery). */
  leaseMs?: number;
  maxAttempts?: number;
}

export interface TickResult {
  due: number;
  sent: number;
  unreachable: number;
  skipped: number;
  retried: number;
  failed: number;
  lostClaims: number;
}

/** Backoff after a failed send: 1, 5, 15, 60 minutes. */
export const BACKOFF_MINUTES = [1, 5, 15, 60];

/**
 * One sweep: claim each due item with an eTag-conditional update (so with several instances on one
 * store each item goes out once), deliver it, record the outcome. Missed items (downtime) are due
 * too, so the first tick after a start catches up; an item whose claim expired (a crash between
 * claim and send) is taken over once its lease runs out.
 */
export async function runTick(deps: TickDeps): Promise<TickResult> {
  // Long enough for the connector client's own 429 Retry-After waits (uncapped, up to ~9 × Retry-After) to finish.
  const leaseMs = deps.leaseMs ?? 10 * 60_000;
  const maxAttempts = deps.maxAttempts ?? BACKOFF_MINUTES.length + 1;
  const result: TickResult = { due: 0, sent: 0, unreachable: 0, skipped: 0, retried: 0, failed: 0, lostClaims: 0 };
  const due = await deps.dueItems.due(deps.clock.now());
  result.due = due.length;
  for (const candidate of due) {
    const claimed = await deps.dueItems.claim(candidate, deps.instanceId, deps.clock.now(), leaseMs);
    if (!claimed) {
      result.lostClaims++;
      continue;
    }
    const item = claimed.value;
    try {
      const outcome = await deps.deliver(item);
      await deps.dueItems.finish(claimed, { status: outcome === 'sent' ? 'done' : outcome });
      result[outcome]++;
    } catch (err) {
      const attempts = item.attempts;
      const giveUp = attempts >= maxAttempts;
      const wait = BACKOFF_MINUTES[Math.min(attempts - 1, BACKOFF_MINUTES.length - 1)] * 60_000;
      const error = `${(err as Error)?.name ?? 'Error'} ${(err as { statusCode?: number }).statusCode ?? ''}`.trim();
      await deps.dueItems.finish(claimed, giveUp ? { status: 'failed', lastError: error } : { status: 'pending', nextAttemptAt: new Date(deps.clock.now().getTime() + wait).toISOString(), lastError: error });
      deps.logger.warn({ kind: item.kind, key: item.key.replace(/\|[^|]*$/, '|…'), attempts, giveUp, error }, 'reminder delivery failed');
      if (giveUp) result.failed++;
      else result.retried++;
    }
  }
  await deps.dueItems.advanceCursor(deps.clock.now());
  return result;
}

/** Runs `tick` every `intervalMs`, never two at once in this instance; `stop()` waits for a running tick. */
export function startScheduler(tick: () => Promise<unknown>, intervalMs: number, logger: Logger): { stop(): Promise<void>; runNow(): Promise<void> } {
  let running: Promise<void> | undefined;
  const run = () => {
    if (!running) {
      running = tick()
        .then(() => undefined)
        .catch((err) => logger.error({ err: { type: (err as Error)?.name, stack: (err as Error)?.stack } }, 'scheduler tick failed'))
        .finally(() => {
          running = undefined;
        });
    }
    return running;
  };
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return {
    runNow: run,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
