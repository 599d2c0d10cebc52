import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cardVerbs } from '../../src/bot/cardActions';
import { ACCESS_LOG_TABLE } from '../../src/storage/accessLog';
import { CASES_TABLE } from '../../src/storage/caseStore';
import { DUE_ITEMS_TABLE } from '../../src/storage/dueItemStore';
import { odataString } from '../../src/storage/tableErrors';
import { executeActivity, installActivity, type TeamsUser } from '../fixtures/activities';
import { alva, concernForm, eva, goran, personalConversation, samir, sara, stina } from '../fixtures/people';
import { plusDays } from '../../src/domain/workdays';
import { findAction, slotSource } from '../helpers/accessWorld';
import { swedishHolidays } from '../../src/services/holidays';
import { stockholmDate } from '../../src/domain/time';
import { startAzurite, type RunningAzurite } from '../helpers/azurite';
import { startHarness, type Harness } from '../helpers/botHarness';
import { startFaultyStore, type FaultyStore } from '../helpers/faultyStore';

/**
 * Every changing card action, with the store failing after each of the store requests the action
 * makes (its turn and the dispatch after it), in turn: the n-th request reaches the store, its
 * answer is lost, and everything after it fails. Then the store comes back, one sweep runs, and:
 * nothing is half-applied, every effect exists exactly once (or not at all), and what the person
 * was told is true. Then the person tries again, as they were told to: still exactly once.
 */

const T0 = Date.parse('2026-11-23T09:00:00+01:00'); // a Monday
/** Each run (set-up, action, sweep, retry) has a quarter of an hour of its own. */
const RUN_MS = 15 * 60_000;
const text = (x: unknown) => JSON.stringify(x);
/** The access-log action each verb's change is logged as (its view afterwards is logged as a read). */
const ACTION_OF: Record<string, string> = {
  'concern.submit': 'raise', 'case.accept': 'accept', 'case.requestInfo': 'requestInfo', 'case.replyInfo': 'replyInfo', 'case.close': 'close',
  'meeting.request': 'bookMeeting', 'meeting.accept': 'answerMeeting', 'meeting.decline': 'answerMeeting', 'meeting.counter': 'answerMeeting',
  'meeting.cancel': 'answerMeeting', 'meeting.reschedule': 'answerMeeting', 'plan.record': 'recordPlan', 'plan.review': 'recordPlan', 'admin.assignSchool': 'reassignSchool', 'digest.nudge': 'nudge',
  'consent.record': 'recordConsent', 'consent.withdraw': 'withdrawConsent', 'case.insats': 'recordInsats', 'case.reassign': 'reassign',
  'case.staff': 'setStaff', 'case.reportMade': 'recordReport', 'away.save': 'setAway',
};

interface Observed {
  /** The change is stored. */
  changed: boolean;
  /** How often each of its effects happened. */
  effects: Record<string, number>;
}

interface Run {
  h: Harness;
  /** The first request of this run's action, in the connector's log. */
  sentFrom: number;
  /** The run's instant (the access-log entries of the action carry it). */
  at: string;
  n: number;
}

interface Scenario<C> {
  verb: string;
  who: TeamsUser;
  /** Brings the world to where the action starts (store up). */
  setup(r: Run): Promise<C>;
  data(c: C, r: Run): Record<string, unknown>;
  /** What the person is told when it worked. */
  success: RegExp;
  observe(c: C, r: Run): Promise<Observed>;
  /** The effects' counts once the change exists (all 0 while it does not). */
  expected: Record<string, number>;
}

