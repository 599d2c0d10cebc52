import assert from 'node:assert/strict';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { ConversationReference } from 'botbuilder';
import { teamsNotifier } from '../../src/bot/notifier';
import { buildDigest } from '../../src/domain/digest';
import type { Notification, Notifier, RosterStore } from '../../src/domain/ports';
import type { Roster } from '../../src/domain/roster';
import { createLogger } from '../../src/logger';
import { manualClock } from '../../src/domain/clock';
import { RetryLaterError } from '../../src/effects/dispatcher';
import type { ConversationRefStore } from '../../src/storage/conversationRefs';
import { ConnectorStandIn } from '../helpers/connector';
import { recordingSleep } from '../helpers/virtualTime';
import { retryPipelineOf, withoutHiddenRetries } from '../../src/bot/connectorRetries';

const roster: Roster = {
  municipality: { name: 'Testkommun', reportConcernUrl: 'https://example.org/orosanmalan' },
  teams: [{ id: 'sst-1', name: 'SST Väst', groupLeader: 'gl-1' }],
  schools: [{ id: 'ryd', name: 'Rydskolan', team: 'sst-1', socialWorker: 'sw-1' }],
  people: [
    { id: 'sw-1', aadObjectId: 'AAD-SW-1', name: 'Sara Socionom', roles: ['socialWorker'], team: 'sst-1' },
    { id: 'eht-1', aadObjectId: 'aad-eht-1', name: 'Eva Kurator', roles: ['eht'], schools: ['ryd'] },
    { id: 'gl-1', aadObjectId: 'aad-gl-1', name: 'Göran Gruppledare', roles: ['groupLeader'], team: 'sst-1' },
    { id: 'nobot', aadObjectId: 'aad-nobot', name: 'Nils Utanbot', roles: ['eht'], schools: ['ryd'] },
  ],
};

const NOW = '2026-11-25T08:00:00.000Z';
const planReview: Notification = { kind: 'reminder', reminder: 'planReview', teamId: 'sst-1', caseCode: 'SST-2026-0001', details: { date: '2026-12-10', days: '7' } };

