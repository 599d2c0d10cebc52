/** Waits `ms` milliseconds (or until `signal` aborts). Tests inject one that does not really wait. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The real wait; an aborted wait resolves at once, and a pending one does not keep the process alive. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    timer.unref?.();
    function done() {
      signal?.removeEventListener('abort', done);
      clearTimeout(timer);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

export type WithinBudget<T> = { ok: true; value: T } | { ok: false; reason: 'timeout' | 'error'; error?: unknown };

/**
 * `work`'s result if it settles within `ms`, else `{ ok: false, reason: 'timeout' }`; a failure is
 * `{ ok: false, reason: 'error' }`. Work that runs over is left to finish on its own (its result and
 * any error are dropped), so the caller can answer now.
 */
export async function withinBudget<T>(work: Promise<T>, ms: number, sleep: Sleep): Promise<WithinBudget<T>> {
  const stop = new AbortController();
  const settled = work.then(
    (value): WithinBudget<T> => ({ ok: true, value }),
    (error: unknown): WithinBudget<T> => ({ ok: false, reason: 'error', error }),
  );
  const timedOut = sleep(ms, stop.signal).then((): WithinBudget<T> => ({ ok: false, reason: 'timeout' }));
  try {
    return await Promise.race([settled, timedOut]);
  } finally {
    stop.abort();
  }
}
