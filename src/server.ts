import restify from 'restify';
import type { Application } from '@microsoft/teams-ai';
import type { AppTurnState } from './bot/turnState';
import type { Logger } from './logger';
import { timingSafeEqual } from 'node:crypto';
import { meetingIcs } from './calendar/ics';
import { envelopeProblem } from './bot/envelope';
import type { Clock } from './domain/clock';
import { endOf } from './domain/meeting';
import type { AccessLog, CaseStore, MeetingStore } from './domain/ports';
import { languageOf, translator, type MessageKey } from './bot/i18n';
import { BotAuthenticationRefused, type EdgeAdapter } from './http/edgeAdapter';
import { readJsonBody, refuseByHeaders, type Refusal } from './http/edge';
import type { TokenVerdict } from './http/botToken';
import type { DownloadResult } from './services/downloads';

export { MAX_BODY_BYTES } from './http/edge';

export interface ServerDeps {
  adapter: EdgeAdapter;
  app: Application<AppTurnState>;
  logger: Logger;
  /** Resolves when the store answers; rejects when it does not. */
  checkStore(): Promise<void>;
  meetings: MeetingStore;
  cases: Pick<CaseStore, 'get'>;
  accessLog: AccessLog;
  clock: Clock;
  /** A one-time download by token (the yearly report or access-log CSV). */
  download(token: string): Promise<DownloadResult>;
  /** With BOT_ID: the Bearer token is checked before any of the body is read. Undefined in local mode (no tokens). */
  verifyToken?: (authorization: unknown) => Promise<TokenVerdict>;
}

/** Links opened in a browser: never cached (shared PCs, proxies), never sniffed as another type. */
function privateAnswer(res: restify.Response): void {
  res.setHeader('cache-control', 'no-store');
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
}

/** A plain-text answer to a browser, in Swedish unless its first Accept-Language is English. */
function linkProblem(req: restify.Request, res: restify.Response, status: number, key: MessageKey): void {
  const accept = String(req.headers['accept-language'] ?? '').slice(0, 100).split(',')[0]?.trim();
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.sendRaw(status, translator(languageOf(accept))(key));
}

export function createServer({ adapter, app, logger, checkStore, meetings, cases, accessLog, clock, download, verifyToken }: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'sst-bot', handleUncaughtExceptions: false });

  // The edge refuses before it parses: headers first (encoding, type, declared length), then the
  // token, and only then is the body read (bounded, never inflated) and parsed. Each refusal is one
  // log line with a stable reason, and a short fixed answer.
  server.post('/api/messages', async (req, res) => {
    const refuse = (r: Refusal) => {
      logger.warn({ status: r.status, reason: r.reason }, 'request refused at the edge');
      if (r.status === 401) res.setHeader('www-authenticate', 'Bearer');
      res.send(r.status, { error: r.error });
    };
    const byHeaders = refuseByHeaders(req);
    if (byHeaders) return refuse(byHeaders);
    const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
    if (verifyToken) {
      const verdict = await verifyToken(req.headers.authorization);
      if (!verdict.ok) return refuse({ status: verdict.status, error: verdict.status === 401 ? 'Unauthorized.' : 'Try again later.', reason: verdict.reason });
    }
    const read = await readJsonBody(req);
    if ('status' in read) return refuse(read);
    const problem = envelopeProblem(read.body);
    if (problem) {
      logger.info({ status: 400, reason: 'envelope' }, 'request refused at the edge');
      res.send(400, { error: problem });
      return;
    }
    try {
      const invoke = await adapter.processChecked(authorization, read.body as Record<string, unknown>, async (context) => {
        await app.run(context);
      });
      if (invoke?.body !== undefined) res.send(invoke.status ?? 200, invoke.body);
      else res.send(invoke?.status ?? 200);
    } catch (err) {
      if (err instanceof BotAuthenticationRefused) return refuse({ status: 401, error: 'Unauthorized.', reason: `botbuilder:${err.reason}` });
      // The turn's own errors are answered by app.error; this is what escaped it. One line, no stack on stderr.
      logger.error({ err: { name: (err as Error)?.name, code: (err as { code?: string })?.code } }, 'activity failed outside the turn error handler');
      res.send(500, { error: 'The bot could not handle this activity.' });
    }
  });

  server.get('/healthz', async (_req, res) => {
    try {
      await checkStore();
      res.send(200, { status: 'ok', store: 'up' });
    } catch (err) {
      logger.warn({ err: { code: (err as { code?: string }).code, statusCode: (err as { statusCode?: number }).statusCode } }, 'health check: store unreachable');
      res.send(503, { status: 'degraded', store: 'down' });
    }
  });

  // The invitation of a confirmed meeting: whoever holds the unguessable link (the two parties' cards),
  // while the meeting is still ahead and its case open. Every fetch is a read of a case code: logged.
  server.get('/api/meetings/:teamId/:meetingId/:file', async (req, res) => {
    privateAnswer(res);
    try {
      const { teamId, meetingId, file } = req.params as Record<string, string>;
      const token = /^([0-9a-f]{32})\.ics$/.exec(String(file ?? ''))?.[1];
      const stored = token ? await meetings.get(String(teamId).slice(0, 64), String(meetingId).slice(0, 64)).catch(() => undefined) : undefined;
      const m = stored?.value;
      const tokenMatches = Boolean(m && token && m.icsToken.length === token.length && timingSafeEqual(Buffer.from(m.icsToken), Buffer.from(token)));
      const ahead = Boolean(m && (endOf(m)?.getTime() ?? 0) > clock.now().getTime());
      const c = m && tokenMatches && m.status === 'confirmed' && ahead ? await cases.get(m.teamId, m.caseCode) : undefined;
      const open = c !== undefined && c.value.status !== 'closed';
      if (!m || !open) return linkProblem(req, res, 404, 'link.ics.gone');
      await accessLog.record({ at: clock.now().toISOString(), actorId: 'invitation-link', action: 'view', caseCode: m.caseCode, schoolId: m.schoolId, allowed: true, via: 'http:ics' });
      res.setHeader('content-type', 'text/calendar; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="${m.caseCode}.ics"`);
      res.sendRaw(200, meetingIcs(m, {}));
    } catch (err) {
      logger.warn({ err: { name: (err as Error)?.name, statusCode: (err as { statusCode?: number })?.statusCode } }, 'invitation link failed');
      linkProblem(req, res, 503, 'link.unavailable');
    }
  });

  server.get('/api/downloads/:file', async (req, res) => {
    privateAnswer(res);
    try {
      const token = /^([0-9a-f]{32})\.csv$/.exec(String((req.params as Record<string, string>).file ?? ''))?.[1];
      const result: DownloadResult = token ? await download(token) : { kind: 'gone' };
      if (result.kind === 'gone') return linkProblem(req, res, 404, 'link.download.gone');
      if (result.kind === 'refused') return linkProblem(req, res, 403, 'link.download.refused');
      res.setHeader('content-type', result.file.contentType);
      res.setHeader('content-disposition', `attachment; filename="${result.file.filename}"`);
      res.sendRaw(200, result.file.body);
    } catch (err) {
      logger.warn({ err: { name: (err as Error)?.name, statusCode: (err as { statusCode?: number })?.statusCode } }, 'download link failed');
      linkProblem(req, res, 503, 'link.unavailable');
    }
  });

  return server;
}
