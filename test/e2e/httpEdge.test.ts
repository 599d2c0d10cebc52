import assert from 'node:assert/strict';
import { executeActivity, installActivity, messageActivity } from '../fixtures/activities';
import { concernForm, eva, personalConversation, sara } from '../fixtures/people';
import { tableRows } from '../helpers/accessWorld';
import { startHarness, type Harness } from '../helpers/botHarness';

const text = (x: unknown) => JSON.stringify(x) ?? '';
/** Log lines at level error (50) or above. */
const errorLogs = (h: Harness, from = 0) => h.logs.slice(from).filter((l) => (JSON.parse(l).level ?? 0) >= 50);
/** Fails with every problem found, one per line. */
const noProblems = (problems: string[]) => {
  if (problems.length > 0) assert.fail(`${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
};

describe('HTTP edge of /api/messages', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness({ now: '2026-11-23T09:00:00+01:00' });
    for (const user of [eva, sara]) await h.post(installActivity(user, h.connector.url));
    const raised = await h.post(executeActivity(eva, h.connector.url, 'concern.submit', concernForm()));
    assert.match(text(raised.body), /SST-2026-0001/);
    await h.post(executeActivity(sara, h.connector.url, 'case.accept', { caseCode: 'SST-2026-0001' }));
  });
  after(async () => h?.stop());

  const raw = async (body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }, method = 'POST') => {
    const res = await fetch(`${h.bot.url}/api/messages`, { method, headers, body: method === 'GET' ? undefined : body });
    return { status: res.status, body: await res.text() };
  };
  /** Rows of the cases table (cases, events, meetings, plans, form marks). */
  const casesRows = async () => (await tableRows(h, 'cases')).map((r) => `${r.partitionKey}/${r.rowKey}`).sort();

  it('answers malformed JSON with 400', async () => {
    for (const body of ['{"type":', '{', 'not json', '{"type":"message",}', "{'type':'message'}", '{"type":"message"}}', '\u0000']) {
      const res = await raw(body);
      assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.status} ${res.body}`);
    }
  });

  it('answers a JSON body that is not an activity with 400', async () => {
    for (const body of ['{"nope":1}', '{}', '[]', '[{"type":"message","text":"hjälp"}]', 'null', '"message"', '42', 'true', '{"type":42}', '{"type":null}', '{"type":{"a":1}}', '{"type":["message"]}', '{"type":""}']) {
      const res = await raw(body);
      assert.equal(res.status, 400, `${body} → ${res.status} ${res.body}`);
    }
  });

  it('answers a body over 256 KiB with 413, and a body just under it normally', async () => {
    const activity = messageActivity(eva, h.connector.url, '');
    const padded = (bytes: number) => {
      const skeleton = JSON.stringify({ ...activity, text: '' });
      return JSON.stringify({ ...activity, text: 'x'.repeat(bytes - Buffer.byteLength(skeleton)) });
    };
    const over = await raw(padded(256 * 1024 + 1));
    assert.equal(over.status, 413, over.body);
    const far = await raw(padded(2 * 1024 * 1024));
    assert.equal(far.status, 413, far.body);
    const under = await raw(padded(256 * 1024 - 64));
    assert.ok(under.status < 500, `just under the limit: ${under.status} ${under.body.slice(0, 200)}`);
  });

  it('answers a wrong content type with 415 and a wrong method with 4xx, never 5xx', async () => {
    const body = JSON.stringify(messageActivity(eva, h.connector.url, 'hjälp'));
    for (const headers of [{ 'content-type': 'text/plain' }, { 'content-type': 'application/x-www-form-urlencoded' }, {} as Record<string, string>]) {
      const res = await raw(body, headers);
      assert.equal(res.status, 415, `${JSON.stringify(headers)} → ${res.status}`);
    }
    const get = await raw('', {}, 'GET');
    assert.ok(get.status >= 400 && get.status < 500, `GET → ${get.status}`);
  });

  it('answers unknown activity types with 200 and stores nothing', async () => {
    const before = await casesRows();
    const logsFrom = h.logs.length;
    const base = () => messageActivity(eva, h.connector.url, 'mina ärenden');
    for (const type of ['typing', 'messageReaction', 'event', 'installationUpdate', 'foo', 'endOfConversation', 'messageUpdate', 'messageDelete', 'handoff', 'trace', 'deleteUserData', 'MESSAGE', ' message']) {
      const res = await h.post({ ...base(), type, name: type === 'event' ? 'application/vnd.microsoft.meetingStart' : undefined, reactionsAdded: type === 'messageReaction' ? [{ type: 'like' }] : undefined, action: type === 'installationUpdate' ? 'add' : undefined });
      assert.equal(res.status, 200, `type ${JSON.stringify(type)} → ${res.status} ${text(res.body)}`);
    }
    assert.deepEqual(await casesRows(), before, 'nothing stored in the cases table');
    assert.deepEqual(errorLogs(h, logsFrom), [], 'no error logged');
    // Only "message" shows case data; none of these did.
    assert.doesNotMatch(h.connector.everythingSent(), /Dina ärenden/);
  });

  it('answers an over-long message (50,000 chars) with a clear message, stores nothing and neither echoes nor logs it', async () => {
    const before = await casesRows();
    h.connector.clear();
    const logsFrom = h.logs.length;
    const long = `Elevens namn ${'ö'.repeat(50_000)} LONGTEXT-MARKER`;
    const res = await h.post(messageActivity(eva, h.connector.url, long));
    assert.ok(res.status < 500, `HTTP ${res.status}`);
    const replies = h.connector.to(personalConversation(eva));
    assert.equal(replies.length, 1, text(replies));
    assert.match(text(replies[0].body), /Meddelandet är för långt för mig/);
    assert.doesNotMatch(h.connector.everythingSent(), /LONGTEXT-MARKER|ööööö/);
    assert.doesNotMatch(h.logs.slice(logsFrom).join('\n'), /LONGTEXT-MARKER|ööööö/);
    assert.deepEqual(await casesRows(), before);
    // The same length behind a command word is not a command.
    h.connector.clear();
    const res2 = await h.post(messageActivity(eva, h.connector.url, `ny oro ${'x'.repeat(50_000)}`));
    assert.ok(res2.status < 500);
    assert.match(text(h.connector.to(personalConversation(eva))), /Meddelandet är för långt för mig/);
    assert.deepEqual(errorLogs(h, logsFrom), []);
  });

  it('answers over-long card values (100,000 chars) with a clear message and stores nothing', async () => {
    const huge = `${'å'.repeat(99_990)} HUGE-MARK`;
    const cases: Array<{ who: typeof eva; verb: string; data: Record<string, unknown>; says: RegExp }> = [
      { who: eva, verb: 'concern.submit', data: concernForm({ summary: huge }), says: /Texten är för lång/ },
      { who: eva, verb: 'concern.submit', data: concernForm({ consentScope: huge }), says: /Texten är för lång/ },
      { who: eva, verb: 'concern.submit', data: concernForm({ schoolRef: huge }), says: /Texten är för lång/ },
      { who: eva, verb: 'concern.submit', data: concernForm({ grade: huge }), says: /Välj ett av alternativen/ },
      { who: eva, verb: 'concern.submit', data: concernForm({ consentExpires: huge }), says: /Ange ett datum som ÅÅÅÅ-MM-DD/ },
      { who: sara, verb: 'case.requestInfo', data: { caseCode: 'SST-2026-0001', message: huge }, says: /Meddelandet är för långt \(högst 500 tecken\)/ },
      { who: eva, verb: 'case.replyInfo', data: { caseCode: 'SST-2026-0001', message: huge }, says: /Meddelandet är för långt/ },
      { who: sara, verb: 'plan.record', data: { caseCode: 'SST-2026-0001', type: 'implementation', goals: huge, responsible: 'mentor – följer upp', reviewDate: '2026-12-10' }, says: /Texten är för lång/ },
      { who: sara, verb: 'plan.record', data: { caseCode: 'SST-2026-0001', type: 'implementation', goals: 'Närvaro', responsible: huge, reviewDate: '2026-12-10' }, says: /Texten är för lång/ },
      { who: sara, verb: 'plan.record', data: { caseCode: 'SST-2026-0001', type: 'implementation', goals: 'Närvaro', responsible: 'mentor – följer upp', reviewDate: huge }, says: /Ange ett datum som ÅÅÅÅ-MM-DD/ },
      { who: eva, verb: 'meeting.request', data: { caseCode: 'SST-2026-0001', type: 'startup', minutes: '60', place: 'school', guardians: 'false', slots: huge }, says: /ogiltig tid/ },
      { who: eva, verb: 'meeting.request', data: { caseCode: 'SST-2026-0001', type: 'startup', minutes: '60', place: 'school', guardians: 'false', ownDate: huge, ownTime: '10:00' }, says: /ogiltig tid/ },
      { who: eva, verb: 'case.open', data: { caseCode: huge }, says: /Ärendet finns inte, eller så har du inte behörighet/ },
      { who: sara, verb: 'meeting.accept', data: { teamId: 'sst-1', meetingId: huge, start: '2026-11-24T08:00:00.000Z' }, says: /Ärendet finns inte, eller så har du inte behörighet/ },
    ];
    const problems: string[] = [];
    for (const c of cases) {
      const before = await casesRows();
      const logsFrom = h.logs.length;
      const res = await h.post(executeActivity(c.who, h.connector.url, c.verb, c.data));
      const field = Object.entries(c.data).find(([, v]) => v === huge)?.[0];
      const label = `${c.verb} with ${field} of ${huge.length} chars`;
      if (res.status >= 500) problems.push(`${label}: HTTP ${res.status}`);
      if (!c.says.test(text(res.body))) problems.push(`${label}: expected ${c.says}, got ${text(res.body).slice(0, 300)}`);
      if (text(res.body).length > 30_000) problems.push(`${label}: the answer card is ${text(res.body).length} chars (the value is echoed back whole)`);
      const after = await casesRows();
      if (after.length !== before.length) problems.push(`${label}: stored ${after.length - before.length} row(s)`);
      if (/HUGE-MARK/.test(h.logs.slice(logsFrom).join('\n'))) problems.push(`${label}: the value reached the logs`);
      if (errorLogs(h, logsFrom).length > 0) problems.push(`${label}: error logged: ${errorLogs(h, logsFrom)[0].slice(0, 300)}`);
    }
    noProblems(problems);
  });

  it('answers a tampered id that is no legal table key ("/", a lone surrogate) like an unknown one, without a store error', async () => {
    const problems: string[] = [];
    const tries: Array<[string, typeof eva, string, Record<string, unknown>]> = [
      ['caseCode "SST-2026-0001/"', eva, 'case.open', { caseCode: 'SST-2026-0001/' }],
      ['caseCode with a lone surrogate', eva, 'case.open', { caseCode: 'SST-2026-\ud800' }],
      ['teamId "sst-1/x"', sara, 'meeting.refresh', { teamId: 'sst-1/x', meetingId: 'abc' }],
      ['meetingId with a lone surrogate', sara, 'meeting.accept', { teamId: 'sst-1', meetingId: '\udc00', start: '2026-11-24T08:00:00.000Z' }],
      ['planId "a/b"', sara, 'plan.review', { teamId: 'sst-1', planId: 'a/b', date: '2026-12-10', outcome: 'done', nextDate: '2027-01-20', absenceValid: '6', absenceInvalid: '3', goal1: 'partly', goal2: 'reached' }],
    ];
    for (const [label, who, verb, data] of tries) {
      const logsFrom = h.logs.length;
      const res = await h.post(executeActivity(who, h.connector.url, verb, data));
      if (res.status >= 500) problems.push(`${verb} with ${label}: HTTP ${res.status}`);
      if (!/Ärendet finns inte, eller så har du inte behörighet/.test(text(res.body))) problems.push(`${verb} with ${label}: answered ${text(res.body).replace(/.*"text":"([^"]*)".*/, '$1').slice(0, 140)}`);
      for (const line of errorLogs(h, logsFrom)) problems.push(`${verb} with ${label}: logged "${JSON.parse(line).msg}" (${String(JSON.parse(line).err?.stack ?? '').split('\n')[0].slice(0, 60)})`);
    }
    noProblems(problems);
  });

  it('answers an invoke it does not handle without a 5xx (Teams shows an error for 5xx)', async () => {
    const problems: string[] = [];
    const invoke = (name: unknown, value: unknown) => ({ ...executeActivity(eva, h.connector.url, 'x', {}), name, value });
    const variants: Array<[string, unknown]> = [
      ['name "foo"', invoke('foo', {})],
      ['no name', invoke(undefined, {})],
      ['task/fetch', invoke('task/fetch', { data: {} })],
      ['composeExtension/query', invoke('composeExtension/query', { commandId: 'x' })],
      ['adaptiveCard/action without value', invoke('adaptiveCard/action', undefined)],
      ['adaptiveCard/action with action.type Action.Submit', invoke('adaptiveCard/action', { action: { type: 'Action.Submit', verb: 'case.open', data: { caseCode: 'SST-2026-0001' } } })],
      ['adaptiveCard/action without action.type', invoke('adaptiveCard/action', { action: { verb: 'case.open', data: {} } })],
      ['adaptiveCard/action with action null', invoke('adaptiveCard/action', { action: null })],
    ];
    for (const [label, activity] of variants) {
      const res = await h.post(activity);
      if (res.status >= 500) problems.push(`${label}: HTTP ${res.status}`);
    }
    noProblems(problems);
  });

  it('answers an activity with wrong field types without a 5xx', async () => {
    const problems: string[] = [];
    const variants: Array<[string, Record<string, unknown>]> = [
      ['text: 42', { text: 42 }],
      ['text: {}', { text: { a: 1 } }],
      ['text: []', { text: ['hjälp'] }],
      ['text: true', { text: true }],
      ['locale: 42', { locale: 42 }],
      ['entities: "x"', { entities: 'x' }],
      ['channelData: "x"', { channelData: 'x' }],
      ['value: null (Action.Submit without data)', { text: undefined, value: null }],
      ['entities: [null], unknown text', { text: 'xyz', entities: [null] }],
      ['entities: {}, unknown text', { text: 'xyz', entities: {} }],
    ];
    for (const [label, patch] of variants) {
      const res = await h.post({ ...messageActivity(eva, h.connector.url, 'hjälp'), ...patch });
      if (res.status >= 500) problems.push(`message with ${label}: HTTP ${res.status} ${text(res.body).slice(0, 120)}`);
    }
    // The same envelope mistakes on a card action (its error path words the failure in the client's language).
    const cardVariants: Array<[string, Record<string, unknown>]> = [
      ['entities: [null]', { entities: [null] }],
      ['entities: {}', { entities: {} }],
      ['locale: {"toString":"x"}', { locale: { toString: 'x' } }],
    ];
    for (const [label, patch] of cardVariants) {
      const res = await h.post({ ...executeActivity(eva, h.connector.url, 'case.open', { caseCode: 'SST-2026-0001' }), ...patch });
      if (res.status >= 500) problems.push(`card action with ${label}: HTTP ${res.status} ${text(res.body).slice(0, 120)}`);
    }
    noProblems(problems);
  });

  it('refuses with 400, before any turn begins, ids the SDK could not put in a header or URL, a junk channel, a mention of no one, an invoke named by a number', async () => {
    const problems: string[] = [];
    const card = () => executeActivity(eva, h.connector.url, 'case.open', { caseCode: 'SST-2026-0001' });
    const variants: Array<[string, Record<string, unknown>]> = [
      ['a conversation id with a non-ASCII space', { ...card(), conversation: { ...card().conversation, id: 'a:personal-\u2003 2026' } }],
      ['a sender id with a space', { ...card(), from: { ...card().from, id: '29: 2026' } }],
      ['a channel id that is no channel name', { ...card(), channelId: '%ä9\t?/<script>' }],
      ['a mention naming no one', { ...messageActivity(eva, h.connector.url, 'hjälp'), entities: [{ type: 'mention', mentioned: null, text: '<at>x</at>' }] }],
      ['an invoke named by a number', { ...card(), name: 1e308 }],
    ];
    for (const [label, activity] of variants) {
      const logsFrom = h.logs.length;
      const res = await h.post(activity);
      if (res.status !== 400) problems.push(`${label}: HTTP ${res.status}, expected 400`);
      for (const line of errorLogs(h, logsFrom)) problems.push(`${label}: logged "${JSON.parse(line).msg}"`);
    }
    noProblems(problems);
  });

  it('answers GET /healthz with 200', async () => {
    const res = await fetch(`${h.bot.url}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok', store: 'up' });
  });
});
