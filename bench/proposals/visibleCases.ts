import { z } from 'zod';
import type { Case } from '../../src/domain/concern';
import { isVisibleTo } from '../../src/domain/access';
import { hasRole, teamsOf, type Person, type Roster } from '../../src/domain/roster';
import { CASES_TABLE } from '../../src/storage/caseStore';
import { odataString, prefixEnd } from '../../src/storage/tableErrors';
import type { TableStore } from '../../src/storage/tables';

const caseSchema = z.looseObject({ code: z.string(), teamId: z.string(), schoolId: z.string(), status: z.string(), assignedTo: z.string() });

/**
 * PROPOSAL (not in src/): 'mina ärenden' asks the store only for the rows the person may see, using the
 * columns caseStore already writes (schoolId, assignedTo, status): an EHT member's schools, a social
 * worker's assignments, a group leader's whole team; closed cases are left out in the store too.
 * The in-memory isVisibleTo check stays as the authority. Today listMyCases reads the whole team
 * partition (every case of every school) and filters in memory.
 */
export async function listVisibleCases(store: TableStore, roster: Roster, person: Person): Promise<Case[]> {
  const client = await store.ensureTable(CASES_TABLE);
  const out: Case[] = [];
  for (const teamId of teamsOf(roster, person)) {
    const who: string[] = [];
    if (hasRole(person, 'groupLeader') && person.team === teamId) who.push('true');
    if (hasRole(person, 'eht')) for (const s of person.schools ?? []) who.push(`schoolId eq ${odataString(s)}`);
    if (hasRole(person, 'socialWorker')) who.push(`assignedTo eq ${odataString(person.id)}`);
    if (who.length === 0) continue;
    const scope = who.includes('true') ? '' : ` and (${who.join(' or ')})`;
    const filter = `PartitionKey eq ${odataString(teamId)} and RowKey ge 'c|' and RowKey lt ${odataString(prefixEnd('c|'))} and status ne 'closed'${scope}`;
    for await (const row of client.listEntities({ queryOptions: { filter, select: ['data'] } })) {
      const c = caseSchema.parse(JSON.parse(String(row.data))) as unknown as Case;
      if (isVisibleTo(person, c)) out.push(c);
    }
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
