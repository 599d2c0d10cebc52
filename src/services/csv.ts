import { stringify } from 'csv-stringify/sync';
import type { Category, Grade, InsatsForm, InsatsKind, Outcome } from '../domain/concern';
import type { GoalAttainment } from '../domain/plan';
import type { ChosenPeriod } from '../domain/reportPeriod';
import type { AccessLogEntry } from '../domain/ports';

/**
 * Every CSV the bot exports goes through here, made for Excel as Swedish municipalities have it:
 * semicolon-separated (a Swedish Excel reads commas as decimal marks, not as separators), a BOM so
 * it opens as UTF-8 (å, ä, ö), CRLF line ends, decimal commas. RFC 4180 quoting; a cell that begins
 * with "=", "+", "-", "@", a tab or a carriage return (or their fullwidth forms) gets a leading "'",
 * so Excel and LibreOffice show it as text instead of running it as a formula (CSV/formula
 * injection: a school field of "=HYPERLINK(…)" in a refused attempt must not become a live link in
 * the admin's export). Numbers, negative ones too, are left as numbers.
 */
export function toCsv(rows: unknown[][]): string {
  const cells = rows.map((row) => row.map(csvCell));
  return `\uFEFF${stringify(cells, { delimiter: ';', record_delimiter: 'windows' })}`;
}

/** Characters that make a spreadsheet read a text cell as a formula (and their fullwidth forms). */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** A number as Swedish Excel reads it (decimal comma; a negative one stays a number), text made safe. */
function csvCell(cell: unknown): unknown {
  if (typeof cell === 'number') return Number.isInteger(cell) ? cell : String(cell).replace('.', ',');
  if (typeof cell === 'string' && FORMULA_START.test(cell)) return `'${cell}`;
  return cell;
}

/**
 * The words an export uses for the bot's codes (categories, outcomes, access-log actions and where
 * an entry came from), so a reviewer never meets a raw id such as `absence` or `card:meeting.counter:view`.
 */
export interface ExportLabels {
  category(c: Category): string;
  outcome(o: Outcome): string;
  grade(g: Grade): string;
  insatsForm(f: InsatsForm): string;
  insatsKind(k: InsatsKind): string;
  attainment(a: GoalAttainment): string;
  /** A report's period as people name it: "HT 2026", "2026", "2026/27", "2026-01-01 – 2026-06-30". */
  period(p: ChosenPeriod): string;
  action(a: AccessLogEntry['action']): string;
  /** "command:myCases" → "kommandot mina ärenden"; unknown forms come back as they are. */
  via(via: string): string;
  /** The non-person actors of the log (a download link, an invitation link, the retention run, someone outside the roster). */
  actor(actorId: string): string | undefined;
}
