import assert from 'node:assert/strict';
import { request, type IncomingMessage } from 'node:http';
import { createGzip, gzipSync } from 'node:zlib';
import { executeActivity, installActivity, messageActivity, TENANT_ID } from '../fixtures/activities';
import { eva, personalConversation } from '../fixtures/people';
import { tableRows } from '../helpers/accessWorld';
import { startAzurite, type RunningAzurite } from '../helpers/azurite';
import { startHarness, type Harness } from '../helpers/botHarness';
import { OpenIdStandIn } from '../helpers/openIdStandIn';

/**
 * The edge refuses before it parses. A request that sends its headers and then never finishes its
 * body can only be answered by a server that did not wait for the body: these tests would hang
 * (and fail on mocha's timeout) if the edge read a byte of it first.
 */
function headersOnly(url: string, headers: Record<string, string>, firstChunk = Buffer.from('{"type":')): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/messages`, { method: 'POST', headers });
    req.on('error', reject);
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        req.destroy();
      });
    });
    req.write(firstChunk); // and never end()
  });
}

async function post(url: string, body: string | Buffer, headers: Record<string, string>) {
  const res = await fetch(`${url}/api/messages`, { method: 'POST', headers, body });
  return { status: res.status, body: await res.text() };
}

/** Everything written to stderr while `run` runs (library console.error output would land here). */
async function stderrDuring<T>(run: () => Promise<T>): Promise<{ result: T; stderr: string }> {
  const original = process.stderr.write.bind(process.stderr);
  let captured = '';
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    captured += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return typeof rest[rest.length - 1] === 'function' ? ((rest[rest.length - 1] as () => void)(), true) : true;
  }) as typeof process.stderr.write;
  try {
    return { result: await run(), stderr: captured };
  } finally {
    process.stderr.write = original;
  }
}

/** A gzip bomb: `megabytes` of zeros compressed (about 1 KB per MB), built in 1 MB steps. */
async function gzipBomb(megabytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  const zeros = Buffer.alloc(1024 * 1024, 0x20);
  for (let i = 0; i < megabytes; i++) if (!gzip.write(zeros)) await new Promise((r) => gzip.once('drain', r));
  gzip.end();
  await done;
  return Buffer.concat(out);
}

const edgeLines = (h: Harness, from: number) => h.logs.slice(from).filter((l) => /request refused at the edge/.test(l)).map((l) => JSON.parse(l));

describe('the edge refuses before it parses (local mode)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await h.post(installActivity(eva, h.connector.url));
  });
  after(async () => h?.stop());
  const json = { 'content-type': 'application/json' };
  const hjalp = () => JSON.stringify(messageActivity(eva, h.connector.url, 'hjälp'));

  it('answers any Content-Encoding but identity with 415, without reading the body', async function () {
    this.timeout(10_000);
    for (const encoding of ['gzip', 'deflate', 'br', 'x-gzip', 'compress', 'GZIP', 'gzip, identity', 'identity, gzip', 'zstd', 'anything']) {
      const res = await headersOnly(h.bot.url, { ...json, 'content-encoding': encoding, 'content-length': '100000' });
      assert.equal(res.status, 415, `${encoding}: ${res.status} ${res.body}`);
      assert.match(res.body, /Content-Encoding is not supported/);
    }
    // Identity (or none) is read as usual.
    const plain = await post(h.bot.url, hjalp(), { ...json, 'content-encoding': 'identity' });
    assert.equal(plain.status, 200, plain.body);
  });

  it('survives a body that is not the gzip it claims (it killed the process) and stays healthy', async () => {
    const logsFrom = h.logs.length;
    const res = await post(h.bot.url, 'this is not gzip at all', { ...json, 'content-encoding': 'gzip' });
    assert.equal(res.status, 415);
    assert.equal((await fetch(`${h.bot.url}/healthz`)).status, 200, 'the process is alive');
    assert.deepEqual(edgeLines(h, logsFrom).map((l) => [l.status, l.reason]), [[415, 'content-encoding']], 'one log line');
  });

  it('refuses a gzip bomb (64 MB of zeros in 64 KB) at once, and /healthz stays prompt meanwhile', async function () {
    this.timeout(20_000);
    const bomb = await gzipBomb(64);
    assert.ok(bomb.length < 256 * 1024, `${bomb.length} bytes`);
    // A valid activity inside, so nothing but the encoding can be the reason.
    const inner = gzipSync(Buffer.from(hjalp()));
    const [res, health, innerRes] = await Promise.all([
      post(h.bot.url, bomb, { ...json, 'content-encoding': 'gzip' }),
      fetch(`${h.bot.url}/healthz`).then((r) => r.status),
      post(h.bot.url, inner, { ...json, 'content-encoding': 'gzip' }),
    ]);
    assert.equal(res.status, 415);
    assert.equal(innerRes.status, 415);
    assert.equal(health, 200);
  });

  it('answers any content type but application/json (UTF-8) with 415, without reading the body', async function () {
    this.timeout(10_000);
    const types = [
      'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain', 'text/plain; charset=utf-8', 'text/html',
      'application/xml', 'application/json-patch+json', 'application/jsonx', 'application/json; charset=latin1', 'application/json; charset=utf-16',
      'json', '', 'application/json, text/plain', '*/*',
    ];
    for (const type of types) {
      const res = await headersOnly(h.bot.url, { 'content-type': type, 'content-length': '100000' });
      assert.equal(res.status, 415, `${JSON.stringify(type)}: ${res.status} ${res.body}`);
    }
    const none = await headersOnly(h.bot.url, { 'content-length': '100000' });
    assert.equal(none.status, 415, 'no content type');
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON; charset="UTF-8"']) {
      const res = await post(h.bot.url, hjalp(), { 'content-type': type });
      assert.equal(res.status, 200, `${type}: ${res.status} ${res.body}`);
    }
  });

  it('does not let a plain HTML form post (no CORS preflight) create a case', async () => {
    const before = await tableRows(h, 'cases');
    const form = new URLSearchParams({
      type: 'invoke', name: 'adaptiveCard/action', channelId: 'msteams', serviceUrl: h.connector.url,
      'from[id]': `29:${eva.aadObjectId}`, 'from[aadObjectId]': eva.aadObjectId, 'recipient[id]': '28:sst-bot', 'conversation[id]': personalConversation(eva),
      'value[action][type]': 'Action.Execute', 'value[action][verb]': 'concern.submit', 'value[action][data][school]': 'ryd', 'value[action][data][summary]': 'FORM-POST-MARKER',
    });
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=----x']) {
      const res = await post(h.bot.url, form.toString(), { 'content-type': type, origin: 'https://evil.example' });
      assert.equal(res.status, 415, `${type}: ${res.status}`);
    }
    assert.deepEqual(await tableRows(h, 'cases'), before, 'nothing stored');
    assert.doesNotMatch(h.connector.everythingSent(), /FORM-POST-MARKER/);
  });

  it('answers a declared Content-Length over 256 KiB with 413 before reading, and a chunked body over it with 413', async function () {
    this.timeout(10_000);
    const declared = await headersOnly(h.bot.url, { ...json, 'content-length': String(256 * 1024 + 1) });
    assert.equal(declared.status, 413);
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(`${h.bot.url}/api/messages`, { method: 'POST', headers: { ...json, 'transfer-encoding': 'chunked' } });
      req.on('error', reject);
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      const piece = Buffer.alloc(64 * 1024, 0x20);
      for (let i = 0; i < 6; i++) req.write(piece);
      req.end();
    });
    assert.equal(chunked, 413);
  });

  it('answers a message of 250,000 dots and an "x" (a quadratic regex held the event loop ~30 s) within the test timeout, and stays responsive', async function () {
    this.timeout(8_000);
    for (const text of [`${'.'.repeat(250_000)}x`, `${'!'.repeat(250_000)}x`, `/${' '.repeat(249_998)}x`, `hjälp${'.'.repeat(249_990)}`]) {
      h.connector.clear();
      const res = await h.post(messageActivity(eva, h.connector.url, text));
      assert.equal(res.status, 200);
      assert.match(JSON.stringify(h.connector.to(personalConversation(eva))), /Meddelandet är för långt för mig/);
    }
    assert.equal((await fetch(`${h.bot.url}/healthz`)).status, 200);
  });

  it('answers 250,000-character card values within the test timeout (values are cut to their field size before any parsing)', async function () {
    this.timeout(15_000);
    const shapes = [`${'.'.repeat(249_999)}x`, `a${' '.repeat(249_998)}b`, `${'1-'.repeat(125_000)}`];
    const forms: Array<[string, Record<string, string>]> = [
      ['concern.submit', { school: 'ryd', grade: '7', category: 'absence', absenceValid: '5', absenceInvalid: '3', consent: 'yes', summary: 'Frånvaro', consentScope: 'Samverkan', consentExpires: '2027-06-01', schoolRef: 'PRN-1' }],
      ['plan.record', { caseCode: 'SST-2026-0001', type: 'implementation', goals: 'Närvaro', responsible: 'mentor – följer upp', reviewDate: '2026-12-10' }],
      ['case.requestInfo', { caseCode: 'SST-2026-0001', message: 'Fråga' }],
      ['meeting.request', { caseCode: 'SST-2026-0001', type: 'startup', minutes: '60', place: 'school', guardians: 'false', slots: '', ownDate: '2026-11-24', ownTime: '10:00' }],
      ['meeting.decline', { teamId: 'sst-1', meetingId: 'm', reason: 'Kan inte' }],
      ['audit.export', { from: '2026-11-01', to: '2026-11-30' }],
    ];
    for (const [verb, data] of forms) {
      for (const fieldName of Object.keys(data)) {
        for (const shape of shapes) {
          const res = await h.post(executeActivity(eva, h.connector.url, verb, { ...data, [fieldName]: shape }));
          assert.equal(res.status, 200, `${verb}.${fieldName}: ${res.status}`);
        }
      }
    }
  });
});

describe('the edge with BOT_ID: tokens checked before the body, against a local OpenID stand-in', () => {
  const APP_ID = '11111111-2222-3333-4444-555555555555';
  let azurite: RunningAzurite;
  let openId: OpenIdStandIn;
  let h: Harness;

  before(async () => {
    azurite = await startAzurite();
    openId = await new OpenIdStandIn().start();
    h = await startHarness({
      env: { BOT_ID: APP_ID, BOT_PASSWORD: 'not-a-real-secret', BOT_TENANT_ID: TENANT_ID, ALLOWED_TENANTS: TENANT_ID, TABLES_CONNECTION_STRING: azurite.connectionString, ROSTER_FILE: 'roster.example.json', SST_NOW: undefined },
      start: { botAuthority: { openIdMetadataUrl: openId.metadataUrl } },
    });
  });
  after(async () => {
    await h?.stop();
    await openId?.stop();
    await azurite?.stop();
  });

  /** Row counts of the tables a turn writes. */
  const stored = async () => {
    const counts: Record<string, number> = {};
    for (const t of ['botState', 'conversationRefs', 'cases', 'accessLog', 'activityIds']) counts[t] = (await tableRows(h, t)).length;
    return counts;
  };
  const withToken = (token: string | undefined, activity: unknown) =>
    post(h.bot.url, JSON.stringify(activity), { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) });

  it('accepts a genuine token (the stand-in works: every refusal below is about the token)', async () => {
    const activity = executeActivity(eva, h.connector.url, 'case.list', {});
    const res = await withToken(openId.token(openId.claims(APP_ID, h.connector.url)), activity);
    assert.equal(res.status, 200, res.body);
    assert.match(res.body, /application\/vnd\.microsoft\.card\.adaptive/);
    assert.ok(openId.requests.includes('/keys'), 'the keys came from the stand-in');
  });

  it('answers a missing or malformed Authorization header with 401 before reading the body', async function () {
    this.timeout(10_000);
    for (const authorization of [undefined, '', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'bearer a.b.c', 'Bearer a.b', 'Bearer a.b.c.d', 'Bearer a b c', `Bearer ${'a'.repeat(9000)}.b.c`, 'Bearer a.b.c extra']) {
      const res = await headersOnly(h.bot.url, { 'content-type': 'application/json', 'content-length': '100000', ...(authorization === undefined ? {} : { authorization }) });
      assert.equal(res.status, 401, `${JSON.stringify(authorization)}: ${res.status}`);
      assert.equal(res.body, '{"error":"Unauthorized."}');
    }
  });

  it('answers every forged token with 401 and a short body, one pino line each, nothing on stderr, nothing stored or sent', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = () => openId.claims(APP_ID, h.connector.url);
    const forged: Array<[string, string]> = [
      ['bad signature (another key, the published kid)', openId.tokenWithForeignKey(claims())],
      ['alg none', openId.unsignedToken(claims())],
      ['HS256 keyed with the public key', openId.hmacWithPublicKey(claims())],
      ['nbf an hour in the future', openId.token({ ...claims(), nbf: now + 3600, iat: now + 3600 })],
      ['expired an hour ago', openId.token({ ...claims(), exp: now - 3600 })],
      ['another audience', openId.token({ ...claims(), aud: '99999999-2222-3333-4444-555555555555' })],
      ['another issuer', openId.token({ ...claims(), iss: 'https://evil.example' })],
      ['an unknown key id', openId.token(claims(), { kid: 'no-such-key' })],
      ['a tampered payload', (() => { const [a, , c] = openId.token(claims()).split('.'); return `${a}.${Buffer.from(JSON.stringify({ ...claims(), aud: APP_ID, admin: true })).toString('base64url')}.${c}`; })()],
      ['genuine, but for another serviceUrl (botbuilder\'s own check)', openId.token({ ...claims(), serviceurl: 'https://evil.example/' })],
      ['not a JWT at all', 'not.a.jwt'],
    ];
    const before = await stored();
    h.connector.clear();
    const problems: string[] = [];
    for (const [label, token] of forged) {
      const logsFrom = h.logs.length;
      const { result: res, stderr } = await stderrDuring(() => withToken(token, messageActivity(eva, h.connector.url, 'mina ärenden')));
      if (res.status !== 401) problems.push(`${label}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
      if (res.body !== '{"error":"Unauthorized."}') problems.push(`${label}: body ${res.body.slice(0, 200)}`);
      if (stderr) problems.push(`${label}: stderr ${stderr.slice(0, 200)}`);
      const lines = edgeLines(h, logsFrom);
      if (lines.length !== 1 || lines[0].status !== 401) problems.push(`${label}: ${lines.length} edge log lines ${JSON.stringify(lines)}`);
      if (h.logs.slice(logsFrom).some((l) => /"stack"|at .*\.js:\d+/.test(l))) problems.push(`${label}: a stack trace in the log`);
    }
    if (problems.length > 0) assert.fail(problems.join('\n'));
    assert.deepEqual(await stored(), before, 'nothing stored');
    assert.equal(h.connector.sent.length, 0, 'nothing sent');
  });

  it('refuses Content-Encoding and form posts even with a genuine token, and a token before anything is read', async () => {
    const token = openId.token(openId.claims(APP_ID, h.connector.url));
    const body = JSON.stringify(messageActivity(eva, h.connector.url, 'hjälp'));
    const gz = await post(h.bot.url, 'not gzip', { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${token}` });
    assert.equal(gz.status, 415);
    const form = await post(h.bot.url, body, { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${token}` });
    assert.equal(form.status, 415);
    const gzNoToken = await post(h.bot.url, 'not gzip', { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    assert.equal(gzNoToken.status, 415, 'the encoding is refused first; the body is never inflated');
    assert.equal((await fetch(`${h.bot.url}/healthz`)).status, 200);
  });
});
