import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import type { Case } from '../../src/domain/concern';
import type { Plan } from '../../src/domain/plan';
import { startBot } from '../../src/index';
import { startPlaygrounds, type PersonalPlayground } from '../../src/playground';
import { seeder } from '../helpers/seed';
import { CHROMIUM_PATH, REPO_ROOT, findFreePort, openPlaygroundPage, type PlaygroundPage } from './playgroundDriver';

/** Where the screenshots for review go (committed: the pictures of the charts as Teams' renderer draws them). */
const SCREENSHOTS = path.join(REPO_ROOT, 'docs', 'screenshots');

/** A seeded team (roster.example.json: sst-1, Sara sw-1 at Rydskolan, Samir sw-2 at Bergaskolan). */
function seedData(): { cases: Case[]; plans: Plan[] } {
  const t0 = '2026-03-02T08:00:00.000Z';
  const aCase = (n: number, o: Partial<Case>): Case => ({
    code: `SST-2026-${String(n).padStart(4, '0')}`, teamId: 'sst-1', schoolId: 'ryd', grade: '7', category: 'absence', absenceBand: '20to50', summary: 'Frånvaro',
    status: 'active', kind: 'request', raisedBy: 'eht-1', assignedTo: 'sw-1', createdAt: t0, updatedAt: t0, lastActivityAt: t0, ...o,
  });
  // A year of closed requests for the report: six a month (so no month is "<5"), each with absence at intake and closing.
  const measure = (at: 'intake' | 'closing', date: string, valid: number, invalid: number) => ({ at, date, valid, invalid, recordedBy: 'eht-1', recordedAt: `${date}T08:00:00.000Z` });
  const closedYear = Array.from({ length: 60 }, (_, i) => {
    const month = String(1 + (i % 10)).padStart(2, '0');
    const opened = `2026-${month}-0${1 + (i % 5)}`;
    const closed = `2026-${month}-2${i % 8}`;
    return aCase(100 + i, {
      schoolId: i % 3 === 0 ? 'berga' : 'ryd', category: i % 4 === 0 ? 'home' : 'absence', grade: String(4 + (i % 6)) as Case['grade'],
      status: 'closed', outcome: i % 3 === 0 ? 'goalsMet' : 'attendanceImproved', sameSchoolAtClose: i % 6 !== 0,
      createdAt: `${opened}T08:00:00.000Z`, updatedAt: `${closed}T08:00:00.000Z`, lastActivityAt: `${closed}T08:00:00.000Z`,
      absence: [measure('intake', opened, 8 + (i % 7), 18 + (i % 13)), measure('closing', closed, 5 + (i % 5), 4 + (i % 9))],
    });
  });
  const cases = [
    ...Array.from({ length: 6 }, (_, i) => aCase(i + 1, { createdAt: `2026-0${3 + (i % 6)}-1${i}T08:00:00.000Z` })),
    ...Array.from({ length: 3 }, (_, i) => aCase(i + 7, { schoolId: 'berga', raisedBy: 'eht-2', assignedTo: 'sw-2' })),
    aCase(10, { status: 'closed', outcome: 'attendanceImproved' }),
    ...closedYear,
  ];
  const plan = (n: number, caseCode: string, ownerId: string, dates: string[]): Plan => ({
    id: `p${n}`, caseCode, teamId: 'sst-1', schoolId: 'ryd', type: 'implementation', goals: ['Närvaro'], responsibilities: [{ role: 'mentor', what: 'följer upp' }],
    reviews: dates.map((date) => ({ date, status: 'planned' as const })), status: 'active', ownerId, ehtContactId: 'eht-1', createdAt: t0, updatedAt: t0,
  });
  const plans = [
    plan(1, cases[0].code, 'sw-1', ['2026-11-26', '2026-12-17']),
    plan(2, cases[1].code, 'sw-1', ['2026-12-02']),
    plan(3, cases[2].code, 'sw-1', ['2026-12-03', '2026-12-23']),
    plan(4, cases[6].code, 'sw-2', ['2026-12-01', '2026-12-09']),
  ];
  return { cases, plans };
}

