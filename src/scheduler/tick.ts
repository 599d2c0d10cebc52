import type { DueItemOutcome, DueItemStore, StoredDueItem, Versioned } from '../domain/ports';
import type { DueItem } from '../domain/reminders';
import type { Clock } from '../domain/clock';
import type { Logger } from '../logger';
import type { SweepResult } from '../effects/dispatcher';

export interface TickDeps {
  dueItems: DueItemStore;
  /** `mayRepeat`: an earlier delivery of this item was interrupted and may have arrived. */
  deliver(item: DueItem, opts: { mayRepeat: boolean }): Promise<'sent' | 'unreachable' | 'skipped'>;
  /** Finishes the effects of actions still pending (the outbox): runs first in each tick. */
  sweepEffects?(): Promise<SweepResult>;
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
  /** Not sent again: a second interrupted delivery (at most one repeat). */
  notRepeated: number;
  effects?: SweepResult;
}

/** Backoff after a failed send: 1, 5, 15, 60 minutes. */
export const BACKOFF_MINUTES = [1, 5, 15, 60];

export interface Scheduler {
  /** One sweep: effects first, then the due items. */
  tick(): Promise<TickResult>;
}

/**
 * The sweep. Due items are claimed with eTag-conditional writes, one transaction per due hour (so
 * with several instances on one store each item goes out once), delivered, and their outcomes
 * recorded the same way. Missed items (downtime) are due too, so the first tick after a start
 * catches up. An item whose claim ran out (a crash mid-delivery) is taken over once its lease ends
 * and sent again once, marked as a possible repeat; a second interrupted delivery is not repeated.
 * Outcomes that cannot be recorded (the store is down) are kept and recorded by the next tick,
 * so an item already sent is not sent again.
 */
export function createScheduler(deps: TickDeps): Scheduler {
  // Long enough for the connector client's own 429 Retry-After waits (uncapped, up to ~9 × Retry-After) to finish.
  const leaseMs = deps.leaseMs ?? 10 * 60_000;
  const maxAttempts = deps.maxAttempts ?? BACKOFF_MINUTES.length + 1;
  let unrecorded: Array<{ item: Versioned<StoredDueItem>; outcome: DueItemOutcome }> = [];

  async function record(outcomes: Array<{ item: Versioned<StoredDueItem>; outcome: DueItemOutcome }>): Promise<void> {
    try {
      await deps.dueItems.finish(outcomes);
      unrecorded = unrecorded.filter((u) => !outcomes.includes(u));
    } catch (err) {
      for (const o of outcomes) if (!unrecorded.includes(o)) unrecorded.push(o);
      throw err;
    }
  }

  return {
    async tick() {
      const result: TickResult = { due: 0, sent: 0, unreachable: 0, skipped: 0, retried: 0, failed: 0, lostClaims: 0, notRepeated: 0 };
      // The outbox first; a failure there (the store down) does not keep the reminders from their turn.
      if (deps.sweepEffects) {
        result.effects = await deps.sweepEffects().catch((err) => {
          deps.logger.warn({ err: { type: (err as Error)?.name, status: (err as { statusCode?: number }).statusCode } }, 'effect sweep interrupted; the next tick goes on');
          return undefined;
        });
      }
      if (unrecorded.length > 0) await record([...unrecorded]);
      const pendingKeys = new Set(unrecorded.map((u) => u.item.value.key));
      const due = (await deps.dueItems.due(deps.clock.now())).filter((d) => !pendingKeys.has(d.value.key));
      result.due = due.length;
      const claimed = await deps.dueItems.claim(due, deps.instanceId, deps.clock.now(), leaseMs);
      result.lostClaims = due.length - claimed.length;
      const outcomes: Array<{ item: Versioned<StoredDueItem>; outcome: DueItemOutcome }> = [];
      for (const claim of claimed) {
        const item = claim.value;
        const interrupted = item.interrupted ?? 0;
        if (interrupted >= 2) {
          // At most one repeat: a second delivery was interrupted too, and may have arrived.
          outcomes.push({ item: claim, outcome: { status: 'failed', lastError: 'delivery interrupted twice; not sent again' } });
          deps.logger.error({ kind: item.kind, key: item.key.replace(/\|[^|]*$/, '|…') }, 'reminder delivery interrupted twice: not sent again (at most one repeat)');
          result.notRepeated++;
          continue;
        }
        try {
          const outcome = await deps.deliver(item, { mayRepeat: interrupted === 1 });
          outcomes.push({ item: claim, outcome: { status: outcome === 'sent' ? 'done' : outcome } });
          result[outcome]++;
        } catch (err) {
          const attempts = item.attempts;
          const giveUp = attempts >= maxAttempts;
          const wait = BACKOFF_MINUTES[Math.min(attempts - 1, BACKOFF_MINUTES.length - 1)] * 60_000;
          const error = `${(err as Error)?.name ?? 'Error'} ${(err as { statusCode?: number }).statusCode ?? ''}`.trim();
          outcomes.push({ item: claim, outcome: giveUp ? { status: 'failed', lastError: error } : { status: 'pending', nextAttemptAt: new Date(deps.clock.now().getTime() + wait).toISOString(), lastError: error } });
          deps.logger.warn({ kind: item.kind, key: item.key.replace(/\|[^|]*$/, '|…'), attempts, giveUp, error }, 'reminder delivery failed');
          if (giveUp) result.failed++;
          else result.retried++;
        }
      }
      if (outcomes.length > 0) await record(outcomes);
      await deps.dueItems.advanceCursor(deps.clock.now());
      return result;
    },
  };
}

/** Runs `tick` every `intervalMs`, never two at once in this instance; `stop()` waits for a running tick. */
export function startScheduler(tick: () => Promise<unknown>, intervalMs: number, logger: Logger): { stop(): Promise<void>; runNow(): Promise<void> } {
  let running: Promise<void> | undefined;
  const run = () => {
    if (!running) {
      running = tick()
        .then(() => undefined)
        .catch((err) => logger.error({ err: { type: (err as Error)?.name, status: (err as { statusCode?: number }).statusCode } }, 'scheduler tick failed; the next tick goes on from where it stopped'))
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
