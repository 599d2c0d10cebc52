import { createHash } from 'node:crypto';
import { isConflict } from './tableErrors';
import type { TableStore } from './tables';
import { deletePartition, partitionsBefore } from './partitions';

export const ACTIVITY_IDS_TABLE = 'activityIds';

/** Remembers which activities were handled, across instances: the first call for an id is true, later ones false. */
export interface ActivityDedupe {
  firstTime(activityId: string, at: Date): Promise<boolean>;
}

export function tableActivityDedupe(store: TableStore): ActivityDedupe {
  const recent = new Set<string>();
  return {
    async firstTime(activityId, at) {
      const key = createHash('sha256').update(activityId).digest('hex').slice(0, 40);
      if (recent.has(key)) return false;
      try {
        // Partitioned by UTC day so old marks go as whole partitions (a redelivery across midnight is not caught).
        await (await store.ensureTable(ACTIVITY_IDS_TABLE)).createEntity({ partitionKey: at.toISOString().slice(0, 10), rowKey: key });
      } catch (err) {
        if (isConflict(err)) {
          recent.add(key);
          return false;
        }
        throw err;
      }
      recent.add(key);
      if (recent.size > 5000) recent.delete(recent.values().next().value!);
      return true;
    },
  };
}

/** Drops the marks of the week before `cutoff`. */
export function purgeActivityIdsBefore(store: TableStore) {
  return async (cutoff: Date): Promise<number> => {
    const client = await store.ensureTable(ACTIVITY_IDS_TABLE);
    let n = 0;
    for (const day of partitionsBefore(cutoff, 'day', 7)) n += await deletePartition(client, day);
    return n;
  };
}
