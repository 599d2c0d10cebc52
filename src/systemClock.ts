import type { Clock } from './domain/clock';

/** The real clock; only the composition root creates it. */
export const systemClock: Clock = { now: () => new Date() };
