import { DateTime } from 'luxon';
import { ZONE } from '../../domain/time';
import type { AbsenceBand, CaseStatus, Category, Grade, Outcome } from '../../domain/concern';
import type { ChosenPeriod } from '../../domain/reportPeriod';
import type { Translate } from '../i18n';

export const gradeLabel = (g: Grade, t: Translate) => (g === 'F' ? t('grade.F') : g === 'gy1' || g === 'gy2' || g === 'gy3' ? t(`grade.${g}`) : t('grade.n', { n: g }));
export const categoryLabel = (c: Category, t: Translate) => t(`category.${c}`);
export const bandLabel = (b: AbsenceBand, t: Translate) => t(`band.${b}`);
export const statusLabel = (s: CaseStatus, t: Translate) => t(`status.${s}`);
export const outcomeLabel = (o: Outcome, t: Translate) => t(`outcome.${o}`);

/** A time as people read it, in Stockholm: "tis 24 nov. 10:00" / "Tue 24 Nov 10:00". */
export function timeLabel(iso: string | Date, t: Translate): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return DateTime.fromJSDate(d, { zone: ZONE }).setLocale(t.lang === 'en' ? 'en-GB' : 'sv-SE').toFormat('ccc d LLL HH:mm');
}

/** How long something has waited, as people say it: "sedan i dag", "i 1 dag", "i 3 dagar". */
export function ageLabel(days: number, t: Translate): string {
  if (days <= 0) return t('age.today');
  return days === 1 ? t('age.oneDay') : t('age.days', { n: days });
}

/** A calendar date as people read it: "tis 24 nov." / "Tue 24 Nov". */
export function dateLabel(isoDate: string, t: Translate): string {
  return DateTime.fromISO(isoDate, { zone: ZONE }).setLocale(t.lang === 'en' ? 'en-GB' : 'sv-SE').toFormat('ccc d LLL');
}

/**
 * A report's period as people name it: a term "HT 2026" / "Autumn term 2026", a report period
 * "2026" (the calendar year) or "2026/27", any other from–to by its dates.
 */
export function periodLabel(p: ChosenPeriod, t: Translate): string {
  const year = p.start.slice(0, 4);
  if (p.preset === 'term' || p.preset === 'lastTerm') return t(Number(p.start.slice(5, 7)) >= 7 ? 'period.autumn' : 'period.spring', { year });
  if (p.preset === 'year' || p.preset === 'lastYear') {
    return p.start.endsWith('-01-01') ? year : `${year}/${String((Number(year) + 1) % 100).padStart(2, '0')}`;
  }
  return `${p.start} – ${p.end}`;
}

/** A month (YYYY-MM) as a chart's axis reads it: "jan", or "jan ’27" when the period spans years (never a text a chart would take for a date). */
export function monthLabel(month: string, t: Translate, withYear: boolean): string {
  const name = DateTime.fromISO(`${month}-01`, { zone: ZONE }).setLocale(t.lang === 'en' ? 'en-GB' : 'sv-SE').toFormat('LLL').replace(/\.$/, '');
  return withYear ? `${name} ’${month.slice(2, 4)}` : name;
}

/**
 * A whole-percent input (0–100) for giltig / ogiltig frånvaro, filled in with what was typed: a
 * number input's value must be a number, so anything else comes back empty.
 */
export function percentInput(typed: string | undefined, errorMessage: string, required = true): { type: 'Input.Number'; isRequired: boolean; min: number; max: number; errorMessage: string; value?: number } {
  const n = typed !== undefined && typed.trim() !== '' ? Number(typed) : NaN;
  return { type: 'Input.Number', isRequired: required, min: 0, max: 100, errorMessage, ...(Number.isFinite(n) ? { value: n } : {}) };
}
