import assert from 'node:assert/strict';
import { executeActivity, installActivity, messageActivity, submitActivity, TENANT_ID, type TeamsUser } from '../fixtures/activities';
import { alva, concernForm, eva, goran, personalConversation, sara } from '../fixtures/people';
import { MARKERS, seedWorld, slotSource, tableRows, writeTwoTeamRoster, type World } from '../helpers/accessWorld';
import { startHarness, type Harness } from '../helpers/botHarness';
import { CARD_VERBS } from '../../src/bot/cards/verbs';
import { translator } from '../../src/bot/i18n';

const POINTER = translator('sv-SE')('channel.noCaseData');
const ALL_MARKERS = new RegExp([...Object.values(MARKERS.R), ...Object.values(MARKERS.B), 'PLANTED-[A-Z]+'].join('|'));
const TABLES = ['cases', 'accessLog', 'conversationRefs', 'activityIds', 'botState', 'dueItems', 'downloads'];

/** Every row of the tables a turn can write, to prove a refused turn wrote nothing. */
async function snapshot(h: Harness): Promise<string> {
  const out: string[] = [];
  for (const t of TABLES) for (const row of await tableRows(h, t)) out.push(`${t}:${row.partitionKey}/${row.rowKey}:${String(row.etag ?? '')}`);
  return out.sort().join('\n');
}