describe('a store that fails part-way through any changing action (fault injection)', function () {
  this.timeout(600_000);
  let azurite: RunningAzurite;
  let store: FaultyStore;
  let h: Harness;
  /** Bookable hours, one after the other, on working days (not holidays) from 7 December. */
  const nextSlot = (() => {
    const isHoliday = swedishHolidays();
    const slots = slotSource('2026-12-07');
    return () => {
      for (;;) {
        const slot = slots();
        if (!isHoliday(stockholmDate(new Date(slot)))) return slot;
      }
    };
  })();
  let runs = 0;

  before(async () => {
    azurite = await startAzurite();
    store = await startFaultyStore(azurite.connectionString);
    h = await startHarness({ env: { TABLES_CONNECTION_STRING: store.connectionString }, now: new Date(T0).toISOString(), storeRetry: { maxRetries: 2, retryDelayInMs: 1, maxRetryDelayInMs: 2 },
      // Teams' send limits are paced in real time; here they would only make the suite slow.
      sendLimits: { acquire: async () => {} },
    });
    for (const u of [eva, sara, samir, alva, goran, stina]) await h.post(installActivity(u, h.connector.url));
  });
  after(async () => {
    await h?.stop();
    await store?.stop();
    await azurite?.stop();
  });

  // ---- reading what happened ---------------------------------------------------------------------
  /** Rendering ids of every card given as an answer: a manual action's answer is also put into its message (not an effect). */
  const answers = new Set<string>();
  const post = async (who: TeamsUser, verb: string, data: Record<string, unknown>, replyToId = `card-${randomUUID().slice(0, 8)}`) => {
    const res = await h.post(executeActivity(who, h.connector.url, verb, data, replyToId));
    assert.equal(res.status, 200, `${verb}: HTTP ${res.status}`);
    for (const [, id] of text(res.body).matchAll(/"cardId":"([0-9a-f-]+)"/g)) answers.add(id);
    return res.body;
  };
  const isAnswerCopy = (body: unknown) => [...text(body).matchAll(/"cardId":"([0-9a-f-]+)"/g)].some(([, id]) => answers.has(id));
  const rows = async (table: string, filter: string) => {
    const out: Array<Record<string, any>> = [];
    for await (const e of h.bot.store.table(table).listEntities({ queryOptions: { filter } })) out.push(e);
    return out;
  };
  const caseRow = async (code: string) => (await rows(CASES_TABLE, `PartitionKey eq 'sst-1' and RowKey eq ${odataString(`c|${code}`)}`)).map((r) => JSON.parse(r.data))[0];
  const timeline = async (code: string) => (await rows(CASES_TABLE, `PartitionKey eq 'sst-1' and type eq 'event' and caseCode eq ${odataString(code)}`)).map((r) => JSON.parse(r.data));
  const documents = async (type: 'meeting' | 'plan', code: string) => (await rows(CASES_TABLE, `PartitionKey eq 'sst-1' and type eq '${type}' and caseCode eq ${odataString(code)}`)).map((r) => JSON.parse(r.data));
  /** The action's access-log entries in this run's quarter of an hour (the action, a sweep, a retry). */
  const logged = async (r: Run, verb: string, what: { caseCode?: string; schoolId?: string }) =>
    (await rows(ACCESS_LOG_TABLE, `PartitionKey eq ${odataString(r.at.slice(0, 7))} and RowKey ge ${odataString(r.at)} and RowKey lt ${odataString(new Date(Date.parse(r.at) + RUN_MS).toISOString())} and via eq ${odataString(`card:${verb}`)} and action eq ${odataString(ACTION_OF[verb])} and allowed eq true`)).filter(
      (e) => (what.caseCode === undefined || e.caseCode === what.caseCode) && (what.schoolId === undefined || e.schoolId === what.schoolId),
    ).length;
  /** Stored reminders of a case (case and kind live in the row's data, not in columns). */
  const reminders = async (code: string, kind: string) =>
    (await rows(DUE_ITEMS_TABLE, `PartitionKey ne 'cursor'`)).map((x) => JSON.parse(x.data)).filter((i) => i.caseCode === code && i.kind === kind);
  const dueFor = async (code: string, kind: string) => (await reminders(code, kind)).length;
  /** Messages sent to `who` during this run (method POST = a new card, PUT = a card updated in place) matching `pattern`; answers copied into their message are not counted. */
  const sentTo = (r: Run, who: TeamsUser, method: 'POST' | 'PUT', pattern: RegExp) =>
    h.connector.sent.slice(r.sentFrom).filter((s) => s.conversationId === personalConversation(who) && s.method === method && pattern.test(text(s.body)) && !isAnswerCopy(s.body)).length;
  const unfinished = async () => (await rows(CASES_TABLE, `RowKey ge 'o|' and RowKey lt 'o}' and (status eq 'pending' or status eq 'claimed')`)).length;

  // ---- building blocks for set-ups (store up) -----------------------------------------------------
  const newCase = async (r: Run) => {
    const body = await post(eva, 'concern.submit', { ...concernForm({ summary: `Frånvaro, körning ${r.n}` }), formId: randomUUID() });
    const code = /SST-2026-\d{4}/.exec(text(body))?.[0];
    assert.ok(code, `setup: concern raised: ${text(body).slice(0, 300)}`);
    return code;
  };
  const accepted = async (r: Run) => {
    const code = await newCase(r);
    assert.match(text(await post(sara, 'case.accept', { caseCode: code })), /Du har tagit emot/);
    return code;
  };
  /** A meeting requested by Eva (her card's message `eva-<code>`), waiting for Sara. */
  const requested = async (r: Run, code: string) => {
    const start = nextSlot();
    const card = await post(eva, 'meeting.request', { caseCode: code, type: 'startup', minutes: '60', place: 'school', guardians: 'false', slots: start }, `eva-${code}`);
    const ids = card?.value?.refresh?.action?.data;
    assert.ok(ids?.meetingId, `setup: meeting requested: ${text(card).slice(0, 300)}`);
    return { code, teamId: ids.teamId as string, meetingId: ids.meetingId as string, start };
  };
  /** A confirmed meeting (Sara accepted from her card's message `sara-<code>`). */
  const confirmed = async (r: Run) => {
    const m = await requested(r, await accepted(r));
    assert.match(text(await post(sara, 'meeting.accept', { teamId: m.teamId, meetingId: m.meetingId, start: m.start }, `sara-${m.code}`)), /Bekräftat/);
    return m;
  };

  // ---- the table: every changing card verb -------------------------------------------------------
  const meetingOf = async (c: { code: string; meetingId: string }) => (await documents('meeting', c.code)).find((m) => m.id === c.meetingId);
  const scenarios: Array<Scenario<any>> = [
    {
      verb: 'concern.submit', who: eva,
      setup: async (r) => ({ formId: randomUUID(), summary: `Oro, körning ${r.n}` }),
      data: (c) => ({ ...concernForm({ summary: c.summary }), formId: c.formId }),
      success: /Oron är mottagen/,
      async observe(c, r) {
        const cases = (await rows(CASES_TABLE, `PartitionKey eq 'sst-1' and type eq 'case'`)).map((x) => JSON.parse(x.data)).filter((x) => x.summary === c.summary);
        assert.ok(cases.length <= 1, `${cases.length} cases for one form`);
        const code = cases[0]?.code ?? 'none';
        return {
          changed: cases.length === 1,
          effects: {
            timeline: (await timeline(code)).length,
            log: await logged(r, 'concern.submit', { caseCode: code }),
            cardToSara: sentTo(r, sara, 'POST', new RegExp(`Ny oro från skolan: ${code}`)),
            receipt: sentTo(r, eva, 'PUT', new RegExp(`Oron är mottagen: ${code}.*har fått kortet`)),
            consentReminder: await dueFor(code, 'consentExpiring'),
            inactivityReminder: await dueFor(code, 'inactiveCase'),
          },
        };
      },
      // Consent reminders to both sides: the EHT member who recorded it and the suggested social worker.
      expected: { timeline: 2, log: 1, cardToSara: 1, receipt: 1, consentReminder: 2, inactivityReminder: 1 },
    },
    {
      verb: 'case.accept', who: sara,
      setup: async (r) => ({ code: await newCase(r) }),
      data: (c) => ({ caseCode: c.code }),
      success: /Du har tagit emot/,
      async observe(c, r) {
        return {
          changed: (await caseRow(c.code)).status === 'accepted',
          effects: {
            event: (await timeline(c.code)).filter((e) => e.kind === 'accepted').length,
            log: await logged(r, 'case.accept', { caseCode: c.code }),
            toldEva: sentTo(r, eva, 'POST', new RegExp(`${c.code} har tagits emot av Sara Socionom`)),
          },
        };
      },
      expected: { event: 1, log: 1, toldEva: 1 },
    },
    ...(['requestInfo', 'replyInfo'] as const).map((kind): Scenario<{ code: string; message: string }> => ({
      verb: `case.${kind}`, who: kind === 'requestInfo' ? sara : eva,
      setup: async (r) => ({ code: await newCase(r), message: `Meddelande i körning ${r.n}` }),
      data: (c) => ({ caseCode: c.code, message: c.message }),
      success: /Meddelandet är sparat i ärendet/,
      async observe(c, r) {
        const events = (await timeline(c.code)).filter((e) => e.note === c.message);
        return {
          changed: events.length > 0,
          effects: {
            event: events.length,
            log: await logged(r, `case.${kind}`, { caseCode: c.code }),
            relayed: sentTo(r, kind === 'requestInfo' ? eva : sara, 'POST', new RegExp(c.message)),
          },
        };
      },
      expected: { event: 1, log: 1, relayed: 1 },
    })),
    {
      verb: 'case.close', who: sara,
      setup: async (r) => ({ code: await newCase(r) }),
      data: (c) => ({ caseCode: c.code, outcome: 'other', sameSchool: 'yes', absenceValid: '4', absenceInvalid: '2' }),
      success: /är avslutat/,
      async observe(c, r) {
        return {
          changed: (await caseRow(c.code)).status === 'closed',
          effects: { event: (await timeline(c.code)).filter((e) => e.kind === 'closed').length, log: await logged(r, 'case.close', { caseCode: c.code }) },
        };
      },
      expected: { event: 1, log: 1 },
    },
    {
      verb: 'meeting.request', who: eva,
      setup: async (r) => ({ code: await newCase(r), start: nextSlot() }),
      data: (c) => ({ caseCode: c.code, type: 'startup', minutes: '60', place: 'school', guardians: 'false', slots: c.start }),
      success: /Väntar på svar från Sara Socionom/,
      async observe(c, r) {
        const meetings = await documents('meeting', c.code);
        return {
          changed: meetings.length > 0,
          effects: {
            meetings: meetings.length,
            log: await logged(r, 'meeting.request', { caseCode: c.code }),
            cardToSara: sentTo(r, sara, 'POST', new RegExp(`${c.code}`)),
            duplicateToEva: sentTo(r, eva, 'POST', new RegExp(`${c.code}`)),
          },
        };
      },
      expected: { meetings: 1, log: 1, cardToSara: 1, duplicateToEva: 0 },
    },
    {
      verb: 'meeting.accept', who: sara,
      setup: async (r) => requested(r, await accepted(r)),
      data: (c) => ({ teamId: c.teamId, meetingId: c.meetingId, start: c.start }),
      success: /Bekräftat/,
      async observe(c, r) {
        const confirmedNow = (await meetingOf(c))?.status === 'confirmed';
        const active = (await caseRow(c.code)).status === 'active';
        assert.equal(active, confirmedNow, 'the meeting and the case moved together');
        return {
          changed: confirmedNow,
          effects: {
            log: await logged(r, 'meeting.accept', { caseCode: c.code }),
            evasCardUpdated: sentTo(r, eva, 'PUT', new RegExp(`${c.code}.*Bekräftat`)),
            reminders: await dueFor(c.code, 'meetingTomorrow'),
          },
        };
      },
      expected: { log: 1, evasCardUpdated: 1, reminders: 2 },
    },
    {
      verb: 'meeting.decline', who: sara,
      setup: async (r) => requested(r, await newCase(r)),
      data: (c) => ({ teamId: c.teamId, meetingId: c.meetingId, reason: 'Krockar' }),
      success: /Avböjt/,
      async observe(c, r) {
        return {
          changed: (await meetingOf(c))?.status === 'declined',
          effects: { log: await logged(r, 'meeting.decline', { caseCode: c.code }), evasCardUpdated: sentTo(r, eva, 'PUT', new RegExp(`${c.code}.*Avböjt`)) },
        };
      },
      expected: { log: 1, evasCardUpdated: 1 },
    },
    {
      verb: 'meeting.counter', who: sara,
      setup: async (r) => ({ ...(await requested(r, await newCase(r))), other: nextSlot() }),
      data: (c) => ({ teamId: c.teamId, meetingId: c.meetingId, slots: c.other }),
      success: /Väntar på svar från Eva Kurator/,
      async observe(c, r) {
        return {
          changed: (await meetingOf(c))?.awaiting === 'eht',
          effects: { log: await logged(r, 'meeting.counter', { caseCode: c.code }), evasCardUpdated: sentTo(r, eva, 'PUT', new RegExp(`${c.code}`)) },
        };
      },
      expected: { log: 1, evasCardUpdated: 1 },
    },
    {
      verb: 'meeting.cancel', who: eva,
      setup: confirmed,
      data: (c) => ({ teamId: c.teamId, meetingId: c.meetingId }),
      success: /Inställt/,
      async observe(c, r) {
        return {
          changed: (await meetingOf(c))?.status === 'cancelled',
          effects: { log: await logged(r, 'meeting.cancel', { caseCode: c.code }), sarasCardUpdated: sentTo(r, sara, 'PUT', new RegExp(`${c.code}.*Inställt`)) },
        };
      },
      expected: { log: 1, sarasCardUpdated: 1 },
    },
    {
      verb: 'meeting.reschedule', who: eva,
      setup: async (r) => ({ ...(await confirmed(r)), other: nextSlot() }),
      data: (c) => ({ teamId: c.teamId, meetingId: c.meetingId, slots: c.other }),
      success: /Väntar på svar från Sara Socionom/,
      async observe(c, r) {
        return {
          changed: (await meetingOf(c))?.status === 'proposed',
          effects: { log: await logged(r, 'meeting.reschedule', { caseCode: c.code }), sarasCardUpdated: sentTo(r, sara, 'PUT', new RegExp(`${c.code}`)) },
        };
      },
      expected: { log: 1, sarasCardUpdated: 1 },
    },
    {
      verb: 'plan.record', who: sara,
      setup: async (r) => ({ code: await accepted(r) }),
      data: (c) => ({ caseCode: c.code, type: 'implementation', goals: 'Närvaro över 90 %', responsible: 'mentor – följer upp', reviewDate: '2026-12-15' }),
      success: /Planen är sparad/,
      async observe(c, r) {
        const plans = await documents('plan', c.code);
        assert.equal((await caseRow(c.code)).status === 'active', plans.length > 0, 'the plan and the case moved together');
        return {
          changed: plans.length > 0,
          effects: { plans: plans.length, log: await logged(r, 'plan.record', { caseCode: c.code }), reviewReminders: await dueFor(c.code, 'planReview') },
        };
      },
      expected: { plans: 1, log: 1, reviewReminders: 4 },
    },
    {
      verb: 'plan.review', who: sara,
      async setup(r) {
        const code = await accepted(r);
        const card = await post(sara, 'plan.record', { caseCode: code, type: 'implementation', goals: 'Närvaro över 90 %', responsible: 'mentor – följer upp', reviewDate: '2026-12-15' });
        const review = findAction(card?.value, 'plan.review');
        assert.ok(review, `setup: plan recorded: ${text(card).slice(0, 300)}`);
        return { code, ...review.data };
      },
      data: (c) => ({ teamId: c.teamId, planId: c.planId, date: c.date, outcome: 'done', nextDate: '2027-02-10', absenceValid: '6', absenceInvalid: '3', goal1: 'partly', goal2: 'reached' }),
      success: /Uppföljningen är registrerad/,
      async observe(c, r) {
        const [plan] = await documents('plan', c.code);
        return {
          changed: plan.reviews[0].status === 'done',
          effects: {
            next: plan.reviews.filter((x: { date: string }) => x.date === '2027-02-10').length,
            log: await logged(r, 'plan.review', { caseCode: c.code }),
            nextReminders: (await reminders(c.code, 'planReview')).filter((i) => i.ref.review === '2027-02-10').length,
          },
        };
      },
      expected: { next: 1, log: 1, nextReminders: 4 },
    },
    {
      // The group leader's "Påminn" on a concern nobody has accepted: a card to Sara, once (once a day: a retry is the same nudge).
      verb: 'digest.nudge', who: goran,
      setup: async (r) => ({ code: await newCase(r) }),
      data: (c) => ({ about: 'accept', caseCode: c.code }),
      success: /Påminnelsen om SST-2026-\d{4} är sparad och går till Sara Socionom|Du har redan påmint Sara Socionom/,
      async observe(c, r) {
        const events = (await timeline(c.code)).filter((e) => e.kind === 'nudged');
        return {
          changed: events.length > 0,
          effects: { event: events.length, log: await logged(r, 'digest.nudge', { caseCode: c.code }), cardToSara: sentTo(r, sara, 'POST', new RegExp(`påminner om ${c.code}`)) },
        };
      },
      expected: { event: 1, log: 1, cardToSara: 1 },
    },
    {
      // The guardians' consent renewed by the school (a new expiry): the social worker is told, the reminders follow it.
      verb: 'consent.record', who: eva,
      setup: async (r) => ({ code: await accepted(r) }),
      data: (c) => ({ caseCode: c.code, custody: 'joint', vh1How: 'written', vh2How: 'oral', consentScope: 'Samverkan kring frånvaro', consentExpires: '2027-06-01', childView: 'asked' }),
      success: /Samtycket är sparat och gäller till och med 2027-06-01/,
      async observe(c, r) {
        const renewed = (await caseRow(c.code)).consent?.expires === '2027-06-01';
        return {
          changed: renewed,
          effects: {
            event: (await timeline(c.code)).filter((e) => e.kind === 'consentRenewed').length,
            log: await logged(r, 'consent.record', { caseCode: c.code }),
            toldSara: sentTo(r, sara, 'POST', new RegExp(`Samtycket är förnyat: ${c.code}`)),
            reminders: (await reminders(c.code, 'consentExpiring')).filter((i) => i.ref.expires === '2027-06-01').length + (await reminders(c.code, 'consentExpired')).filter((i) => i.ref.expires === '2027-06-01').length,
          },
        };
      },
      expected: { event: 1, log: 1, toldSara: 1, reminders: 4 },
    },
    {
      // The guardians withdraw their consent; the social worker records it and the school is told.
      verb: 'consent.withdraw', who: sara,
      setup: async (r) => ({ code: await accepted(r) }),
      data: (c) => ({ caseCode: c.code }),
      success: /Samtycket för SST-2026-\d{4} är återkallat|Samtycket är redan återkallat/,
      async observe(c, r) {
        return {
          changed: Boolean((await caseRow(c.code)).consent?.withdrawnAt),
          effects: {
            event: (await timeline(c.code)).filter((e) => e.kind === 'consentWithdrawn').length,
            log: await logged(r, 'consent.withdraw', { caseCode: c.code }),
            toldEva: sentTo(r, eva, 'POST', new RegExp(`Samtycket är återkallat: ${c.code}`)),
          },
        };
      },
      expected: { event: 1, log: 1, toldEva: 1 },
    },
    {
      verb: 'case.insats', who: sara,
      setup: async (r) => ({ code: await accepted(r) }),
      data: (c) => ({ caseCode: c.code, insatsForm: 'service', insatsKind: 'family', insatsStart: '2026-11-23', intensiveUntil: '2027-02-14' }),
      success: /Insatsen är sparad/,
      async observe(c, r) {
        const now = await caseRow(c.code);
        assert.equal(now.status === 'active', now.insats !== undefined, 'the insats and the case moved together');
        return {
          changed: now.insats !== undefined,
          effects: {
            event: (await timeline(c.code)).filter((e) => e.kind === 'insatsRecorded').length,
            log: await logged(r, 'case.insats', { caseCode: c.code }),
            reminder: await dueFor(c.code, 'intensiveEnding'),
          },
        };
      },
      expected: { event: 1, log: 1, reminder: 1 },
    },
    {
      // Handläggarbyte (here: a concern nobody took, given to Samir): Samir, Sara and the school are told; the intake's clock starts again.
      verb: 'case.reassign', who: goran,
      setup: async (r) => {
        const code = await newCase(r);
        h.clock.advance(60_000); // given to Samir a minute after it was raised: the intake's clock starts again from then
        return { code };
      },
      data: (c) => ({ caseCode: c.code, to: 'sw-2' }),
      success: /SST-2026-\d{4} är (nu|redan) Samir Socionoms/,
      async observe(c, r) {
        return {
          changed: (await caseRow(c.code)).assignedTo === 'sw-2',
          effects: {
            event: (await timeline(c.code)).filter((e) => e.kind === 'reassigned').length,
            log: await logged(r, 'case.reassign', { caseCode: c.code }),
            cardToSamir: sentTo(r, samir, 'POST', new RegExp(`Ärende till dig: ${c.code}`)),
            toldSara: sentTo(r, sara, 'POST', new RegExp(`${c.code} har fått ny handläggare`)),
            toldEva: sentTo(r, eva, 'POST', new RegExp(`Ny handläggare för ${c.code}`)),
            escalation: (await reminders(c.code, 'unclaimedConcern')).length - 1,
            inactivity: (await reminders(c.code, 'inactiveCase')).filter((i) => i.recipientId === 'sw-2').length,
          },
        };
      },
      expected: { event: 1, log: 1, cardToSamir: 1, toldSara: 1, toldEva: 1, escalation: 1, inactivity: 1 },
    },
    {
      verb: 'case.staff', who: sara,
      setup: async (r) => ({ code: await accepted(r) }),
      data: (c) => ({ caseCode: c.code, staff: 'st-1' }),
      success: /Sparat\. De som lades till får besked|Inget ändrades/,
      async observe(c, r) {
        return {
          changed: ((await caseRow(c.code)).staff ?? []).includes('st-1'),
          effects: {
            event: (await timeline(c.code)).filter((e) => e.kind === 'staffChanged').length,
            log: await logged(r, 'case.staff', { caseCode: c.code }),
            toldStina: sentTo(r, stina, 'POST', new RegExp(`Du tar del i ${c.code}`)),
          },
        };
      },
      expected: { event: 1, log: 1, toldStina: 1 },
    },
    {
      verb: 'case.reportMade', who: eva,
      setup: async (r) => ({ code: await newCase(r) }),
      data: (c) => ({ caseCode: c.code, reportDate: '2026-11-20' }),
      success: /Datumet för orosanmälan är sparat/,
      async observe(c, r) {
        const events = (await timeline(c.code)).filter((e) => e.kind === 'reportMade');
        return { changed: events.length > 0, effects: { event: events.length, log: await logged(r, 'case.reportMade', { caseCode: c.code }) } };
      },
      expected: { event: 1, log: 1 },
    },
    {
      // Last: it changes who Rydskolan's concerns go to.
      verb: 'admin.assignSchool', who: alva,
      setup: async (r) => ({ to: r.n % 2 === 0 ? 'sw-2' : 'sw-1', name: r.n % 2 === 0 ? 'Samir Socionom' : 'Sara Socionom' }),
      data: (c) => ({ schoolId: 'ryd', socialWorkerId: c.to }),
      success: /har nu (Samir|Sara) Socionom som socialsekreterare/,
      async observe(c, r) {
        const school = (await rows('roster', `PartitionKey eq 'roster' and RowKey eq 'school|ryd'`)).map((x) => JSON.parse(x.data))[0];
        return {
          changed: school.socialWorker === c.to,
          effects: { log: await logged(r, 'admin.assignSchool', { schoolId: 'ryd' }), toldEva: sentTo(r, eva, 'POST', new RegExp(`${c.name}`)) },
        };
      },
      expected: { log: 1, toldEva: 1 },
    },
    {
      // After assignSchool (Samir away would change where concerns go): Samir marks himself away; the group leader is told.
      verb: 'away.save', who: samir,
      setup: async (r) => {
        const from = stockholmDate(h.clock.now());
        return { from, until: plusDays(from, (r.n % 20) + 1) };
      },
      data: (c) => ({ op: 'set', awayFrom: c.from, awayUntil: c.until }),
      success: /Sparat: du är borta/,
      async observe(c, r) {
        const row = (await rows('roster', `PartitionKey eq 'roster' and RowKey eq 'away|sw-2'`)).map((x) => JSON.parse(x.data))[0];
        return {
          changed: row?.until === c.until && row?.from === c.from,
          effects: { log: await logged(r, 'away.save', {}), toldGoran: sentTo(r, goran, 'POST', new RegExp(`Samir Socionom är borta ${c.from} till och med ${c.until}`)) },
        };
      },
      expected: { log: 1, toldGoran: 1 },
    },
  ];

  it('a failing conversation-reference table (bookkeeping for proactive cards) does not cost the person the turn', async () => {
    h.clock.set(new Date(T0));
    store.failTable('conversationRefs');
    try {
      const told = text(await post(eva, 'concern.submit', { ...concernForm({ summary: 'Bokföringen fallerar' }), formId: randomUUID() }));
      assert.match(told, /Oron är mottagen/);
    } finally {
      store.restore();
    }
    await h.bot.tick();
    await h.bot.settle();
  });

  it('covers every card verb that changes something, and nothing else', () => {
    const changing = [...cardVerbs].filter(([, v]) => v.changes).map(([verb]) => verb).sort();
    assert.deepEqual(scenarios.map((s) => s.verb).sort(), changing);
  });

  for (const s of scenarios) {
    it(`${s.verb}: exactly once, whatever store request fails, and the person is told the truth`, async () => {
      const begin = async (): Promise<Run> => {
        const n = ++runs;
        h.clock.set(new Date(T0 + n * RUN_MS));
        return { h, n, sentFrom: 0, at: '' };
      };
      /** The action with the store failing after `failAfter` of its requests (undefined: never); returns what the person was told. */
      const attempt = async (failAfter: number | undefined) => {
        const r = await begin();
        const c = await s.setup(r);
        await h.bot.settle();
        r.sentFrom = h.connector.sent.length;
        r.at = h.clock.now().toISOString();
        const replyToId = `act-${r.n}`;
        store.mark();
        if (failAfter !== undefined) store.failAfter(failAfter);
        const told = text(await post(s.who, s.verb, s.data(c, r), replyToId));
        await h.bot.settle();
        const requests = store.count();
        store.restore();
        return { r, c, told, requests, replyToId };
      };
      /** The store is back: time passes beyond any claim, one sweep runs. */
      const sweep = async (r: Run) => {
        h.clock.set(new Date(T0 + r.n * RUN_MS + 11 * 60_000));
        await h.bot.tick();
        await h.bot.settle();
      };
      const zeros = Object.fromEntries(Object.keys(s.expected).map((k) => [k, 0]));

      // Without a fault: the action's store requests, and the effects it must have.
      const clean = await attempt(undefined);
      assert.match(clean.told, s.success, `${s.verb} works without a fault`);
      await sweep(clean.r);
      assert.deepEqual(await s.observe(clean.c, clean.r), { changed: true, effects: s.expected }, `${s.verb} without a fault`);
      assert.equal(await unfinished(), 0);

      for (let failAfter = 0; failAfter <= clean.requests; failAfter++) {
        const { r, c, told, replyToId } = await attempt(failAfter);
        const where = `${s.verb}, store failing after request ${failAfter} of ${clean.requests}`;
        const kind = s.success.test(told) || /Det är sparat/.test(told) ? 'success' : /Inget har sparats/.test(told) ? 'notSaved' : /vet inte om det gick igenom/.test(told) ? 'unknown' : 'other';
        assert.notEqual(kind, 'other', `${where}: unexpected answer ${told.slice(0, 400)}`);
        await sweep(r);
        const after = await s.observe(c, r);
        if (kind === 'success') assert.equal(after.changed, true, `${where}: told it worked, but nothing is stored`);
        if (kind === 'notSaved') assert.equal(after.changed, false, `${where}: told "nothing was saved", but it was`);
        assert.deepEqual(after.effects, after.changed ? s.expected : zeros, `${where} (told: ${kind})`);
        assert.equal(await unfinished(), 0, `${where}: effects left unfinished after the sweep`);

        // The person tries again, with the same card: it applies once, and now says so.
        r.sentFrom = Math.min(r.sentFrom, h.connector.sent.length);
        const again = text(await post(s.who, s.verb, s.data(c, r), replyToId));
        assert.match(again, s.success, `${where}: the retry`);
        await sweep(r);
        assert.deepEqual(await s.observe(c, r), { changed: true, effects: s.expected }, `${where}: after the retry`);
      }
    });
  }
});
