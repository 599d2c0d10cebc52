import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy in front of the Table service that can make the store fail part-way: the n-th
 * request from now reaches the store (and is applied there), but its answer is lost; every request
 * after it fails before reaching the store, until `restore()`. With n = 0 the very next request fails.
 */
export interface FaultyStore {
  /** A connection string for the bot: the proxy's endpoint, the emulator's account. */
  connectionString: string;
  /** Requests seen since the last `mark()`. */
  count(): number;
  mark(): void;
  failAfter(n: number): void;
  restore(): void;
  /** Requests refused or cut since the fault was armed. */
  failed(): number;
  /** Until restore(): every request to this table fails before reaching the store (the others go through). */
  failTable(table: string): void;
  stop(): Promise<void>;
}

export async function startFaultyStore(upstreamConnectionString: string): Promise<FaultyStore> {
  const upstream = new URL(/TableEndpoint=([^;]+)/.exec(upstreamConnectionString)![1]);
  let seen = 0;
  let failAt: number | undefined;
  let down = false;
  let failed = 0;
  let failingTable: string | undefined;

  const server = http.createServer((req, res) => {
    const n = ++seen;
    const table = decodeURIComponent(new URL(req.url ?? '/', 'http://proxy').pathname.split('/')[2] ?? '').replace(/\(.*$/, '');
    if (down || failAt === 0 || (failingTable !== undefined && table === failingTable)) {
      if (failingTable === undefined) down = true;
      failed++;
      req.resume();
      req.socket.destroy(); // the store is unreachable: nothing reaches it
      return;
    }
    const cutAnswer = failAt !== undefined && n === failAt;
    const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      if (cutAnswer) {
        // Applied by the store; the answer never arrives, and from now on nothing does.
        down = true;
        failed++;
        answer.resume();
        answer.on('end', () => req.socket.destroy());
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => req.socket.destroy());
    req.pipe(forward);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  let base = 0;
  return {
    connectionString: upstreamConnectionString.replace(/TableEndpoint=http:\/\/[^/]+\//, `TableEndpoint=http://127.0.0.1:${port}/`),
    count: () => seen - base,
    mark() {
      base = seen;
    },
    failAfter(k) {
      failAt = seen + k;
      if (k === 0) failAt = 0;
      failed = 0;
    },
    restore() {
      failAt = undefined;
      down = false;
      failingTable = undefined;
    },
    failTable(name) {
      failingTable = name;
    },
    failed: () => failed,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
