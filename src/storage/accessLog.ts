import { createHash, randomBytes } from 'node:crypto';
import type { TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import type { AccessLog, AccessLogEntry } from '../domain/ports';
import { isConflict, odataString } from './tableErrors';
import type { TableStore } from './tables';

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

/**
 * Deletes every entry of the months before `cutoff`'s month (the month itself and later are kept),
 * however old: the query names only partitions older than the cutoff, so it reads nothing it keeps.
 */
export function purgeAccessLogBefore(store: TableStore) {
  return async (cutoff: Date): Promise<number> => {
    const client = await store.ensureTable(ACCESS_LOG_TABLE);
    const cutoffMonth = cutoff.toISOString().slice(0, 7);
    const byMonth = new Map<string, string[]>();
    const filter = `PartitionKey lt ${odataString(cutoffMonth)}`;
    for await (const row of client.listEntities({ queryOptions: { filter, select: ['PartitionKey', 'RowKey'] } })) {
      const month = String(row.partitionKey);
      if (month >= cutoffMonth) continue; // never, by the filter; kept as the rule's own statement
      const keys = byMonth.get(month) ?? [];
      keys.push(String(row.rowKey));
      byMonth.set(month, keys);
    }
    let n = 0;
    for (const [month, rowKeys] of byMonth) {
      for (let i = 0; i < rowKeys.length; i += 100) {
        await client.submitTransaction(rowKeys.slice(i, i + 100).map((rowKey): TransactionAction => ['delete', { partitionKey: month, rowKey }]));
      }
      n += rowKeys.length;
    }
    return n;
  };
}
