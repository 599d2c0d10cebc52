import type { TableClient } from '@azure/data-tables';
import type { TableStore } from '../../src/storage/tables';

export interface TableCounts {
  /** listEntities calls (queries) and the entities they returned, per table name. */
  queries: number;
  rows: number;
}

/** Wraps a TableStore so every listEntities on `tableName` is counted (queries and entities returned). */
export function countingTableStore(base: TableStore, tableName: string): { store: TableStore; counts: TableCounts; reset(): void } {
  const counts: TableCounts = { queries: 0, rows: 0 };
  const wrap = (client: TableClient): TableClient =>
    new Proxy(client, {
      get(target, prop, receiver) {
        if (prop === 'listEntities') {
          return (...args: Parameters<TableClient['listEntities']>) => {
            counts.queries++;
            const inner = target.listEntities(...args);
            return (async function* () {
              for await (const row of inner) {
                counts.rows++;
                yield row;
              }
            })();
          };
        }
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  const store: TableStore = {
    ...base,
    table: (name) => (name === tableName ? wrap(base.table(name)) : base.table(name)),
    ensureTable: async (name) => (name === tableName ? wrap(await base.ensureTable(name)) : base.ensureTable(name)),
  };
  return {
    store,
    counts,
    reset() {
      counts.queries = 0;
      counts.rows = 0;
    },
  };
}
