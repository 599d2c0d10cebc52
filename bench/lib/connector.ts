import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConnectorLimits {
  perTenantPerSecond: number;
  perConversationPerSecond: number;
  retryAfterSeconds: number;
}

/**
 * A Bot Connector stand-in for the bench: answers like the REST API, keeps only counters (no bodies,
 * so it does not distort memory figures), and optionally enforces Teams' send limits with a sliding
 * one-second window per tenant and per conversation, answering 429 + Retry-After when exceeded.
 */
export class BenchConnector {
  url = '';
  /** Accepted activities per conversation id. */
  readonly accepted = new Map<string, number>();
  /** All accepted activities. */
  acceptedTotal = 0;
  throttled = 0;
  private server?: http.Server;
  private nextId = 1;
  private readonly windows = new Map<string, number[]>();
  firstAcceptedAt?: bigint;
  lastAcceptedAt?: bigint;
  /** Last activity body per conversation (only when `keepLast` is on; for sanity checks). */
  readonly last = new Map<string, string>();
  keepLast = false;
  /** Answers this many ms late (what-if: a real Bot Connector's latency). */
  delayMs = 0;

  constructor(private readonly limits?: ConnectorLimits) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  reset(): void {
    this.accepted.clear();
    this.acceptedTotal = 0;
    this.throttled = 0;
    this.windows.clear();
    this.firstAcceptedAt = undefined;
    this.lastAcceptedAt = undefined;
    this.last.clear();
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** True when one more message fits in the last second's window for `key` (and records it). */
  private admit(key: string, max: number, now: number): boolean {
    let w = this.windows.get(key);
    if (!w) this.windows.set(key, (w = []));
    while (w.length > 0 && now - w[0] >= 1000) w.shift();
    return w.length < max;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const create = req.method === 'POST' && /\/v3\/conversations\/?$/.test(path);
      const conversationId = create ? `a:personal-${body?.members?.[0]?.id ?? 'unknown'}` : (/\/v3\/conversations\/([^/]+)/.exec(path)?.[1] ?? '');
      const tenantId = String(body?.conversation?.tenantId ?? body?.channelData?.tenant?.id ?? body?.tenantId ?? 'unknown');
      if (this.limits && !create) {
        const now = performance.now();
        const ok = this.admit(`t:${tenantId}`, this.limits.perTenantPerSecond, now) && this.admit(`c:${conversationId}`, this.limits.perConversationPerSecond, now);
        if (!ok) {
          this.throttled++;
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(this.limits.retryAfterSeconds) });
          res.end(JSON.stringify({ error: { code: 'TooManyRequests', message: 'Too many requests' } }));
          return;
        }
        this.windows.get(`t:${tenantId}`)!.push(now);
        this.windows.get(`c:${conversationId}`)!.push(now);
      }
      if (!create) {
        this.accepted.set(conversationId, (this.accepted.get(conversationId) ?? 0) + 1);
        this.acceptedTotal++;
        const t = process.hrtime.bigint();
        this.firstAcceptedAt ??= t;
        this.lastAcceptedAt = t;
        if (this.keepLast) this.last.set(conversationId, raw);
      }
      const answer = JSON.stringify(create ? { id: conversationId, activityId: `act-${this.nextId++}` } : { id: body?.id ?? `act-${this.nextId++}` });
      const send = () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(answer);
      };
      if (this.delayMs > 0) setTimeout(send, this.delayMs);
      else send();
    });
  }
}
