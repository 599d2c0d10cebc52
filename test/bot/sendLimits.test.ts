import assert from 'node:assert/strict';
import { CONVERSATION_WINDOWS, WINDOW_MARGIN, teamsSendLimits, type SendLimitOptions } from '../../src/bot/sendLimits';
import { RetryLaterError } from '../../src/effects/dispatcher';
import { virtualTime } from '../helpers/virtualTime';

/** Each window as the limiter holds it (a little longer than Teams counts it). */
const held = (ms: number) => Math.ceil(ms * (1 + WINDOW_MARGIN));
const SECOND = held(1_000);
const TWO_SECONDS = held(2_000);
const THIRTY_SECONDS = held(30_000);
const HOUR = held(3_600_000);

/** Asserts that no stretch of `ms` holds more than `limit` of `times` (the sends that went). */
function assertWindow(times: number[], limit: number, ms: number, label: string): void {
  const sorted = [...times].sort((a, b) => a - b);
  for (let i = 0; i + limit < sorted.length; i++) {
    assert.ok(sorted[i + limit] - sorted[i] >= ms, `${label}: sends ${i} and ${i + limit} are ${sorted[i + limit] - sorted[i]} ms apart (more than ${limit} within ${ms} ms)`);
  }
}

function limiter(opts: SendLimitOptions = {}) {
  const vt = virtualTime();
  const sent: Array<{ tenant: string; conversation: string; at: number }> = [];
  const limits = teamsSendLimits({ now: vt.now, sleep: vt.sleep, maxWaitMs: Number.POSITIVE_INFINITY, onSend: (tenant, conversation, at) => sent.push({ tenant, conversation, at }), ...opts });
  /** Sends one after another (each waits for the one before). */
  const sequential = async (n: number, conversation = 'conv', tenant = 'tenant') => {
    for (let i = 0; i < n; i++) await limits.acquire(tenant, conversation);
    return sent.filter((s) => s.conversation === conversation).map((s) => s.at);
  };
  return { vt, limits, sent, sequential };
}

describe('bot/sendLimits: every Teams window per conversation, and the tenant budget (virtual time, no real waits)', () => {
  it('uses the documented windows: 7 per 1 s, 8 per 2 s, 60 per 30 s, 1,800 per hour', () => {
    assert.deepEqual(CONVERSATION_WINDOWS.map((w) => [w.limit, w.ms]), [[7, 1_000], [8, 2_000], [60, 30_000], [1_800, 3_600_000]]);
  });

  it('7 per second: seven go at once, the eighth a (held) second after the first', async () => {
    const { sequential } = limiter();
    const times = await sequential(8);
    assert.deepEqual(times.slice(0, 7), [0, 0, 0, 0, 0, 0, 0]);
    assert.equal(times[7], SECOND);
    assertWindow(times, 7, SECOND, '7/1 s');
  });

  it('8 per 2 seconds: the ninth waits for the two-second window although the one-second window would let it go', async () => {
    const { sequential } = limiter();
    const times = await sequential(9);
    assert.equal(times[8], TWO_SECONDS, `ninth at ${times[8]}`);
    assertWindow(times, 8, TWO_SECONDS, '8/2 s');
  });

  it('60 per 30 seconds: the 61st waits for the first to leave the 30-second window', async () => {
    const { sequential } = limiter();
    const times = await sequential(61);
    assert.ok(times[59] < THIRTY_SECONDS, `the 60th went at ${times[59]}, inside the first 30 s`);
    assert.equal(times[60], THIRTY_SECONDS, `61st at ${times[60]}`);
    assertWindow(times, 60, THIRTY_SECONDS, '60/30 s');
    assertWindow(times, 8, TWO_SECONDS, '8/2 s');
    assertWindow(times, 7, SECOND, '7/1 s');
  });

  it('1,800 per hour: the 1,801st waits for the first to leave the hour', async function () {
    this.timeout(20_000);
    const { sequential } = limiter();
    const times = await sequential(1_801);
    assert.ok(times[1_799] < HOUR, `the 1,800th went at ${times[1_799]} ms, inside the first hour`);
    assert.equal(times[1_800], HOUR);
    assertWindow(times, 1_800, HOUR, '1,800/h');
    assertWindow(times, 60, THIRTY_SECONDS, '60/30 s');
  });

  it('keeps every window with many sends at once to one conversation', async () => {
    const { limits, sent } = limiter();
    await Promise.all(Array.from({ length: 70 }, () => limits.acquire('tenant', 'conv')));
    const times = sent.map((s) => s.at);
    assert.equal(times.length, 70);
    for (const w of CONVERSATION_WINDOWS) assertWindow(times, w.limit, held(w.ms), `${w.limit}/${w.ms} ms`);
  });

  it('conversations are limited apart: a busy one does not hold up another', async () => {
    const { limits, sent, vt } = limiter();
    for (let i = 0; i < 7; i++) await limits.acquire('tenant', 'busy');
    const waiting = limits.acquire('tenant', 'busy'); // has to wait a second
    await limits.acquire('tenant', 'quiet');
    assert.equal(sent.find((s) => s.conversation === 'quiet')?.at, 0, 'the other conversation went at once');
    await waiting;
    assert.equal(vt.now(), SECOND);
  });

  it('the tenant budget: 50 per second over all conversations, divided by the instances that share it', async () => {
    for (const [instances, perInstance] of [[1, 50], [2, 25], [3, 16]] as const) {
      const { limits, sent } = limiter({ instances });
      for (let i = 0; i <= perInstance; i++) await limits.acquire('tenant', `conv-${i}`);
      const times = sent.map((s) => s.at);
      assert.deepEqual(times.slice(0, perInstance), Array(perInstance).fill(0), `${instances} instance(s): ${perInstance} at once`);
      assert.equal(times[perInstance], SECOND, `${instances} instance(s): number ${perInstance + 1} waits a second`);
    }
  });

  it('keeps tenants apart', async () => {
    const { limits, sent } = limiter({ perTenantPerSecond: 1 });
    await limits.acquire('tenant-a', 'conv-1');
    await limits.acquire('tenant-b', 'conv-2');
    assert.deepEqual(sent.map((s) => s.at), [0, 0]);
  });

  it('a wait longer than its bound is not waited for: RetryLaterError says when, and the send is not counted', async () => {
    const vt = virtualTime();
    const limits = teamsSendLimits({ now: vt.now, sleep: vt.sleep, maxWaitMs: 10_000 });
    for (let i = 0; i < 60; i++) await limits.acquire('tenant', 'conv');
    const at = vt.now();
    await assert.rejects(limits.acquire('tenant', 'conv'), (err: unknown) => err instanceof RetryLaterError && err.retryAfterMs === THIRTY_SECONDS - at);
    await assert.rejects(limits.acquire('tenant', 'conv'), RetryLaterError);
    vt.advance(THIRTY_SECONDS - at);
    await limits.acquire('tenant', 'conv'); // now it goes, at once
    assert.equal(vt.now(), THIRTY_SECONDS);
  });
});
