/**
 * npm run bench — performance figures for the bot, each beside its baseline in the same run.
 * Everything runs in this one process on loopback, with Azurite's Table service in worker threads.
 * Not part of `npm test`; see bench/README.md for what each figure means.
 *
 *   BENCH_QUICK=1    smaller sizes (a smoke run, about a minute)
 *   BENCH_ONLY=...   comma-separated sections: startup,turns,sweep,digest,fanout,report
 */
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { benchStartup, type StartupResults } from './sections/startup';
import { benchTurns, type TurnResults } from './sections/turns';
import { benchSweep, type SweepFigure } from './sections/sweep';
import { benchDigest, type DigestFigure } from './sections/digest';
import { benchFanout, type FanoutResults } from './sections/fanout';
import { benchReport, type ReportFigure } from './sections/report';
import { round } from './lib/stats';

const QUICK = process.env.BENCH_QUICK === '1';
const ONLY = new Set((process.env.BENCH_ONLY ?? 'startup,turns,sweep,digest,fanout,report').split(',').map((s) => s.trim()));
const started = performance.now();
const log = (s: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${s}`);

/** One row of the results table. */
interface Figure {
  id: string;
  section: number;
  name: string;
  unit: string;
  median: number | null;
  p99: number | null;
  baseline: { name: string; median: number | null; p99: number | null } | null;
  /** median / baseline median (for throughput: achieved / baseline). */
  ratio: number | null;
  target: string;
  pass: boolean | null;
  note?: string;
}

const figures: Figure[] = [];
const proposals: Array<{ change: string; figure: string; now: string; withChange: string; how: string }> = [];
const add = (f: Omit<Figure, 'median' | 'p99' | 'ratio'> & { median: number | null; p99?: number | null; ratio?: number | null }) =>
  figures.push({ ...f, median: f.median === null ? null : round(f.median), p99: f.p99 == null ? null : round(f.p99), ratio: f.ratio == null ? null : round(f.ratio) });
const bl = (name: string, median: number | null, p99: number | null = null) => ({ name, median: median === null ? null : round(median), p99: p99 === null ? null : round(p99) });

function turnFigures(t: TurnResults) {
  for (const [i, f] of t.latency.slice(1).entries()) {
    const b = f.baseline!;
    const tag = i === 0 ? 'list' : 'submit';
    add({ id: `1.${tag}.p50`, section: 1, name: `Turn latency, sequential: ${f.name}`, unit: 'ms', median: f.sequential.median, p99: f.sequential.p99, baseline: bl('echo bot, same adapter and store', b.sequential.median, b.sequential.p99), ratio: f.sequential.median / b.sequential.median, target: 'p50 ≤ 1.3× baseline', pass: f.sequential.median <= 1.3 * b.sequential.median });
    const growth = t.accessLogGrowth.map((g) => `${g.rowsBefore} rows: p50 ${round(g.list.median, 1)} ms`).join(', ');
    const w = t.whatIf[0];
    const note = i === 0 ? `emulator effect, access-log month partition left to grow: ${growth} (the figures above empty it every 50 rounds)` : w ? `with the send limiter not waiting (what-if): p50 ${round(w.sequential.median, 1)} ms, p99 ${round(w.sequential.p99, 1)} ms` : undefined;
    add({ id: `1.${tag}.p99`, section: 1, name: `Turn latency p99: ${f.name}`, unit: 'ms', median: f.sequential.p99, p99: f.sequential.p99, baseline: bl('echo bot p99', b.sequential.p99, b.sequential.p99), ratio: f.sequential.p99 / b.sequential.p99, target: 'p99 ≤ 25 ms', pass: f.sequential.p99 <= 25, note });
    add({ id: `1.${tag}.tps`, section: 1, name: `Throughput, ${f.concurrent.users} concurrent users: ${f.name}`, unit: 'turns/s', median: f.concurrent.turnsPerSecond, p99: null, baseline: bl('echo bot', b.turnsPerSecond), ratio: f.concurrent.turnsPerSecond / b.turnsPerSecond, target: '≥ 0.8× baseline', pass: f.concurrent.turnsPerSecond >= 0.8 * b.turnsPerSecond, note: `latency under load p50 ${round(f.concurrent.latency.median, 1)} ms, p99 ${round(f.concurrent.latency.p99, 1)} ms` });
  }
  proposals.push({ change: "'mina ärenden' reads only the person's rows (schoolId / assignedTo / status columns already stored)", figure: 'cases query behind the turn', now: `${round(t.listQuery.current.ms.median, 1)} ms, ${t.listQuery.current.entities} entities`, withChange: `${round(t.listQuery.proposed.ms.median, 1)} ms, ${t.listQuery.proposed.entities} entities`, how: 'measured: bench/proposals/visibleCases.ts on the same store' });

  const rt = (name: string) => t.roundTrips.find((r) => r.name.startsWith(name))!;
  const echo = rt('echo (baseline)');
  for (const [id, name] of [['help', "'hjälp'"], ['list', "'mina ärenden'"], ['submit', 'concern submit']]) {
    const r = rt(name);
    add({ id: `2.${id}.stateReads`, section: 2, name: `State reads per turn: ${r.name}`, unit: 'reads', median: r.mean.stateReads, p99: r.max.stateReads, baseline: bl('echo bot', echo.mean.stateReads, echo.max.stateReads), ratio: r.mean.stateReads / echo.mean.stateReads, target: '≤ 1', pass: r.max.stateReads <= 1, note: `teams-ai's default turn state reads ${rt('echo, teams-ai').mean.stateReads} per turn (user scope too); src/bot/conversationStateOnly.ts drops it` });
    add({ id: `2.${id}.stateWrites`, section: 2, name: `State writes per turn (state unchanged): ${r.name}`, unit: 'writes', median: r.mean.stateWrites, p99: r.max.stateWrites, baseline: bl('echo bot', echo.mean.stateWrites, echo.max.stateWrites), ratio: null, target: '0 when state did not change', pass: r.max.stateWrites === 0, note: `domain: ${r.mean.domainReads} reads (${r.mean.entitiesRead} entities), ${r.mean.domainWrites} writes (${r.mean.entitiesWritten} entities); ${JSON.stringify(r.breakdown)}; ms in store ${JSON.stringify(r.storeMs)}` });
  }
  const install = rt('install');
  add({ id: '2.install.stateWrites', section: 2, name: 'State writes per turn when state changed (install → welcome)', unit: 'writes', median: install.mean.stateWrites, p99: install.max.stateWrites, baseline: null, ratio: null, target: '≤ 1', pass: install.max.stateWrites <= 1 });
  const under = rt('concern submit, 16');
  add({ id: '2.submit.conflicts', section: 2, name: 'eTag conflicts per concern submit, 16 users at once (case-code counter row)', unit: '412s', median: under.mean.conflicts, p99: null, baseline: null, ratio: null, target: '(informational)', pass: null, note: JSON.stringify(under.breakdown) });
  const scanSteps = t.journeys.filter((j) => j.tally.scans > 0).map((j) => j.step);
  add({ id: '2.scans', section: 2, name: `Table scans on any user path (${t.journeys.length} paths, every command and card action once + a sweep)`, unit: 'scans', median: t.scans.length, p99: null, baseline: null, ratio: null, target: '0', pass: scanSteps.length === 0 && t.scans.length === 0, note: scanSteps.length ? `scans in: ${scanSteps.join(', ')}` : 'every read is a point read, a partition query, or (the sweep) a bounded PartitionKey range' });
}

