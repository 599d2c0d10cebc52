import { createHash } from 'node:crypto';
import { isConflict } from './tableErrors';
import type { TableStore } from './tables';

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
        // Partition by day so old marks can be dropped as whole partitions.
        await (await store.ensureTable(ACTIVITY_IDS_TABLE)).createEntity({ partitionKey: key, rowKey: '', day: at.toISOString().slice(0, 10) });
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
