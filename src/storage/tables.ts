import { mkdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
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

// Azurite runs in a worker thread of this process: restify patches Node's shared http prototypes
// (req.query), which makes an Azurite in the same realm silently ignore $filter. A worker has its own.
const AZURITE_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const TableServer = require(workerData.serverPath).default;
const TableConfiguration = require(workerData.configPath).default;
(async () => {
  const config = new TableConfiguration('127.0.0.1', 0, undefined, workerData.dbPath, false, false, undefined, undefined,
    false, false, '', '', '', undefined, false, workerData.inMemory);
  const server = new TableServer(config);
  await server.start();
  parentPort.on('message', async (message) => {
    if (message !== 'close') return;
    await server.close();
    if (workerData.inMemory) await server.clean();
    parentPort.postMessage({ type: 'closed' });
  });
  parentPort.postMessage({ type: 'started', address: server.getHttpServerAddress() });
})().catch((err) => parentPort.postMessage({ type: 'error', message: String((err && err.stack) || err) }));
`;

/** Starts Azurite's Table service in a worker thread of this process; `dataDir` ':memory:' keeps nothing on disk. */
export async function startEmbeddedAzurite(dataDir: string): Promise<EmbeddedServer> {
  const inMemory = dataDir === ':memory:';
  if (!inMemory) mkdirSync(resolve(dataDir), { recursive: true });
  const worker = new Worker(AZURITE_WORKER, {
    eval: true,
    workerData: {
      serverPath: require.resolve('azurite/dist/src/table/TableServer'),
      configPath: require.resolve('azurite/dist/src/table/TableConfiguration'),
      dbPath: inMemory ? 'memory-table-db.json' : join(resolve(dataDir), 'azurite-tables.json'),
      inMemory,
    },
  });
  const address = await new Promise<string>((resolveStart, reject) => {
    worker.once('error', reject);
    worker.once('message', (m: { type: string; address?: string; message?: string }) =>
      m.type === 'started' ? resolveStart(m.address!) : reject(new Error(`The embedded Table store (Azurite) did not start: ${m.message}. Is ${dataDir} writable? Set DATA_DIR or TABLES_CONNECTION_STRING.`)),
    );
  });
  const port = new URL(address).port;
  return {
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};TableEndpoint=http://127.0.0.1:${port}/${AZURITE_ACCOUNT};`,
    async close() {
      const closed = new Promise<void>((done) => worker.once('message', () => done()));
      worker.postMessage('close');
      await closed;
      await worker.terminate();
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
