import { z } from 'zod';
import type { DownloadStore } from '../services/yearReport';
import { isNotFound } from './tableErrors';
import type { TableStore } from './tables';

export const DOWNLOADS_TABLE = 'downloads';
const rowSchema = z.object({ kind: z.literal('yearReport'), scope: z.string(), year: z.number(), createdBy: z.string(), expiresAt: z.string() });

/** Download tokens, one row each (PartitionKey = token), read once within their validity. */
export function tableDownloadStore(store: TableStore): DownloadStore {
  const table = () => store.ensureTable(DOWNLOADS_TABLE);
  return {
    async put(token, item) {
      await (await table()).createEntity({ partitionKey: token, rowKey: '', ...item, scope: JSON.stringify(item.scope) });
    },
    async take(token, now) {
      if (!/^[0-9a-f]{32}$/.test(token)) return undefined;
      try {
        const row = rowSchema.parse(await (await table()).getEntity(token, ''));
        if (row.expiresAt <= now.toISOString()) return undefined;
        return { kind: row.kind, scope: JSON.parse(row.scope) as string[], year: row.year, createdBy: row.createdBy };
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
  };
}
