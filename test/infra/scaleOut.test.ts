import assert from 'node:assert/strict';
import { executeActivity, installActivity } from '../fixtures/activities';
import { concernForm, eva, goran, personalConversation, sara } from '../fixtures/people';
import { startAzurite, type RunningAzurite } from '../helpers/azurite';
import { startHarness, type Harness } from '../helpers/botHarness';
import { STATE_TABLE } from '../../src/index';
import { StorageConflictError, TableStorage } from '../../src/storage/tableStorage';
import { CASES_TABLE } from '../../src/storage/caseStore';

/**
 * Two bot instances on one Table store, as App Service runs them with instanceCount > 1 (docs/scale-out.md):
 * each has its own process state and its own Bot Connector, and they share nothing but the store.
 */
const text = (x: unknown) => JSON.stringify(x);
const cardFrom = (res: { body: any }) => res.body?.value; // eslint-disable-line @typescript-eslint/no-explicit-any
const TUE_09 = new Date('2026-11-24T09:00:00+01:00').toISOString();
const TUE_13 = new Date('2026-11-24T13:00:00+01:00').toISOString();

describe('scale-out: two bot instances on one store behave as one', function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  let a: Harness;
  let b: Harness;

  beforeEach(async () => {
    azurite = await startAzurite();
    const env = { TABLES_CONNECTION_STRING: azurite.connectionString };
    // Both start at once: both import the same roster file into the empty store.
    [a, b] = await Promise.all([startHarness({ env, now: '2026-11-23T09:00:00+01:00' }), startHarness({ env, now: '2026-11-23T09:00:00+01:00' })]);
    for (const user of [eva, sara, goran]) await a.post(installActivity(user, a.connector.url));
    a.connector.clear();
  });
  afterEach(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await azurite?.stop();
  });

  it('uses the shared store, not an embedded one', () => {
    assert.equal(a.bot.config.tables.kind, 'connectionString');
    assert.equal(b.bot.config.tables.kind, 'connectionString');
  });

  it('gives concerns raised at the same moment on both instances distinct, consecutive case codes', async () => {
    const n = 8;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) => {
        const h = i % 2 === 0 ? a : b;
        return h.post(executeActivity(eva, h.connector.url, 'concern.submit', concernForm({ summary: `Frånvaro ${i}` })));
      }),
    );
    const codes = results.map((r) => {
      assert.equal(r.status, 200);
      const code = /SST-2026-\d{4}/.exec(text(cardFrom(r)))?.[0];
      assert.ok(code, `a case code in ${text(cardFrom(r)).slice(0, 300)}`);
      return code;
    });
    assert.deepEqual([...codes].sort(), Array.from({ length: n }, (_, i) => `SST-2026-${String(i + 1).padStart(4, '0')}`));
    // Each instance sees every case, whichever instance created it.
    for (const h of [a, b]) {
      const rows: string[] = [];
      for await (const e of h.bot.store.table(CASES_TABLE).listEntities({ queryOptions: { filter: "type eq 'case'" } })) rows.push(String(e.caseCode));
      assert.equal(rows.length, n);
    }
    const opened = cardFrom(await b.post(executeActivity(eva, b.connector.url, 'case.open', { caseCode: codes[0] })));
    assert.match(text(opened), new RegExp(codes[0]!));
  });

  it('decides two accepts of one meeting on different instances by eTag: one meeting, the loser is told', async () => {
    await a.post(executeActivity(eva, a.connector.url, 'concern.submit', concernForm()));
    await a.post(executeActivity(eva, a.connector.url, 'meeting.request', {
      caseCode: 'SST-2026-0001', type: 'startup', minutes: '60', place: 'school', guardians: 'false', slots: `${TUE_09},${TUE_13}`,
    }));
    const forSara = a.connector.to(personalConversation(sara)).filter((s) => s.body?.attachments).at(-1)!.body.attachments[0].content;
    const ids = { teamId: forSara.refresh.action.data.teamId, meetingId: forSara.refresh.action.data.meetingId };

    const [onA, onB] = await Promise.all([
      a.post(executeActivity(sara, a.connector.url, 'meeting.accept', { ...ids, start: TUE_09 })),
      b.post(executeActivity(sara, b.connector.url, 'meeting.accept', { ...ids, start: TUE_13 })),
    ]);
    const texts = [text(cardFrom(onA)), text(cardFrom(onB))];
    assert.equal(texts.filter((t) => /Bekräftat/.test(t) && !/Mötet är redan bekräftat|ändrades samtidigt/.test(t)).length, 1, texts.join('\n'));
    assert.equal(texts.filter((t) => /Mötet är redan bekräftat|ändrades samtidigt/.test(t)).length, 1, texts.join('\n'));
    let confirmations = 0;
    for await (const e of b.bot.store.table(CASES_TABLE).listEntities()) if (String(e.data).includes('"meetingConfirmed"')) confirmations++;
    assert.equal(confirmations, 1);
  });

  it('applies each pending effect once when both instances dispatch and sweep at the same time', async () => {
    // Sara's chat answers 429 at first: every card to her stays pending, on whichever instance stored it.
    a.connector.respondWith((r) => (r.conversationId === personalConversation(sara) ? { status: 429 } : undefined));
    const n = 12;
    for (let i = 0; i < n; i++) {
      const h = i % 2 === 0 ? a : b;
      await h.post(executeActivity(eva, h.connector.url, 'concern.submit', concernForm({ summary: `Frånvaro ${i}` }), `form-${i}`));
    }
    a.connector.respondWith(undefined);
    for (const h of [a, b]) h.clock.advance(31_000);
    const [ta, tb] = await Promise.all([a.bot.tick(), b.bot.tick()]);
    await Promise.all([a.bot.settle(), b.bot.settle()]);
    assert.equal((ta.effects?.applied ?? 0) + (tb.effects?.applied ?? 0) >= n, true, 'the two sweeps together applied every card (whichever claimed first)');
    const cards = a.connector.to(personalConversation(sara)).filter((s) => s.method === 'POST').map((s) => /Ny oro från skolan: (SST-2026-\d{4})/.exec(text(s.body))?.[1]).filter(Boolean);
    assert.deepEqual([...cards].sort(), Array.from({ length: n }, (_, i) => `SST-2026-${String(i + 1).padStart(4, '0')}`), 'each card once');
    const receipts = [a, b].flatMap((h) => h.connector.to(personalConversation(eva)).filter((s) => s.method === 'PUT' && /har fått kortet/.test(text(s.body))));
    assert.equal(receipts.length, n, 'each receipt updated once');
    // Nothing is left: another round on both instances, later, does nothing.
    for (const h of [a, b]) h.clock.advance(60 * 60_000);
    const again = await Promise.all([a.bot.tick(), b.bot.tick()]);
    assert.deepEqual(again.map((t) => t.effects?.due), [0, 0]);
  });

  it('refuses a stale write of conversation state from the other instance (eTag), instead of losing an update', async () => {
    const onA = new TableStorage(a.bot.store.table(STATE_TABLE));
    const onB = new TableStorage(b.bot.store.table(STATE_TABLE));
    const key = 'msteams/conversations/a:personal-x';
    await onA.write({ [key]: { step: 1, eTag: '*' } });
    const [readA, readB] = [await onA.read([key]), await onB.read([key])];
    const results = await Promise.allSettled([
      onA.write({ [key]: { ...readA[key], step: 2 } }),
      onB.write({ [key]: { ...readB[key], step: 3 } }),
    ]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, JSON.stringify(results));
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.ok(rejected.reason instanceof StorageConflictError);
    const final = (await onB.read([key]))[key] as { step: number };
    const winner = results[0]!.status === 'fulfilled' ? 2 : 3;
    assert.equal(final.step, winner);
  });

  it('answers /healthz on both instances from the one store', async () => {
    for (const h of [a, b]) {
      const res = await fetch(`${h.bot.url}/healthz`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: 'ok', store: 'up' });
    }
  });
});
