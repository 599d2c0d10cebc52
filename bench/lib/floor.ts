import { CASES_TABLE } from '../../src/storage/caseStore';
import { odataString, prefixEnd } from '../../src/storage/tableErrors';
import type { TableStore } from '../../src/storage/tables';

/**
 * The store floor of a read a section times: the team partition's RowKey ranges (`c|`, `m|`, `p|`, …)
 * read at once with only the `data` column, entities counted but not parsed. Returns how many.
 */
export async function countRanges(store: TableStore, teamId: string, prefixes: string[]): Promise<number> {
  const client = store.table(CASES_TABLE);
  let n = 0;
  const range = async (prefix: string) => {
    const filter = `PartitionKey eq ${odataString(teamId)} and RowKey ge ${odataString(prefix)} and RowKey lt ${odataString(prefixEnd(prefix))}`;
    for await (const _ of client.listEntities({ queryOptions: { filter, select: ['data'] } })) n++;
  };
  await Promise.all(prefixes.map(range));
  return n;
}
