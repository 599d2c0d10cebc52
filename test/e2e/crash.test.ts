import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executeActivity, installActivity } from '../fixtures/activities';
import { concernForm, eva, personalConversation, sara } from '../fixtures/people';
import { ConnectorStandIn } from '../helpers/connector';

/** The bot as `npm start` runs it (local mode, embedded store on disk), as a separate process. */
async function startProcess(dataDir: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), join(__dirname, '../../src/index.ts')], {
    cwd: join(__dirname, '../..'),
    env: { ...process.env, PLAYGROUND: '0', DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', SCHEDULER_INTERVAL_SECONDS: '5', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Bot: (http:\/\/127\.0\.0\.1:\d+)\/api\/messages/.exec(out);
      if (m) resolve(m[1]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the bot exited (${code}) before it listened:\n${out}`)));
  });
  return { child, url };
}

const killHard = (child: ChildProcess) => new Promise<void>((resolve) => {
  child.once('exit', () => resolve());
  child.kill('SIGKILL');
});

async function post(url: string, activity: unknown): Promise<any> {
  const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

/** Polls until `check` holds (the other process works on its own timer); fails with `what` after `ms`. */
async function eventually(what: string, check: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`not within ${ms / 1000} s: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the local-mode bot killed with SIGKILL right after a receipt', function () {
  this.timeout(90_000);
  let dataDir: string;
  let connector: ConnectorStandIn;
  let running: ChildProcess | undefined;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sst-crash-'));
    connector = await new ConnectorStandIn().start();
  });
  afterEach(async () => {
    if (running && running.exitCode === null) await killHard(running);
    await connector.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds the case after the restart, never reuses its code, and the social worker gets her card', async () => {
    let bot = await startProcess(dataDir);
    running = bot.child;
    await post(bot.url, installActivity(eva, connector.url));
    await post(bot.url, installActivity(sara, connector.url));
    const receipt = await post(bot.url, executeActivity(eva, connector.url, 'concern.submit', concernForm()));
    assert.match(JSON.stringify(receipt), /Oron är mottagen: SST-\d{4}-0001/);
    await killHard(bot.child); // at once: no shutdown, no save on the way out

    // Restarted 11 minutes later (past any claim the killed process held on the card's effect).
    bot = await startProcess(dataDir, { SST_NOW: new Date(Date.now() + 11 * 60_000).toISOString() });
    running = bot.child;
    const opened = await post(bot.url, executeActivity(eva, connector.url, 'case.open', { caseCode: `SST-${new Date().getFullYear()}-0001` }));
    assert.match(JSON.stringify(opened), /Upprepad frånvaro sedan höstlovet/, 'the acknowledged case survived');
    const next = await post(bot.url, executeActivity(eva, connector.url, 'concern.submit', concernForm({ summary: 'En annan elev, oro för hemsituationen.' })));
    assert.match(JSON.stringify(next), /Oron är mottagen: SST-\d{4}-0002/, 'the next concern takes the next code');

    const cardsToSara = () => connector.to(personalConversation(sara)).filter((s) => s.method === 'POST' && /Ny oro från skolan: SST-\d{4}-0001/.test(JSON.stringify(s.body)));
    await eventually('Sara gets the card of the first concern', () => cardsToSara().length >= 1);
    // At most one repeat (the process may have sent it just before it died), and a repeat says so.
    const cards = cardsToSara();
    assert.ok(cards.length <= 2, `${cards.length} cards`);
    if (cards.length === 2) assert.match(JSON.stringify(cards[1].body), /Kan vara en upprepning/);
  });
});
