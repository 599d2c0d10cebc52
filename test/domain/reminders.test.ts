import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import type { Case } from '../../src/domain/concern';
import type { Meeting } from '../../src/domain/meeting';
import type { Plan } from '../../src/domain/plan';
import {
  afterWorkingDays,
  consentItemApplies,
  consentReminders,
  digestItem,
  escalationItem,
  intensiveReminders,
  inactivityReminder,
  meetingReminders,
  planReminders,
  yearlyReportReminder,
  type DueItem,
} from '../../src/domain/reminders';
import { isWorkingDay } from '../../src/domain/slots';
import { ZONE } from '../../src/domain/time';
import { swedishHolidays } from '../../src/services/holidays';

const isHoliday = swedishHolidays();
const at = (iso: string) => new Date(iso);
/** Long before anything in these tests: nothing is dropped as past. */
const LONG_AGO = at('2025-01-01T00:00:00Z');

const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE });
const localClock = (iso: string) => local(iso).toFormat('HH:mm');
const localDate = (iso: string) => local(iso).toISODate()!;

function aPlan(reviewDate: string, overrides: Partial<Plan> = {}): Plan {
  return {
    id: 'plan-1', caseCode: 'SST-2026-0001', teamId: 'sst-1', schoolId: 'ryd', type: 'implementation',
    goals: ['Närvaro över 80 %'], responsibilities: [{ role: 'mentor', what: 'följer upp närvaron' }],
    reviews: [{ date: reviewDate, status: 'planned' }], status: 'active', ownerId: 'sw-1', ehtContactId: 'eht-1',
    createdAt: '2026-09-01T08:00:00.000Z', updatedAt: '2026-09-01T08:00:00.000Z',
    ...overrides,
  };
}

function aMeeting(start: string, overrides: Partial<Meeting> = {}): Meeting {
  return {
    id: 'mtg-1', caseCode: 'SST-2026-0001', teamId: 'sst-1', schoolId: 'ryd', type: 'startup', minutes: 60, place: 'school',
    guardiansAttending: false, ehtId: 'eht-1', socialWorkerId: 'sw-1', status: 'confirmed', proposals: [], awaiting: 'socialWorker',
    start, icsToken: 'tok', version: 2, createdAt: '2026-09-01T08:00:00.000Z', updatedAt: '2026-09-01T08:00:00.000Z',
    ...overrides,
  };
}

function aCase(overrides: Partial<Case> = {}): Case {
  const t0 = '2026-09-01T08:00:00.000Z';
  return {
    code: 'SST-2026-0001', teamId: 'sst-1', schoolId: 'ryd', grade: '7', category: 'absence', absenceBand: '20to50', summary: 'Frånvaro',
    consent: { scope: 'Samverkan kring frånvaro', expires: '2027-01-31', recordedBy: 'eht-1', recordedAt: t0 },
    status: 'accepted', raisedBy: 'eht-2', assignedTo: 'sw-1', createdAt: t0, updatedAt: t0, lastActivityAt: t0,
    ...overrides,
  };
}

/** [kind, dueAt, recipient, before] sorted, for compact exact comparisons. */
const rows = (items: DueItem[]) =>
  items.map((i) => [i.kind, i.dueAt, i.recipientId, i.ref.before ?? ''].join(' ')).sort();

const dueOf = (items: DueItem[], kind: DueItem['kind'], before?: string) => {
  const found = items.filter((i) => i.kind === kind && (before === undefined || i.ref.before === before)).map((i) => i.dueAt);
  assert.ok(found.length > 0, `no ${kind} ${before ?? ''} item`);
  assert.equal(new Set(found).size, 1, `one instant for ${kind} ${before ?? ''}`);
  return found[0];
};

function eachDay(from: string, to: string, fn: (isoDate: string) => void) {
  for (let d = local(from); d.toISODate()! <= to; d = d.plus({ days: 1 })) fn(d.toISODate()!);
}

