import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A counting HTTP proxy in front of the Table service (Azurite): the bot is started with a connection
 * string that points here, so every round trip its own TableClients make is seen and classified,
 * without touching src/. Runs on loopback in this process.
 */

export type OpKind =
  | 'pointRead' // GET table(PartitionKey='…',RowKey='…')
  | 'partitionQuery' // GET table()?$filter=PartitionKey eq '…' …
  | 'rangeQuery' // GET table()?$filter=PartitionKey ge '…' and PartitionKey le '…' (a bounded range of partitions)
  | 'scan' // GET table()?$filter without a PartitionKey condition, or no filter at all: a table scan
  | 'insert' // POST table
  | 'update' // PUT table(…) (replace / upsert-replace)
  | 'merge' // MERGE / PATCH table(…)
  | 'delete' // DELETE table(…)
  | 'batch' // POST $batch (one entity-group transaction)
  | 'createTable'
  | 'listTables'
  | 'other';

export interface RoundTrip {
  table: string;
  kind: OpKind;
  status: number;
  /** Entities returned (queries, point reads). */
  entities: number;
  /** Write operations inside a batch (1 for single writes, 0 for reads). */
  writes: number;
  /** Time the upstream store took (proxy → store → proxy). */
  storeMs: number;
  filter?: string;
}

const READ_KINDS: OpKind[] = ['pointRead', 'partitionQuery', 'rangeQuery', 'scan'];
export const isRead = (k: OpKind) => READ_KINDS.includes(k);
export const isWrite = (k: OpKind) => k === 'insert' || k === 'update' || k === 'merge' || k === 'delete' || k === 'batch';

