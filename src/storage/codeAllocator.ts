import { z } from 'zod';
import type { CodeAllocator } from '../domain/ports';
import { isConflict, isNotFound, isPreconditionFailed } from './tableErrors';
import type { TableStore } from './tables';

export const COUNTERS_TABLE = 'counters';
const counterSchema = z.object({ n: z.number().int().nonnegative(), etag: z.string() });

/** Case sequence numbers per year: an eTag-guarded counter, safe with several bot instances. */
export function tableCodeAllocator(store: TableStore, maxAttempts = 50): CodeAllocator {
  return {
    async next(year) {
      const table = await store.ensureTable(COUNTERS_TABLE);
      const rowKey = String(year);
      for (let attempt = 0; attempt < maxAttempts; attempt++) {
        try {
          const current = counterSchema.parse(await table.getEntity('caseCode', rowKey));
          const n = current.n + 1;
          await table.updateEntity({ partitionKey: 'caseCode', rowKey, n }, 'Replace', { etag: current.etag });
          return n;
        } catch (err) {
          if (isNotFound(err)) {
            try {
              await table.createEntity({ partitionKey: 'caseCode', rowKey, n: 1 });
              return 1;
            } catch (createErr) {
              if (!isConflict(createErr)) throw createErr;
            }
          } else if (!isPreconditionFailed(err)) {
            throw err;
          }
        }
      }
      throw new Error(`Could not allocate a case code for ${year} after ${maxAttempts} attempts: the counter is under heavy contention; try again.`);
    },
  };
}
