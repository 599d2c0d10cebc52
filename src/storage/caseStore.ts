import { randomBytes } from 'node:crypto';
import type { TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import type { Case, CaseEvent } from '../domain/concern';
import type { CaseStore } from '../domain/ports';
import { isNotFound, odataString, prefixEnd } from './tableErrors';
import type { TableStore } from './tables';

export const CASES_TABLE = 'cases';

// One partition per team: a team's cases and timelines are read together and changed together,
// so a case and its new events are written in one atomic transaction.
const caseRow = (code: string) => `c|${code}`;
const eventPrefix = (code: string) => `e|${code}|`;

const caseSchema = z.looseObject({ code: z.string(), teamId: z.string(), schoolId: z.string(), status: z.string(), assignedTo: z.string() });
const eventSchema = z.looseObject({ caseCode: z.string(), at: z.string(), kind: z.string(), by: z.string() });
const rowSchema = z.object({ partitionKey: z.string(), rowKey: z.string(), data: z.string(), etag: z.string().optional() });

export function caseEntity(c: Case) {
  // status / school / assignee are columns too, so list filters can run in the store.
  return { partitionKey: c.teamId, rowKey: caseRow(c.code), type: 'case', caseCode: c.code, data: JSON.stringify(c), status: c.status, schoolId: c.schoolId, assignedTo: c.assignedTo };
}

/** A timeline row; unique even for events of one case at the same instant. */
let sequence = 0;
export function eventEntity(teamId: string, e: CaseEvent, index: number) {
  // RowKeys sort by time, then by write order within this process (a counter), then at random.
  const unique = `${String(++sequence % 1e9).padStart(9, '0')}${String(index).padStart(3, '0')}${randomBytes(3).toString('hex')}`;
  return { partitionKey: teamId, rowKey: `${eventPrefix(e.caseCode)}${e.at}|${unique}`, type: 'event', caseCode: e.caseCode, data: JSON.stringify(e) };
}

const parseCase = (row: unknown): Case => caseSchema.parse(JSON.parse(rowSchema.parse(row).data)) as unknown as Case;
const parseEvent = (row: unknown): CaseEvent => eventSchema.parse(JSON.parse(rowSchema.parse(row).data)) as unknown as CaseEvent;

/** Cases on Azure Tables, read side; see the key design above (changes: changeStore.ts). */
export function tableCaseStore(store: TableStore): CaseStore {
  const table = () => store.ensureTable(CASES_TABLE);

  async function listCases(teamId: string, extra: string): Promise<Case[]> {
    const client = await table();
    const filter = `PartitionKey eq ${odataString(teamId)} and RowKey ge 'c|' and RowKey lt ${odataString(prefixEnd('c|'))}${extra}`;
    const cases: Case[] = [];
    for await (const row of client.listEntities({ queryOptions: { filter, select: ['data'] } })) {
      cases.push(caseSchema.parse(JSON.parse(String(row.data))) as unknown as Case);
    }
    return cases;
  }

  return {
    async purge(teamId, code) {
      // Everything of the case carries its code as a column: events, meetings, plans, action marks,
      // effects and delivery records.
      const client = await table();
      const keys: string[] = [];
      const filter = `PartitionKey eq ${odataString(teamId)} and caseCode eq ${odataString(code)}`;
      for await (const row of client.listEntities({ queryOptions: { filter, select: ['RowKey'] } })) keys.push(String(row.rowKey));
      // The case row goes last, so an interrupted purge is found and finished by the next one.
      keys.sort((a, b) => Number(a === caseRow(code)) - Number(b === caseRow(code)));
      for (let i = 0; i < keys.length; i += 100) {
        await client.submitTransaction(keys.slice(i, i + 100).map((rowKey): TransactionAction => ['delete', { partitionKey: teamId, rowKey }]));
      }
      return keys.length;
    },
    async get(teamId, code) {
      const client = await table();
      try {
        const row = await client.getEntity(teamId, caseRow(code));
        return { value: parseCase(row), etag: String(row.etag) };
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    listByTeam: (teamId) => listCases(teamId, ''),
    async listFor(teamId, scope) {
      const who = [
        ...(scope.schoolIds ?? []).map((id) => `schoolId eq ${odataString(id)}`),
        ...(scope.assignedTo ? [`assignedTo eq ${odataString(scope.assignedTo)}`] : []),
        ...(scope.unclaimed ? ["status eq 'new'"] : []),
      ];
      const open = scope.includeClosed ? '' : " and status ne 'closed'";
      return who.length === 0 ? [] : listCases(teamId, `${open} and (${who.join(' or ')})`);
    },
    async timeline(teamId, code) {
      const client = await table();
      const prefix = eventPrefix(code);
      const filter = `PartitionKey eq ${odataString(teamId)} and RowKey ge ${odataString(prefix)} and RowKey lt ${odataString(prefixEnd(prefix))}`;
      const events: CaseEvent[] = [];
      // Rows come in RowKey order (time, then write order); the stable sort only guards other stores.
      for await (const row of client.listEntities({ queryOptions: { filter } })) events.push(parseEvent(row));
      return events.sort((a, b) => a.at.localeCompare(b.at));
    },
  };
}