function sweepFigures(s: SweepFigure[]) {
  const base = s[0];
  for (const f of s.slice(1)) {
    add({ id: `3.sweep.${f.plans}.time`, section: 3, name: `Reminder sweep, ${f.plans.toLocaleString('en')} plans stored, ${f.dueNow} due: time (one tick, no-op deliver)`, unit: 'ms', median: f.tick.median, p99: f.tick.p99, baseline: bl(`same sweep, only the ${base.dueNow} due items stored`, base.tick.median, base.tick.p99), ratio: f.tick.median / base.tick.median, target: '≤ 50 ms', pass: f.tick.p99 <= 50, note: `read part (due()) ${round(f.read.median, 1)} ms; ${f.counted.roundTrips} round trips (${f.counted.domainWrites} writes); time inside the store ${round(f.counted.storeMs, 0)} ms` });
    add({ id: `3.sweep.${f.plans}.read`, section: 3, name: `Reminder sweep, ${f.plans.toLocaleString('en')} plans stored: entities read`, unit: 'entities', median: f.counted.entitiesRead, p99: null, baseline: bl(`only the ${base.dueNow} due items stored`, base.counted.entitiesRead), ratio: f.counted.entitiesRead / base.counted.entitiesRead, target: `≤ 2× due (${2 * f.dueNow}), flat`, pass: f.counted.entitiesRead <= 2 * f.dueNow && f.counted.entitiesRead <= base.counted.entitiesRead });
  }
}

