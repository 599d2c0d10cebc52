/** The one source of "now" for rules and services; never read the system clock elsewhere. */
export interface Clock {
  now(): Date;
}

/** A clock that starts at `start` and then advances with `source` (used for SST_NOW demos). */
export function offsetClock(start: Date, source: Clock): Clock {
  const offset = start.getTime() - source.now().getTime();
  return { now: () => new Date(source.now().getTime() + offset) };
}

/** A clock that only moves when told to: for tests and simulations. */
export interface ManualClock extends Clock {
  set(instant: Date | string): void;
  advance(ms: number): void;
}

export function manualClock(start: Date | string): ManualClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    set: (instant) => {
      current = new Date(instant).getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}
