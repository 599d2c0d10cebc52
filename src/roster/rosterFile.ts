import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ROLES, rosterProblems, type Roster } from '../domain/roster';

const id = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'use letters, digits, "-", "_" or "." only');

/** The roster file contract (issue 3); optional fields may be added, the documented shape is always accepted. */
export const rosterSchema = z.object({
  municipality: z.object({ name: z.string().min(1), reportConcernUrl: z.url({ protocol: /^https?$/ }) }),
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