/** Where a card action can come from besides the personal chat. */
const PLACES: Array<[string, (a: Record<string, any>) => Record<string, any>]> = [
  ['a team channel', (a) => ({ ...a, conversation: { id: '19:ch@thread.tacv2', conversationType: 'channel', isGroup: true, tenantId: TENANT_ID }, channelData: { tenant: { id: TENANT_ID }, team: { id: '19:team@thread.tacv2' }, channel: { id: '19:ch@thread.tacv2' } } })],
  ['a group chat', (a) => ({ ...a, conversation: { id: '19:gc@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId: TENANT_ID } })],
  ['a meeting chat', (a) => ({ ...a, conversation: { id: '19:meeting_abc@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId: TENANT_ID } })],
  ['a channel whose activity lacks conversationType', (a) => ({ ...a, conversation: { id: '19:ch@thread.tacv2', tenantId: TENANT_ID }, channelData: { tenant: { id: TENANT_ID }, team: { id: '19:team@thread.tacv2' }, channel: { id: '19:ch@thread.tacv2' } } })],
  ['a "personal" activity with a thread id (tampered)', (a) => ({ ...a, conversation: { id: '19:ch@thread.tacv2', conversationType: 'personal', tenantId: TENANT_ID } })],
];

describe('case data only in personal chats: card actions from channels and group chats', function () {
  this.timeout(120_000);
  let h: Harness;
  let w: World;

  before(async () => {
    h = await startHarness({ env: { ROSTER_FILE: writeTwoTeamRoster() } });
    w = await seedWorld(h, slotSource());
  });
  after(async () => h?.stop());

  /** Each verb with its rightful actor and data, as the personal-chat cards send them, markers planted in every text. */
  const actions = (): Array<[string, TeamsUser, Record<string, unknown>]> => {
    const R = w.R;
    const meeting = { teamId: R.teamId, meetingId: R.meetingId };
    return [
      ['case.list', eva, {}],
      ['case.open', eva, { caseCode: R.code }],
      ['case.accept', sara, { caseCode: R.code }],
      ['case.requestInfo', sara, { caseCode: R.code, message: 'PLANTED-QUESTION' }],
      ['case.replyInfo', eva, { caseCode: R.code, message: 'PLANTED-ANSWER' }],
      ['case.close', sara, { caseCode: R.code, outcome: 'attendanceImproved', sameSchool: 'yes', absenceValid: '4', absenceInvalid: '2' }],
      ['meeting.form', eva, { caseCode: R.code }],
      ['meeting.request', eva, { caseCode: R.code, type: 'startup', minutes: '60', place: 'school', guardians: 'false', slots: '2026-12-01T09:00:00.000Z' }],
      ['meeting.accept', sara, { ...meeting, start: '2026-12-01T09:00:00.000Z' }],
      ['meeting.decline', sara, { ...meeting, reason: 'PLANTED-REASON' }],
      ['meeting.counter', sara, { ...meeting, slots: '2026-12-02T09:00:00.000Z' }],
      ['meeting.cancel', eva, meeting],
      ['meeting.reschedule', eva, { ...meeting, slots: '2026-12-03T09:00:00.000Z' }],
      ['meeting.refresh', sara, meeting],
      ['meeting.open', sara, meeting],
      ['digest.nudge', goran, { about: 'meeting', caseCode: R.code, meetingId: R.meetingId }],
      ['nav.open', eva, { command: 'myCases' }],
      ['plan.list', sara, { caseCode: R.code }],
      ['plan.record', sara, { caseCode: R.code, type: 'implementation', goals: 'PLANTED-GOAL', responsible: 'mentor – PLANTED-RESP', reviewDate: '2027-01-20' }],
      ['plan.review', sara, { teamId: R.teamId, planId: R.planId, date: R.planReviewDate, outcome: 'done', nextDate: '2027-01-20', absenceValid: '6', absenceInvalid: '3', goal1: 'partly', goal2: 'reached' }],
      ['concern.submit', eva, concernForm({ summary: 'PLANTED-SUMMARY', schoolRef: 'PLANTED-REF' })],
      ['report.show', goran, { preset: 'year' }],
      ['audit.export', alva, { from: '2026-11-01', to: '2026-11-30' }],
      ['admin.assignSchool', alva, { schoolId: 'ryd', socialWorkerId: 'sw-2' }],
      ['consent.record', eva, { caseCode: R.code, custody: 'sole', vh1How: 'written', consentScope: 'PLANTED-SCOPE', consentExpires: '2027-06-01', childView: 'asked', childViewNote: 'PLANTED-CHILD', schoolRef: 'PLANTED-REF2' }],
      ['consent.withdraw', eva, { caseCode: R.code }],
      ['case.insats', sara, { caseCode: R.code, insatsForm: 'service', insatsKind: 'family', insatsStart: '2026-11-23', intensiveUntil: '2027-02-14' }],
      ['case.reassign', goran, { caseCode: R.code, to: 'sw-2' }],
      ['case.staff', sara, { caseCode: R.code, staff: 'st-1' }],
      ['case.reportMade', eva, { caseCode: R.code, reportDate: '2026-11-20' }],
      ['away.save', sara, { op: 'set', awayFrom: '2026-11-23', awayUntil: '2026-11-27' }],
    ];
  };

  it('covers every card verb the bot handles', () => {
    assert.deepEqual(actions().map(([verb]) => verb).sort(), [...CARD_VERBS].sort());
  });

  it('shows the markers in the personal chat (so their absence below means something)', async () => {
    const res = await h.post(executeActivity(eva, h.connector.url, 'case.open', { caseCode: w.R.code }));
    assert.match(JSON.stringify(res.body), new RegExp(`${MARKERS.R.summary}.*${MARKERS.R.ref}|${MARKERS.R.ref}.*${MARKERS.R.summary}`));
  });

  for (const [place, into] of PLACES) {
    it(`answers every verb, as Action.Execute and as Action.Submit, from ${place} with only the personal-chat pointer`, async () => {
      const before = await snapshot(h);
      const logsFrom = h.logs.length;
      const problems: string[] = [];
      for (const [verb, who, data] of actions()) {
        // Action.Execute: the answer is the invoke response.
        h.connector.clear();
        const executed = await h.post(into(executeActivity(who, h.connector.url, verb, data)));
        const answer = executed.body;
        if (executed.status !== 200 || answer?.type !== 'application/vnd.microsoft.activity.message' || answer?.value !== POINTER) {
          problems.push(`Execute ${verb}: HTTP ${executed.status} ${JSON.stringify(answer).slice(0, 160)}`);
        }
        if (h.connector.sent.length > 0) problems.push(`Execute ${verb}: sent ${h.connector.sent.length} activities`);
        // Action.Submit: a message with value and no text; the answer is one message into that conversation.
        h.connector.clear();
        const submitted = await h.post(into(submitActivity(who, h.connector.url, { verb, ...data }, 'card-msg-1')));
        const sent = h.connector.sent;
        if (submitted.status !== 200) problems.push(`Submit ${verb}: HTTP ${submitted.status}`);
        if (sent.length !== 1 || sent[0].body?.text !== POINTER || sent[0].body?.attachments?.length || sent[0].method !== 'POST') {
          problems.push(`Submit ${verb}: ${sent.length} sent: ${JSON.stringify(sent.map((s) => [s.method, s.body?.text, s.body?.attachments?.length])).slice(0, 200)}`);
        }
        if (ALL_MARKERS.test(h.connector.everythingSent())) problems.push(`Submit ${verb}: a marker was sent`);
      }
      if (problems.length > 0) assert.fail(`${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
      assert.equal(await snapshot(h), before, 'nothing read into the access log, stored, remembered or de-duplicated');
      assert.doesNotMatch(h.logs.slice(logsFrom).join('\n'), ALL_MARKERS);
    });
  }

  it('never stores a channel or group chat as a person\'s conversation reference (only the personal chat)', async () => {
    const fresh = await startHarness();
    try {
      const refs = async () => (await tableRows(fresh, 'conversationRefs')).map((r) => JSON.stringify(r));
      for (const [place, into] of PLACES) {
        await fresh.post(into(messageActivity(sara, fresh.connector.url, 'mina ärenden')));
        await fresh.post(into(messageActivity(sara, fresh.connector.url, 'hjälp')));
        await fresh.post(into(executeActivity(sara, fresh.connector.url, 'case.list', {})));
        await fresh.post(into({ ...installActivity(sara, fresh.connector.url) }));
        assert.deepEqual(await refs(), [], `after activities from ${place}`);
      }
      await fresh.post(messageActivity(sara, fresh.connector.url, 'hjälp'));
      const stored = await refs();
      assert.equal(stored.length, 1);
      assert.match(stored[0], new RegExp(personalConversation(sara).replace(/[:]/g, '.')));
      assert.doesNotMatch(stored[0], /19:/);
    } finally {
      await fresh.stop();
    }
  });
});

describe('tenant: both fields strings that agree, on the allow-list; otherwise refused silently and logged', () => {
  let h: Harness;
  const OTHER = '99999999-9999-9999-9999-999999999999';
  before(async () => {
    h = await startHarness({ env: { ALLOWED_TENANTS: TENANT_ID } });
    await h.post(installActivity(eva, h.connector.url));
    await h.post(executeActivity(eva, h.connector.url, 'concern.submit', concernForm({ summary: 'Frånvaro TENANT-MARKER' })));
  });
  after(async () => h?.stop());

  const variants: Array<[string, (a: Record<string, any>) => Record<string, any>]> = [
    ['channelData.tenant.id a number', (a) => ({ ...a, channelData: { tenant: { id: 42 } } })],
    ['channelData.tenant.id an object', (a) => ({ ...a, channelData: { tenant: { id: { toLowerCase: 1 } } } })],
    ['conversation.tenantId a number', (a) => ({ ...a, conversation: { ...a.conversation, tenantId: 42 } })],
    ['conversation.tenantId null', (a) => ({ ...a, conversation: { ...a.conversation, tenantId: null } })],
    ['channelData.tenant a string', (a) => ({ ...a, channelData: { tenant: TENANT_ID } })],
    ['channelData.tenant null', (a) => ({ ...a, channelData: { tenant: null } })],
    ['the allowed tenant in conversation, another in channelData', (a) => ({ ...a, channelData: { tenant: { id: OTHER } } })],
    ['another tenant in conversation, the allowed one in channelData', (a) => ({ ...a, conversation: { ...a.conversation, tenantId: OTHER } })],
    ['no tenant at all', (a) => ({ ...a, conversation: { ...a.conversation, tenantId: undefined }, channelData: {} })],
    ['another tenant in both', (a) => ({ ...a, conversation: { ...a.conversation, tenantId: OTHER }, channelData: { tenant: { id: OTHER } } })],
  ];

  for (const [label, patch] of variants) {
    it(`refuses ${label}: 200, nothing sent, nothing stored, one log line`, async () => {
      const before = await snapshot(h);
      h.connector.clear();
      const logsFrom = h.logs.length;
      const message = await h.post(patch(messageActivity(eva, h.connector.url, 'mina ärenden')));
      const invoke = await h.post(patch(executeActivity(eva, h.connector.url, 'case.open', { caseCode: 'SST-2026-0001' })));
      assert.equal(message.status, 200);
      assert.equal(invoke.status, 200);
      assert.equal(invoke.body, undefined, `an empty invoke answer, got ${JSON.stringify(invoke.body)}`);
      assert.equal(h.connector.sent.length, 0, 'nothing sent');
      assert.equal(await snapshot(h), before, 'nothing stored');
      const lines = h.logs.slice(logsFrom).filter((l) => /tenant/.test(JSON.parse(l).msg ?? ''));
      assert.equal(lines.length, 2, `one line per refused activity: ${lines.join('')}`);
      assert.ok(h.logs.slice(logsFrom).every((l) => JSON.parse(l).level < 50), 'no error logged');
      assert.doesNotMatch(h.logs.slice(logsFrom).join(''), /TENANT-MARKER|"stack"/);
    });
  }

  it('serves the allowed tenant named in either field, or in both in any letter case', async () => {
    for (const patch of [
      (a: Record<string, any>) => a,
      (a: Record<string, any>) => ({ ...a, conversation: { ...a.conversation, tenantId: undefined } }),
      (a: Record<string, any>) => ({ ...a, channelData: {} }),
      (a: Record<string, any>) => ({ ...a, conversation: { ...a.conversation, tenantId: TENANT_ID.toUpperCase() } }),
    ]) {
      const res = await h.post(patch(executeActivity(eva, h.connector.url, 'case.open', { caseCode: 'SST-2026-0001' })));
      assert.match(JSON.stringify(res.body), /TENANT-MARKER/);
    }
  });

  it('refuses a malformed or disagreeing tenant even without ALLOWED_TENANTS (local mode)', async () => {
    const local = await startHarness();
    try {
      await local.post(installActivity(eva, local.connector.url));
      local.connector.clear();
      for (const [, patch] of variants.slice(0, 8)) {
        const res = await local.post(patch(messageActivity(eva, local.connector.url, 'mina ärenden')));
        assert.equal(res.status, 200);
      }
      assert.equal(local.connector.sent.length, 0);
    } finally {
      await local.stop();
    }
  });
});
