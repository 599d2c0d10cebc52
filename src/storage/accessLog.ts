import { createHash, randomBytes } from 'node:crypto';
import type { TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import type { AccessLog, AccessLogEntry } from '../domain/ports';
import { isConflict, odataString } from './tableErrors';
import type { TableStore } from './tables';
import { deletePartition, partitionsBefore } from './partitions';

export const ACCESS_LOG_TABLE = 'accessLog';

// Partitioned by UTC month: the monthly review reads one partition; RowKeys sort by time.
const partitionOf = (at: string) => at.slice(0, 7);
const entrySchema = z.object({
  at: z.string(), actorId: z.string(), action: z.string(), caseCode: z.string().optional(),
  schoolId: z.string().optional(), allowed: z.boolean(), via: z.string(),
});

/** RowKeys sort by time; an entry written for an effect has a key derived from it (a second write is a no-op). */
function entity(e: AccessLogEntry, key?: string) {
  const unique = key ? createHash('sha256').update(key).digest('hex').slice(0, 16) : randomBytes(6).toString('hex');
  return { partitionKey: partitionOf(e.at), rowKey: `${e.at}|${unique}`, ...e };
}

function monthsBetween(fromIso: string, toIso: string): string[] {
  const months: string[] = [];
  let [y, m] = fromIso.slice(0, 7).split('-').map(Number);
  const end = toIso.slice(0, 7);
  for (let guard = 0; guard < 1200; guard++) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > end) break;
    months.push(month);
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
  }
  return months;
}

/** The access log on Azure Tables. */
export function tableAccessLog(store: TableStore): AccessLog {
  const table = () => store.ensureTable(ACCESS_LOG_TABLE);
  return {
    async record(entry, key) {
      try {
        await (await table()).createEntity(entity(entry, key));
      } catch (err) {
        if (!(key && isConflict(err))) throw err; // written before: the same effect applied twice
      }
    },
    async recordMany(entries) {
      const client = await table();
      const byMonth = new Map<string, TransactionAction[]>();
      for (const e of entries) {
        const actions = byMonth.get(partitionOf(e.at)) ?? [];
        actions.push(['create', entity(e)]);
        byMonth.set(partitionOf(e.at), actions);
      }
      for (const actions of byMonth.values()) {
        for (let i = 0; i < actions.length; i += 100) await client.submitTransaction(actions.slice(i, i + 100));
      }
    },
    async list(fromIso, toIso) {
      const client = await table();
      const entries: AccessLogEntry[] = [];
      for (const month of monthsBetween(fromIso, toIso)) {
        const filter = `PartitionKey eq ${odataString(month)} and RowKey ge ${odataString(fromIso)} and RowKey lt ${odataString(toIso)}`;
        for await (const row of client.listEntities({ queryOptions: { filter } })) entries.push(entrySchema.parse(row) as AccessLogEntry);
      }
      return entries;
    },
  };
}

/** Deletes the access log's monthly partitions before `cutoff`'s month (looking two years back). */
export function purgeAccessLogBefore(store: TableStore) {
  return async (cutoff: Date): Promise<number> => {
    const client = await store.ensureTable(ACCESS_LOG_TABLE);
    let n = 0;
    for (const month of partitionsBefore(new Date(`${cutoff.toISOString().slice(0, 7)}-01T00:00:00Z`), 'month', 24 * 31)) n += await deletePartition(client, month);
    return n;
  };
}
