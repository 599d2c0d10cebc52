import type { Clock } from '../domain/clock';
import { EFFECT_LEASE_MS, recipientOf, type Effect } from '../domain/effects';
import type { EffectOutcome, OutboxLocation, OutboxStore, StoredEffect, Versioned } from '../domain/ports';
import type { Logger } from '../logger';

/** What applying one effect came to. Throwing means "try again later" (with backoff). */
export interface Applied {
  outcome: 'done' | 'delivered' | 'held';
  /** Effects this one leads to (a receipt to update, cards to refresh), stored with its outcome. */
  followUps?: Effect[];
}

/** An effect that can never be applied (bad data): recorded as failed at once, not retried. */
export class PermanentEffectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentEffectError';
  }
}

/** Asks to be tried again no earlier than `retryAfterMs` (a 429 with Retry-After). */
export class RetryLaterError extends Error {
  constructor(message: string, readonly retryAfterMs: number) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

export interface DispatcherDeps {
  outbox: OutboxStore;
  apply(row: StoredEffect): Promise<Applied>;
  clock: Clock;
  logger: Logger;
  /** Names this instance in claims. */
  instanceId: string;
  /** Every place effects can be pending (each team's partition, the roster's). */
  locations(): Promise<OutboxLocation[]>;
  /** Where one person's held notifications can be. */
  locationsOf(personId: string): Promise<OutboxLocation[]>;
  /**
   * A notification was held for this person: mark them so their next turn releases it. True when
   * they reached the bot after `attemptedAt` (release now rather than wait for another turn).
   */
  onHeld?(personId: string, attemptedAt: Date): Promise<boolean>;
  /** How long a claim holds before another instance may take the row over (EFFECT_LEASE_MS: rows an instance wrote are its own as long). */
  leaseMs?: number;
  maxAttempts?: number;
  /** Jitter for the backoff, in [0, 1) (default Math.random): instances that failed together do not all come back together. */
  random?: () => number;
}

export interface SweepResult {
  due: number;
  applied: number;
  held: number;
  retried: number;
  failed: number;
  lostClaims: number;
  /** Outcomes recorded late, after the store came back. */
  recordedLate: number;
}

/** Waits after a failed attempt: 30 s, 2, 10, 30 minutes, then hourly; each jittered to between half and all of it. */
export const EFFECT_BACKOFF_SECONDS = [30, 120, 600, 1800, 3600];
export const EFFECT_MAX_ATTEMPTS = 12;

/**
 * Applies pending effects: right after the turn that stored them (without making the user wait),
 * when a held recipient comes back, and from the scheduler's sweep for whatever is left after a
 * crash, a store failure or a 429/5xx. Each row is claimed by eTag, so with several instances each
 * effect is applied by one; an outcome that cannot be recorded (the store is down) is kept here and
 * recorded when the store is back, so an effect already applied is not applied again.
 */
export interface Dispatcher {
  /** Applies effects this instance just committed (in the background; they are its own, no claim needed). */
  kick(rows: Array<Versioned<StoredEffect>>): void;
  /** Delivers a person's held notifications, oldest first; `done` learns how many are still held. */
  release(personId: string, done?: (stillHeld: number) => Promise<void>): void;
  /** Finishes everything due: outcomes not yet recorded, then pending rows and expired claims. */
  sweep(): Promise<SweepResult>;
  /** Resolves when no background work of this instance is running (tests, shutdown). */
  idle(): Promise<void>;
}

export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const leaseMs = deps.leaseMs ?? EFFECT_LEASE_MS;
  const maxAttempts = deps.maxAttempts ?? EFFECT_MAX_ATTEMPTS;
  const inFlight = new Set<Promise<unknown>>();
  /** Rows this instance is working on (not to be claimed again by its own sweep). */
  const busy = new Set<string>();
  /** Outcomes applied but not yet recorded (the store failed): key → what to record. */
  const unrecorded = new Map<string, { row: Versioned<StoredEffect>; outcome: EffectOutcome; followUps: Effect[] }>();

  const background = (work: () => Promise<unknown>) => {
    const p = work().catch((err) => deps.logger.warn({ err: { type: (err as Error)?.name, status: (err as { statusCode?: number }).statusCode } }, 'effect dispatch interrupted; the sweep finishes it'));
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };

  function outcomeOfError(row: StoredEffect, err: unknown): EffectOutcome {
    const error = `${(err as Error)?.name ?? 'Error'} ${(err as { statusCode?: number }).statusCode ?? ''}`.trim().slice(0, 200);
    if (err instanceof PermanentEffectError || row.attempts >= maxAttempts) return { status: 'failed', error };
    const now = deps.clock.now().getTime();
    const base = EFFECT_BACKOFF_SECONDS[Math.min(row.attempts - 1, EFFECT_BACKOFF_SECONDS.length - 1)] * 1000;
    // Retry-After is honoured as given; the backoff is jittered (never longer than its step).
    const wait = err instanceof RetryLaterError ? err.retryAfterMs : Math.round(base / 2 + (deps.random ?? Math.random)() * (base / 2));
    return { status: 'retry', error, nextAttemptAt: new Date(now + wait).toISOString() };
  }