function digestFigures(d: DigestFigure[]) {
  for (const f of d) {
    add({ id: `4.digest.${f.openCases}.time`, section: 4, name: `Digest, team with ${f.openCases.toLocaleString('en')} open cases: time (teamDigest)`, unit: 'ms', median: f.digest.median, p99: f.digest.p99, baseline: bl('the same partition reads, not parsed (store floor)', f.rawRead.median, f.rawRead.p99), ratio: f.digest.median / f.rawRead.median, target: f.openCases >= 10_000 ? '≤ 300 ms' : '(≤ 300 ms at 10,000)', pass: f.openCases >= 10_000 ? f.digest.p99 <= 300 : null, note: `buildDigest alone ${round(f.build.median, 0)} ms; 'sammanfattning' turn ${round(f.command.median, 0)} ms, card ${Math.round(f.cardBytes / 1024)} KB, ${f.countedCommand.entitiesWritten} access-log entries written` });
    add({ id: `4.digest.${f.openCases}.read`, section: 4, name: `Digest, team with ${f.openCases.toLocaleString('en')} open cases: entities read`, unit: 'entities', median: f.counted.entitiesRead, p99: null, baseline: bl('open cases', f.openCases), ratio: f.counted.entitiesRead / f.openCases, target: '(informational)', pass: null, note: `${f.counted.roundTrips} round trips (partition queries, pages of 1,000); rows: ${JSON.stringify(f.rows)}` });
  }
  add({ id: '4.digest.card', section: 4, name: "Digest reply ('sammanfattning' card), activity JSON size", unit: 'KB', median: Math.round(d.at(-1)!.cardBytes / 1024), p99: null, baseline: null, ratio: null, target: "(Teams refuses messages over ~100 KB counted as UTF-16, i.e. ~50 KB of this JSON)", pass: null, note: d.map((f) => `${f.openCases} open: ${Math.round(f.cardBytes / 1024)} KB, ${f.countedCommand.entitiesWritten} access-log rows, turn ${round(f.command.median, 0)} ms`).join('; ') });
}

function reportFigures(r: ReportFigure[]) {
  for (const f of r) {
    const big = f.closedCases >= 10_000;
    add({ id: `7.report.${f.closedCases}.time`, section: 7, name: `Follow-up report, team with ${f.closedCases.toLocaleString('en')} cases closed over a year: time (report())`, unit: 'ms', median: f.report.median, p99: f.report.p99, baseline: bl('the same partition reads, not parsed (store floor)', f.rawRead.median, f.rawRead.p99), ratio: f.report.median / f.rawRead.median, target: big ? '≤ 300 ms' : '(≤ 300 ms at 10,000)', pass: big ? f.report.p99 <= 300 : null, note: `buildReport alone ${round(f.build.median, 0)} ms; 'rapport' turn ${round(f.command.median, 0)} ms, card ${Math.round(f.cardBytes / 1024)} KB; ${f.counted.entitiesRead} entities in ${f.counted.roundTrips} round trips; rows ${JSON.stringify(f.rows)}` });
  }
}

