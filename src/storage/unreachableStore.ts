import { z } from 'zod';
import type { UnreachableStore } from '../domain/ports';
import { isNotFound, odataString } from './tableErrors';
import type { TableStore } from './tables';

export const UNREACHABLE_TABLE = 'unreachable';
const rowSchema = z.object({ rowKey: z.string(), since: z.string(), kind: z.string() });

/** Unreachable recipients per team (one small partition the digest reads whole). */
export function tableUnreachableStore(store: TableStore): UnreachableStore {
  const table = () => store.ensureTable(UNREACHABLE_TABLE);
  return {
    async record(teamId, personId, at, kind) {
      const client = await table();
      try {
        await client.getEntity(teamId, personId);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        await client.upsertEntity({ partitionKey: teamId, rowKey: personId, since: at, kind }, 'Replace');
      }
    },
    async clear(teamId, personId) {
      await (await table()).deleteEntity(teamId, personId).catch((err) => {
        if (!isNotFound(err)) throw err;
      });
    },
    async list(teamId) {
      const out: Array<{ personId: string; since: string; kind: string }> = [];
      for await (const row of (await table()).listEntities({ queryOptions: { filter: `PartitionKey eq ${odataString(teamId)}` } })) {
        const r = rowSchema.parse(row);
        out.push({ personId: r.rowKey, since: r.since, kind: r.kind });
      }
      return out;
    },
  };
}
