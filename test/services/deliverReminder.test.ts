import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { manualClock, type ManualClock } from '../../src/domain/clock';
import type { Case } from '../../src/domain/concern';
import { digestCodes } from '../../src/domain/digest';
import type { Meeting } from '../../src/domain/meeting';
import { recordReview, type Plan } from '../../src/domain/plan';
import type { Notification, Notifier } from '../../src/domain/ports';
import { consentReminders, digestItem, escalationItem, inactivityReminder, intensiveReminders, meetingReminders, planReminders, yearlyReportReminder, type DueItem } from '../../src/domain/reminders';
import type { Roster } from '../../src/domain/roster';
import { createLogger } from '../../src/logger';
import { createScheduler } from '../../src/scheduler/tick';
import { deliverReminder, type DeliveryDeps } from '../../src/services/deliverReminder';
import { swedishHolidays } from '../../src/services/holidays';
import { reminderScheduler } from '../../src/services/reminderScheduler';
import { tableAccessLog } from '../../src/storage/accessLog';
import { CASES_TABLE, tableCaseStore } from '../../src/storage/caseStore';
import { tableChangeStore } from '../../src/storage/changeStore';
import { tableCodeAllocator } from '../../src/storage/codeAllocator';
import { DUE_ITEMS_TABLE, tableDueItemStore } from '../../src/storage/dueItemStore';
import { tableMeetingStore } from '../../src/storage/meetingStore';
import { tablePlanStore } from '../../src/storage/planStore';
import { ROSTER_TABLE, tableRosterStore } from '../../src/storage/rosterStore';
import type { TableStore } from '../../src/storage/tables';
import { locationOf, tableOutboxStore } from '../../src/storage/outbox';
import { seeder } from '../helpers/seed';
import { startAzurite, type RunningAzurite } from '../helpers/azurite';
import { isolatedTableStore } from '../helpers/tableStore';

const isHoliday = swedishHolidays();
const ROSTER = JSON.parse(readFileSync(join(__dirname, '../../roster.example.json'), 'utf8')) as Roster; // team sst-1: gl-1, sw-1, sw-2, eht-1 (ryd), eht-2 (berga)
const LONG_AGO = new Date('2026-01-01T00:00:00Z');
const MARKER = 'MARKER-DELIVER-5c1e';

function aCase(code: string, overrides: Partial<Case> = {}): Case {
  const t0 = '2026-11-02T09:00:00.000Z';
  return {
    code, teamId: 'sst-1', schoolId: 'ryd', grade: '7', category: 'absence', absenceBand: '20to50', summary: `Frånvaro ${MARKER}`,
    consent: { scope: 'Samverkan kring frånvaro', expires: '2027-01-31', recordedBy: 'eht-1', recordedAt: t0 },
    status: 'active', raisedBy: 'eht-1', assignedTo: 'sw-1', createdAt: t0, updatedAt: t0, lastActivityAt: t0,
    ...overrides,
  };
}

function aPlan(overrides: Partial<Plan> = {}): Plan {
  return {
    id: 'plan-1', caseCode: 'SST-2026-0001', teamId: 'sst-1', schoolId: 'ryd', type: 'implementation', goals: [`Mål ${MARKER}`], responsibilities: [],
    reviews: [{ date: '2026-12-10', status: 'planned' }], status: 'active', ownerId: 'sw-1', ehtContactId: 'eht-1',
    createdAt: '2026-11-02T09:00:00.000Z', updatedAt: '2026-11-02T09:00:00.000Z',
    ...overrides,
  };
}

function aMeeting(overrides: Partial<Meeting> = {}): Meeting {
  return {
    id: 'mtg-1', caseCode: 'SST-2026-0001', teamId: 'sst-1', schoolId: 'ryd', type: 'sip', minutes: 60, place: 'school', guardiansAttending: true,
    ehtId: 'eht-1', socialWorkerId: 'sw-1', status: 'confirmed', proposals: [], awaiting: 'socialWorker', start: '2026-11-30T08:00:00.000Z',
    icsToken: 'tok', version: 2, createdAt: '2026-11-02T09:00:00.000Z', updatedAt: '2026-11-02T09:00:00.000Z',
    ...overrides,
  };
}

