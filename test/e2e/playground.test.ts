import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startBot } from '../../src/index';
import { CHROMIUM_PATH, REPO_ROOT, openPlaygroundPage, startTestPlayground, type PlaygroundPage, type RunningPlayground } from './playgroundDriver';

describe('Playground (real Teams-like client)', function () {
  this.timeout(90_000);

  let bot: Awaited<ReturnType<typeof startBot>> | undefined;
  let playground: RunningPlayground | undefined;
  let ui: PlaygroundPage | undefined;

  before(async function () {
    if (!fs.existsSync(CHROMIUM_PATH)) {
      if (process.env.CI) {
        throw new Error(`Chromium missing at ${CHROMIUM_PATH}; install it: apt-get install -y chromium`);
      }
      console.warn(`Skipping Playground e2e: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
      this.skip();
    }
    bot = await startBot({
      env: {
        PLAYGROUND: '0',
        PORT: '0',
        DATA_DIR: ':memory:',
        // The Playground always sends en-US; local mode lets the bot answer as a Swedish Teams client would get.
        BOT_LOCALE: 'sv-SE',
        LOG_LEVEL: 'silent',
        ROSTER_FILE: path.join(REPO_ROOT, 'roster.example.json'),
      },
      port: 0,
    });
    playground = await startTestPlayground(`${bot.url}/api/messages`);
    ui = await openPlaygroundPage(playground.url);
  });

  after(async function () {
    await ui?.close().catch(() => undefined);
    await playground?.stop();
    await bot?.stop();
  });

  // Waits for `text` in a bot message; on failure adds a screenshot and the Playground's output.
  async function expectBotText(text: string): Promise<void> {
    if (!ui) throw new Error('Playground UI not opened');
    try {
      await ui.waitForText(text, 30_000);
    } catch (err) {
      const shot = path.join(os.tmpdir(), 'playground-failure.png');
      await ui.screenshot(shot).catch(() => undefined);
      throw new Error(`${(err as Error).message}\nScreenshot: ${shot}\nPlayground output:\n${playground?.output() ?? ''}`);
    }
  }

  // Runs first: the welcome card comes from the install the Playground does on page load, before anything is typed.
  // (Its conversationUpdate carries no locale, so this is Swedish even without BOT_LOCALE.)
  it('shows the Swedish welcome card when the Playground installs the bot', async function () {
    await expectBotText('Välkommen till Skolsocialt team');
  });

  it('answers "hjälp" with the help card', async function () {
    await ui?.sendMessage('hjälp');
    await expectBotText('Det här kan jag hjälpa till med');
  });

  // Free text is no command, and the Playground says en-US: only BOT_LOCALE=sv-SE makes this Swedish.
  it('answers free text in BOT_LOCALE, not the client\'s en-US', async function () {
    await ui?.sendMessage('vad händer nu');
    await expectBotText('Jag förstod inte det.');
  });
});
