import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages */
  botEndpoint: string;
  /** Preferred UI port. If it is taken the CLI silently picks another one; `url`/`port` tell the real one. */
  port: number;
  /** Working directory of the CLI (default process.cwd()). */
  cwd?: string;
  /** Users and chats; default `<cwd>/.m365agentsplayground.yml` if present, else the CLI's built-in demo users. */
  configFile?: string;
  /** The CLI's log (its only place for errors such as an invalid config). Default `<cwd>/.data/playground.log`. */
  logFile?: string;
  /** Extra environment for the CLI, e.g. { TZ: 'Europe/Stockholm' }. */
  env?: Record<string, string | undefined>;
  /** How long to wait until the Playground answers (default 30 s). */
  timeoutMs?: number;
}

export interface RunningPlayground {
  /** UI address, e.g. http://127.0.0.1:56150 */
  url: string;
  port: number;
  logFile: string;
  /** What the CLI printed plus the tail of its log file (for error messages). */
  output(): string;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();

/**
 * Starts Microsoft 365 Agents Playground (the local Teams-like chat) against the bot's endpoint.
 * No browser is opened and no telemetry is sent. Resolves once `/_debug/ping` answers;
 * on failure the process is stopped and the error carries the tail of the CLI's log.
 */
export async function startPlayground(opts: PlaygroundOptions): Promise<RunningPlayground> {
  const cwd = opts.cwd ?? process.cwd();
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const configFile = path.resolve(cwd, opts.configFile ?? '.m365agentsplayground.yml');
  if (opts.configFile !== undefined && !fs.existsSync(configFile)) {
    // The CLI would silently fall back to its built-in users (Alex Wilber & co).
    throw new Error(`Agents Playground config not found: ${configFile}`);
  }
  const logFile = path.resolve(cwd, opts.logFile ?? path.join('.data', 'playground.log'));
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.rmSync(logFile, { force: true }); // the CLI clears it too, but only once it is running

  const cli = path.join(path.dirname(require.resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');
  const args = [cli, 'start', '-e', opts.botEndpoint, '-c', 'msteams', '-p', String(opts.port), '--disable-telemetry'];
  const child = spawn(process.execPath, args, {
    cwd,
    env: {
      ...process.env,
      TEAMSAPPTESTER_BROWSER: 'none',
      M365_AGENTS_PLAYGROUND_LOGFILE: logFile, // otherwise it writes <cwd>/devTools/m365agentsplayground.log
      ...(fs.existsSync(configFile) ? { M365_AGENTS_PLAYGROUND_CONFIG_PATH: configFile } : {}),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32', // own process group, so stop() kills the whole tree
    windowsHide: true,
  });
  track(child);

  let printed = '';
  const append = (chunk: Buffer): void => {
    printed = (printed + chunk.toString('utf8')).slice(-16_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const output = (): string => `${printed.trimEnd()}\n--- ${logFile} (tail) ---\n${tail(logFile, 8000)}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    killTree(child, 'SIGTERM');
    if (!(await settlesWithin(exited, 5000))) {
      killTree(child, 'SIGKILL');
      await exited;
    }
  };

  try {
    const port = await waitUntilReady(child, () => printed, exited, timeoutMs);
    return { url: `http://127.0.0.1:${port}`, port, logFile, output, stop };
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message} Set PLAYGROUND=0 to run the bot without it.\n${output()}`);
  }
}

// Polls until the CLI has printed `Listening on N` and `/_debug/ping` answers there; returns N.
async function waitUntilReady(child: ChildProcess, printed: () => string, exited: Promise<void>, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let port: number | undefined;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Agents Playground exited (${child.exitCode ?? child.signalCode}) before it was ready.`);
    }
    port ??= Number(/Listening on (\d+)/.exec(printed())?.[1]) || undefined;
    if (port !== undefined && (await pings(`http://127.0.0.1:${port}/_debug/ping`))) return port;
    await settlesWithin(exited, 100);
  }
  throw new Error(`Agents Playground did not answer within ${timeoutMs / 1000} s.`);
}

async function pings(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

function settlesWithin(p: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, ms, false)));
  return Promise.race([p.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

function tail(file: string, chars: number): string {
  try {
    return fs.readFileSync(file, 'utf8').slice(-chars);
  } catch {
    return '(no log yet)';
  }
}

/** One person of the demo: who types in that Playground. */
export interface PlaygroundUser {
  id: string;
  name: string;
  aadObjectId: string;
  [key: string]: unknown;
}

/** The parts of a Playground config (the repo's .m365agentsplayground.yml) the per-person configs are made from. */
interface PlaygroundConfig {
  currentUser: PlaygroundUser;
  users: PlaygroundUser[];
  personalChat?: { id: string };
  [key: string]: unknown;
}

export interface PersonalPlayground extends RunningPlayground {
  person: PlaygroundUser;
}

/**
 * One Playground per person of the demo config, each on its own port with its own 1:1 chat, so
 * several people can use the bot at once (Eva raises a concern in hers, the card reaches Sara's):
 * no config editing to switch person. Each config is the base one with that person as `currentUser`
 * and everyone else as `users` (the Playground wants exactly five).
 */
export async function startPlaygrounds(
  opts: Omit<PlaygroundOptions, 'configFile' | 'port' | 'logFile'> & {
    basePort: number;
    configFile?: string;
    /** Names of the people to start one for (default: everyone in the config). */
    people?: string[];
    /** Where the generated configs and logs go (default <cwd>/.data/playground). */
    workDir?: string;
  },
): Promise<PersonalPlayground[]> {
  const cwd = opts.cwd ?? process.cwd();
  const basePath = path.resolve(cwd, opts.configFile ?? '.m365agentsplayground.yml');
  const { load } = await import('js-yaml');
  const base = load(fs.readFileSync(basePath, 'utf8')) as PlaygroundConfig;
  const everyone = [base.currentUser, ...base.users];
  const chosen = opts.people ? everyone.filter((u) => opts.people!.includes(u.name)) : everyone;
  const dir = opts.workDir ?? path.resolve(cwd, '.data', 'playground');
  fs.mkdirSync(dir, { recursive: true });
  const started = await Promise.allSettled(
    chosen.map(async (person, i) => {
      const slug = person.name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '');
      const config: PlaygroundConfig = { ...base, currentUser: person, users: everyone.filter((u) => u.id !== person.id), personalChat: { id: `a:demo-personal-chat-${slug}` } };
      const configFile = path.join(dir, `${slug}.yml`);
      // JSON is YAML: the generated file needs no YAML writer.
      fs.writeFileSync(configFile, `# Generated by npm start from ${path.basename(basePath)}: ${person.name} types here.\n${JSON.stringify(config, null, 2)}\n`);
      const running = await startPlayground({ ...opts, cwd, configFile, port: opts.basePort + i, logFile: path.join(dir, `${slug}.log`) });
      return { ...running, person };
    }),
  );
  const ok = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(ok.map((p) => p.stop()));
    throw failed.reason;
  }
  return ok;
}

let exitHookInstalled = false;

// Remembers a running CLI; one exit hook kills those still running if we end without stop().
function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Detached process groups would otherwise outlive us.
  process.on('exit', () => {
    for (const c of live) killTree(c, 'SIGKILL');
  });
}

function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    if (process.platform === 'win32') spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore' });
    else process.kill(-child.pid, signal); // negative pid: the whole process group
  } catch {
    // already gone
  }
}