describe('Playground draws the charts (the group leader\'s digest and the yearly report)', function () {
  this.timeout(120_000);

  let bot: Awaited<ReturnType<typeof startBot>> | undefined;
  let playgrounds: PersonalPlayground[] = [];
  let goran: PlaygroundPage | undefined;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sst-playground-charts-'));

  before(async function () {
    if (!fs.existsSync(CHROMIUM_PATH)) {
      if (process.env.CI) throw new Error(`Chromium missing at ${CHROMIUM_PATH}; install it: apt-get install -y chromium`);
      console.warn(`Skipping Playground charts: no Chromium at ${CHROMIUM_PATH}`);
      this.skip();
    }
    bot = await startBot({
      env: {
        PLAYGROUND: '0', PORT: '0', DATA_DIR: ':memory:', BOT_LOCALE: 'sv-SE', LOG_LEVEL: 'silent',
        ROSTER_FILE: path.join(REPO_ROOT, 'roster.example.json'),
        // Monday of ISO week 48: the digest's weeks are 48–53 of 2026.
        SST_NOW: '2026-11-23T09:00:00+01:00',
      },
      port: 0,
    });
    const seed = seeder(bot.store, bot.clock);
    const { cases, plans } = seedData();
    for (const c of cases) await seed.createCase(c);
    for (const p of plans) await seed.createPlan(p);
    playgrounds = await startPlaygrounds({ botEndpoint: `${bot.url}/api/messages`, basePort: await findFreePort(), cwd: REPO_ROOT, workDir, people: ['Göran Gruppledare'] });
    goran = await openPlaygroundPage(playgrounds[0].url);
    // Tall enough that a whole card is on the screen (element screenshots of taller ones are cut).
    await goran.page.setViewportSize({ width: 1280, height: 2400 });
    await goran.waitForText('Välkommen till Skolsocialt team');
  });

  after(async () => {
    await goran?.close().catch(() => undefined);
    for (const p of playgrounds) await p.stop();
    await bot?.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  /** The last bot card holding `text`, once shown. */
  async function cardWith(text: string): Promise<Locator> {
    await goran!.waitForText(text, 30_000);
    return goran!.page.locator('.fai-OutputCard').filter({ hasText: text }).last();
  }

  /** Saves an element's picture for review; the folder is created if needed. */
  async function save(card: Locator, name: string): Promise<string> {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const file = path.join(SCREENSHOTS, name);
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: file });
    return file;
  }

  it('"sammanfattning": the digest draws caseload per social worker and reviews per week as charts (svg), not their text fallback', async () => {
    await goran!.sendMessage('sammanfattning');
    const card = await cardWith('Dagens läge i teamet');
    await card.getByText('Uppföljningar per vecka').waitFor();
    // Drawn charts, not their FactSet fallback: the vertical bars are an svg, each horizontal bar an image named by its figures.
    await card.locator('svg').first().waitFor({ state: 'visible' });
    assert.ok((await card.locator('svg').count()) >= 1, 'the reviews per week are drawn as svg');
    const bars = card.locator('[role="img"]');
    assert.ok((await bars.count()) >= 2, 'the caseload is drawn as bars');
    assert.match((await bars.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))).join(' | '), /6/);
    const shown = await card.innerText();
    assert.match(shown, /Sara Socionom/);
    assert.match(shown, /Samir Socionom/);
    assert.match(shown, /v\. 49/);
    assert.doesNotMatch(shown, /Diagrammet kan inte visas|chart cannot be displayed/i, 'no chart failed to draw');
    const file = await save(card, 'digest-card.png');
    assert.ok(fs.statSync(file).size > 5_000, `${file} holds a picture`);
  });

  it('"rapport": the follow-up report draws requests per month and absence before and after as charts (svg), saved as a picture', async () => {
    await goran!.page.setViewportSize({ width: 1280, height: 6000 });
    await goran!.sendMessage('rapport');
    const card = await cardWith('Uppföljning 2026');
    await card.getByText('Frånvaro före/efter, median').waitFor();
    await card.locator('svg').first().waitFor({ state: 'visible' });
    assert.ok((await card.locator('svg').count()) >= 2, 'both charts are drawn as svg');
    const shown = await card.innerText();
    assert.doesNotMatch(shown, /Diagrammet kan inte visas|chart cannot be displayed/i, 'no chart failed to draw');
    assert.match(shown, /Rydskolan/);
    assert.doesNotMatch(shown, /SST-2026-\d{4}/, 'no case code in the report');
    const file = await save(card, 'report-card.png');
    assert.ok(fs.statSync(file).size > 5_000, `${file} holds a picture`);
    // The absence chart alone, for the README.
    const chart = await save(card.locator('svg').nth(1).locator('xpath=../..'), 'report-absence-chart.png');
    assert.ok(fs.statSync(chart).size > 2_000, `${chart} holds a picture`);
  });
});
