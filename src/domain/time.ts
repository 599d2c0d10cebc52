import { DateTime } from 'luxon';

/** Every rule in the product runs on Swedish local time. */
export const ZONE = 'Europe/Stockholm';

export function inStockholm(instant: Date): DateTime {
  return DateTime.fromJSDate(instant, { zone: ZONE });
}

/** The Stockholm calendar date of an instant, as YYYY-MM-DD. */
export function stockholmDate(instant: Date): string {
  return inStockholm(instant).toISODate()!;
}

/** Parses a YYYY-MM-DD calendar date; undefined when it is not a real date. */
export function parseCalendarDate(text: string): DateTime | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const d = DateTime.fromISO(text, { zone: ZONE });
  return d.isValid ? d : undefined;
}

/** Whole calendar days from the Stockholm date of `instant` to `date` (negative when in the past). */
export function daysUntil(instant: Date, date: string): number {
  const from = inStockholm(instant).startOf('day');
  const to = DateTime.fromISO(date, { zone: ZONE }).startOf('day');
  return Math.round(to.diff(from, 'days').days);
}