function recordingNotifier() {
  const calls: Array<{ personId: string; notification: Notification; mayRepeat?: boolean }> = [];
  const n = {
    calls,
    held: [] as string[],
    answer: 'sent' as 'sent' | 'unreachable',
    async notify(personId: string, notification: Notification, opts?: { mayRepeat?: boolean }) {
      calls.push({ personId, notification, ...(opts?.mayRepeat ? { mayRepeat: true } : {}) });
      return n.answer;
    },
    async updateReceipt() {
      return 'sent' as const;
    },
    async hold(personId: string) {
      n.held.push(personId);
      return false;
    },
  };
  return n satisfies Notifier & { calls: unknown; answer: unknown };
}

const only = (items: DueItem[], kind: DueItem['kind'], recipientId: string, before?: string) => {
  const found = items.filter((i) => i.kind === kind && i.recipientId === recipientId && (before === undefined || i.ref.before === before));
  assert.equal(found.length, 1, `${kind} to ${recipientId}`);
  return found[0];
};

describe('services/deliverReminder (real stores on Azurite)', function () {
  this.timeout(60_000);
  let azurite: RunningAzurite;
  let tables: TableStore;
  let clock: ManualClock;
  let notifier: ReturnType<typeof recordingNotifier>;
  let deps: DeliveryDeps;
  let dueItems: ReturnType<typeof tableDueItemStore>;
  let seed: ReturnType<typeof seeder>;
  let released: string[];

  before(async () => {
    azurite = await startAzurite();
  });
  after(async () => {
    await azurite?.stop();
  });
  beforeEach(async () => {
    tables = isolatedTableStore(azurite.connectionString);
    clock = manualClock('2026-11-02T09:00:00.000Z');
    const roster = tableRosterStore(tables, clock, 0);
    await roster.importFile(ROSTER);
    dueItems = tableDueItemStore(tables);
    notifier = recordingNotifier();
    seed = seeder(tables, clock);
    released = [];
    deps = {
      clock, roster, notifier, isHoliday,
      cases: tableCaseStore(tables), codes: tableCodeAllocator(tables), accessLog: tableAccessLog(tables), changes: tableChangeStore(tables, clock),
      reminders: reminderScheduler({ dueItems, roster, clock, isHoliday }),
      plans: tablePlanStore(tables), meetings: tableMeetingStore(tables), outbox: tableOutboxStore(tables),
      outboxLocationsOf: (teamId) => [locationOf(CASES_TABLE, teamId), locationOf(ROSTER_TABLE, 'roster')],
      releaseHeld: (personId) => released.push(personId),
    };
    await seed.createCase(aCase('SST-2026-0001'));
  });

  async function scheduled(kind?: DueItem['kind']) {
    const out: Array<DueItem & { status: string }> = [];
    for await (const row of (await tables.ensureTable(DUE_ITEMS_TABLE)).listEntities<{ data: string; status: string }>()) {
      if (row.partitionKey === 'cursor') continue;
      const item = { ...(JSON.parse(row.data) as DueItem), status: row.status };
      if (!kind || item.kind === kind) out.push(item);
    }
    return out;
  }

  const deliverAt = async (item: DueItem, at = item.dueAt) => {
    clock.set(at);
    return deliverReminder(deps, item);
  };

  describe('plan reviews', () => {
    let items: DueItem[];
    beforeEach(async () => {
      await seed.createPlan(aPlan());
      items = planReminders(aPlan(), 'gl-1', LONG_AGO, isHoliday);
    });

    it('still planned: the 7-day warning is sent to the owner with the date', async () => {
      assert.equal(await deliverAt(only(items, 'planReview', 'sw-1', '7')), 'sent');
      assert.deepEqual(notifier.calls, [{
        personId: 'sw-1',
        notification: { kind: 'reminder', reminder: 'planReview', teamId: 'sst-1', caseCode: 'SST-2026-0001', details: { date: '2026-12-10', days: '7' } },
      }]);
    });

    it('still planned 3 working days after: the escalation goes to the group leader', async () => {
      assert.equal(await deliverAt(only(items, 'reviewOverdue', 'gl-1')), 'sent');
      assert.deepEqual(notifier.calls.map((c) => [c.personId, c.notification]), [
        ['gl-1', { kind: 'reminder', reminder: 'reviewOverdue', teamId: 'sst-1', caseCode: 'SST-2026-0001', details: { date: '2026-12-10', days: '' } }],
      ]);
    });

    it('the review was recorded already: warning and escalation are skipped', async () => {
      const stored = (await deps.plans.get('sst-1', 'plan-1'))!;
      await seed.updatePlan(recordReview(stored.value, '2026-12-10', 'done', 'sw-1', new Date('2026-12-08T10:00:00Z'), '2027-02-11'), stored.etag);
      assert.equal(await deliverAt(only(items, 'planReview', 'sw-1', '1')), 'skipped');
      assert.equal(await deliverAt(only(items, 'reviewOverdue', 'gl-1')), 'skipped');
      assert.deepEqual(notifier.calls, []);
    });

    it('a warning that only goes out after the review date (downtime) is skipped: the escalation covers it', async () => {
      assert.equal(await deliverAt(only(items, 'planReview', 'eht-1', '1'), '2026-12-11T07:00:00.000Z'), 'skipped');
      assert.deepEqual(notifier.calls, []);
    });

    it('the plan ended: skipped', async () => {
      const stored = (await deps.plans.get('sst-1', 'plan-1'))!;
      await seed.updatePlan(recordReview(stored.value, '2026-12-10', 'ended', 'sw-1', new Date('2026-12-01T10:00:00Z')), stored.etag);
      assert.equal(await deliverAt(only(items, 'planReview', 'sw-1', '1')), 'skipped');
    });
  });

  describe('the intake: a concern nobody has taken is escalated to the group leader', () => {
    const raisedAt = '2026-11-23T09:00:00.000Z';
    const concern = (extra: Partial<Case> = {}) => aCase('SST-2026-0002', { status: 'new', createdAt: raisedAt, assignedAt: raisedAt, assignedTo: 'sw-1', ...extra });
    const escalation = () => escalationItem(concern(), 'gl-1', { escalationWorkingDays: 1 }, LONG_AGO, isHoliday)[0];

    it('still unclaimed after a working day: the group leader gets its facts (no summary) and whom it was suggested to', async () => {
      await seed.createCase(concern());
      assert.equal(escalation().dueAt, '2026-11-24T09:00:00.000Z');
      assert.equal(await deliverAt(escalation()), 'sent');
      assert.equal(notifier.calls.length, 1);
      const [call] = notifier.calls;
      assert.equal(call.personId, 'gl-1');
      assert.deepEqual(call.notification, {
        kind: 'escalation', since: raisedAt, assigneeId: 'sw-1',
        case: { code: 'SST-2026-0002', teamId: 'sst-1', schoolId: 'ryd', grade: '7', category: 'absence', absenceBand: '20to50', status: 'new', anonymous: false, consent: 'valid' },
      });
      assert.ok(!JSON.stringify(notifier.calls).includes(MARKER), 'no summary');
      const log = await deps.accessLog.list('2026-11-24T00:00:00Z', '2026-11-25T00:00:00Z');
      assert.deepEqual(log.map((e) => [e.actorId, e.action, e.caseCode, e.allowed, e.via]), [['gl-1', 'list', 'SST-2026-0002', true, 'scheduler:escalation']], 'the read is logged');
    });

    it('taken meanwhile, or given to someone else (a new escalation counts from then): skipped', async () => {
      await seed.createCase(concern({ status: 'accepted' }));
      assert.equal(await deliverAt(escalation()), 'skipped');
      const stored = (await deps.cases.get('sst-1', 'SST-2026-0002'))!;
      await seed.updateCase({ ...stored.value, status: 'new', assignedTo: 'sw-2', assignedAt: '2026-11-23T14:00:00.000Z' }, stored.etag);
      assert.equal(await deliverAt(escalation()), 'skipped');
      assert.deepEqual(notifier.calls, []);
    });
  });

  describe('consent expiry (time-driven: the state is derived from the date, the reminders tell both sides)', () => {
    const expiredFor = (to: string) => only(consentReminders(aCase('SST-2026-0001'), LONG_AGO, isHoliday), 'consentExpired', to);

    it('the day after its last day: both sides are told it has expired', async () => {
      for (const to of ['eht-1', 'sw-1']) assert.equal(await deliverAt(expiredFor(to)), 'sent', to);
      assert.deepEqual(notifier.calls.map((c) => [c.personId, c.notification]), ['eht-1', 'sw-1'].map((to) => [to, { kind: 'reminder', reminder: 'consentExpired', teamId: 'sst-1', caseCode: 'SST-2026-0001', details: { expires: '2027-01-31' } }]));
    });

    it('renewed, withdrawn or closed meanwhile: nothing is said', async () => {
      const stored = (await deps.cases.get('sst-1', 'SST-2026-0001'))!;
      await seed.updateCase({ ...stored.value, consent: { ...stored.value.consent!, expires: '2027-06-30' } }, stored.etag);
      assert.equal(await deliverAt(expiredFor('sw-1')), 'skipped', 'renewed');
      const again = (await deps.cases.get('sst-1', 'SST-2026-0001'))!;
      await seed.updateCase({ ...again.value, consent: { ...again.value.consent!, expires: '2027-01-31', withdrawnAt: '2026-12-01T09:00:00Z', withdrawnBy: 'eht-1' } }, again.etag);
      assert.equal(await deliverAt(expiredFor('eht-1')), 'skipped', 'withdrawn (both sides were told then)');
      assert.deepEqual(notifier.calls, []);
    });

    it('handed over meanwhile: the social worker who no longer has the case is not reminded', async () => {
      const stored = (await deps.cases.get('sst-1', 'SST-2026-0001'))!;
      await seed.updateCase({ ...stored.value, assignedTo: 'sw-2' }, stored.etag);
      assert.equal(await deliverAt(expiredFor('sw-1')), 'skipped');
      assert.equal(await deliverAt(only(consentReminders(aCase('SST-2026-0001'), LONG_AGO, isHoliday), 'consentExpiring', 'sw-1')), 'skipped');
      // Nor of a case without activity: the new social worker has their own.
      assert.equal(await deliverAt(only(inactivityReminder(aCase('SST-2026-0001'), LONG_AGO, isHoliday), 'inactiveCase', 'sw-1')), 'skipped');
      assert.deepEqual(notifier.calls, []);
    });
  });

  describe("the end of the insats' intensive phase", () => {
    const insats = { form: 'service' as const, kind: 'family' as const, start: '2026-11-02', intensiveUntil: '2027-01-25', recordedBy: 'sw-1', recordedAt: '2026-11-02T09:00:00.000Z' };
    it('a week before: to the social worker; changed, closed or handed over meanwhile: skipped', async () => {
      const stored = (await deps.cases.get('sst-1', 'SST-2026-0001'))!;
      await seed.updateCase({ ...stored.value, insats }, stored.etag);
      const [item] = intensiveReminders({ ...stored.value, insats }, LONG_AGO, isHoliday);
      assert.equal(item.dueAt, '2027-01-18T07:00:00.000Z');
      assert.equal(await deliverAt(item), 'sent');
      assert.deepEqual(notifier.calls[0].notification, { kind: 'reminder', reminder: 'intensiveEnding', teamId: 'sst-1', caseCode: 'SST-2026-0001', details: { date: '2027-01-25' } });
      const now = (await deps.cases.get('sst-1', 'SST-2026-0001'))!;
      await seed.updateCase({ ...now.value, insats: { ...insats, intensiveUntil: '2027-02-15' } }, now.etag);
      assert.equal(await deliverAt(item), 'skipped', 'moved');
    });
  });

  describe('meetings', () => {
    let item: DueItem;
    beforeEach(async () => {
      await seed.createMeeting(aMeeting());
      item = only(meetingReminders(aMeeting(), LONG_AGO, isHoliday), 'meetingTomorrow', 'eht-1');
      assert.equal(item.dueAt, '2026-11-27T07:00:00.000Z');
    });

    it('still confirmed at that time: sent with start and type', async () => {
      assert.equal(await deliverAt(item), 'sent');
      assert.deepEqual(notifier.calls, [{
        personId: 'eht-1',
        notification: { kind: 'reminder', reminder: 'meetingTomorrow', teamId: 'sst-1', caseCode: 'SST-2026-0001', details: { start: '2026-11-30T08:00:00.000Z', type: 'sip' } },
      }]);
    });

    it('cancelled: skipped', async () => {
      const stored = (await deps.meetings.get('sst-1', 'mtg-1'))!;
      await seed.updateMeeting({ ...stored.value, status: 'cancelled', cancelledBy: 'sw-1', version: 3 }, stored.etag);
      assert.equal(await deliverAt(item), 'skipped');
      assert.deepEqual(notifier.calls, []);
    });

    it('moved to another time: the old reminder is skipped', async () => {
      const stored = (await deps.meetings.get('sst-1', 'mtg-1'))!;
      await seed.updateMeeting({ ...stored.value, start: '2026-12-01T08:00:00.000Z', version: 3 }, stored.etag);
      assert.equal(await deliverAt(item), 'skipped');
    });

    it('only delivered after the meeting began (downtime): skipped', async () => {
      assert.equal(await deliverAt(item, '2026-11-30T08:00:00.000Z'), 'skipped');
    });
  });

  describe('consent', () => {
    let item: DueItem;
    beforeEach(() => {
      item = consentReminders(aCase('SST-2026-0001'), LONG_AGO, isHoliday)[0];
    });

    it('unchanged: sent to the EHT member who recorded it', async () => {
      assert.equal(await deliverAt(item), 'sent');
      assert.deepEqual(notifier.calls, [{
        personId: 'eht-1',
        notification: { kind: 'reminder', reminder: 'consentExpiring', teamId: 'sst-1', caseCode: 'SST-2026-0001', details: { expires: '2027-01-31' } },
      }]);
    });

    it('renewed since: skipped', async () => {
      const stored = (await deps.cases.get('sst-1', 'SST-2026-0001'))!;
      await seed.updateCase({ ...stored.value, consent: { ...stored.value.consent!, expires: '2027-06-15', recordedAt: '2027-01-10T09:00:00Z' } }, stored.etag);
      assert.equal(await deliverAt(item), 'skipped');
      assert.deepEqual(notifier.calls, []);
    });

    it('case closed since: skipped', async () => {
      const stored = (await deps.cases.get('sst-1', 'SST-2026-0001'))!;
      await seed.updateCase({ ...stored.value, status: 'closed', outcome: 'attendanceImproved' }, stored.etag);
      assert.equal(await deliverAt(item), 'skipped');
    });
  });

  describe('inactivity', () => {
    it('no activity since: sent to the social worker', async () => {
      const item = inactivityReminder(aCase('SST-2026-0001'), LONG_AGO, isHoliday)[0];
      assert.equal(await deliverAt(item), 'sent');
      assert.deepEqual(notifier.calls.map((c) => [c.personId, c.notification]), [
        ['sw-1', { kind: 'reminder', reminder: 'inactiveCase', teamId: 'sst-1', caseCode: 'SST-2026-0001', details: { since: '2026-11-02' } }],
      ]);
    });

    it('activity since: skipped, and a new reminder 30 days after the last activity is scheduled', async () => {
      const item = inactivityReminder(aCase('SST-2026-0001'), LONG_AGO, isHoliday)[0];
      assert.equal(item.dueAt, '2026-12-02T07:00:00.000Z');
      const stored = (await deps.cases.get('sst-1', 'SST-2026-0001'))!;
      await seed.updateCase({ ...stored.value, lastActivityAt: '2026-11-20T13:00:00.000Z', updatedAt: '2026-11-20T13:00:00.000Z' }, stored.etag);
      assert.equal(await deliverAt(item), 'skipped');
      assert.deepEqual(notifier.calls, []);
      const next = await scheduled('inactiveCase');
      assert.deepEqual(next.map((i) => [i.ref.since, i.dueAt, i.recipientId, i.status]), [['2026-11-20', '2026-12-21T07:00:00.000Z', 'sw-1', 'pending']]);
    });
  });

  describe('unreachable recipients', () => {
    it("'unreachable': the reminder is held for the person (marked), listed in the digest since the first time, and gone from it once delivered", async () => {
      await seed.createPlan(aPlan());
      const items = planReminders(aPlan(), 'gl-1', LONG_AGO, isHoliday);
      notifier.answer = 'unreachable';
      assert.equal(await deliverAt(only(items, 'planReview', 'eht-1', '7')), 'unreachable');
      assert.deepEqual(notifier.held, ['eht-1'], 'marked, so the next turn releases it');
      const locations = deps.outboxLocationsOf('sst-1');
      const held = await deps.outbox.heldFor(locations, 'eht-1');
      assert.equal(held.length, 1);
      assert.equal(held[0].value.effect.kind, 'notify');
      assert.deepEqual(await deps.outbox.heldRecipients(locations, 'sst-1'), [{ personId: 'eht-1', since: '2026-12-03T07:00:00.000Z' }]);
      // Still unreachable a week later: "since" stays the first time.
      assert.equal(await deliverAt(only(items, 'planReview', 'eht-1', '1')), 'unreachable');
      assert.deepEqual((await deps.outbox.heldRecipients(locations, 'sst-1')).map((u) => u.since), ['2026-12-03T07:00:00.000Z']);
      // The group leader's digest shows it; a digest itself is never held.
      notifier.answer = 'sent';
      clock.set('2026-12-09T06:30:00.000Z');
      await deliverReminder(deps, digestItem('sst-1', 'gl-1', new Date('2026-12-09T06:00:00Z'), isHoliday));
      const digest = notifier.calls.at(-1)!.notification;
      assert.equal(digest.kind, 'digest');
      assert.deepEqual(digest.kind === 'digest' && digest.digest.unreachable, [{ personId: 'eht-1', since: '2026-12-03T07:00:00.000Z' }]);
      notifier.answer = 'unreachable';
      await deliverReminder(deps, digestItem('sst-1', 'gl-1', new Date('2026-12-10T06:00:00Z'), isHoliday));
      assert.deepEqual((await deps.outbox.heldRecipients(locations, 'sst-1')).map((u) => u.personId), ['eht-1'], 'no digest held for the group leader');
    });

    it('a recipient who reached the bot while being held is released at once', async () => {
      await seed.createPlan(aPlan());
      notifier.answer = 'unreachable';
      notifier.hold = async (personId: string) => {
        notifier.held.push(personId);
        return true;
      };
      assert.equal(await deliverAt(only(planReminders(aPlan(), 'gl-1', LONG_AGO, isHoliday), 'planReview', 'eht-1', '7')), 'unreachable');
      assert.deepEqual(released, ['eht-1']);
    });

    it('a repeat after an interrupted delivery is passed on as such', async () => {
      await seed.createPlan(aPlan());
      const item = only(planReminders(aPlan(), 'gl-1', LONG_AGO, isHoliday), 'planReview', 'eht-1', '7');
      clock.set(item.dueAt);
      assert.equal(await deliverReminder(deps, item, { mayRepeat: true }), 'sent');
      assert.equal(notifier.calls[0].mayRepeat, true);
    });

    it('a recipient no longer in the roster: skipped without a notification', async () => {
      await seed.createPlan(aPlan({ ehtContactId: 'left-1' }));
      const item = only(planReminders(aPlan({ ehtContactId: 'left-1' }), 'gl-1', LONG_AGO, isHoliday), 'planReview', 'left-1', '7');
      assert.equal(await deliverAt(item), 'skipped');
      assert.deepEqual(notifier.calls, []);
    });
  });

  describe('digest and yearly report', () => {
    it('digest: a digest notification for the group leader, access-log entries for every code shown, and the next digest scheduled', async () => {
      await seed.createCase(aCase('SST-2026-0002', { status: 'new', createdAt: '2026-11-23T09:00:00.000Z', assignedTo: 'sw-2', consent: undefined }));
      await seed.createCase(aCase('SST-2026-0003', { status: 'closed', outcome: 'familyDeclined' }));
      const item = digestItem('sst-1', 'gl-1', new Date('2026-11-24T12:00:00Z'), isHoliday);
      assert.equal(item.dueAt, '2026-11-25T06:30:00.000Z');
      assert.equal(await deliverAt(item), 'sent');
      assert.equal(notifier.calls.length, 1);
      const { personId, notification } = notifier.calls[0];
      assert.equal(personId, 'gl-1');
      assert.equal(notification.kind, 'digest');
      const digest = notification.kind === 'digest' ? notification.digest : undefined!;
      assert.equal(digest.date, '2026-11-25');
      assert.deepEqual(digest.newConcerns, [{ code: 'SST-2026-0002', ageDays: 2, assigneeId: 'sw-2' }]);
      assert.deepEqual(digest.caseload, [{ socialWorkerId: 'sw-1', open: 1 }, { socialWorkerId: 'sw-2', open: 1 }]);
      assert.deepEqual(digest.totals, { open: 2, closed: 1 });
      assert.doesNotMatch(JSON.stringify(notification), new RegExp(MARKER));

      const log = await deps.accessLog.list('2026-11-25T00:00:00.000Z', '2026-11-26T00:00:00.000Z');
      assert.deepEqual(log.map((e) => e.caseCode).sort(), digestCodes(digest));
      assert.ok(digestCodes(digest).length > 0);
      for (const e of log) assert.deepEqual({ ...e, caseCode: undefined }, { at: '2026-11-25T06:30:00.000Z', actorId: 'gl-1', action: 'list', caseCode: undefined, allowed: true, via: 'scheduler:digest' });

      const next = await scheduled('digest');
      assert.deepEqual(next.map((i) => i.dueAt), ['2026-11-26T06:30:00.000Z']);
      assert.deepEqual((await scheduled('yearlyReport')).map((i) => i.dueAt), ['2027-03-01T07:00:00.000Z']);
    });

    it("digest: only to the team's group leader; an item for someone else (the roster changed since it was scheduled) sends nothing and logs no read", async () => {
      await seed.createCase(aCase('SST-2026-0002', { status: 'new', createdAt: '2026-11-23T09:00:00.000Z', assignedTo: 'sw-2', consent: undefined }));
      for (const recipient of ['sw-1', 'eht-1']) {
        const item = digestItem('sst-1', recipient, new Date('2026-11-24T12:00:00Z'), isHoliday);
        assert.equal(await deliverAt(item), 'skipped', recipient);
      }
      assert.deepEqual(notifier.calls, []);
      assert.deepEqual(await deps.accessLog.list('2026-11-25T00:00:00.000Z', '2026-11-26T00:00:00.000Z'), []);
      // The team's group leader still gets tomorrow's.
      assert.deepEqual((await scheduled('digest')).filter((i) => i.recipientId === 'gl-1').map((i) => i.dueAt), ['2026-11-26T06:30:00.000Z']);
    });

    it('yearly report: sent to the group leader for last year, due 31 March', async () => {
      const item = yearlyReportReminder('sst-1', 'gl-1', new Date('2027-01-10T10:00:00Z'), isHoliday);
      assert.equal(await deliverAt(item), 'sent');
      assert.deepEqual(notifier.calls, [{
        personId: 'gl-1',
        notification: { kind: 'reminder', reminder: 'yearlyReport', teamId: 'sst-1', caseCode: undefined, details: { year: '2026', due: '2027-03-31' } },
      }]);
      assert.deepEqual((await scheduled('yearlyReport')).map((i) => i.dueAt), ['2028-03-01T07:00:00.000Z']);
    });
  });

  // Regression: an inactiveCase re-check inside the consent's last 14 days re-runs consentReminders with a later
  // `now`; when the due instant depended on `now` this stored a second row (same key, other hour) and reminded twice.
  it('end to end with runTick: a consent reminder is sent once even when an inactivity re-check comes after it', async () => {
    const logger = createLogger('silent');
    const scheduler = createScheduler({ dueItems, deliver: (i) => deliverReminder(deps, i), clock, logger, instanceId: 'I1' });
    const tick = () => scheduler.tick();
    clock.set('2026-12-20T10:00:00.000Z');
    const c = aCase('SST-2026-0009', { createdAt: '2026-12-20T10:00:00.000Z', lastActivityAt: '2026-12-20T10:00:00.000Z' });
    await seed.createCase(c);
    await deps.reminders.onCase(c); // consent 2027-01-15 08:00, inactivity 2027-01-19 08:00
    // Activity on 5 January (a relayed question: no rescheduling).
    const stored = (await deps.cases.get('sst-1', c.code))!;
    await seed.updateCase({ ...stored.value, lastActivityAt: '2027-01-05T10:00:00.000Z' }, stored.etag);
    for (const at of ['2027-01-15T07:00:00.000Z', '2027-01-19T07:00:00.000Z', '2027-01-20T07:00:00.000Z', '2027-01-21T07:00:00.000Z']) {
      clock.set(at);
      await tick();
    }
    // Both sides get it (the EHT member who recorded the consent and the social worker): once each.
    const consentSends = notifier.calls.filter((x) => x.notification.kind === 'reminder' && x.notification.reminder === 'consentExpiring' && x.notification.caseCode === c.code);
    const rows = (await scheduled('consentExpiring')).filter((i) => i.caseCode === c.code).map((i) => `${i.dueAt} ${i.recipientId} ${i.status}`);
    assert.deepEqual(consentSends.map((x) => x.personId).sort(), [c.consent!.recordedBy, c.assignedTo].sort(), `consent reminders sent: ${consentSends.map((x) => x.personId).join(', ')}; rows: ${rows.join(', ')}`);
  });
});
