import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentActivity {
  method: string;
  path: string;
  conversationId: string;
  /** The activity (or conversation parameters for createConversation) the bot sent. */
  body: any;
}

type Responder = (req: SentActivity) => { status: number; headers?: Record<string, string>; body?: unknown } | undefined;

/**
 * A local stand-in for the Bot Connector service: records every activity the bot sends
 * (replies, proactive messages, card updates) and answers like the real REST API.
 */
export class ConnectorStandIn {
  readonly sent: SentActivity[] = [];
  private server?: Server;
  private nextId = 1;
  private responder?: Responder;
  private holds: Array<{ match: (req: SentActivity) => boolean; gate: Promise<void>; waiting: SentActivity[] }> = [];
  private waiters: Array<{ match: (s: SentActivity) => boolean; resolve: (s: SentActivity) => void }> = [];
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  /** Overrides the answer for matching requests (return undefined for the default 200). */
  respondWith(responder: Responder | undefined): void {
    this.responder = responder;
  }

  /**
   * Holds back the answer to every matching request until `release()`: the bot's request is made (and
   * listed in `waiting`), but it gets no answer yet. For "the invoke is answered before any send".
   */
  hold(match: (req: SentActivity) => boolean): { waiting: SentActivity[]; release(): void } {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const hold = { match, gate, waiting: [] as SentActivity[] };
    this.holds.push(hold);
    return {
      waiting: hold.waiting,
      release: () => {
        this.holds = this.holds.filter((h) => h !== hold);
        release();
      },
    };
  }

  /** What a message shows now on any client (a phone, a reload): its last update, else what was sent. */
  messageNow(conversationId: string, activityId: string): any {
    const own = this.sent.filter((s) => s.conversationId === conversationId && s.path.endsWith(`/activities/${activityId}`) && s.method === 'PUT');
    return own.at(-1)?.body;
  }

  /** Activities sent into one conversation (replies, proactive sends and updates). */
  to(conversationId: string): SentActivity[] {
    return this.sent.filter((s) => s.conversationId === conversationId);
  }

  clear(): void {
    this.sent.length = 0;
  }

  /**
   * The first activity (already sent, or the next one to arrive) that matches: for code that runs on
   * its own (the real scheduler timer). No sleeping: it resolves when the request arrives, and the
   * test's own timeout is the limit.
   */
  waitFor(match: (s: SentActivity) => boolean): Promise<SentActivity> {
    const found = this.sent.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** Everything the bot has sent, as one string, for marker (privacy) assertions. */
  everythingSent(): string {
    return JSON.stringify(this.sent);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? JSON.parse(raw) : undefined;
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const match = /\/v3\/conversations\/([^/]+)/.exec(path);
    const record: SentActivity = { method: req.method ?? 'GET', path, conversationId: match ? match[1] : '', body };
    if (req.method === 'POST' && /\/v3\/conversations\/?$/.test(path)) {
      // createConversation: a personal chat with the member named in the parameters.
      record.conversationId = `a:personal-${body?.members?.[0]?.id ?? 'unknown'}`;
    }
    const held = this.holds.find((h) => h.match(record));
    if (held) {
      held.waiting.push(record);
      await held.gate;
    }
    const override = this.responder?.(record);
    if (override && override.status >= 300) {
      this.sent.push({ ...record, method: `${record.method}!${override.status}` });
      res.writeHead(override.status, { 'content-type': 'application/json', ...(override.headers ?? {}) });
      res.end(JSON.stringify(override.body ?? { error: { code: 'Simulated', message: 'simulated failure' } }));
      return;
    }
    this.sent.push(record);
    for (const w of [...this.waiters]) {
      if (w.match(record)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(record);
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.method === 'POST' && /\/v3\/conversations\/?$/.test(path)) {
      res.end(JSON.stringify({ id: record.conversationId, activityId: `act-${this.nextId++}` }));
    } else {
      res.end(JSON.stringify({ id: body?.id ?? `act-${this.nextId++}` }));
    }
  }
}
