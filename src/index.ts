import type { AddressInfo } from 'node:net';
import { CallerIdConstants } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import { EdgeAdapter } from './http/edgeAdapter';
import { BOT_FRAMEWORK_TOKEN_ISSUER, botTokenVerifier } from './http/botToken';
import { createApp } from './bot/app';
import { loadConfig, ConfigError, type Config, type Env } from './config';
import { offsetClock, type Clock } from './domain/clock';
import { createLogger, type Logger } from './logger';
import { startPlaygrounds } from './playground';
import { createServer } from './server';
import { tableConversationRefStore } from './storage/conversationRefs';
import { TableStorage } from './storage/tableStorage';
import { conversationStateOnly } from './bot/conversationStateOnly';
import { openTableStore, type StoreRetryOptions, type TableStore } from './storage/tables';
import { systemClock } from './systemClock';
import { teamsNotifier } from './bot/notifier';
import { readRosterFile } from './roster/rosterFile';
import type { ServiceDeps } from './services/deps';
import { tableAccessLog } from './storage/accessLog';
import { tableCaseStore } from './storage/caseStore';
import { tableCodeAllocator } from './storage/codeAllocator';
import { tableRosterStore } from './storage/rosterStore';
import { tableMeetingStore } from './storage/meetingStore';
import { swedishHolidays } from './services/holidays';
import { builtInCalendar } from './services/builtInCalendar';
import { graphCalendar } from './calendar/graphCalendar';
import { graphTokenProvider } from './calendar/graphToken';
import type { MeetingDeps } from './services/meetings';
import { teamsMeetingCards, type MeetingViewDeps } from './bot/meetingPublisher';
import { personById, teamsOf } from './domain/roster';
import { suggestSlots } from './domain/slots';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { tableDueItemStore } from './storage/dueItemStore';
import { tablePlanStore } from './storage/planStore';
import { reminderScheduler } from './services/reminderScheduler';
import { deliverReminder, notificationFor, type DeliveryDeps } from './services/deliverReminder';
import type { PlanDeps } from './services/plans';
import { tableDownloadStore } from './storage/downloadStore';
import { purgeAccessLogBefore } from './storage/accessLog';
import { purgeDueItemsBefore } from './storage/dueItemStore';
import { purgeExpired } from './services/retention';
import { serveDownload } from './services/downloads';
import { swedishExportLabels } from './bot/exportLabels';
import { teamsSendLimits, type SendLimits } from './bot/sendLimits';
import { withoutHiddenRetries } from './bot/connectorRetries';
import { personalChatCreator } from './bot/newConversation';
import { cardMessages } from './bot/answeredCards';
import { messageEdits } from './bot/messageEdits';
import { busyWithin, FREE_BUSY_BUDGET_MS } from './services/meetings';
import { realSleep, type Sleep } from './services/timeBudget';
import { createScheduler, startScheduler, type TickResult } from './scheduler/tick';
import { createDispatcher, type Dispatcher } from './effects/dispatcher';
import { effectApplier } from './effects/apply';
import { tableChangeStore, type CommitHooks } from './storage/changeStore';
import { locationOf, tableOutboxStore } from './storage/outbox';
import { CASES_TABLE } from './storage/caseStore';
import { ROSTER_PARTITION, ROSTER_TABLE } from './storage/rosterStore';

export const STATE_TABLE = 'botState';

export interface StartOptions {
  env: Env;
  /** Overrides PORT (0 = any free port). */
  port?: number;
  /** Tests inject a manual clock; otherwise the system clock (moved by SST_NOW in local mode). */
  clock?: Clock;
  logger?: Logger;
  /** 'manual': no timer; call `tick()` (tests). */
  scheduler?: 'auto' | 'manual';
  schedulerIntervalSeconds?: number;
  /** The Table clients' retries (tests of a failing store shorten the waits; the count stays). */
  storeRetry?: StoreRetryOptions;
  /** Teams' send limits (default: the documented ones, paced in real time). */
  sendLimits?: SendLimits;
  /**
   * Every wait that is not the send limiter's: quick retries of a send, Retry-After, and the time
   * budget for Outlook's free/busy inside a card action. Tests inject one that does not really wait.
   */
  sleep?: Sleep;
  /** Jitter for retry waits, in [0, 1) (default Math.random). */
  random?: () => number;
  /**
   * Create the personal chat with a roster member the bot has none with (default: deployed only, with
   * BOT_ID; in local mode each Agents Playground is one person). Tests turn it on against the stand-in.
   */
  createConversations?: boolean;
  /**
   * Tests only, never from the environment: read the Bot Framework channel's signing keys from this
   * OpenID document (a local stand-in) instead of login.botframework.com.
   */
  botAuthority?: { openIdMetadataUrl: string };
  /** Tests only, never from the environment: the identity platform's token endpoint for the Graph calendar (a local stand-in). */
  graphAuthority?: { tokenUrl: string };
}

