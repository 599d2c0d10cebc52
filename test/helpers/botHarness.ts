import { startBot, type RunningBot, type StartOptions } from '../../src/index';
import { manualClock, type ManualClock } from '../../src/domain/clock';
import { createLogger } from '../../src/logger';
import { ConnectorStandIn } from './connector';
import { Writable } from 'node:stream';
import { teamsSendLimits } from '../../src/bot/sendLimits';
import { virtualTime } from './virtualTime';

export interface Harness {
  bot: RunningBot;
  connector: ConnectorStandIn;
  clock: ManualClock;
  /** Every log line the bot wrote during the test (for privacy assertions). */
  logs: string[];
  /**
   * POSTs an activity to /api/messages; returns the HTTP status and parsed body (invoke responses),
   * after the effects the turn stored were dispatched (so their cards are at the connector).
   */
  post(activity: unknown): Promise<{ status: number; body: any }>;
  /** The same, answered as soon as the turn is: what the dispatcher does afterwards is not awaited. */
  postOnly(activity: unknown): Promise<{ status: number; body: any }>;
  restart(extraEnv?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

/** One process: the bot on a free port over real HTTP, and a local Bot Connector stand-in. */
export async function startHarness(
  opts: { env?: Record<string, string | undefined>; now?: string; start?: Pick<StartOptions, 'botAuthority' | 'graphAuthority' | 'scheduler' | 'schedulerIntervalSeconds'> } & Pick<
    StartOptions,
    'storeRetry' | 'sendLimits' | 'sleep' | 'random' | 'createConversations'
  > = {},
): Promise<Harness> {
  const connector = await new ConnectorStandIn().start();
  const clock = manualClock(opts.now ?? '2026-11-23T09:00:00+01:00');
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  const env = { PLAYGROUND: '0', DATA_DIR: ':memory:', LOG_LEVEL: 'debug', ...opts.env };
  // Teams' send limits as shipped, on time that passes only when the limiter waits: no test sleeps for them.
  const sendTime = virtualTime(() => clock.now().getTime());
  const sendLimits = opts.sendLimits ?? teamsSendLimits({ now: sendTime.now, sleep: sendTime.sleep });
  const boot = (): Promise<RunningBot> =>
    // The scheduler is driven by hand (h.bot.tick()) unless a test asks for the real timer.
    startBot({ env, port: 0, clock, logger: createLogger('debug', sink), scheduler: 'manual', storeRetry: opts.storeRetry, sendLimits, sleep: opts.sleep, random: opts.random, createConversations: opts.createConversations, ...opts.start } satisfies StartOptions);
  const harness: Harness = {
    bot: await boot(),
    connector,
    clock,
    logs,
    async post(activity) {
      const res = await harness.postOnly(activity);
      await harness.bot.settle();
      return res;
    },
    async postOnly(activity) {
      const res = await fetch(`${harness.bot.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      const text = await res.text();
      let body: any;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      return { status: res.status, body };
    },
    async restart(extraEnv = {}) {
      await harness.bot.stop();
      Object.assign(env, extraEnv);
      harness.bot = await boot();
    },
    async stop() {
      await harness.bot.stop();
      await connector.stop();
    },
  };
  return harness;
}