  /** Records an outcome; if the store fails, keeps it to record later (never applies the effect again). */
  async function record(row: Versioned<StoredEffect>, outcome: EffectOutcome, followUps: Effect[]): Promise<Array<Versioned<StoredEffect>>> {
    try {
      const next = await deps.outbox.finish(row, outcome, deps.clock.now(), followUps);
      unrecorded.delete(row.value.key);
      if (!next) deps.logger.info({ key: row.value.key, kind: row.value.effect.kind }, 'effect claim lost: another instance recorded it');
      return next || [];
    } catch (err) {
      unrecorded.set(row.value.key, { row, outcome, followUps });
      throw err;
    }
  }

  /**
   * Applies rows this instance holds (claimed, or written by it) in order and records each outcome;
   * follow-ups are applied right after.
   */
  async function run(held: Array<Versioned<StoredEffect>>, result?: SweepResult): Promise<number> {
    let stillHeld = 0;
    const heldNowReachable = new Set<string>();
    const queue = [...held];
    while (queue.length > 0) {
      const row = queue.shift()!;
      // A row this instance wrote was not claimed: its attempt is counted here (and stored with its outcome).
      if (row.value.status === 'pending') row.value = { ...row.value, attempts: row.value.attempts + 1 };
      busy.add(row.value.key);
      try {
        let outcome: EffectOutcome;
        let followUps: Effect[] = [];
        const attemptedAt = deps.clock.now();
        try {
          const applied = await deps.apply(row.value);
          outcome = { status: applied.outcome };
          followUps = applied.followUps ?? [];
        } catch (err) {
          outcome = outcomeOfError(row.value, err);
          const log = outcome.status === 'failed' ? deps.logger.error.bind(deps.logger) : deps.logger.warn.bind(deps.logger);
          log({ key: row.value.key, kind: row.value.effect.kind, attempts: row.value.attempts, outcome: outcome.status, error: outcome.status === 'done' ? undefined : (outcome as { error: string }).error }, 'effect not applied');
        }
        if (result) {
          if (outcome.status === 'held') result.held++;
          else if (outcome.status === 'retry') result.retried++;
          else if (outcome.status === 'failed') result.failed++;
          else result.applied++;
        }
        queue.push(...(await record(row, outcome, followUps)));
        if (outcome.status === 'held') {
          stillHeld++;
          // Marked only now that the row is held, so a turn that releases cannot miss it.
          const to = recipientOf(row.value.effect);
          if (to && (await deps.onHeld?.(to, attemptedAt))) heldNowReachable.add(to);
        }
      } finally {
        busy.delete(row.value.key);
      }
    }
    // Someone reached the bot while their message was being held: it goes now.
    for (const personId of heldNowReachable) dispatcher.release(personId);
    return stillHeld;
  }

  async function recordLate(): Promise<number> {
    let n = 0;
    for (const { row, outcome, followUps } of [...unrecorded.values()]) {
      const next = await record(row, outcome, followUps);
      n++;
      // Follow-ups (a receipt, refreshed cards) were stored with the outcome, as this instance's own.
      if (next.length > 0) await run(next);
    }
    return n;
  }

  const claim = (rows: Array<Versioned<StoredEffect>>) =>
    deps.outbox.claim(rows.filter((r) => !busy.has(r.value.key) && !unrecorded.has(r.value.key)), deps.instanceId, deps.clock.now(), leaseMs);

  const dispatcher: Dispatcher = {
    kick(rows) {
      if (rows.length === 0) return;
      background(async () => run(rows.filter((r) => !busy.has(r.value.key))));
    },
    release(personId, done) {
      background(async () => {
        const held = await deps.outbox.heldFor(await deps.locationsOf(personId), personId);
        const stillHeld = held.length > 0 ? await run(await claim(held)) : 0;
        await done?.(stillHeld);
      });
    },
    async sweep() {
      const result: SweepResult = { due: 0, applied: 0, held: 0, retried: 0, failed: 0, lostClaims: 0, recordedLate: 0 };
      result.recordedLate = await recordLate();
      const due = (await deps.outbox.due(await deps.locations(), deps.clock.now())).filter((r) => !busy.has(r.value.key) && !unrecorded.has(r.value.key));
      result.due = due.length;
      const claimed = await claim(due);
      result.lostClaims = due.length - claimed.length;
      await run(claimed, result);
      return result;
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
  return dispatcher;
}