export interface RunningBot {
  url: string;
  port: number;
  config: Config;
  store: TableStore;
  clock: Clock;
  /** Runs one scheduler sweep now (tests drive time with a manual clock and call this). */
  tick(): Promise<TickResult>;
  /** Resolves when the effects dispatched after turns are applied (tests). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

function createAdapter(config: Config, botAuthority?: StartOptions['botAuthority']): EdgeAdapter {
  // Proactive sends get no hidden retries: sendWithin answers for every wait (src/bot/connectorRetries.ts).
  if (!config.bot) return withoutHiddenRetries(new EdgeAdapter({}));
  return withoutHiddenRetries(new EdgeAdapter({
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.password,
    MicrosoftAppType: config.bot.type,
    MicrosoftAppTenantId: config.bot.tenantId,
    ...(botAuthority ? channelAuthorityAt(botAuthority.openIdMetadataUrl) : {}),
  }));
}

/** botbuilder's public-cloud settings with the channel's signing keys read from another OpenID document (tests only). */
function channelAuthorityAt(openIdMetadataUrl: string) {
  return {
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: BOT_FRAMEWORK_TOKEN_ISSUER,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: openIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
}

/** Composition root: configuration → stores → app → HTTP server. */
export async function startBot(options: StartOptions): Promise<RunningBot> {
  const config = loadConfig(options.env);
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? (config.startClockAt ? offsetClock(config.startClockAt, systemClock) : systemClock);
  const store = await openTableStore(config.tables, options.storeRetry);
  const storage = conversationStateOnly(new TableStorage(store.table(STATE_TABLE)));
  const conversationRefs = tableConversationRefStore(store);
  // Effects stored by a change are applied right after it commits (the dispatcher is created below).
  let dispatcher: Dispatcher | undefined;
  const hooks: CommitHooks = {
    onCommitted: (_location, effects) => dispatcher?.kick(effects),
  };
  const roster = tableRosterStore(store, clock, undefined, hooks);
  if (config.rosterFile) {
    const { changed } = await roster.importFile(await readRosterFile(config.rosterFile));
    logger.info({ rosterFile: config.rosterFile, changed }, 'roster loaded');
  }

  const adapter = createAdapter(config, options.botAuthority);
  const botAppId = config.bot?.appId ?? '';
  const limits = options.sendLimits ?? teamsSendLimits({ instances: config.instanceCount });
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const isHoliday = swedishHolidays();
  const dueItems = tableDueItemStore(store);
  const reminders = reminderScheduler({ dueItems, roster, clock, isHoliday });
  const services: ServiceDeps = {
    clock,
    roster,
    cases: tableCaseStore(store),
    codes: tableCodeAllocator(store),
    accessLog: tableAccessLog(store),
    changes: tableChangeStore(store, clock, hooks),
    isHoliday,
  };
  const edits = messageEdits();
  const sendDeps = { adapter, botAppId, refs: conversationRefs, roster, logger, clock, limits, sleep, random, edits, localeOverride: config.localeOverride };
  const createConversations = options.createConversations ?? !config.localMode;
  const createChat = createConversations
    ? personalChatCreator({
        ...sendDeps,
        tenantId: config.bot?.tenantId,
        // As on the person's own next turn (app.ts rememberConversation): what waited for them goes now.
        onReachable: (personId, aadObjectId, heldTag) =>
          dispatcher?.release(personId, async (stillHeld) => {
            if (stillHeld === 0) await conversationRefs.clearHeld(aadObjectId, heldTag);
          }),
      })
    : undefined;
  const notifier = teamsNotifier({ ...sendDeps, createChat });
  const meetingStore = tableMeetingStore(store);
  const builtIn = builtInCalendar(meetingStore);
  const calendar = config.graph
    ? graphCalendar({ baseUrl: config.graph.baseUrl, getToken: graphTokenProvider({ ...config.graph, tokenUrl: options.graphAuthority?.tokenUrl }), fallback: builtIn })
    : builtIn;
  // Outlook's free/busy inside a card action: within the budget, else the bot's own bookings.
  const freeBusy = config.graph ? { budgetMs: FREE_BUSY_BUDGET_MS, sleep, ownBookings: builtIn } : undefined;
  let publicUrl = config.publicUrl;
  const view: MeetingViewDeps = {
    roster,
    refs: conversationRefs,
    localeOverride: config.localeOverride,
    publicUrl: () => publicUrl,
    async suggestFor(m, opts = {}) {
      const socialWorker = personById(await roster.get(), m.socialWorkerId);
      if (!socialWorker) return { slots: [], outlookUnchecked: false };
      const now = clock.now();
      // A proactive copy (drawn by the dispatcher, after the turn) may wait for Outlook; an answer may not.
      const { busy, outlookUnchecked } = await busyWithin({ calendar, freeBusy: opts.answering ? freeBusy : undefined }, socialWorker, now);
      return { slots: suggestSlots({ minutes: m.minutes, now, isHoliday, busy, count: 6 }), outlookUnchecked };
    },
  };
  const meetingDeps: MeetingDeps = { ...services, meetings: meetingStore, calendar, freeBusy };
  const planDeps: PlanDeps = { ...services, plans: tablePlanStore(store) };
  const outbox = tableOutboxStore(store);
  const rosterLocation = locationOf(ROSTER_TABLE, ROSTER_PARTITION);
  const teamLocation = (teamId: string) => locationOf(CASES_TABLE, teamId);
  const delivery: DeliveryDeps = {
    ...services,
    plans: planDeps.plans,
    meetings: meetingStore,
    notifier,
    reminders,
    outbox,
    outboxLocationsOf: (teamId) => [teamLocation(teamId), rosterLocation],
    releaseHeld: (personId) => dispatcher?.release(personId),
  };
  const instanceId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  dispatcher = createDispatcher({
    outbox,
    apply: effectApplier({
      accessLog: services.accessLog,
      dueItems,
      notifier,
      meetingCards: teamsMeetingCards({ ...view, ...sendDeps, createChat, store, meetings: meetingStore }),
      calendar,
      meetings: meetingStore,
      roster,
      recheck: (item) => notificationFor(delivery, item),
    }),
    clock,
    logger,
    instanceId,
    locations: async () => [...(await roster.get()).teams.map((t) => teamLocation(t.id)), rosterLocation],
    async locationsOf(personId) {
      const r = await roster.get();
      const person = personById(r, personId);
      return [...(person ? teamsOf(r, person) : []).map(teamLocation), rosterLocation];
    },
    onHeld: (personId, attemptedAt) => notifier.hold(personId, attemptedAt),
    random,
  });
  const answered = cardMessages(sendDeps);
  const reportDeps = { ...delivery, downloads: tableDownloadStore(store), exportLabels: swedishExportLabels() };
  const download = (token: string) => serveDownload(reportDeps, token);
  const app = createApp({
    adapter,
    storage,
    botAppId: config.bot?.appId,
    localeOverride: config.localeOverride,
    deps: { clock, logger, conversationRefs, services, dispatcher, cardMessages: answered },
    meetings: { meetings: meetingDeps, view },
    plans: planDeps,
    delivery,
    report: { delivery: reportDeps, publicUrl: () => publicUrl },
    allowedTenants: config.allowedTenants,
  });
  const verifyToken = config.bot ? botTokenVerifier({ appId: config.bot.appId, openIdMetadataUrl: options.botAuthority?.openIdMetadataUrl }) : undefined;
  const server = createServer({ adapter, app, logger, checkStore: () => store.ping(), meetings: meetingStore, cases: services.cases, accessLog: services.accessLog, clock, download, verifyToken });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  publicUrl ??= config.localMode ? `http://127.0.0.1:${port}` : undefined;
  logger.info({ port, store: store.describe(), localMode: config.localMode, clock: clock.now().toISOString() }, 'bot listening');

  const scheduler = createScheduler({
    dueItems,
    deliver: (item, opts) => (item.kind === 'retention' ? retention() : deliverReminder(delivery, item, opts)),
    sweepEffects: () => dispatcher!.sweep(),
    clock,
    logger,
    instanceId,
  });
  const tick = async () => {
    const result = await scheduler.tick();
    if (result.due > 0 || (result.effects?.due ?? 0) > 0 || (result.effects?.recordedLate ?? 0) > 0) logger.info({ ...result }, 'scheduler tick');
    return result;
  };
  const retention = async (): Promise<'skipped'> => {
    const housekeeping = [
      { name: 'accessLog', purgeBefore: purgeAccessLogBefore(store) },
      { name: 'dueItems', purgeBefore: purgeDueItemsBefore(store) },
    ];
    const purged = await purgeExpired({ clock, roster, cases: services.cases, accessLog: services.accessLog, housekeeping }, config.retention);
    logger.info(purged, 'retention run');
    await reminders.ensureRecurring();
    return 'skipped';
  };
  await reminders.ensureRecurring();
  const timer = options.scheduler === 'manual' ? undefined : startScheduler(tick, (options.schedulerIntervalSeconds ?? config.schedulerIntervalSeconds) * 1000, logger);
  // Catch up on what came due while the bot was down, once, right after start.
  void timer?.runNow();

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    config,
    store,
    clock,
    tick,
    async settle() {
      await dispatcher!.idle();
      await answered.idle();
    },
    async stop() {
      await timer?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dispatcher!.idle();
      await answered.idle();
      await store.close();
    },
  };
}

async function main(): Promise<void> {
  let bot: RunningBot;
  try {
    bot = await startBot({ env: process.env });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const stops: Array<() => Promise<void>> = [() => bot.stop()];
  console.log(`Bot: ${bot.url}/api/messages (health: ${bot.url}/healthz)`);
  if (bot.config.playground.enabled) {
    // One Playground per demo person, so a card sent to Sara shows up in Sara's (open it now or later).
    const playgrounds = await startPlaygrounds({ botEndpoint: `${bot.url}/api/messages`, basePort: bot.config.playground.port });
    stops.unshift(...playgrounds.map((p) => () => p.stop()));
    console.log('Microsoft 365 Agents Playground, one per person (open any in a browser; each is that person\'s Teams):');
    for (const p of playgrounds) console.log(`  ${p.person.name.padEnd(20)} ${p.url}`);
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping (the embedded store is saved on the way out)…`);
    for (const stop of stops) await stop().catch((err) => console.error(err));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
