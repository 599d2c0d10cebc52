import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TableClient, TableServiceClient, type TableServiceClientOptions } from '@azure/data-tables';
import type { Config } from '../config';

/** Well-known Azurite development account (published by Microsoft for the emulator; not a secret). */
const AZURITE_ACCOUNT = 'devstoreaccount1';
const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** Where the bot's tables live, and how to reach each of them. */
export interface TableStore {
  /** A client for `name`; the table is created on first use by `ensureTable`. */
  table(name: string): TableClient;
  /** Creates the table once per process (idempotent, tolerant of concurrent creators). */
  ensureTable(name: string): Promise<TableClient>;
  /** Cheap round trip used by /healthz; rejects when the store is unreachable. */
  ping(): Promise<void>;
  /** A short, secret-free description for logs ("embedded Azurite at .data", "account x"). */
  describe(): string;
  close(): Promise<void>;
}

export interface EmbeddedServer {
  connectionString: string;
  close(): Promise<void>;
}

/** Starts Azurite's Table service inside this process; `dataDir` ':memory:' keeps nothing on disk. */
export async function startEmbeddedAzurite(dataDir: string): Promise<EmbeddedServer> {
  // Imported lazily: production (Azure Tables) never loads the emulator.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const TableServer = (require('azurite/dist/src/table/TableServer') as typeof import('azurite/dist/src/table/TableServer')).default;
  const TableConfiguration = (require('azurite/dist/src/table/TableConfiguration') as typeof import('azurite/dist/src/table/TableConfiguration')).default;
  const inMemory = dataDir === ':memory:';
  const dbPath = inMemory ? 'memory-table-db.json' : join(resolve(dataDir), 'azurite-tables.json');
  if (!inMemory) mkdirSync(resolve(dataDir), { recursive: true });
  const configuration = new TableConfiguration(
    '127.0.0.1', 0, undefined, dbPath, false, false, undefined, undefined, false, false, '', '', '', undefined, false, inMemory,
  );
  const server = new TableServer(configuration);
  await server.start();
  const port = new URL(server.getHttpServerAddress()).port;
  return {
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};TableEndpoint=http://127.0.0.1:${port}/${AZURITE_ACCOUNT};`,
    close: async () => {
      await server.close();
      if (inMemory) await server.clean();
    },
  };
}

function clientOptions(connectionString: string): TableServiceClientOptions {
  return { allowInsecureConnection: /TableEndpoint=http:\/\//i.test(connectionString) || /UseDevelopmentStorage=true/i.test(connectionString) };
}

/** Opens the configured Table store: an account by connection string, or the embedded emulator. */
export async function openTableStore(tables: Config['tables']): Promise<TableStore> {
  const embedded = tables.kind === 'embedded' ? await startEmbeddedAzurite(tables.dataDir) : undefined;
  const connectionString = embedded ? embedded.connectionString : (tables as { connectionString: string }).connectionString;
  return tableStoreFromConnectionString(connectionString, {
    describe: embedded ? `embedded Azurite (${(tables as { dataDir: string }).dataDir})` : 'Table Storage by connection string',
    onClose: embedded?.close,
  });
}

export function tableStoreFromConnectionString(
  connectionString: string,
  opts: { describe?: string; onClose?: () => Promise<void> } = {},
): TableStore {
  const options = clientOptions(connectionString);
  const service = TableServiceClient.fromConnectionString(connectionString, options);
  const clients = new Map<string, TableClient>();
  const created = new Map<string, Promise<TableClient>>();
  const table = (name: string): TableClient => {
    let client = clients.get(name);
    if (!client) {
      client = TableClient.fromConnectionString(connectionString, name, options);
      clients.set(name, client);
    }
    return client;
  };
  return {
    table,
    ensureTable(name) {
      let pending = created.get(name);
      if (!pending) {
        const client = table(name);
        // createTable() already treats 409 TableAlreadyExists as success.
        pending = client.createTable().then(() => client);
        pending.catch(() => created.delete(name)); // a failed creation is retried on the next call
        created.set(name, pending);
      }
      return pending;
    },
    async ping() {
      const pages = service.listTables().byPage({ maxPageSize: 1 });
      await pages.next();
    },
    describe: () => opts.describe ?? 'Table Storage',
    async close() {
      await opts.onClose?.();
    },
  };
}
