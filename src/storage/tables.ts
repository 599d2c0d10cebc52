import { mkdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { join, resolve } from 'node:path';
import { TableClient, TableServiceClient, type TableServiceClientOptions } from '@azure/data-tables';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
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
  if (!workerData.inMemory) {
    // Durable acknowledgements: a write is answered only after the database file holds it (Azurite
    // itself saves every 5 s, so a kill -9 could lose a write the bot had already confirmed to a user).
    // Writes that finish while a save runs share the next one (group commit).
    const store = server.metadataStore;
    const original = server.httpServer.listeners('request')[0];
    let saving = false;
    let waiting = [];
    const save = () => {
      saving = true;
      const batch = waiting;
      waiting = [];
      store.saveDBState()
        .catch((err) => parentPort.postMessage({ type: 'saveError', message: String((err && err.message) || err) }))
        .then(() => batch.forEach((answer) => answer()))
        .finally(() => {
          saving = false;
          if (waiting.length > 0) save();
        });
    };
    server.httpServer.removeAllListeners('request');
    server.httpServer.on('request', (req, res) => {
      if (req.method === 'GET' || req.method === 'HEAD') return original(req, res);
      const end = res.end;
      res.end = function (...args) {
        waiting.push(() => end.apply(res, args));
        if (!saving) save();
        return res;
      };
      original(req, res);
    });
  }
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
  worker.on('message', (m: { type: string; message?: string }) => {
    // A write was answered although its save failed (disk full?): say so where the operator looks.
    if (m.type === 'saveError') process.emitWarning(`The embedded Table store could not save ${dataDir}: ${m.message}. Free disk space or set DATA_DIR.`);
  });
  const port = new URL(address).port;
  let closing: Promise<void> | undefined;
  return {
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};TableEndpoint=http://127.0.0.1:${port}/${AZURITE_ACCOUNT};`,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((done) => worker.on('message', (m: { type: string }) => m.type === 'closed' && done()));
        worker.postMessage('close');
        await closed;
        await worker.terminate();
      })();
      return closing;
    },
  };
}

/**
 * A turn must answer within seconds (Teams gives an invoke 5 s): a store that is down fails fast,
 * after two quick retries, so the user hears "try again" with their form intact.
 */
export const TURN_RETRY_OPTIONS = { maxRetries: 2, retryDelayInMs: 100, maxRetryDelayInMs: 500 };

export type StoreRetryOptions = typeof TURN_RETRY_OPTIONS;

function clientOptions(connectionString: string, retryOptions: StoreRetryOptions = TURN_RETRY_OPTIONS): TableServiceClientOptions {
  return {
    allowInsecureConnection: /TableEndpoint=http:\/\//i.test(connectionString) || /UseDevelopmentStorage=true/i.test(connectionString),
    retryOptions,
  };
}

/**
 * Opens the configured Table store: an account by endpoint and managed identity (DefaultAzureCredential),
 * an account by connection string (local/dev), or the embedded emulator.
 */
export async function openTableStore(tables: Config['tables'], retryOptions?: StoreRetryOptions): Promise<TableStore> {
  switch (tables.kind) {
    case 'endpoint':
      return tableStoreFromEndpoint(tables.endpoint, undefined, retryOptions ? { clientOptions: { retryOptions } } : {});
    case 'connectionString':
      return tableStoreFromConnectionString(tables.connectionString, { describe: 'Table Storage by connection string', retryOptions });
    case 'embedded': {
      const embedded = await startEmbeddedAzurite(tables.dataDir);
      return tableStoreFromConnectionString(embedded.connectionString, {
        describe: `embedded Azurite (${tables.dataDir})`,
        onClose: () => embedded.close(),
        retryOptions,
      });
    }
  }
}

interface StoreOptions {
  describe?: string;
  onClose?: () => Promise<void>;
  /** The clients' retries (default TURN_RETRY_OPTIONS); tests shorten the waits. */
  retryOptions?: StoreRetryOptions;
}

/** A store on an account given by its connection string (Azurite, or a key for local/dev only). */
export function tableStoreFromConnectionString(connectionString: string, opts: StoreOptions = {}): TableStore {
  const options = clientOptions(connectionString, opts.retryOptions);
  return tableStoreFrom(
    {
      service: () => TableServiceClient.fromConnectionString(connectionString, options),
      table: (name) => TableClient.fromConnectionString(connectionString, name, options),
    },
    opts,
  );
}

/**
 * A store on the account at `endpoint` (https://<account>.table.core.windows.net), authenticated with
 * `credential`: by default DefaultAzureCredential, i.e. the App Service's managed identity when deployed
 * (it needs the "Storage Table Data Contributor" role; infra/azure.bicep grants it), `az login` on a workstation.
 */
export function tableStoreFromEndpoint(
  endpoint: string,
  credential: TokenCredential = new DefaultAzureCredential(),
  opts: StoreOptions & { clientOptions?: TableServiceClientOptions } = {},
): TableStore {
  const options = { retryOptions: TURN_RETRY_OPTIONS, ...opts.clientOptions };
  return tableStoreFrom(
    {
      service: () => new TableServiceClient(endpoint, credential, options),
      table: (name) => new TableClient(endpoint, name, credential, options),
    },
    { describe: `Table Storage at ${new URL(endpoint).host} (Entra ID: managed identity when deployed)`, ...opts },
  );
}

/** The clients one kind of store makes; everything else (caching, ensureTable, ping, close) is shared. */
interface ClientFactory {
  service(): TableServiceClient;
  table(name: string): TableClient;
}

function tableStoreFrom(factory: ClientFactory, opts: StoreOptions): TableStore {
  const service = factory.service();
  const clients = new Map<string, TableClient>();
  const created = new Map<string, Promise<TableClient>>();
  const table = (name: string): TableClient => {
    let client = clients.get(name);
    if (!client) {
      client = factory.table(name);
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
