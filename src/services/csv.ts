import { stringify } from 'csv-stringify/sync';

/**
 * Every CSV the bot exports goes through here: RFC 4180 quoting, and a cell that begins with "=",
 * "+", "-", "@", a tab or a carriage return (or their fullwidth forms) gets a leading "'", so Excel
 * and LibreOffice show it as text instead of running it as a formula (CSV/formula injection: a
 * school field of "=HYPERLINK(…)" in a refused attempt must not become a live link in the admin's
 * export). Numbers are left as numbers.
 */
export function toCsv(rows: unknown[][]): string {
  return stringify(rows, { escape_formulas: true });
}
