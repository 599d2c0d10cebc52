import { spawn, type ChildProcess } from 'node:child_process';

export interface RunningPlayground {
  url: string;
  stop(): Promise<void>;
}

const CLI = require.resolve('@microsoft/m365agentsplayground/cli.js');

/**
 * Starts Microsoft 365 Agents Playground (the local Teams-like chat) against the bot's endpoint.
 * Users come from `.m365agentsplayground.yml` in `cwd`; no browser is opened and no telemetry is sent.
 */
export async function startPlayground(opts: { botEndpoint: string; port: number; cwd?: string; timeoutMs?: number }): Promise<RunningPlayground> {
  const cwd = opts.cwd ?? process.cwd();
  const args = [CLI, 'start', '-e', opts.botEndpoint, '-c', 'msteams', '-p', String(opts.port), '--disable-telemetry'];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d.toString()));
  child.stderr?.on('data', (d) => (output += d.toString()));
  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Agents Playground exited (code ${child.exitCode}). Is port ${opts.port} free? Set PLAYGROUND_PORT or PLAYGROUND=0.\n${output}`);
    if (await answers(url)) break;
    if (Date.now() > deadline) {
      kill(child);
      throw new Error(`Agents Playground did not answer on ${url} within ${(opts.timeoutMs ?? 30_000) / 1000}s.\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    async stop() {
      kill(child);
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    },
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return res.status < 500;
  } catch {
    return false;
  }
}

function kill(child: ChildProcess): void {
  if (child.exitCode !== null || child.pid === undefined) return;
  try {
    if (process.platform !== 'win32') process.kill(-child.pid, 'SIGTERM');
    else child.kill('SIGTERM');
  } catch {
    child.kill('SIGTERM');
  }
}