describe('bot/teamsNotifier (real TeamsAdapter → Bot Connector stand-in)', function () {
  this.timeout(60_000);
  let connector: ConnectorStandIn;
  let held: string[];
  let notifier: Notifier;
  let refsAsked: string[];
  let reasons: Array<[string, string]>;
  let sleep: ReturnType<typeof recordingSleep>;

  const refFor = (conversationId: string, locale = 'sv-SE'): Partial<ConversationReference> => ({
    serviceUrl: connector.url, channelId: 'msteams', conversation: { id: conversationId } as ConversationReference['conversation'],
    user: { id: `29:${conversationId}`, name: '' }, bot: { id: '28:bot', name: 'bot' }, locale,
  });

  before(async () => {
    connector = await new ConnectorStandIn().start();
  });
  after(async () => {
    await connector.stop();
  });
  beforeEach(() => {
    connector.clear();
    connector.respondWith(undefined);
    refsAsked = [];
    const refs: Record<string, Partial<ConversationReference>> = {
      'aad-sw-1': refFor('a:sw-1'),
      'aad-eht-1': refFor('a:eht-1', 'en-US'),
      'aad-gl-1': refFor('a:gl-1'),
    };
    held = [];
    reasons = [];
    sleep = recordingSleep();
    const refStore: ConversationRefStore = {
      async get(aad) {
        refsAsked.push(aad);
        return refs[aad.toLowerCase()];
      },
      async lookup(aad) {
        refsAsked.push(aad);
        const ref = refs[aad.toLowerCase()];
        return ref ? { ref } : undefined;
      },
      async touch() {
        return {};
      },
      async markHeld(aad) {
        held.push(aad);
        return { refAt: aad === 'aad-late' ? '2026-11-25T07:00:00.000Z' : undefined };
      },
      async clearHeld() {},
      async anyReference() {
        return refs['aad-sw-1'];
      },
      async noteUnreachable(aad, reason) {
        reasons.push([aad, reason]);
      },
      async unreachableReason() {
        return undefined;
      },
    };
    const rosterStore: RosterStore = { get: async () => roster, importFile: async () => ({ changed: 0 }), saveSchool: async () => ({ applied: true }), setAway: async () => ({ applied: true }) };
    notifier = teamsNotifier({
      adapter: withoutHiddenRetries(new TeamsAdapter({})), botAppId: '', refs: refStore, roster: rosterStore, logger: createLogger('silent'), clock: manualClock(NOW),
      sleep: sleep.sleep, random: () => 0.5,
    });
  });

  const statuses = () => connector.sent.map((s) => s.method);
  const cardTo = (conversationId: string) => connector.to(conversationId).filter((s) => s.method === 'POST').map((s) => s.body)[0];
  /** Fails the first `times` requests with `status` (and headers). */
  const failFirst = (times: number, status: number, headers?: Record<string, string>) => {
    let n = 0;
    connector.respondWith(() => (n++ < times ? { status, headers } : undefined));
  };

  describe('cards', () => {
    it('sends a reminder as an Adaptive Card into the personal conversation, in the user’s language', async () => {
      assert.equal(await notifier.notify('sw-1', planReview), 'sent');
      const activity = cardTo('a:sw-1');
      assert.ok(activity, JSON.stringify(connector.sent));
      assert.equal(activity.type, 'message');
      const [attachment] = activity.attachments;
      assert.equal(attachment.contentType, 'application/vnd.microsoft.card.adaptive');
      const text = JSON.stringify(attachment.content);
      assert.match(text, /Uppföljning av plan om 7 dagar: SST-2026-0001/);
      assert.match(text, /2026-12-10/);
      assert.match(text, /"verb":"case.open"/);
      assert.equal(await notifier.notify('eht-1', planReview), 'sent');
      assert.match(JSON.stringify(cardTo('a:eht-1')), /Plan review in 7 days: SST-2026-0001/);
    });

    it('renders every reminder kind with all its placeholders filled', async () => {
      const reminders: Notification[] = [
        planReview,
        { kind: 'reminder', reminder: 'reviewOverdue', teamId: 'sst-1', caseCode: 'SST-2026-0001', details: { date: '2026-12-10', days: '' } },
        { kind: 'reminder', reminder: 'meetingTomorrow', teamId: 'sst-1', caseCode: 'SST-2026-0001', details: { start: '2026-11-30T08:00:00.000Z', type: 'sip' } },
        { kind: 'reminder', reminder: 'consentExpiring', teamId: 'sst-1', caseCode: 'SST-2026-0001', details: { expires: '2027-01-31' } },
        { kind: 'reminder', reminder: 'inactiveCase', teamId: 'sst-1', caseCode: 'SST-2026-0001', details: { since: '2026-09-01' } },
        { kind: 'reminder', reminder: 'yearlyReport', teamId: 'sst-1', details: { year: '2026', due: '2027-03-31' } },
      ];
      const expected = [/Uppföljning av plan om 7 dagar/, /Försenad uppföljning: SST-2026-0001/, /Möte nästa arbetsdag: SST-2026-0001/, /Samtycket går snart ut: SST-2026-0001/, /Ingen aktivitet på 30 dagar: SST-2026-0001/, /Verksamhetsberättelsen ska in senast 2027-03-31/];
      for (const [i, n] of reminders.entries()) {
        connector.clear();
        assert.equal(await notifier.notify('sw-1', n), 'sent');
        const text = JSON.stringify(cardTo('a:sw-1'));
        assert.match(text, expected[i]);
        assert.doesNotMatch(text, /\{\w+\}/, `no unfilled placeholder in ${text}`);
      }
    });

    it('sends the digest card with codes, counts and names from the roster', async () => {
      const digest = buildDigest({
        teamId: 'sst-1', now: new Date('2026-11-25T06:30:00Z'), plans: [], meetings: [], unreachable: [{ personId: 'nobot', since: '2026-11-20T07:00:00Z' }], socialWorkerIds: ['sw-1'],
        cases: [{ code: 'SST-2026-0007', teamId: 'sst-1', schoolId: 'ryd', grade: '7', category: 'absence', absenceBand: 'gt50', summary: 'MARKER-NOTIFIER', status: 'new', raisedBy: 'eht-1', assignedTo: 'sw-1', createdAt: '2026-11-23T09:00:00Z', updatedAt: '2026-11-23T09:00:00Z', lastActivityAt: '2026-11-23T09:00:00Z' }],
      });
      assert.equal(await notifier.notify('gl-1', { kind: 'digest', digest }), 'sent');
      const text = JSON.stringify(cardTo('a:gl-1'));
      assert.match(text, /Dagens läge i teamet 2026-11-25/);
      assert.match(text, /SST-2026-0007 · hos Sara Socionom · väntar i 2 dagar/);
      // Each listed case opens with one click, and what waits for someone can be nudged.
      assert.match(text, /"selectAction":\{"type":"Action.Execute","title":"Visa ärendet","verb":"case.open","data":\{"caseCode":"SST-2026-0007"/);
      assert.match(text, /"title":"Påminn","verb":"digest.nudge"/);
      assert.match(text, /Sara Socionom/);
      assert.match(text, /Nils Utanbot \(sedan 2026-11-20\)/);
      assert.doesNotMatch(text, /MARKER-NOTIFIER/);
    });
  });

  describe('unreachable recipients', () => {
    it('403 (blocked or uninstalled): unreachable after one request, no retry', async () => {
      failFirst(100, 403);
      assert.equal(await notifier.notify('sw-1', planReview), 'unreachable');
      assert.deepEqual(statuses(), ['POST!403']);
    });

    it('404 (conversation gone): unreachable, no retry', async () => {
      failFirst(100, 404);
      assert.equal(await notifier.notify('sw-1', planReview), 'unreachable');
      assert.deepEqual(statuses(), ['POST!404']);
    });

    it('no stored conversation reference, or not in the roster: unreachable without a request', async () => {
      assert.equal(await notifier.notify('nobot', planReview), 'unreachable');
      assert.equal(await notifier.notify('ghost', planReview), 'unreachable');
      assert.deepEqual(connector.sent, []);
      assert.deepEqual(refsAsked, ['aad-nobot'], 'looked up by AAD object id');
    });
  });

  describe('held and late', () => {
    it('a card that arrives more than 15 minutes after it was meant says when it was meant, and a possible repeat says so', async () => {
      assert.equal(await notifier.notify('sw-1', planReview, { at: '2026-11-25T07:00:00.000Z', mayRepeat: true }), 'sent');
      const text = JSON.stringify(cardTo('a:sw-1'));
      assert.match(text, /Det här skulle ha nått dig ons 25 nov\.? 08:00, men boten nådde dig inte då/);
      assert.match(text, /Kan vara en upprepning/);
      connector.clear();
      assert.equal(await notifier.notify('sw-1', planReview, { at: '2026-11-25T07:50:00.000Z' }), 'sent');
      assert.doesNotMatch(JSON.stringify(cardTo('a:sw-1')), /skulle ha nått dig|upprepning/);
    });

    it('updates the actor\'s receipt in place (PUT to that message) in the language it was drawn in', async () => {
      const receipt = { personId: 'eht-1', activityId: 'act-receipt', locale: 'sv', card: { kind: 'concernReceived' as const, code: 'SST-2026-0001', contactId: 'sw-1', anonymous: false } };
      assert.equal(await notifier.updateReceipt('eht-1', 'act-receipt', { ...receipt, outcome: 'delivered' }), 'sent');
      const [put] = connector.to('a:eht-1');
      assert.equal(put.method, 'PUT');
      assert.match(put.path, /activities\/act-receipt$/);
      assert.match(JSON.stringify(put.body), /Sara Socionom har fått kortet om ärendet/);
    });

    it('hold marks the person, and says "go now" only when they reached the bot after the attempt', async () => {
      assert.equal(await notifier.hold('nobot', new Date(NOW)), false);
      assert.deepEqual(held, ['aad-nobot']);
      roster.people.push({ id: 'late', aadObjectId: 'aad-late', name: 'Lena Sen', roles: ['eht'], schools: ['ryd'] });
      try {
        assert.equal(await notifier.hold('late', new Date('2026-11-25T06:59:00.000Z')), true);
        assert.equal(await notifier.hold('late', new Date('2026-11-25T07:01:00.000Z')), false);
      } finally {
        roster.people.pop();
      }
    });
  });

  describe('throttling and server errors: Teams\' retry list, every wait injected (no real waits)', () => {
    it('429 without Retry-After: one request, then the dispatcher is asked to try again in 30 s (no wait inside the send)', async () => {
      failFirst(100, 429);
      await assert.rejects(notifier.notify('sw-1', planReview), (err: unknown) => err instanceof RetryLaterError && err.retryAfterMs === 30_000);
      assert.deepEqual(statuses(), ['POST!429']);
      assert.deepEqual(sleep.asked, []);
    });

    it('429 with Retry-After: 2 → waits exactly 2 s (injected) and sends again', async () => {
      failFirst(1, 429, { 'Retry-After': '2' });
      assert.equal(await notifier.notify('sw-1', planReview), 'sent');
      assert.deepEqual(statuses(), ['POST!429', 'POST']);
      assert.deepEqual(sleep.asked, [2_000], 'Retry-After honoured, nothing added');
    });

    it('429 with a long Retry-After (120 s): not waited for here; the dispatcher gets the 120 s', async () => {
      failFirst(100, 429, { 'Retry-After': '120' });
      await assert.rejects(notifier.notify('sw-1', planReview), (err: unknown) => err instanceof RetryLaterError && err.retryAfterMs === 120_000);
      assert.deepEqual(statuses(), ['POST!429']);
      assert.deepEqual(sleep.asked, []);
    });

    for (const status of [412, 502, 503, 504]) {
      it(`${status} once: retried after a jittered wait, sent on the second request`, async () => {
        failFirst(1, status);
        assert.equal(await notifier.notify('sw-1', planReview), 'sent');
        assert.deepEqual(statuses(), [`POST!${status}`, 'POST']);
        assert.deepEqual(sleep.asked, [750], 'half the first step plus half of it times the jitter (0.5)');
      });
    }

    it('503 every time: three requests with doubling, jittered waits, then thrown for the dispatcher\'s backoff', async () => {
      failFirst(100, 503);
      await assert.rejects(notifier.notify('sw-1', planReview), (err: unknown) => (err as { statusCode?: number }).statusCode === 503 && !(err instanceof RetryLaterError));
      assert.deepEqual(statuses(), ['POST!503', 'POST!503', 'POST!503']);
      assert.deepEqual(sleep.asked, [750, 1_500]);
    });

    it('500 (not on Teams\' list): one request, no retry of its own, thrown for the dispatcher\'s backoff', async () => {
      failFirst(100, 500);
      await assert.rejects(notifier.notify('sw-1', planReview), (err: unknown) => (err as { statusCode?: number }).statusCode === 500);
      assert.deepEqual(statuses(), ['POST!500'], 'the connector client\'s own retry policy is gone');
      assert.deepEqual(sleep.asked, []);
    });

    it('the connector client keeps no retry policy of its own for proactive sends', async () => {
      const adapter = withoutHiddenRetries(new TeamsAdapter({}));
      const auth = (adapter as unknown as { botFrameworkAuthentication: { createConnectorFactory(c: unknown): { create(url: string, audience?: string): Promise<never> } } }).botFrameworkAuthentication;
      const client = await auth.createConnectorFactory((adapter as unknown as { createClaimsIdentity(id: string): unknown }).createClaimsIdentity('')).create(connector.url);
      const names = retryPipelineOf(client)!.getOrderedPolicies().map((p) => p.name);
      assert.ok(names.length > 0);
      assert.deepEqual(names.filter((n) => /retry/i.test(n)), [], names.join(', '));
      const plain = new TeamsAdapter({});
      const plainAuth = (plain as unknown as typeof adapter & { botFrameworkAuthentication: typeof auth }).botFrameworkAuthentication;
      const plainClient = await plainAuth.createConnectorFactory((plain as unknown as { createClaimsIdentity(id: string): unknown }).createClaimsIdentity('')).create(connector.url);
      assert.ok(retryPipelineOf(plainClient)!.getOrderedPolicies().some((p) => /retry/i.test(p.name)), 'without it the SDK retries on its own');
    });
  });

  describe('why someone is unreachable', () => {
    it('403 ForbiddenOperationException: recorded as "app not installed", not retried', async () => {
      connector.respondWith(() => ({ status: 403, body: { error: { code: 'ForbiddenOperationException', message: "Bot is not installed in user's personal scope" } } }));
      assert.equal(await notifier.notify('sw-1', planReview), 'unreachable');
      assert.deepEqual(statuses(), ['POST!403']);
      assert.deepEqual(reasons, [['AAD-SW-1', 'appNotInstalled']]);
    });

    it('another 403 (blocked by the user): recorded as blocked; 404: as a chat that is gone', async () => {
      connector.respondWith(() => ({ status: 403, body: { error: { code: 'ConversationBlockedByUser', message: 'User blocked the conversation with the bot.' } } }));
      assert.equal(await notifier.notify('sw-1', planReview), 'unreachable');
      connector.respondWith(() => ({ status: 404, body: { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } } }));
      assert.equal(await notifier.notify('sw-1', planReview), 'unreachable');
      assert.deepEqual(reasons, [['AAD-SW-1', 'blocked'], ['AAD-SW-1', 'conversationGone']]);
    });
  });
});
