import { DateTime } from 'luxon';
import { ZONE } from './time';

/** Working hours on working days, Swedish time (DOMAIN.md): 08–17, Monday–Friday. */
export const WORKDAY_START_HOUR = 8;
export const WORKDAY_END_HOUR = 17;

/** Is this Stockholm calendar date (YYYY-MM-DD) a holiday? Supplied by an adapter (date-holidays). */
export type HolidayCheck = (isoDate: string) => boolean;

export interface TimeRange {
  start: Date;
  end: Date;
}

export type SlotProblem = 'invalid' | 'past' | 'weekend' | 'holiday' | 'outsideHours' | 'overlap';

export function isWorkingDay(isoDate: string, isHoliday: HolidayCheck): boolean {
  const day = DateTime.fromISO(isoDate, { zone: ZONE });
  return day.isValid && day.weekday <= 5 && !isHoliday(isoDate);
}

/** Sorted and merged (touching ranges join), like cal.com's mergeOverlappingDateRanges. */
export function mergeRanges(ranges: TimeRange[]): TimeRange[] {
  const sorted = [...ranges].sort((a, b) => a.start.getTime() - b.start.getTime());
  const merged: TimeRange[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.start.getTime() <= last.end.getTime()) {
      if (r.end.getTime() > last.end.getTime()) last.end = r.end;
    } else {
      merged.push({ start: r.start, end: r.end });
    }
  }
  return merged;
}

const overlaps = (a: TimeRange, b: TimeRange) => a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();

/**
 * Why a meeting from `start` lasting `minutes` cannot be booked, or undefined when it can:
 * never in the past, only on working days, wholly within 08–17 Stockholm time, not over `busy`.
 */
export function slotProblem(start: Date, minutes: number, now: Date, isHoliday: HolidayCheck, busy: TimeRange[]): SlotProblem | undefined {
  if (Number.isNaN(start.getTime()) || !Number.isInteger(minutes) || minutes <= 0) return 'invalid';
  if (start.getTime() <= now.getTime()) return 'past';
  const local = DateTime.fromJSDate(start, { zone: ZONE });
  const isoDate = local.toISODate()!;
  if (local.weekday > 5) return 'weekend';
  if (isHoliday(isoDate)) return 'holiday';
  const dayStart = local.set({ hour: WORKDAY_START_HOUR, minute: 0, second: 0, millisecond: 0 });
  const dayEnd = local.set({ hour: WORKDAY_END_HOUR, minute: 0, second: 0, millisecond: 0 });
  const end = local.plus({ minutes });
  if (local < dayStart || end > dayEnd) return 'outsideHours';
  const range = { start, end: end.toJSDate() };
  if (busy.some((b) => overlaps(range, b))) return 'overlap';
  return undefined;
}

export interface SuggestOptions {
  minutes: number;
  now: Date;
  isHoliday: HolidayCheck;
  busy: TimeRange[];
  /** How many to return. */
  count: number;
  /** Grid the suggestions start on, in minutes (default 30). */
  stepMinutes?: number;
  /** Earliest lead time before a suggestion, in minutes (default 60: not in the next hour). */
  leadMinutes?: number;
  /** At most this many suggestions on one day, so the other party gets a choice of days (default 2). */
  perDay?: number;
  /** Stop looking after this many calendar days (default 30). */
  horizonDays?: number;
}

/** Free slots for a meeting, earliest first, on the step grid in Stockholm time. */
export function suggestSlots(o: SuggestOptions): Date[] {
  const step = o.stepMinutes ?? 30;
  const perDay = o.perDay ?? 2;
  const busy = mergeRanges(o.busy);
  const earliest = DateTime.fromJSDate(o.now, { zone: ZONE }).plus({ minutes: o.leadMinutes ?? 60 });
  const found: Date[] = [];
  let day = earliest.startOf('day');
  for (let d = 0; d < (o.horizonDays ?? 30) && found.length < o.count; d++, day = day.plus({ days: 1 })) {
    if (!isWorkingDay(day.toISODate()!, o.isHoliday)) continue;
    let onDay = 0;
    // Each candidate is built from the local wall clock, so DST days get 08:00 local like any other.
    for (let minute = WORKDAY_START_HOUR * 60; minute + o.minutes <= WORKDAY_END_HOUR * 60 && onDay < perDay && found.length < o.count; minute += step) {
      const candidate = day.set({ hour: Math.floor(minute / 60), minute: minute % 60 });
      if (candidate < earliest) continue;
      const start = candidate.toJSDate();
      if (slotProblem(start, o.minutes, o.now, o.isHoliday, busy) === undefined) {
        found.push(start);
        onDay++;
        minute = Math.ceil((minute + o.minutes) / step) * step - step; // next suggestion starts on the grid after this one ends
      }
    }
  }
  return found;
}
