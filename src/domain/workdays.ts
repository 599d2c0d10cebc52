import { DateTime } from 'luxon';
import { isWorkingDay, type HolidayCheck } from './slots';
import { ZONE } from './time';

/** The instant of a Stockholm wall-clock time on a calendar date ("2026-03-30", "08:00"). */
export function atLocal(isoDate: string, hhmm: string): Date {
  const [hour, minute] = hhmm.split(':').map(Number);
  return DateTime.fromISO(isoDate, { zone: ZONE }).set({ hour, minute, second: 0, millisecond: 0 }).toJSDate();
}

export function plusDays(isoDate: string, days: number): string {
  return DateTime.fromISO(isoDate, { zone: ZONE }).plus({ days }).toISODate()!;
}

/** The date itself if it is a working day, else the closest working day before it. */
export function workingDayOnOrBefore(isoDate: string, isHoliday: HolidayCheck): string {
  let d = isoDate;
  for (let guard = 0; guard < 30 && !isWorkingDay(d, isHoliday); guard++) d = plusDays(d, -1);
  return d;
}

/** The date itself if it is a working day, else the next working day. */
export function workingDayOnOrAfter(isoDate: string, isHoliday: HolidayCheck): string {
  let d = isoDate;
  for (let guard = 0; guard < 30 && !isWorkingDay(d, isHoliday); guard++) d = plusDays(d, 1);
  return d;
}

/** `n` working days after the date (n ≥ 1); the date itself does not count. */
export function addWorkingDays(isoDate: string, n: number, isHoliday: HolidayCheck): string {
  let d = isoDate;
  for (let left = n; left > 0; ) {
    d = plusDays(d, 1);
    if (isWorkingDay(d, isHoliday)) left--;
  }
  return d;
}

/** The working day before the date (for "the working day before the meeting"). */
export function previousWorkingDay(isoDate: string, isHoliday: HolidayCheck): string {
  return workingDayOnOrBefore(plusDays(isoDate, -1), isHoliday);
}
