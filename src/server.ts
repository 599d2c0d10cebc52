import restify from 'restify';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Application } from '@microsoft/teams-ai';
import type { AppTurnState } from './bot/turnState';
import type { Logger } from './logger';
import { timingSafeEqual } from 'node:crypto';
import { meetingIcs } from './calendar/ics';
import { envelopeProblem } from './bot/envelope';
import type { Clock } from './domain/clock';
import type { AccessLog, MeetingStore } from './domain/ports';

/** Largest activity accepted at the edge; Teams activities with cards are far below this. */
export const MAX_BODY_BYTES = 256 * 1024;

export interface ServerDeps {
  adapter: TeamsAdapter;
  app: Application<AppTurnState>;
  logger: Logger;
  /** Resolves when the store answers; rejects when it does not. */
  checkStore(): Promise<void>;
  meetings: MeetingStore;
  accessLog: AccessLog;
  clock: Clock;
  /** A one-time download by token (the yearly report CSV), or undefined when the link is unknown or expired. */
  download(token: string): Promise<{ filename: string; contentType: string; body: string } | undefined>;
}

export function createServer({ adapter, app, logger, checkStore, meetings, accessLog, clock, download }: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'sst-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, rejectUnknown: true }));

  server.post('/api/messages', async (req, res) => {
    const problem = envelopeProblem(req.body);
    if (problem) {
      res.send(400, { error: problem });
      return;
    }
    await adapter.process(req, res, async (context) => {
      await app.run(context);
    });
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

  // The invitation of a confirmed meeting: whoever holds the unguessable link (the two parties' cards).
  server.get('/api/meetings/:teamId/:meetingId/:file', async (req, res) => {
    const { teamId, meetingId, file } = req.params as Record<string, string>;
    const token = /^([0-9a-f]{32})\.ics$/.exec(file ?? '')?.[1];
    const stored = token ? await meetings.get(String(teamId).slice(0, 64), String(meetingId).slice(0, 64)).catch(() => undefined) : undefined;
    const valid = stored && token && stored.value.status === 'confirmed' && timingSafeEqual(Buffer.from(stored.value.icsToken), Buffer.from(token));
    if (!stored || !valid) {
      res.send(404, { error: 'No such invitation. It may have been cancelled or moved; open the meeting card in Teams.' });
      return;
    }
    await accessLog.record({ at: clock.now().toISOString(), actorId: 'invitation-link', action: 'view', caseCode: stored.value.caseCode, schoolId: stored.value.schoolId, allowed: true, via: 'http:ics' });
    res.setHeader('content-type', 'text/calendar; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="${stored.value.caseCode}.ics"`);
    res.sendRaw(200, meetingIcs(stored.value, {}));
  });

  server.get('/api/downloads/:file', async (req, res) => {
    const token = /^([0-9a-f]{32})\.csv$/.exec(String((req.params as Record<string, string>).file ?? ''))?.[1];
    const file = token ? await download(token) : undefined;
    if (!file) {
      res.send(404, { error: 'This download link is unknown or has expired (links last one hour). Ask the bot for the report again.' });
      return;
    }
    res.setHeader('content-type', file.contentType);
    res.setHeader('content-disposition', `attachment; filename="${file.filename}"`);
    res.sendRaw(200, file.body);
  });

  return server;
}
