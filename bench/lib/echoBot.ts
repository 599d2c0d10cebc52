import type { AddressInfo } from 'node:net';
import { Application, TurnState } from '@microsoft/teams-ai';
import { EdgeAdapter } from '../../src/http/edgeAdapter';
import { STATE_TABLE } from '../../src/index';
import { createServer } from '../../src/server';
import { TableStorage } from '../../src/storage/tableStorage';
import { conversationStateOnly } from '../../src/bot/conversationStateOnly';
import { tableMeetingStore } from '../../src/storage/meetingStore';
import type { TableStore } from '../../src/storage/tables';
import type { AppTurnState } from '../../src/bot/turnState';
import type { Logger } from '../../src/logger';
import { systemClock } from '../../src/systemClock';

export interface RunningEcho {
  url: string;
  stop(): Promise<void>;
}

/**
 * The baseline: a teams-ai Application on a TeamsAdapter with the same turn-state storage as the bot
 * (src/index.ts: conversationStateOnly(new TableStorage(botState))) on the same store, served by the
 * bot's own createServer (same restify set-up, same /api/messages path and envelope check), answering
 * each message with an echo. `stateScopes: 'teamsAiDefault'` gives teams-ai's default (conversation
 * and user scope: two state reads per turn).
 */
export async function startEchoBot(opts: { store: TableStore; logger: Logger; stateScopes?: 'asBot' | 'teamsAiDefault' }): Promise<RunningEcho> {
  const adapter = new EdgeAdapter({});
  const table = new TableStorage(opts.store.table(STATE_TABLE));
  const storage = opts.stateScopes === 'teamsAiDefault' ? table : conversationStateOnly(table);
  const app = new Application<AppTurnState>({
    adapter,
    storage,
    startTypingTimer: false,
    removeRecipientMention: true,
    longRunningMessages: false,
    turnStateFactory: () => new TurnState(),
  });
  app.activity('message', async (context) => {
    await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
  });
  const server = createServer({
    adapter,
    app,
    logger: opts.logger,
    checkStore: () => opts.store.ping(),
    meetings: tableMeetingStore(opts.store),
    accessLog: { record: async () => undefined, recordMany: async () => undefined, list: async () => [] },
    clock: systemClock,
    cases: { get: async () => undefined },
    download: async () => ({ kind: 'gone' as const }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