function fanoutFigures(f: FanoutResults) {
  const main = f.runs[0];
  add({ id: '5.fanout.rate', section: 5, name: `Fan-out: ${main.reminders} reminders to ${main.reminders} users, one sweep`, unit: 'msg/s', median: main.messagesPerSecond, p99: null, baseline: bl('ceiling: 50 per second per tenant', f.limits.perTenantPerSecond), ratio: main.messagesPerSecond / f.limits.perTenantPerSecond, target: '(report; ceiling 50/s)', pass: null, note: `${round(main.seconds, 1)} s; ${f.perReminder.roundTrips} store round trips per reminder ${JSON.stringify(f.perReminderBreakdown)}` });
  add({ id: '5.fanout.retries', section: 5, name: 'Fan-out: 429 answers (each retried after Retry-After)', unit: 'retries', median: main.throttled, p99: null, baseline: null, ratio: null, target: '(report)', pass: null });
  add({ id: '5.fanout.lost', section: 5, name: 'Fan-out: lost (users without their reminder)', unit: 'messages', median: main.lost, p99: null, baseline: null, ratio: null, target: '0', pass: main.lost === 0 });
  add({ id: '5.fanout.duplicates', section: 5, name: 'Fan-out: duplicates', unit: 'messages', median: main.duplicates, p99: null, baseline: null, ratio: null, target: '0', pass: main.duplicates === 0 });
  const paced = f.runs.find((r) => r.name.includes('paced'));
  if (paced) proposals.push({ change: 'Pace proactive sends (RateLimiter 1 token per 1/(0.9·limit) s) instead of a per-second burst', figure: `fan-out, ${paced.reminders} reminders`, now: `${round(main.messagesPerSecond, 1)} msg/s, ${main.throttled} × 429`, withChange: `${round(paced.messagesPerSecond, 1)} msg/s, ${paced.throttled} × 429, lost ${paced.lost}, duplicates ${paced.duplicates}`, how: 'measured: bench/proposals/smoothPacing.ts' });
  const slow = f.runs.find((r) => r.name.includes('latency'));
  if (slow) proposals.push({ change: 'Deliver a sweep\'s reminders concurrently (a few in flight, behind the shared limiter)', figure: `fan-out with ${slow.name.replace(/.*latency /, '')} connector latency`, now: `${round(slow.messagesPerSecond, 1)} msg/s (sequential: 1,000 reminders ≈ ${Math.round(1000 / slow.messagesPerSecond)} s)`, withChange: `≈ min(k × ${round(slow.messagesPerSecond, 1)}, 45) msg/s with k in flight (estimate, not measured)`, how: 'measured what-if (connector answering late) + arithmetic' });
}

function startupFigures(s: StartupResults) {
  add({ id: '6.startup', section: 6, name: 'Start-up to first answered activity (embedded store, demo roster)', unit: 'ms', median: s.firstAnswer.bot.median, p99: s.firstAnswer.bot.p99, baseline: bl('echo bot with an embedded store', s.firstAnswer.echo.median, s.firstAnswer.echo.p99), ratio: s.firstAnswer.bot.median / s.firstAnswer.echo.median, target: '(report)', pass: null, note: `listening after ${round(s.firstAnswer.botListening.median, 0)} ms` });
  add({ id: '6.rss', section: 6, name: `RSS after ${s.rss.users.toLocaleString('en')} users each sent one message (embedded store)`, unit: 'MB', median: s.rss.bot.after.rssMB, p99: null, baseline: bl('echo bot, same users', s.rss.echo.after.rssMB), ratio: s.rss.bot.after.rssMB / s.rss.echo.after.rssMB, target: '(report)', pass: null, note: `growth: bot +${round(s.rss.bot.after.rssMB - s.rss.bot.before.rssMB, 0)} MB RSS (main-thread heap +${round(s.rss.bot.after.heapUsedMB - s.rss.bot.before.heapUsedMB, 1)} MB), echo +${round(s.rss.echo.after.rssMB - s.rss.echo.before.rssMB, 0)} MB (heap +${round(s.rss.echo.after.heapUsedMB - s.rss.echo.before.heapUsedMB, 1)} MB); start with a ${s.rss.rosterPeople}-person roster ${round(s.rss.bot.startSeconds, 1)} s` });
  add({ id: '6.roster', section: 6, name: `Roster cache refill, ${s.roster.people.toLocaleString('en')} people (paid by one turn every 30 s per instance)`, unit: 'ms', median: s.roster.loadMs.median, p99: s.roster.loadMs.p99, baseline: null, ratio: null, target: '(report)', pass: null, note: `personByAad: ${round(s.roster.lookupUs, 1)} µs per lookup (linear scan)` });
}

const fmt = (x: number | null | undefined, unit = '') => (x === null || x === undefined || Number.isNaN(x) ? '–' : `${x >= 100 ? Math.round(x).toLocaleString('en') : x}${unit}`);

