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

const dateByUtcHour = new Map<string, string>();
const UTC_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/**
 * The Stockholm calendar date of a stored instant (an ISO string in UTC, as toISOString writes it),
 * for code that reads many: Stockholm's offset is whole hours, so the date is the same for every
 * instant of one UTC hour, and it is looked up once per hour (a few µs each otherwise).
 */
export function stockholmDateOfIso(iso: string): string {
  if (!UTC_ISO.test(iso)) return stockholmDate(new Date(iso));
  const hour = iso.slice(0, 13);
  let date = dateByUtcHour.get(hour);
  if (date === undefined) {
    if (dateByUtcHour.size >= 100_000) dateByUtcHour.clear();
    date = stockholmDate(new Date(`${hour}:00:00Z`));
    dateByUtcHour.set(hour, date);
  }
  return date;
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
