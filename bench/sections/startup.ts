import v8 from 'node:v8';
import vm from 'node:vm';
import { startBot } from '../../src/index';
import { startEmbeddedAzurite, tableStoreFromConnectionString } from '../../src/storage/tables';
import { messageActivity, type TeamsUser } from '../../test/fixtures/activities';
import { eva } from '../../test/fixtures/people';
import { BenchConnector } from '../lib/connector';
import { startEchoBot } from '../lib/echoBot';
import { postJson } from '../lib/http';
import { msSince, summarize, type Summary } from '../lib/stats';
import { makeRoster, parallel, userOf } from '../lib/world';
import { benchLogger } from './turns';
import { tableRosterStore } from '../../src/storage/rosterStore';
import { systemClock } from '../../src/systemClock';
import { personByAad } from '../../src/domain/roster';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

export interface Memory {
  rssMB: number;
  heapUsedMB: number;
  externalMB: number;
}

function memory(): Memory {
  gc();
  gc();
  const m = process.memoryUsage();
  return { rssMB: m.rss / 2 ** 20, heapUsedMB: m.heapUsed / 2 ** 20, externalMB: (m.external + m.arrayBuffers) / 2 ** 20 };
}

export interface StartupResults {
  /** startBot()/echo start → the first activity answered (200, reply at the connector), embedded store in memory. */
  firstAnswer: { bot: Summary; echo: Summary; botListening: Summary };
  rss: {
    users: number;
    rosterPeople: number;
    echo: { before: Memory; after: Memory; seconds: number };
    bot: { before: Memory; after: Memory; seconds: number; startSeconds: number };
  };
  /** Cold roster load (what one turn pays every 30 s per instance) and one personByAad lookup. */
  roster: { people: number; loadMs: Summary; lookupUs: number };
}

/** Section 6: start-up to the first answered activity, and memory after 10,000 users have each sent one message. */
export async function benchStartup(opts: { reps: number; users: number; log: (s: string) => void }): Promise<StartupResults> {
  const logger = benchLogger();
  const connector = await new BenchConnector().start();
  const env = { PLAYGROUND: '0', DATA_DIR: ':memory:', LOG_LEVEL: 'info' };

  const answered = async (url: string, user: TeamsUser, text: string) => {
    const before = connector.acceptedTotal;
    const res = await postJson(`${url}/api/messages`, messageActivity(user, connector.url, text));
    if (res.status !== 200 || connector.acceptedTotal <= before) throw new Error(`start-up: no answer (${res.status})`);
  };

  const botMs: number[] = [];
  const echoMs: number[] = [];
  const listenMs: number[] = [];
  for (let r = 0; r < opts.reps; r++) {
    // The echo bot: embedded Azurite (worker thread), TableStorage, teams-ai app, restify.
    let start = process.hrtime.bigint();
    const embedded = await startEmbeddedAzurite(':memory:');
    const store = tableStoreFromConnectionString(embedded.connectionString, { onClose: () => embedded.close() });
    const echo = await startEchoBot({ store, logger });
    await answered(echo.url, eva, 'hej');
    echoMs.push(msSince(start));
    await echo.stop();
    await store.close();
    // The bot as `npm start` runs it (local mode, embedded store, demo roster, scheduler on), without the Playground.
    start = process.hrtime.bigint();
    const bot = await startBot({ env, port: 0, logger });
    listenMs.push(msSince(start));
    await answered(bot.url, eva, 'hjälp');
    botMs.push(msSince(start));
    await bot.stop();
  }
  opts.log(`  first answer: bot ${summarize(botMs).median.toFixed(0)} ms, echo ${summarize(echoMs).median.toFixed(0)} ms`);

  // Memory: each of `users` distinct users sends one message (16 at a time); measured with the bot still running.
  const world = makeRoster([{ id: 'big', schools: Math.ceil(opts.users / 100), ehtPerSchool: 100 }]);
  const users = world.roster.people.filter((p) => p.roles.includes('eht')).slice(0, opts.users).map(userOf);
  const flood = async (url: string, text: string) => {
    await parallel(users, 16, async (u) => {
      const res = await postJson(`${url}/api/messages`, messageActivity(u, connector.url, text));
      if (res.status !== 200) throw new Error(`memory run: HTTP ${res.status}`);
    });
  };

  const echoBefore = memory();
  let start = process.hrtime.bigint();
  const embedded = await startEmbeddedAzurite(':memory:');
  const store = tableStoreFromConnectionString(embedded.connectionString, { onClose: () => embedded.close() });
  const echo = await startEchoBot({ store, logger });
  await flood(echo.url, 'hej');
  const echoSeconds = msSince(start) / 1000;
  const echoAfter = memory();
  await echo.stop();
  await store.close();
  opts.log(`  echo: ${opts.users} users in ${echoSeconds.toFixed(1)} s, RSS ${echoAfter.rssMB.toFixed(0)} MB`);

  const botBefore = memory();
  start = process.hrtime.bigint();
  const bot = await startBot({ env: { ...env, ROSTER_FILE: world.file }, port: 0, logger, scheduler: 'manual' });
  const startSeconds = msSince(start) / 1000;
  await flood(bot.url, 'hjälp');
  const botSeconds = msSince(start) / 1000;
  const botAfter = memory();
  // The roster cache: what a turn pays when the 30 s cache expires (a full roster read) and per lookup.
  const loadMs: number[] = [];
  let roster = await tableRosterStore(bot.store, systemClock).get();
  for (let r = 0; r < 3; r++) {
    const s = process.hrtime.bigint();
    roster = await tableRosterStore(bot.store, systemClock).get();
    loadMs.push(msSince(s));
  }
  const s = process.hrtime.bigint();
  for (const u of users) personByAad(roster, u.aadObjectId);
  const lookupUs = (msSince(s) * 1000) / users.length;
  await bot.stop();
  opts.log(`  bot: ${opts.users} users in ${botSeconds.toFixed(1)} s (start with a ${world.roster.people.length}-person roster ${startSeconds.toFixed(1)} s), RSS ${botAfter.rssMB.toFixed(0)} MB`);
  await connector.stop();

  return {
    firstAnswer: { bot: summarize(botMs), echo: summarize(echoMs), botListening: summarize(listenMs) },
    rss: {
      users: opts.users,
      rosterPeople: world.roster.people.length,
      echo: { before: echoBefore, after: echoAfter, seconds: echoSeconds },
      bot: { before: botBefore, after: botAfter, seconds: botSeconds, startSeconds },
    },
    roster: { people: world.roster.people.length, loadMs: summarize(loadMs), lookupUs },
  };
}
