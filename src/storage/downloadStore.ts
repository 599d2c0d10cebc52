import { z } from 'zod';
import { PERIOD_PRESETS } from '../domain/reportPeriod';
import type { Download, DownloadStore } from '../services/report';
import { isNotFound, isPreconditionFailed } from './tableErrors';
import type { TableStore } from './tables';

export const DOWNLOADS_TABLE = 'downloads';
const rowSchema = z.object({ data: z.string(), expiresAt: z.string() });
const downloadSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('report'),
    scope: z.array(z.string()),
    period: z.object({ preset: z.enum(PERIOD_PRESETS), start: z.string(), end: z.string() }),
    createdBy: z.string(),
  }),
  z.object({ kind: z.literal('auditLog'), from: z.string(), to: z.string(), createdBy: z.string() }),
]);

/**
 * Download tokens, one row each (PartitionKey = token). A link works once: `take` deletes the row
 * on the eTag it read, so of two fetches racing for one link only one gets the file.
 */
export function tableDownloadStore(store: TableStore): DownloadStore {
  const table = () => store.ensureTable(DOWNLOADS_TABLE);
  return {
    async put(token, { expiresAt, ...item }) {
      await (await table()).createEntity({ partitionKey: token, rowKey: '', data: JSON.stringify(item), expiresAt });
    },
    async take(token, now): Promise<Download | undefined> {
      if (!/^[0-9a-f]{32}$/.test(token)) return undefined;
      const client = await table();
      try {
        const entity = await client.getEntity(token, '');
        await client.deleteEntity(token, '', { etag: entity.etag });
        const row = rowSchema.parse(entity);
        if (row.expiresAt <= now.toISOString()) return undefined;
        // A link an earlier version made (another shape) is as good as gone: it was used up by this fetch.
        const item = downloadSchema.safeParse(JSON.parse(row.data));
        return item.success ? item.data : undefined;
      } catch (err) {
        // Unknown, or used by a concurrent fetch between our read and our delete.
        if (isNotFound(err) || isPreconditionFailed(err)) return undefined;
        throw err;
      }
    },
  };
}
