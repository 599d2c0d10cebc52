import { randomBytes } from 'node:crypto';
import { tableStoreFromConnectionString, type TableStore } from '../../src/storage/tables';

/**
 * A real TableStore on `connectionString` whose tables get a random suffix ("cases" → "cases3f9a…"),
 * so tests sharing one Azurite never see each other's rows.
 */
export function isolatedTableStore(connectionString: string): TableStore {
  const base = tableStoreFromConnectionString(connectionString);
  const suffix = randomBytes(5).toString('hex');
  return {
    ...base,
    table: (name) => base.table(name + suffix),
    ensureTable: (name) => base.ensureTable(name + suffix),
  };
}
