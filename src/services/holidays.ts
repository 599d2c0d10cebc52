import Holidays from 'date-holidays';
import type { HolidayCheck } from '../domain/slots';

/**
 * Swedish non-working days: public holidays (röda dagar) and the eves Swedish workplaces close
 * on (midsommarafton, julafton, nyårsafton), which date-holidays types as "bank".
 */
export function swedishHolidays(): HolidayCheck {
  const calendar = new Holidays('SE');
  const byYear = new Map<number, Set<string>>();
  return (isoDate) => {
    const year = Number(isoDate.slice(0, 4));
    let days = byYear.get(year);
    if (!days) {
      days = new Set(
        calendar
          .getHolidays(year)
          .filter((h) => h.type === 'public' || h.type === 'bank')
          .map((h) => h.date.slice(0, 10)),
      );
      byYear.set(year, days);
    }
    return days.has(isoDate);
  };
}
