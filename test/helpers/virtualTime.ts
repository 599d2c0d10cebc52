import type { Sleep } from '../../src/services/timeBudget';

/**
 * Time that passes only when someone waits: `sleep(ms)` moves `now()` forward to the end of that
 * wait (never back) once the waiting code resumes, without a real timer. Every wait is recorded.
 * Concurrent waits each end at their own time or later, which is what a rate limiter must tolerate.
 * With `base` (a test's manual clock, in ms), time also moves when the test moves that clock.
 */
export function virtualTime(base: () => number = () => 0) {
  let t = 0;
  const waits: number[] = [];
  const now = () => base() + t;
  const sleep: Sleep = async (ms) => {
    const until = now() + Math.max(0, ms);
    waits.push(ms);
    await Promise.resolve();
    t = Math.max(t, until - base());
  };
  return {
    now,
    sleep,
    waits,
    advance(ms: number) {
      t += ms;
    },
  };
}

/** A Sleep that records what it was asked for and returns at once (waits that must not be real). */
export function recordingSleep() {
  const asked: number[] = [];
  const sleep: Sleep = async (ms) => {
    asked.push(ms);
  };
  return { sleep, asked };
}

/**
 * Timers the test fires by hand: `sleep(ms)` waits until `fire()` (or its abort signal), so code under
 * test that waits for a time budget waits exactly as long as the test says, and never really.
 */
export function manualTimers() {
  const pending: Array<{ ms: number; resolve: () => void }> = [];
  const asked: number[] = [];
  let onAsk: (() => void) | undefined;
  const sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve) => {
      asked.push(ms);
      const entry = { ms, resolve };
      pending.push(entry);
      signal?.addEventListener('abort', () => {
        const i = pending.indexOf(entry);
        if (i >= 0) pending.splice(i, 1);
        resolve();
      });
      onAsk?.();
    });
  return {
    sleep,
    asked,
    get pending() {
      return pending.length;
    },
    /** Resolves once someone waits (at once when someone already does). */
    waitedFor(): Promise<void> {
      return pending.length > 0 ? Promise.resolve() : new Promise((resolve) => (onAsk = () => resolve()));
    },
    /** Lets every pending wait end now. */
    fire(): number {
      const n = pending.length;
      for (const p of pending.splice(0)) p.resolve();
      return n;
    },
  };
}
