import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Microsoft Graph (and identity platform token endpoint) stand-in for free/busy: answers the
 * client-credentials token request at once, and getSchedule / calendarView either at once (nothing
 * busy) or, while `slow`, not at all until `release()`: a Graph that does not answer in time.
 */
export class GraphStandIn {
  readonly requests: Array<{ method: string; path: string }> = [];
  slow = false;
  private server?: Server;
  private held: Array<() => void> = [];
  private onRequest?: () => void;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  get baseUrl(): string {
    return `${this.url}/v1.0`;
  }

  get tokenUrl(): string {
    return `${this.url}/tenant/oauth2/v2.0/token`;
  }

  /** Free/busy requests so far. */
  freeBusyRequests(): number {
    return this.requests.filter((r) => /getSchedule|calendarView/.test(r.path)).length;
  }

  /** Resolves when the next free/busy request has arrived (at once if one is being held). */
  freeBusyAsked(): Promise<void> {
    return this.held.length > 0 ? Promise.resolve() : new Promise((resolve) => (this.onRequest = resolve));
  }

  /** Answers every held request (nothing busy). */
  release(): void {
    for (const answer of this.held.splice(0)) answer();
  }

  async stop(): Promise<void> {
    this.release();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for await (const _ of req) void _;
    const path = req.url ?? '/';
    this.requests.push({ method: req.method ?? 'GET', path });
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path.endsWith('/oauth2/v2.0/token')) return json(200, { token_type: 'Bearer', expires_in: 3599, access_token: 'tok-1' });
    const answer = () =>
      /getSchedule/.test(path)
        ? json(200, { value: [{ scheduleId: 'x', scheduleItems: [] }] })
        : json(200, { value: [] });
    if (!/getSchedule|calendarView/.test(path)) return json(404, { error: { code: 'NotFound', message: 'not in the stand-in' } });
    if (!this.slow) return answer();
    this.held.push(answer);
    this.onRequest?.();
    this.onRequest = undefined;
  }
}
