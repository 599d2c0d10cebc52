import type { Sleep } from '../../src/services/timeBudget';

/**
 * Time that passes only when someone waits: `sleep(ms)` moves `now()` forward to the end of that
 * wait (never back) once the waiting code resumes, without a real timer. Every wait is recorded.
 * Concurrent waits each end at their own time or later, which is what a rate limiter must tolerate.
 */
export function virtualTime(start = 0) {
  let t = start;
  const waits: number[] = [];
  const sleep: Sleep = async (ms) => {
    const until = t + Math.max(0, ms);
    waits.push(ms);
    await Promise.resolve();
    t = Math.max(t, until);
  };
  return {
    now: () => t,
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
