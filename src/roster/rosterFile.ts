import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CATEGORIES, GRADES } from '../domain/concern';
import { ROLES, rosterProblems, type Roster } from '../domain/roster';
import { parseCalendarDate } from '../domain/time';

const id = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'use letters, digits, "-", "_" or "." only');
const isoDate = z.string().refine((s) => parseCalendarDate(s) !== undefined, 'a date as YYYY-MM-DD');
/** A day of the year, MM-DD (any year's: 02-29 is refused, it is not in every year). */
const monthDay = z.string().refine((s) => /^\d{2}-\d{2}$/.test(s) && s !== '02-29' && parseCalendarDate(`2024-${s}`) !== undefined, 'a day of the year as MM-DD, e.g. "03-31"');

/** What differs between municipalities (docs/roster.md); each field may be left out for its default (Linköping's). */
export const settingsSchema = z.strictObject({
  categories: z.array(z.enum(CATEGORIES)).min(1).optional(),
  grades: z.array(z.enum(GRADES)).min(1).optional(),
  terms: z.array(z.strictObject({ start: isoDate, end: isoDate })).max(40).optional(),
  consentMaxMonths: z.number().int().min(1).max(36).optional(),
  intensiveWeeks: z.number().int().min(1).max(52).optional(),
  escalationWorkingDays: z.number().int().min(1).max(10).optional(),
  report: z.strictObject({ periodStart: monthDay.optional(), deadline: monthDay.optional() }).optional(),
});

/** The roster file contract (issue 3); optional fields may be added, the documented shape is always accepted. */
export const rosterSchema = z.object({
  municipality: z.object({ name: z.string().min(1), reportConcernUrl: z.url({ protocol: /^https?$/ }), settings: settingsSchema.optional() }),
  teams: z.array(z.object({ id, name: z.string().min(1), groupLeader: id })).min(1),
  schools: z.array(z.object({ id, name: z.string().min(1), team: id, socialWorker: id.optional(), backupSocialWorker: id.optional() })),
  people: z.array(
    z.object({
      id,
      aadObjectId: z.string().trim().min(1).max(64),
      name: z.string().min(1).max(200),
      roles: z.array(z.enum(ROLES)).min(1),
      schools: z.array(id).optional(),
      team: id.optional(),
      absent: z.boolean().optional(),
      email: z.email().optional(),
    }),
  ),
});

/** Raised when the roster file cannot be used; the message lists every problem and where it is. */
export class RosterFileError extends Error {
  constructor(file: string, problems: string[]) {
    super(`ROSTER_FILE ${file} cannot be used:\n- ${problems.join('\n- ')}\nFix the file (see roster.example.json) and start the bot again.`);
    this.name = 'RosterFileError';
  }
}

export function parseRoster(json: unknown, file = 'roster'): Roster {
  const parsed = rosterSchema.safeParse(json);
  if (!parsed.success) {
    throw new RosterFileError(file, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const problems = rosterProblems(parsed.data);
  if (problems.length > 0) throw new RosterFileError(file, problems);
  return parsed.data;
}

export async function readRosterFile(file: string): Promise<Roster> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new RosterFileError(file, [`cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'}); check the path in ROSTER_FILE`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new RosterFileError(file, [`not valid JSON: ${(err as Error).message}`]);
  }
  return parseRoster(json, file);
}
