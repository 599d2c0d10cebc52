import { randomBytes } from 'node:crypto';
import { startAzurite, type RunningAzurite } from './azurite';
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

/**
 * Mocha hooks for a storage suite: one in-process Azurite for the suite, fresh isolated tables for
 * every test. Call inside `describe`; the returned function gives the current test's store.
 */
export function useIsolatedTables(): () => TableStore {
  let azurite: RunningAzurite | undefined;
  let tables: TableStore | undefined;
  before(async () => {
    azurite = await startAzurite();
  });
  after(async () => {
    await azurite?.stop();
  });
  beforeEach(() => {
    tables = isolatedTableStore(azurite!.connectionString);
  });
  return () => tables!;
}
