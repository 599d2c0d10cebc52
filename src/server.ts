import restify from 'restify';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Application } from '@microsoft/teams-ai';
import type { AppTurnState } from './bot/turnState';
import type { Logger } from './logger';

/** Largest activity accepted at the edge; Teams activities with cards are far below this. */
export const MAX_BODY_BYTES = 256 * 1024;

export interface ServerDeps {
  adapter: TeamsAdapter;
  app: Application<AppTurnState>;
  logger: Logger;
  /** Resolves when the store answers; rejects when it does not. */
  checkStore(): Promise<void>;
}

export function createServer({ adapter, app, logger, checkStore }: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'sst-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, rejectUnknown: true }));

  server.post('/api/messages', async (req, res) => {
    if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body) || typeof req.body.type !== 'string') {
      res.send(400, { error: 'Expected a Bot Framework activity (a JSON object with a "type").' });
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

  return server;
}