export function markdownTable(rows: Figure[]): string {
  const lines = ['| # | Figure | Median | p99 | Baseline (median) | Ratio | Target | Pass |', '| --- | --- | --- | --- | --- | --- | --- | --- |'];
  for (const f of rows) {
    const u = f.unit === 'ms' ? ' ms' : '';
    const base = f.baseline ? `${fmt(f.baseline.median, u)} (${f.baseline.name})` : '–';
    lines.push(`| ${f.section} | ${f.name}${f.unit && f.unit !== 'ms' ? ` [${f.unit}]` : ''} | ${fmt(f.median, u)} | ${fmt(f.p99, u)} | ${base} | ${f.ratio === null ? '–' : `${f.ratio}×`} | ${f.target} | ${f.pass === null ? '–' : f.pass ? 'pass' : '**miss**'} |`);
  }
  return lines.join('\n');
}

async function main() {
  const results: Record<string, unknown> = {};
  log(`npm run bench${QUICK ? ' (quick)' : ''}: ${[...ONLY].join(', ')}`);
  // Start-up and memory first, while the process is fresh.
  if (ONLY.has('startup')) {
    log('6. start-up and memory');
    const s = await benchStartup({ reps: 3, users: QUICK ? 2000 : 10_000, log });
    startupFigures(s);
    results.startup = s;
  }
  if (ONLY.has('turns')) {
    log('1–2. turns: latency, throughput, round trips');
    const t = await benchTurns({ rounds: QUICK ? 40 : 300, warmup: QUICK ? 10 : 30, measureMs: QUICK ? 1000 : 3000, log });
    turnFigures(t);
    results.turns = t;
  }
  if (ONLY.has('sweep')) {
    log('3. reminder sweep');
    const s = await benchSweep({ sizes: QUICK ? [0, 1000, 10_000] : [0, 1000, 10_000, 100_000], reps: QUICK ? 3 : 5, log });
    sweepFigures(s);
    results.sweep = s;
  }
  if (ONLY.has('digest')) {
    log('4. digest');
    const d = await benchDigest({ sizes: QUICK ? [100, 1000] : [100, 1000, 10_000], reps: (n) => (n >= 10_000 ? 5 : 10), log });
    digestFigures(d);
    results.digest = d;
  }
  if (ONLY.has('fanout')) {
    log('5. fan-out');
    const f = await benchFanout({ users: QUICK ? 200 : 1000, whatIf: true, latencyReminders: QUICK ? 30 : 100, connectorLatencyMs: 100, log });
    fanoutFigures(f);
    results.fanout = f;
  }
  if (ONLY.has('report')) {
    log('7. follow-up report');
    const r = await benchReport({ sizes: QUICK ? [1000] : [1000, 10_000], reps: (n) => (n >= 10_000 ? 5 : 10), log });
    reportFigures(r);
    results.report = r;
  }
  figures.sort((a, b) => a.section - b.section);
  let commit = '';
  try {
    commit = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    commit = 'unknown';
  }
  const machine = { platform: `${os.type()} ${os.release()} ${os.arch()}`, cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}`, memoryGB: round(os.totalmem() / 2 ** 30, 1), node: process.version };
  const out = {
    date: new Date().toISOString(),
    commit,
    quick: QUICK,
    machine,
    seconds: round((performance.now() - started) / 1000, 0),
    summary: { figures: figures.length, targets: figures.filter((f) => f.pass !== null).length, pass: figures.filter((f) => f.pass === true).length, miss: figures.filter((f) => f.pass === false).map((f) => f.id) },
    figures,
    proposals,
    details: results,
  };
  const file = join(__dirname, 'results.json');
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\n${machine.cpus}, ${machine.memoryGB} GB, Node ${machine.node}, ${out.date}, commit ${commit}\n`);
  console.log(markdownTable(figures));
  if (proposals.length) {
    console.log('\nProposed src changes, measured in this run (bench/proposals/):\n');
    console.log('| Change | Figure | Now | With the change | How |\n| --- | --- | --- | --- | --- |');
    for (const p of proposals) console.log(`| ${p.change} | ${p.figure} | ${p.now} | ${p.withChange} | ${p.how} |`);
  }
  console.log(`\n${out.summary.pass} of ${out.summary.targets} targets pass; misses: ${out.summary.miss.join(', ') || 'none'}. Wrote ${file} (${out.seconds} s).`);
}

main()
  .then(() => process.exit(0))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