function classifyFilter(filter: string | undefined): OpKind {
  if (!filter) return 'scan';
  if (/PartitionKey\s+eq\s+'/.test(filter)) return 'partitionQuery';
  if (/PartitionKey\s+(ge|gt)\s+'/.test(filter) && /PartitionKey\s+(le|lt)\s+'/.test(filter)) return 'rangeQuery';
  return 'scan';
}

function classify(method: string, rawUrl: string, body: string): Omit<RoundTrip, 'status' | 'entities' | 'storeMs'> {
  const url = new URL(rawUrl, 'http://proxy');
  const segments = url.pathname.split('/').filter(Boolean); // [account, resource]
  const resource = decodeURIComponent(segments.slice(1).join('/'));
  if (resource === '$batch') {
    const ops = [...body.matchAll(/^(POST|PUT|MERGE|PATCH|DELETE|GET) (\S+) HTTP\/1\.1/gm)];
    const tables = new Set(ops.map((m) => decodeURIComponent(new URL(m[2]).pathname.split('/').filter(Boolean)[1] ?? '').replace(/\(.*$/, '')));
    return { table: [...tables].join('+') || '?', kind: 'batch', writes: ops.length };
  }
  if (/^Tables/.test(resource)) return { table: '(service)', kind: method === 'POST' ? 'createTable' : method === 'GET' ? 'listTables' : 'other', writes: 0 };
  const table = resource.replace(/\(.*$/, '');
  const keyed = /\(PartitionKey=/.test(resource);
  switch (method) {
    case 'GET': {
      if (keyed) return { table, kind: 'pointRead', writes: 0 };
      const filter = url.searchParams.get('$filter') ?? undefined;
      return { table, kind: classifyFilter(filter), writes: 0, filter };
    }
    case 'POST':
      return { table, kind: 'insert', writes: 1 };
    case 'PUT':
      return { table, kind: 'update', writes: 1 };
    case 'MERGE':
    case 'PATCH':
      return { table, kind: 'merge', writes: 1 };
    case 'DELETE':
      return { table, kind: 'delete', writes: 1 };
    default:
      return { table, kind: 'other', writes: 0 };
  }
}

function entitiesIn(kind: OpKind, status: number, body: string): number {
  if (status !== 200) return 0;
  if (kind === 'pointRead') return 1;
  if (kind === 'partitionQuery' || kind === 'rangeQuery' || kind === 'scan') {
    try {
      const parsed = JSON.parse(body) as { value?: unknown[] };
      return Array.isArray(parsed.value) ? parsed.value.length : 0;
    } catch {
      return 0;
    }
  }
  return 0;
}

/** The first failing sub-response status inside a batch response, or the batch's own status. */
function batchStatus(status: number, body: string): number {
  for (const m of body.matchAll(/^HTTP\/1\.1 (\d{3})/gm)) if (Number(m[1]) >= 400) return Number(m[1]);
  return status;
}

export interface CountingProxy {
  connectionString: string;
  /** Every round trip since start (or since clear()). */
  trips: RoundTrip[];
  /** Every query seen without a PartitionKey condition (table + filter), over the proxy's whole life. */
  scans: Array<{ table: string; filter: string }>;
  mark(): number;
  since(mark: number): RoundTrip[];
  clear(): void;
  stop(): Promise<void>;
}

export async function startCountingProxy(upstreamConnectionString: string): Promise<CountingProxy> {
  const endpoint = /TableEndpoint=(http:\/\/[^;]+)/.exec(upstreamConnectionString)?.[1];
  if (!endpoint) throw new Error('proxy: no TableEndpoint in the connection string');
  const upstream = new URL(endpoint);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const trips: RoundTrip[] = [];
  const scans: Array<{ table: string; filter: string }> = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const method = req.method ?? 'GET';
      const info = classify(method, req.url ?? '/', body.length < 2_000_000 ? body.toString('utf8') : '');
      const headers = { ...req.headers, host: upstream.host };
      const start = process.hrtime.bigint();
      const up = http.request({ host: upstream.hostname, port: upstream.port, method, path: req.url, headers, agent }, (upRes) => {
        const out: Buffer[] = [];
        upRes.on('data', (c: Buffer) => out.push(c));
        upRes.on('end', () => {
          const storeMs = Number(process.hrtime.bigint() - start) / 1e6;
          const payload = Buffer.concat(out);
          const status = upRes.statusCode ?? 0;
          const text = info.kind === 'batch' || isRead(info.kind) ? payload.toString('utf8') : '';
          const trip: RoundTrip = { ...info, status: info.kind === 'batch' ? batchStatus(status, text) : status, entities: entitiesIn(info.kind, status, text), storeMs };
          trips.push(trip);
          if (info.kind === 'scan') scans.push({ table: info.table, filter: info.filter ?? '(none)' });
          const outHeaders = { ...upRes.headers };
          delete outHeaders.connection;
          delete outHeaders['keep-alive'];
          delete outHeaders['transfer-encoding'];
          outHeaders['content-length'] = String(payload.length);
          res.writeHead(status, outHeaders);
          res.end(payload);
        });
      });
      up.on('error', (err) => {
        res.writeHead(502);
        res.end(String(err));
      });
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    connectionString: upstreamConnectionString.replace(/TableEndpoint=http:\/\/[^/]+/, `TableEndpoint=http://127.0.0.1:${port}`),
    trips,
    scans,
    mark: () => trips.length,
    since: (mark) => trips.slice(mark),
    clear: () => {
      trips.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        agent.destroy();
      }),
  };
}

/** Sums round trips into the figures the bench reports. */
export interface TripTally {
  roundTrips: number;
  stateReads: number;
  stateWrites: number;
  domainReads: number;
  domainWrites: number;
  /** Write operations (entities written), counting each action inside a batch. */
  entitiesWritten: number;
  entitiesRead: number;
  pointReads: number;
  partitionQueries: number;
  rangeQueries: number;
  scans: number;
  batches: number;
  conflicts: number; // 409/412 answers
  notFound: number; // 404 answers (e.g. a point read of a missing row)
  storeMs: number;
  byTable: Record<string, number>;
  /** Time inside the store per table:kind (ms, summed). */
  storeMsByTable: Record<string, number>;
}

export function tally(trips: RoundTrip[], stateTable = 'botState'): TripTally {
  const t: TripTally = {
    roundTrips: 0, stateReads: 0, stateWrites: 0, domainReads: 0, domainWrites: 0, entitiesWritten: 0, entitiesRead: 0,
    pointReads: 0, partitionQueries: 0, rangeQueries: 0, scans: 0, batches: 0, conflicts: 0, notFound: 0, storeMs: 0, byTable: {}, storeMsByTable: {},
  };
  for (const r of trips) {
    if (r.kind === 'createTable' || r.kind === 'listTables') continue; // table creation (once per process) and health pings
    t.roundTrips++;
    t.storeMs += r.storeMs;
    const state = r.table === stateTable;
    if (isRead(r.kind)) {
      if (state) t.stateReads++;
      else t.domainReads++;
      t.entitiesRead += r.entities;
    }
    if (isWrite(r.kind)) {
      if (state) t.stateWrites++;
      else t.domainWrites++;
      t.entitiesWritten += r.writes;
    }
    if (r.kind === 'pointRead') t.pointReads++;
    if (r.kind === 'partitionQuery') t.partitionQueries++;
    if (r.kind === 'rangeQuery') t.rangeQueries++;
    if (r.kind === 'scan') t.scans++;
    if (r.kind === 'batch') t.batches++;
    if (r.status === 409 || r.status === 412) t.conflicts++;
    if (r.status === 404) t.notFound++;
    const key = `${r.table}:${r.kind}${r.status >= 300 ? `!${r.status}` : ''}`;
    t.byTable[key] = (t.byTable[key] ?? 0) + 1;
    t.storeMsByTable[`${r.table}:${r.kind}`] = (t.storeMsByTable[`${r.table}:${r.kind}`] ?? 0) + r.storeMs;
  }
  return t;
}

/** Per-turn averages of a tally over `turns` turns. */
export function perTurn(t: TripTally, turns: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(t)) if (typeof v === 'number') out[k] = Math.round((v / turns) * 100) / 100;
  return out;
}