describe('domain/reminders', () => {
  describe('planReminders', () => {
    it('review on Thu 2026-12-10: 7 and 1 days before at 08:00 CET to owner and EHT contact, escalation 3 working days later to the group leader', () => {
      const items = planReminders(aPlan('2026-12-10'), 'gl-1', at('2026-11-23T09:00:00+01:00'), isHoliday);
      assert.deepEqual(rows(items), [
        'planReview 2026-12-03T07:00:00.000Z eht-1 7',
        'planReview 2026-12-03T07:00:00.000Z sw-1 7',
        'planReview 2026-12-09T07:00:00.000Z eht-1 1',
        'planReview 2026-12-09T07:00:00.000Z sw-1 1',
        'reviewOverdue 2026-12-15T07:00:00.000Z gl-1 ', // 11 (Fri), 14 (Mon), 15 (Tue)
      ]);
      for (const i of items) {
        assert.equal(i.teamId, 'sst-1');
        assert.equal(i.caseCode, 'SST-2026-0001');
        assert.equal(i.ref.planId, 'plan-1');
        assert.equal(i.ref.review, '2026-12-10');
      }
      assert.equal(new Set(items.map((i) => i.key)).size, items.length, 'every item has its own key');
    });

    it('in summer 08:00 is 06:00Z (review Thu 2026-06-11)', () => {
      const items = planReminders(aPlan('2026-06-11'), 'gl-1', LONG_AGO, isHoliday);
      assert.equal(dueOf(items, 'planReview', '7'), '2026-06-04T06:00:00.000Z');
      assert.equal(dueOf(items, 'planReview', '1'), '2026-06-10T06:00:00.000Z');
      assert.equal(dueOf(items, 'reviewOverdue'), '2026-06-16T06:00:00.000Z'); // 12, 15, 16
    });

    it('has deterministic keys: same plan, same items, whenever it is computed before they are due', () => {
      const plan = aPlan('2026-12-10');
      const a = planReminders(plan, 'gl-1', at('2026-11-01T10:00:00Z'), isHoliday);
      const b = planReminders({ ...plan, goals: ['Annat mål'], updatedAt: '2026-11-20T10:00:00Z' }, 'gl-1', at('2026-11-30T10:00:00Z'), isHoliday);
      assert.deepEqual(b, a);
      assert.ok(a.some((i) => i.key === 'planReview|SST-2026-0001|plan-1|2026-12-10|7|sw-1'), a.map((i) => i.key).join('\n'));
      assert.ok(a.some((i) => i.key === 'reviewOverdue|SST-2026-0001|plan-1|2026-12-10|gl-1'));
      // A moved review is another reminder.
      const moved = planReminders(aPlan('2026-12-11'), 'gl-1', at('2026-11-01T10:00:00Z'), isHoliday);
      for (const i of moved) assert.ok(!a.some((x) => x.key === i.key), `${i.key} differs from the old review's keys`);
    });

    it('drops items whose time has come (strictly: an item due exactly now is dropped)', () => {
      const plan = aPlan('2026-12-10');
      assert.equal(planReminders(plan, 'gl-1', at('2026-12-03T06:59:59.999Z'), isHoliday).length, 5);
      assert.deepEqual(rows(planReminders(plan, 'gl-1', at('2026-12-03T07:00:00.000Z'), isHoliday)), [
        'planReview 2026-12-09T07:00:00.000Z eht-1 1',
        'planReview 2026-12-09T07:00:00.000Z sw-1 1',
        'reviewOverdue 2026-12-15T07:00:00.000Z gl-1 ',
      ]);
      assert.deepEqual(rows(planReminders(plan, 'gl-1', at('2026-12-10T12:00:00Z'), isHoliday)), ['reviewOverdue 2026-12-15T07:00:00.000Z gl-1 ']);
      assert.deepEqual(planReminders(plan, 'gl-1', at('2026-12-15T07:00:00Z'), isHoliday), []);
    });

    it('sends one warning when the owner is also the EHT contact, and no escalation without a group leader', () => {
      const items = planReminders(aPlan('2026-12-10', { ehtContactId: 'sw-1' }), undefined, LONG_AGO, isHoliday);
      assert.deepEqual(rows(items), ['planReview 2026-12-03T07:00:00.000Z sw-1 7', 'planReview 2026-12-09T07:00:00.000Z sw-1 1']);
    });

    it('reminds of the earliest planned review only; nothing for an ended plan or one without planned reviews', () => {
      const plan = aPlan('2026-12-10', {
        reviews: [{ date: '2027-02-11', status: 'planned' }, { date: '2026-10-01', status: 'done' }, { date: '2026-12-10', status: 'planned' }],
      });
      assert.deepEqual(new Set(planReminders(plan, 'gl-1', LONG_AGO, isHoliday).map((i) => i.ref.review)), new Set(['2026-12-10']));
      assert.deepEqual(planReminders({ ...plan, status: 'ended' }, 'gl-1', LONG_AGO, isHoliday), []);
      assert.deepEqual(planReminders(aPlan('2026-12-10', { reviews: [{ date: '2026-12-10', status: 'done' }] }), 'gl-1', LONG_AGO, isHoliday), []);
    });

    it('moves a warning that falls on a holiday or weekend back to the working day before', () => {
      // 7 days before Wed 2027-01-13 is trettondedag jul (Wed 2027-01-06): Tue 2027-01-05.
      let items = planReminders(aPlan('2027-01-13'), 'gl-1', LONG_AGO, isHoliday);
      assert.equal(dueOf(items, 'planReview', '7'), '2027-01-05T07:00:00.000Z');
      assert.equal(dueOf(items, 'planReview', '1'), '2027-01-12T07:00:00.000Z');
      // 1 day before Mon 2026-12-14 is a Sunday: Fri 2026-12-11.
      items = planReminders(aPlan('2026-12-14'), 'gl-1', LONG_AGO, isHoliday);
      assert.equal(dueOf(items, 'planReview', '1'), '2026-12-11T07:00:00.000Z');
      // 1 day before Fri 2026-05-15 is Kristi himmelsfärdsdag: Wed 2026-05-13.
      items = planReminders(aPlan('2026-05-15'), 'gl-1', LONG_AGO, isHoliday);
      assert.equal(dueOf(items, 'planReview', '7'), '2026-05-08T06:00:00.000Z');
      assert.equal(dueOf(items, 'planReview', '1'), '2026-05-13T06:00:00.000Z');
      // 1 day before Tue 2026-04-07 is annandag påsk, then the weekend and långfredagen: Thu 2026-04-02.
      items = planReminders(aPlan('2026-04-07'), 'gl-1', LONG_AGO, isHoliday);
      assert.equal(dueOf(items, 'planReview', '7'), '2026-03-31T06:00:00.000Z');
      assert.equal(dueOf(items, 'planReview', '1'), '2026-04-02T06:00:00.000Z');
      // 1 day before Mon 2027-01-04: the weekend, nyårsdagen, nyårsafton → Wed 2026-12-30.
      items = planReminders(aPlan('2027-01-04'), 'gl-1', LONG_AGO, isHoliday);
      assert.equal(dueOf(items, 'planReview', '7'), '2026-12-28T07:00:00.000Z');
      assert.equal(dueOf(items, 'planReview', '1'), '2026-12-30T07:00:00.000Z');
    });

    it('review on Mon 2026-03-30, the day after the spring change: CET warnings, CEST escalation', () => {
      const items = planReminders(aPlan('2026-03-30'), 'gl-1', LONG_AGO, isHoliday);
      assert.equal(dueOf(items, 'planReview', '7'), '2026-03-23T07:00:00.000Z');
      assert.equal(dueOf(items, 'planReview', '1'), '2026-03-27T07:00:00.000Z'); // Sunday → Friday, still CET
      assert.equal(dueOf(items, 'reviewOverdue'), '2026-04-02T06:00:00.000Z'); // 31, 1, 2 (skärtorsdagen is a working day)
      // Review Tue 2026-03-31: the 1-day warning is on the Monday after the change, 08:00 CEST.
      assert.equal(dueOf(planReminders(aPlan('2026-03-31'), 'gl-1', LONG_AGO, isHoliday), 'planReview', '1'), '2026-03-30T06:00:00.000Z');
    });

    it('review on Mon 2026-10-26, the day after the autumn change: CEST warnings, CET escalation', () => {
      const items = planReminders(aPlan('2026-10-26'), 'gl-1', LONG_AGO, isHoliday);
      assert.equal(dueOf(items, 'planReview', '7'), '2026-10-19T06:00:00.000Z');
      assert.equal(dueOf(items, 'planReview', '1'), '2026-10-23T06:00:00.000Z'); // Sunday → Friday, still CEST
      assert.equal(dueOf(items, 'reviewOverdue'), '2026-10-29T07:00:00.000Z'); // 27, 28, 29
      assert.equal(dueOf(planReminders(aPlan('2026-10-27'), 'gl-1', LONG_AGO, isHoliday), 'planReview', '1'), '2026-10-26T07:00:00.000Z');
    });

    it('counts the 3 working days of an escalation past holidays', () => {
      const overdue = (review: string) => dueOf(planReminders(aPlan(review), 'gl-1', LONG_AGO, isHoliday), 'reviewOverdue');
      assert.equal(overdue('2026-12-22'), '2026-12-29T07:00:00.000Z'); // 23, (24 julafton, 25, 26, 27), 28, 29
      assert.equal(overdue('2026-12-18'), '2026-12-23T07:00:00.000Z'); // 21, 22, 23
      assert.equal(overdue('2026-04-01'), '2026-04-08T06:00:00.000Z'); // 2, (3 långfredagen … 6 annandag påsk), 7, 8
      assert.equal(overdue('2026-05-13'), '2026-05-19T06:00:00.000Z'); // (14 Kristi himmelsfärd), 15, 18, 19
      assert.equal(overdue('2026-06-17'), '2026-06-23T06:00:00.000Z'); // 18, (19 midsommarafton), 22, 23
    });

    it('over two years of review dates: every item at 08:00 Stockholm on a working day, in order, escalation exactly 3 working days on', () => {
      eachDay('2026-01-05', '2027-12-31', (review) => {
        if (!isWorkingDay(review, isHoliday)) return;
        const items = planReminders(aPlan(review), 'gl-1', LONG_AGO, isHoliday);
        assert.equal(items.length, 5, review);
        for (const i of items) {
          assert.equal(localClock(i.dueAt), '08:00', `${review} ${i.kind} ${i.dueAt}`);
          assert.ok(isWorkingDay(localDate(i.dueAt), isHoliday), `${review} ${i.kind} on ${localDate(i.dueAt)}`);
        }
        const seven = localDate(dueOf(items, 'planReview', '7'));
        const one = localDate(dueOf(items, 'planReview', '1'));
        const overdue = localDate(dueOf(items, 'reviewOverdue'));
        assert.ok(seven <= local(review).minus({ days: 7 }).toISODate()!, `${review}: 7-day warning ${seven}`);
        assert.ok(seven > local(review).minus({ days: 14 }).toISODate()!, `${review}: 7-day warning ${seven} not too early`);
        assert.ok(one < review && one >= seven, `${review}: 1-day warning ${one}`);
        let working = 0;
        eachDay(local(review).plus({ days: 1 }).toISODate()!, overdue, (d) => {
          if (isWorkingDay(d, isHoliday)) working++;
        });
        assert.equal(working, 3, `${review}: escalation on ${overdue}`);
      });
    });
  });

  describe('meetingReminders', () => {
    it('a meeting on Monday: reminder the Friday before at 08:00, to both parties', () => {
      const items = meetingReminders(aMeeting('2026-11-30T08:00:00.000Z'), at('2026-11-23T09:00:00+01:00'), isHoliday);
      assert.deepEqual(rows(items), ['meetingTomorrow 2026-11-27T07:00:00.000Z eht-1 ', 'meetingTomorrow 2026-11-27T07:00:00.000Z sw-1 ']);
      for (const i of items) assert.deepEqual({ caseCode: i.caseCode, teamId: i.teamId, ref: i.ref }, { caseCode: 'SST-2026-0001', teamId: 'sst-1', ref: { meetingId: 'mtg-1', start: '2026-11-30T08:00:00.000Z' } });
      assert.deepEqual(meetingReminders(aMeeting('2026-11-30T08:00:00.000Z'), at('2026-11-25T09:00:00Z'), isHoliday), items, 'deterministic');
      assert.ok(items.some((i) => i.key === 'meetingTomorrow|SST-2026-0001|mtg-1|2026-11-30T08:00:00.000Z|eht-1'));
    });

    it('a meeting the day after Kristi himmelsfärd (Fri 2026-05-15): reminder on Wed 2026-05-13, 08:00 CEST', () => {
      const items = meetingReminders(aMeeting('2026-05-15T08:00:00.000Z'), LONG_AGO, isHoliday);
      assert.deepEqual([...new Set(items.map((i) => i.dueAt))], ['2026-05-13T06:00:00.000Z']);
    });

    it('follows the daylight-saving changes and the Christmas holidays', () => {
      const due = (start: string) => [...new Set(meetingReminders(aMeeting(start), LONG_AGO, isHoliday).map((i) => i.dueAt))];
      assert.deepEqual(due('2026-03-30T07:00:00.000Z'), ['2026-03-27T07:00:00.000Z']); // Mon 09:00 CEST → Fri 08:00 CET
      assert.deepEqual(due('2026-03-31T07:00:00.000Z'), ['2026-03-30T06:00:00.000Z']); // → Mon 08:00 CEST
      assert.deepEqual(due('2026-10-26T08:00:00.000Z'), ['2026-10-23T06:00:00.000Z']); // Mon 09:00 CET → Fri 08:00 CEST
      assert.deepEqual(due('2026-10-27T08:00:00.000Z'), ['2026-10-26T07:00:00.000Z']);
      assert.deepEqual(due('2026-12-28T08:00:00.000Z'), ['2026-12-23T07:00:00.000Z']); // Mon after Christmas → Wed 23rd
      assert.deepEqual(due('2027-01-07T08:00:00.000Z'), ['2027-01-05T07:00:00.000Z']); // Thu after trettondedag jul
    });

    it('nothing for a meeting that is not confirmed, and a moved meeting is another reminder', () => {
      for (const status of ['proposed', 'declined', 'cancelled'] as const) {
        assert.deepEqual(meetingReminders(aMeeting('2026-11-30T08:00:00.000Z', { status }), LONG_AGO, isHoliday), [], status);
      }
      assert.deepEqual(meetingReminders(aMeeting('2026-11-30T08:00:00.000Z', { start: undefined }), LONG_AGO, isHoliday), []);
      const before = meetingReminders(aMeeting('2026-11-30T08:00:00.000Z'), LONG_AGO, isHoliday).map((i) => i.key);
      const moved = meetingReminders(aMeeting('2026-12-01T08:00:00.000Z'), LONG_AGO, isHoliday).map((i) => i.key);
      assert.ok(moved.every((k) => !before.includes(k)));
    });

    it('drops the reminder once its 08:00 has passed', () => {
      const m = aMeeting('2026-11-30T08:00:00.000Z');
      assert.equal(meetingReminders(m, at('2026-11-27T06:59:59Z'), isHoliday).length, 2);
      assert.deepEqual(meetingReminders(m, at('2026-11-27T07:00:00Z'), isHoliday), []);
    });
  });

  describe('consentReminders', () => {
    it('14 days before expiry, moved back to a working day, 08:00, to both sides: the EHT member who recorded it and the social worker', () => {
      const items = consentReminders(aCase(), at('2026-09-01T10:00:00Z'), isHoliday);
      // 2027-01-31 − 14 = Sun 2027-01-17 → Fri 2027-01-15.
      const expiring = (to: string): DueItem => ({
        key: `consentExpiring|SST-2026-0001|2027-01-31|${to}`, kind: 'consentExpiring', dueAt: '2027-01-15T07:00:00.000Z',
        recipientId: to, teamId: 'sst-1', caseCode: 'SST-2026-0001', ref: { expires: '2027-01-31' },
      });
      assert.deepEqual(items.filter((i) => i.kind === 'consentExpiring'), [expiring('eht-1'), expiring('sw-1')]);
      assert.deepEqual(consentReminders(aCase(), at('2026-12-01T10:00:00Z'), isHoliday), items, 'deterministic');
    });

    it('the day after its last day, 08:00 on a working day: that it has expired, to the school (who raised and who recorded it) and the social worker', () => {
      const expired = consentReminders(aCase(), at('2026-09-01T10:00:00Z'), isHoliday).filter((i) => i.kind === 'consentExpired');
      // Valid through Sun 2027-01-31; expired from Mon 2027-02-01.
      assert.deepEqual(expired.map((i) => [i.recipientId, i.dueAt]).sort(), [['eht-1', '2027-02-01T07:00:00.000Z'], ['eht-2', '2027-02-01T07:00:00.000Z'], ['sw-1', '2027-02-01T07:00:00.000Z']]);
      // Last day on Maundy Thursday 2026: Good Friday and Easter Monday are holidays → Tuesday 7 April.
      const easter = consentReminders(aCase({ consent: { scope: 's', expires: '2026-04-02', recordedBy: 'eht-1', recordedAt: '2026-01-02T08:00:00Z' } }), at('2026-01-02T08:00:00Z'), isHoliday);
      assert.equal(easter.find((i) => i.kind === 'consentExpired')?.dueAt, '2026-04-07T06:00:00.000Z');
    });

    it('nothing for a withdrawn consent or an anonymous consultation', () => {
      assert.deepEqual(consentReminders(aCase({ consent: { scope: 's', expires: '2027-01-31', recordedBy: 'eht-1', recordedAt: '2026-09-01T08:00:00Z', withdrawnAt: '2026-10-01T08:00:00Z', withdrawnBy: 'eht-1' } }), LONG_AGO, isHoliday), []);
      assert.deepEqual(consentReminders(aCase({ kind: 'consultation', consent: undefined }), LONG_AGO, isHoliday), []);
    });

    it('when it fires: applies only while the consent is the one it was about, in the state it announces', () => {
      const c = aCase();
      assert.equal(consentItemApplies(c, 'consentExpiring', '2027-01-31', '2027-01-15'), true);
      assert.equal(consentItemApplies(c, 'consentExpired', '2027-01-31', '2027-01-31'), false, 'still valid on its last day');
      assert.equal(consentItemApplies(c, 'consentExpired', '2027-01-31', '2027-02-01'), true);
      assert.equal(consentItemApplies(aCase({ consent: { ...c.consent!, expires: '2027-06-30' } }), 'consentExpired', '2027-01-31', '2027-02-01'), false, 'renewed meanwhile');
      assert.equal(consentItemApplies(aCase({ consent: { ...c.consent!, withdrawnAt: '2026-12-01T08:00:00Z' } }), 'consentExpired', '2027-01-31', '2027-02-01'), false, 'withdrawn meanwhile (they were told then)');
      assert.equal(consentItemApplies(aCase({ status: 'closed', outcome: 'other' }), 'consentExpiring', '2027-01-31', '2027-01-15'), false, 'closed');
    });

    it('skips holidays and uses summer time', () => {
      const due = (expires: string) => consentReminders(aCase({ consent: { scope: 's', expires, recordedBy: 'eht-1', recordedAt: '2026-01-02T08:00:00Z' } }), at('2026-01-02T08:00:00Z'), isHoliday)[0]?.dueAt;
      assert.equal(due('2026-06-20'), '2026-06-05T06:00:00.000Z'); // 06-06 nationaldagen (Sat) → Fri
      assert.equal(due('2026-04-20'), '2026-04-02T06:00:00.000Z'); // 04-06 annandag påsk → … → skärtorsdagen
      assert.equal(due('2026-04-13'), '2026-03-30T06:00:00.000Z'); // Mon after the spring change
    });

    it('recorded with less than 14 days left: at 08:00 on the working day after it was recorded', () => {
      const recordedOn = (when: string) => aCase({ consent: { scope: 's', expires: '2027-01-31', recordedBy: 'eht-1', recordedAt: new Date(when).toISOString() } });
      assert.equal(consentReminders(recordedOn('2027-01-20T10:00:00+01:00'), at('2027-01-20T10:00:00+01:00'), isHoliday)[0].dueAt, '2027-01-21T07:00:00.000Z');
      assert.equal(consentReminders(recordedOn('2027-01-22T10:00:00+01:00'), at('2027-01-22T10:00:00+01:00'), isHoliday)[0].dueAt, '2027-01-25T07:00:00.000Z');
    });

    it('nothing without consent or for a closed case', () => {
      assert.deepEqual(consentReminders(aCase({ consent: undefined }), LONG_AGO, isHoliday), []);
      assert.deepEqual(consentReminders(aCase({ status: 'closed', outcome: 'other' }), LONG_AGO, isHoliday), []);
    });

    // Inside the 14 days the due instant follows from when the consent was recorded, not from `now`, so a
    // re-computation on a later day (reminderScheduler.onCase) gives the same item or none.
    it('is deterministic inside the 14 days too: the same consent gives the same item on later days', () => {
      const late = aCase({ consent: { scope: 's', expires: '2027-01-31', recordedBy: 'eht-1', recordedAt: '2027-01-20T09:00:00.000Z' } });
      const day1 = consentReminders(late, at('2027-01-20T10:00:00+01:00'), isHoliday);
      const day2 = consentReminders(late, at('2027-01-21T07:30:00+01:00'), isHoliday);
      assert.equal(day2[0]?.key, day1[0].key);
      // Either no item at all once it has been due, or the very same item (same key and due instant).
      assert.ok(day2.length === 0 || day2[0].dueAt === day1[0].dueAt, `same key ${day1[0].key} due ${day1[0].dueAt} and again ${day2[0]?.dueAt}`);
    });
  });

  describe('intake escalation (unclaimed concerns)', () => {
    const settings = { escalationWorkingDays: 1 };
    const iso = (local: string) => new Date(local).toISOString();
    const raised = (createdAt: string, extra: Partial<Case> = {}) => aCase({ status: 'new', createdAt: iso(createdAt), assignedAt: iso(createdAt), ...extra });

    it('one working day after it was raised, at the same time of day, to the group leader', () => {
      assert.deepEqual(escalationItem(raised('2026-11-23T09:15:00+01:00'), 'gl-1', settings, LONG_AGO, isHoliday), [{
        key: 'unclaimedConcern|SST-2026-0001|2026-11-23T08:15:00.000Z|gl-1', kind: 'unclaimedConcern', dueAt: '2026-11-24T08:15:00.000Z',
        recipientId: 'gl-1', teamId: 'sst-1', caseCode: 'SST-2026-0001', ref: { since: '2026-11-23T08:15:00.000Z' },
      }]);
    });

    it('counts working days only: Friday → Monday, a holiday skipped, after hours and weekends from the next morning', () => {
      const due = (iso: string, days = 1) => afterWorkingDays(new Date(iso), days, isHoliday).toISOString();
      assert.equal(due('2026-11-27T16:00:00+01:00'), '2026-11-30T15:00:00.000Z', 'Friday 16:00 → Monday 16:00');
      assert.equal(due('2026-11-28T11:00:00+01:00'), '2026-12-01T07:00:00.000Z', 'Saturday → Tuesday 08:00 (Monday 08:00 is when it starts to count)');
      assert.equal(due('2026-11-23T18:30:00+01:00'), '2026-11-25T07:00:00.000Z', 'after 17: from Tuesday 08:00, due Wednesday 08:00');
      assert.equal(due('2026-11-23T06:00:00+01:00'), '2026-11-24T07:00:00.000Z', 'before 08: from Monday 08:00');
      // Kristi himmelfärdsdag 2026 is Thursday 14 May: Wednesday 10:00 → Friday 10:00.
      assert.equal(due('2026-05-13T10:00:00+02:00'), '2026-05-15T08:00:00.000Z');
      // Christmas: 23 Dec (Wed) 10:00 → 24 (julafton), 25, 26, 27 off → 28 Dec 10:00.
      assert.equal(due('2026-12-23T10:00:00+01:00'), '2026-12-28T09:00:00.000Z');
      assert.equal(due('2026-11-23T09:00:00+01:00', 3), '2026-11-26T08:00:00.000Z', 'the municipality may allow more days');
    });

    it('counts from when it was last given to someone (a reassigned concern starts again), and is only for concerns nobody took', () => {
      assert.equal(escalationItem(raised('2026-11-23T09:00:00+01:00', { assignedAt: iso('2026-11-25T14:00:00+01:00') }), 'gl-1', settings, LONG_AGO, isHoliday)[0].dueAt, '2026-11-26T13:00:00.000Z');
      assert.deepEqual(escalationItem(raised('2026-11-23T09:00:00+01:00', { status: 'accepted' }), 'gl-1', settings, LONG_AGO, isHoliday), []);
      assert.deepEqual(escalationItem(raised('2026-11-23T09:00:00+01:00'), undefined, settings, LONG_AGO, isHoliday), [], 'no group leader');
      assert.deepEqual(escalationItem(raised('2026-11-23T09:00:00+01:00'), 'gl-1', settings, at('2026-11-24T08:00:00Z'), isHoliday), [], 'already past');
    });
  });

  describe('intensiveReminders (the insats on the case)', () => {
    const insats = (intensiveUntil: string, recordedAt = '2026-09-01T08:00:00.000Z') => ({ form: 'service' as const, kind: 'family' as const, start: '2026-09-01', intensiveUntil, recordedBy: 'sw-1', recordedAt });

    it('a week before the intensive phase ends, 08:00 on a working day, to the social worker', () => {
      const items = intensiveReminders(aCase({ insats: insats('2026-11-30') }), LONG_AGO, isHoliday);
      assert.deepEqual(items.map((i) => [i.kind, i.recipientId, i.dueAt, i.ref.until]), [['intensiveEnding', 'sw-1', '2026-11-23T07:00:00.000Z', '2026-11-30']]);
      // 2027-01-13 − 7 = Wed 6 Jan (trettondedag jul) → Tue 5 Jan.
      assert.equal(intensiveReminders(aCase({ insats: insats('2027-01-13') }), LONG_AGO, isHoliday)[0].dueAt, '2027-01-05T07:00:00.000Z');
    });

    it('recorded less than a week before its end: the next working morning; none without an insats or on a closed case', () => {
      assert.equal(intensiveReminders(aCase({ insats: insats('2026-11-30', '2026-11-26T10:00:00+01:00') }), LONG_AGO, isHoliday)[0].dueAt, '2026-11-27T07:00:00.000Z');
      assert.deepEqual(intensiveReminders(aCase(), LONG_AGO, isHoliday), []);
      assert.deepEqual(intensiveReminders(aCase({ insats: insats('2026-11-30'), status: 'closed', outcome: 'goalsMet' }), LONG_AGO, isHoliday), []);
    });
  });

  describe('inactivityReminder', () => {
    it('30 days after the last activity, 08:00, to the case social worker', () => {
      assert.deepEqual(inactivityReminder(aCase(), at('2026-09-02T10:00:00Z'), isHoliday), [{
        key: 'inactiveCase|SST-2026-0001|2026-09-01|sw-1', kind: 'inactiveCase', dueAt: '2026-10-01T06:00:00.000Z',
        recipientId: 'sw-1', teamId: 'sst-1', caseCode: 'SST-2026-0001', ref: { since: '2026-09-01' },
      }]);
    });

    it('moves forward past weekends and holidays, in either time', () => {
      const due = (lastActivityAt: string) => inactivityReminder(aCase({ lastActivityAt }), LONG_AGO, isHoliday)[0].dueAt;
      assert.equal(due('2026-11-24T10:00:00Z'), '2026-12-28T07:00:00.000Z'); // +30 = julafton → Mon 28th
      assert.equal(due('2026-10-01T10:00:00Z'), '2026-11-02T07:00:00.000Z'); // +30 = alla helgons dag (Sat)
      assert.equal(due('2026-02-28T10:00:00Z'), '2026-03-30T06:00:00.000Z'); // Mon after the spring change
      assert.equal(due('2026-09-26T10:00:00Z'), '2026-10-26T07:00:00.000Z'); // Mon after the autumn change
    });

    it('nothing for a closed case or once the time has passed; a later activity is another key', () => {
      assert.deepEqual(inactivityReminder(aCase({ status: 'closed' }), LONG_AGO, isHoliday), []);
      assert.deepEqual(inactivityReminder(aCase(), at('2026-10-01T06:00:00Z'), isHoliday), []);
      const a = inactivityReminder(aCase(), LONG_AGO, isHoliday)[0];
      const b = inactivityReminder(aCase({ lastActivityAt: '2026-09-10T10:00:00Z' }), LONG_AGO, isHoliday)[0];
      assert.notEqual(a.key, b.key);
    });
  });

  describe('yearlyReportReminder', () => {
    it('2026-03-01 is a Sunday: Mon 2026-03-02 08:00 CET to the group leader', () => {
      assert.deepEqual(yearlyReportReminder('sst-1', 'gl-1', at('2026-02-10T12:00:00Z'), isHoliday), {
        key: 'yearlyReport|sst-1|2026|gl-1', kind: 'yearlyReport', dueAt: '2026-03-02T07:00:00.000Z',
        recipientId: 'gl-1', teamId: 'sst-1', caseCode: undefined, ref: { year: '2026' },
      });
    });

    it('from its time on, the next one: 2027-03-01 is a Monday', () => {
      assert.equal(yearlyReportReminder('sst-1', 'gl-1', at('2026-03-02T06:59:59.999Z'), isHoliday).dueAt, '2026-03-02T07:00:00.000Z');
      const next = yearlyReportReminder('sst-1', 'gl-1', at('2026-03-02T07:00:00Z'), isHoliday);
      assert.equal(next.dueAt, '2027-03-01T07:00:00.000Z');
      assert.equal(next.ref.year, '2027');
      assert.deepEqual(yearlyReportReminder('sst-1', 'gl-1', at('2026-06-01T12:00:00Z'), isHoliday), next, 'same item all year');
    });

    it('uses the Stockholm year on New Year’s night (2028-03-01 is a Wednesday)', () => {
      assert.equal(yearlyReportReminder('sst-1', 'gl-1', at('2027-12-31T23:30:00Z'), isHoliday).dueAt, '2028-03-01T07:00:00.000Z');
      // Another municipality's deadline (30 September): 31 August, on a working day.
      assert.equal(yearlyReportReminder('sst-1', 'gl-1', at('2026-02-10T12:00:00Z'), isHoliday, { periodStart: '08-01', deadline: '09-30' }).dueAt, '2026-08-31T06:00:00.000Z');
    });
  });

  describe('digestItem', () => {
    it('07:30 today when it is still before 07:30 on a working day', () => {
      assert.deepEqual(digestItem('sst-1', 'gl-1', at('2026-11-27T07:29:00+01:00'), isHoliday), {
        key: 'digest|sst-1|2026-11-27|gl-1', kind: 'digest', dueAt: '2026-11-27T06:30:00.000Z',
        recipientId: 'gl-1', teamId: 'sst-1', caseCode: undefined, ref: { day: '2026-11-27' },
      });
    });

    it('at 07:30 or 07:31 on a Friday, or on the weekend: Monday', () => {
      for (const now of ['2026-11-27T07:30:00+01:00', '2026-11-27T07:31:00+01:00', '2026-11-28T12:00:00+01:00', '2026-11-30T07:29:59+01:00']) {
        assert.equal(digestItem('sst-1', 'gl-1', at(now), isHoliday).dueAt, '2026-11-30T06:30:00.000Z', now);
      }
    });

    it('skips holidays', () => {
      assert.equal(digestItem('sst-1', 'gl-1', at('2026-12-23T07:31:00+01:00'), isHoliday).dueAt, '2026-12-28T06:30:00.000Z');
      assert.equal(digestItem('sst-1', 'gl-1', at('2026-04-02T07:31:00+02:00'), isHoliday).dueAt, '2026-04-07T05:30:00.000Z');
      assert.equal(digestItem('sst-1', 'gl-1', at('2026-06-18T07:31:00+02:00'), isHoliday).dueAt, '2026-06-22T05:30:00.000Z');
    });

    it('crosses the daylight-saving changes', () => {
      assert.equal(digestItem('sst-1', 'gl-1', at('2026-03-27T07:31:00+01:00'), isHoliday).dueAt, '2026-03-30T05:30:00.000Z');
      assert.equal(digestItem('sst-1', 'gl-1', at('2026-03-29T01:00:00+01:00'), isHoliday).dueAt, '2026-03-30T05:30:00.000Z');
      assert.equal(digestItem('sst-1', 'gl-1', at('2026-10-23T07:31:00+02:00'), isHoliday).dueAt, '2026-10-26T06:30:00.000Z');
    });

    it('chained from each digest to the next, fires once on every working day of 2026 and 2027 at 07:30 and never otherwise', () => {
      const fired: string[] = [];
      let now = at('2026-01-01T00:00:00+01:00');
      for (;;) {
        const next = digestItem('sst-1', 'gl-1', now, isHoliday);
        if (next.dueAt >= '2028-01-01') break;
        assert.equal(localClock(next.dueAt), '07:30', next.dueAt);
        assert.equal(next.ref.day, localDate(next.dueAt));
        fired.push(next.ref.day);
        now = new Date(next.dueAt);
      }
      const expected: string[] = [];
      eachDay('2026-01-01', '2027-12-31', (d) => {
        if (isWorkingDay(d, isHoliday)) expected.push(d);
      });
      assert.deepEqual(fired, expected);
      assert.equal(new Set(fired.map((d) => `digest|sst-1|${d}|gl-1`)).size, fired.length);
    });
  });
});
