import type { TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import type { CaseEvent } from '../domain/concern';
import { ConcurrencyError } from '../domain/errors';
import type { Plan } from '../domain/plan';
import type { PlanStore } from '../domain/ports';
import { CASES_TABLE, eventEntity } from './caseStore';
import { isNotFound, isPreconditionFailed, odataString, prefixEnd } from './tableErrors';
import type { TableStore } from './tables';

// Plans live beside their case (team partition, RowKey "p|<id>"), so a plan and its timeline event are one transaction.
const planRow = (id: string) => `p|${id}`;
const planSchema = z.looseObject({ id: z.string(), caseCode: z.string(), teamId: z.string(), status: z.string(), reviews: z.array(z.object({ date: z.string(), status: z.string() }).loose()) });
const parse = (data: unknown) => planSchema.parse(JSON.parse(String(data))) as unknown as Plan;

function entity(p: Plan) {
  return { partitionKey: p.teamId, rowKey: planRow(p.id), type: 'plan', caseCode: p.caseCode, status: p.status, data: JSON.stringify(p) };
}

export function tablePlanStore(store: TableStore): PlanStore {
  const table = () => store.ensureTable(CASES_TABLE);
  const list = async (teamId: string, extra = '') => {
    const filter = `PartitionKey eq ${odataString(teamId)} and RowKey ge 'p|' and RowKey lt ${odataString(prefixEnd('p|'))}${extra}`;
    const out: Plan[] = [];
    for await (const row of (await table()).listEntities({ queryOptions: { filter, select: ['data'] } })) out.push(parse(row.data));
    return out;
  };
  return {
    async create(p, events) {
      await (await table()).submitTransaction([['create', entity(p)], ...events.map((e, i): TransactionAction => ['create', eventEntity(p.teamId, e, i)])]);
    },
    async get(teamId, id) {
      try {
        const row = await (await table()).getEntity(teamId, planRow(id));
        return { value: parse(row.data), etag: String(row.etag) };
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async update(p, etag, events) {
      try {
        const response = await (await table()).submitTransaction([['update', entity(p), 'Replace', { etag }], ...events.map((e, i): TransactionAction => ['create', eventEntity(p.teamId, e, i)])]);
        return response.subResponses[0]?.etag ?? '';
      } catch (err) {
        if (isPreconditionFailed(err)) throw new ConcurrencyError(`plan ${p.id}`);
        throw err;
      }
    },
    listByCase: (teamId, caseCode) => list(teamId, ` and caseCode eq ${odataString(caseCode)}`),
    listByTeam: (teamId) => list(teamId),
  };
}
