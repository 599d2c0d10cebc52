import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { startBot } from '../../src/index';
import { startPlaygrounds, type PersonalPlayground } from '../../src/playground';
import { CHROMIUM_PATH, REPO_ROOT, findFreePort, openPlaygroundPage, startTestPlayground, type PlaygroundPage, type RunningPlayground } from './playgroundDriver';

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

describe('Playgrounds, one per person (real Teams-like clients side by side)', function () {
  this.timeout(120_000);

  let bot: Awaited<ReturnType<typeof startBot>> | undefined;
  let playgrounds: PersonalPlayground[] = [];
  const pages: PlaygroundPage[] = [];
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sst-playgrounds-'));

  before(async function () {
    if (!fs.existsSync(CHROMIUM_PATH)) {
      if (process.env.CI) throw new Error(`Chromium missing at ${CHROMIUM_PATH}; install it: apt-get install -y chromium`);
      this.skip();
    }
    bot = await startBot({
      env: { PLAYGROUND: '0', PORT: '0', DATA_DIR: ':memory:', BOT_LOCALE: 'sv-SE', LOG_LEVEL: 'silent', ROSTER_FILE: path.join(REPO_ROOT, 'roster.example.json') },
      port: 0,
    });
    playgrounds = await startPlaygrounds({ botEndpoint: `${bot.url}/api/messages`, basePort: await findFreePort(), cwd: REPO_ROOT, workDir, people: ['Eva Kurator', 'Sara Socionom'] });
  });

  after(async function () {
    for (const p of pages) await p.close().catch(() => undefined);
    for (const p of playgrounds) await p.stop();
    await bot?.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  const open = async (name: string) => {
    const pg = playgrounds.find((p) => p.person.name === name)!;
    const page = await openPlaygroundPage(pg.url);
    pages.push(page);
    return page;
  };

  /** Eva fills in the concern form in her Playground, as a counsellor would. */
  async function raiseInTheUi(eva: PlaygroundPage, summary: string): Promise<void> {
    const page = eva.page;
    await eva.sendMessage('ny oro');
    const form = page.locator('.fai-OutputCard').filter({ hasText: 'Skicka till skolsociala teamet' }).last();
    await form.getByRole('button', { name: 'Skicka till skolsociala teamet' }).waitFor();
    const choose = async (i: number, option: string) => {
      await form.getByRole('combobox').nth(i).click();
      await page.getByRole('option', { name: option }).click();
    };
    await choose(1, 'Årskurs 7');
    await choose(2, 'Skolfrånvaro');
    // Giltig and ogiltig frånvaro senaste månaden, in whole percent.
    await form.getByLabel(/Giltig frånvaro senaste månaden/).fill('12');
    await form.getByLabel(/Ogiltig frånvaro senaste månaden/).fill('18');
    await form.locator('textarea').fill(summary);
    await form.getByText('Nej – avidentifierad konsultation').click();
    await form.getByRole('button', { name: 'Skicka till skolsociala teamet' }).click();
  }

  it('starts one Playground per person, each its own Teams, with no config to edit', () => {
    assert.deepEqual(playgrounds.map((p) => p.person.name), ['Eva Kurator', 'Sara Socionom']);
    assert.notEqual(playgrounds[0].url, playgrounds[1].url);
  });

  it('Eva raises a concern in hers; the card reaches Sara\'s when she opens it later, and Eva\'s receipt then says so', async () => {
    const eva = await open('Eva Kurator');
    await eva.waitForText('Välkommen till Skolsocialt team');
    await raiseInTheUi(eva, 'Upprepad frånvaro, främst måndagar.');
    await eva.waitForText('Oron är mottagen: SST-2026-0001');
    await eva.waitForText('Sara Socionom har inte öppnat boten ännu');
    const sara = await open('Sara Socionom');
    await sara.waitForText('Ny oro från skolan: SST-2026-0001');
    await eva.waitForText('Sara Socionom har fått kortet om ärendet');
  });

  it('with Sara\'s Playground open, the next card appears there at once', async () => {
    const [eva, sara] = pages;
    await raiseInTheUi(eva, 'Oro för hemsituationen.');
    await eva.waitForText('Oron är mottagen: SST-2026-0002');
    await sara.waitForText('Ny oro från skolan: SST-2026-0002');
  });

  /** Screenshots of each step, for review: test-output/playground/ (gitignored). */
  const SHOTS = path.join(REPO_ROOT, 'test-output', 'playground');
  let step = 0;
  const shot = async (who: PlaygroundPage, name: string) => {
    fs.mkdirSync(SHOTS, { recursive: true });
    const file = path.join(SHOTS, `${String(++step).padStart(2, '0')}-${name}.png`);
    await who.screenshot(file);
    return file;
  };

  it('Eva asks for a meeting; Sara finds the concern and the request in "att göra" and accepts; Eva sees the confirmed time in her case view', async () => {
    const [eva, sara] = pages;
    // Eva: "boka möte", the case, a free time of Sara's, send.
    await eva.sendMessage('boka möte');
    const choose = eva.page.locator('.fai-OutputCard').filter({ hasText: 'Boka gemensamt möte' }).last();
    await choose.getByRole('button', { name: 'Fortsätt' }).waitFor();
    await choose.getByRole('combobox').first().click();
    await eva.page.getByRole('option', { name: /SST-2026-0001/ }).click();
    await shot(eva, 'eva-chooses-the-case');
    await choose.getByRole('button', { name: 'Fortsätt' }).click();
    const form = eva.page.locator('.fai-OutputCard').filter({ hasText: 'Boka möte för SST-2026-0001' }).last();
    await form.getByRole('button', { name: 'Skicka förfrågan' }).waitFor();
    // The first free time offered (a checkbox named by its day and time; "Vårdnadshavare deltar" is a checkbox too).
    const firstTime = form.getByText(/^(mån|tis|ons|tors|fre) \d+ \S+ \d\d:\d\d$/).first();
    const chosenTime = (await firstTime.innerText()).trim();
    await firstTime.click();
    await shot(eva, 'eva-picks-a-time');
    await form.getByRole('button', { name: 'Skicka förfrågan' }).click();
    await eva.waitForText('Väntar på svar från Sara Socionom');
    await shot(eva, 'eva-request-sent');

    // Sara: "att göra" lists both the concern to take and the meeting request, with their buttons. Eva's
    // concern is an anonymous consultation, so the form offered a consultation meeting only.
    await sara.sendMessage('att göra');
    await sara.waitForText('Ny oro att ta emot: SST-2026-0001');
    await sara.waitForText('Konsultationsmöte – SST-2026-0001: välj en tid');
    const todo = sara.page.locator('.fai-OutputCard').filter({ hasText: 'Konsultationsmöte – SST-2026-0001: välj en tid' }).last();
    await shot(sara, 'sara-att-gora');
    await todo.getByRole('button', { name: /^Bekräfta / }).first().click();
    await sara.waitForText('Mötet SST-2026-0001 är bekräftat till');
    await shot(sara, 'sara-accepted');

    // Eva: her case view shows the meeting as confirmed, with its time.
    await eva.sendMessage('mina ärenden');
    const list = eva.page.locator('.fai-OutputCard').filter({ hasText: 'Dina ärenden' }).last();
    await list.getByText(/SST-2026-0001 · Rydskolan/).first().click();
    await eva.waitForText('Konsultationsmöte · Bekräftat');
    const view = eva.page.locator('.fai-OutputCard').filter({ hasText: 'Konsultationsmöte · Bekräftat' }).last();
    const shown = await view.innerText();
    assert.match(shown, /Tid/);
    assert.match(shown, /\(60 min\)/);
    if (chosenTime) assert.ok(shown.replace(/\s+/g, ' ').includes(chosenTime.replace(/\s+/g, ' ')), `the time Eva proposed (${chosenTime}) is the confirmed one: ${shown.slice(0, 400)}`);
    await shot(eva, 'eva-case-view-confirmed');
  });
});
