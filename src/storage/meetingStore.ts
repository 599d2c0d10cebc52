import type { TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import type { CaseEvent } from '../domain/concern';
import { ConcurrencyError } from '../domain/errors';
import { endOf, type Meeting } from '../domain/meeting';
import type { MeetingStore } from '../domain/ports';
import { CASES_TABLE, eventEntity } from './caseStore';
import { isNotFound, isPreconditionFailed, odataString, prefixEnd } from './tableErrors';
import type { TableStore } from './tables';

// Meetings live in the cases table, in their team's partition, RowKey "m|<id>": a meeting change and
// its case-timeline event go in one transaction.
const meetingRow = (id: string) => `m|${id}`;
const meetingSchema = z.looseObject({ id: z.string(), caseCode: z.string(), teamId: z.string(), status: z.string(), version: z.number() });

function entity(m: Meeting) {
  return { partitionKey: m.teamId, rowKey: meetingRow(m.id), type: 'meeting', caseCode: m.caseCode, socialWorkerId: m.socialWorkerId, status: m.status, start: m.start ?? '', data: JSON.stringify(m) };
}

const parse = (data: unknown) => meetingSchema.parse(JSON.parse(String(data))) as unknown as Meeting;

export function tableMeetingStore(store: TableStore): MeetingStore {
  const table = () => store.ensureTable(CASES_TABLE);
  const list = async (teamId: string, extra = ''): Promise<Meeting[]> => {
    const filter = `PartitionKey eq ${odataString(teamId)} and RowKey ge 'm|' and RowKey lt ${odataString(prefixEnd('m|'))}${extra}`;
    const out: Meeting[] = [];
    for await (const row of (await table()).listEntities({ queryOptions: { filter, select: ['data'] } })) out.push(parse(row.data));
    return out;
  };
  return {
    async create(m, events) {
      const actions: TransactionAction[] = [['create', entity(m)], ...events.map((e, i): TransactionAction => ['create', eventEntity(m.teamId, e, i)])];
      await (await table()).submitTransaction(actions);
    },
    async get(teamId, id) {
      try {
        const row = await (await table()).getEntity(teamId, meetingRow(id));
        return { value: parse(row.data), etag: String(row.etag) };
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async update(m, etag, events) {
      const actions: TransactionAction[] = [['update', entity(m), 'Replace', { etag }], ...events.map((e, i): TransactionAction => ['create', eventEntity(m.teamId, e, i)])];
      try {
        const response = await (await table()).submitTransaction(actions);
        return response.subResponses[0]?.etag ?? '';
      } catch (err) {
        if (isPreconditionFailed(err)) throw new ConcurrencyError(`meeting ${m.id}`);
        throw err;
      }
    },
    async confirmedFor(teamId, socialWorkerId, range) {
      // A meeting is at most a working day long: anything starting a day before the range may still overlap.
      const from = new Date(range.start.getTime() - 24 * 3600_000).toISOString();
      const extra = ` and socialWorkerId eq ${odataString(socialWorkerId)} and status eq 'confirmed' and start ge ${odataString(from)} and start lt ${odataString(range.end.toISOString())}`;
      return (await list(teamId, extra)).filter((m) => endOf(m)!.getTime() > range.start.getTime());
    },
    async listByCase(teamId, caseCode) {
      return list(teamId, ` and caseCode eq ${odataString(caseCode)}`);
    },
    async listByTeam(teamId) {
      return list(teamId);
    },
  };
}
