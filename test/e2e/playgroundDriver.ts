/**
 * Test helpers for Microsoft 365 Agents Playground (the local Teams-like client):
 * a free port for it and its web UI opened in headless Chromium. Launching the
 * CLI itself is the production code in src/playground.ts.
 */
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startPlayground, type RunningPlayground } from '../../src/playground';

export type { RunningPlayground };

export const REPO_ROOT = path.resolve(__dirname, '../..');

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a closed network: no background traffic, no sandbox (root/containers). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** A port that was free a moment ago (the Playground falls back to another one if it is taken meanwhile). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts the Playground for a test: a free port, the repo's .m365agentsplayground.yml
 * (required, so the built-in users never sneak in) and its log in the OS temp folder.
 */
export async function startTestPlayground(botEndpoint: string): Promise<RunningPlayground> {
  return startPlayground({
    botEndpoint,
    port: await findFreePort(),
    cwd: REPO_ROOT,
    configFile: '.m365agentsplayground.yml',
    logFile: path.join(os.tmpdir(), 'm365agentsplayground-e2e.log'),
  });
}

export interface PlaygroundPage {
  page: Page;
  /** Types into the compose box and presses the send button. */
  sendMessage(text: string): Promise<void>;
  /** Waits until a bot message (text or Adaptive Card) contains `text`. */
  waitForText(text: string, timeoutMs?: number): Promise<void>;
  screenshot(file: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Selectors (Playground 0.2.x):
 *  - compose box: the Lexical contenteditable (role=textbox, placeholder "Type a message..."); cards' own inputs are textboxes too
 *  - send: role=button name "Send Message"
 *  - bot messages and cards: `.fai-OutputCard` (user's own messages, the chat
 *    list preview and the log panel are outside it, so they never match).
 */
export async function openPlaygroundPage(
  url: string,
  opts: { executablePath?: string; timeoutMs?: number } = {},
): Promise<PlaygroundPage> {
  const timeout = opts.timeoutMs ?? 30_000;
  const browser: Browser = await chromium.launch({
    executablePath: opts.executablePath ?? CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    page.setDefaultTimeout(timeout);
    // The UI fetches its config once the Playground has reached the bot endpoint.
    const configLoaded = page.waitForResponse((r) => r.url().includes('/_internal/v1/config') && r.ok());
    await page.goto(url);
    await configLoaded;
    // The compose box (a Lexical editor), not a text input on a card that may already be shown.
    const compose = page.locator('[data-lexical-editor="true"][role="textbox"]');
    await compose.waitFor({ state: 'visible' });
    const botMessages = page.locator('.fai-OutputCard');

    return {
      page,
      async sendMessage(text: string) {
        await compose.click();
        await compose.fill(text);
        await page.getByRole('button', { name: 'Send Message' }).click();
      },
      async waitForText(text: string, timeoutMs = timeout) {
        await botMessages.getByText(text).first().waitFor({ state: 'visible', timeout: timeoutMs });
      },
      async screenshot(file: string) {
        await page.screenshot({ path: file, fullPage: true });
      },
      async close() {
        await browser.close();
      },
    };
  } catch (err) {
    await browser.close();
    throw err;
  }
}
