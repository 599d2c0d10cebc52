import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { isWorkingDay, mergeRanges, slotProblem, suggestSlots } from '../../src/domain/slots';
import { swedishHolidays } from '../../src/services/holidays';

const isHoliday = swedishHolidays();
const local = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Stockholm' }).toJSDate();
const fmt = (d: Date) => DateTime.fromJSDate(d, { zone: 'Europe/Stockholm' }).toFormat("yyyy-MM-dd'T'HH:mm");

describe('domain/slots', () => {
  describe('slotProblem', () => {
    const now = local('2026-11-23T09:00');
    it('accepts a weekday slot within 08–17', () => assert.equal(slotProblem(local('2026-11-24T08:00'), 60, now, isHoliday, []), undefined));
    it('accepts a slot ending exactly at 17:00', () => assert.equal(slotProblem(local('2026-11-24T16:00'), 60, now, isHoliday, []), undefined));
    it('refuses 18:00 and a slot running past 17:00', () => {
      assert.equal(slotProblem(local('2026-11-24T18:00'), 60, now, isHoliday, []), 'outsideHours');
      assert.equal(slotProblem(local('2026-11-24T16:30'), 60, now, isHoliday, []), 'outsideHours');
      assert.equal(slotProblem(local('2026-11-24T07:30'), 60, now, isHoliday, []), 'outsideHours');
    });
    it('refuses the past and now', () => {
      assert.equal(slotProblem(local('2026-11-23T08:00'), 60, now, isHoliday, []), 'past');
      assert.equal(slotProblem(now, 60, now, isHoliday, []), 'past');
    });
    it('refuses weekends and Swedish holidays, including julafton and midsommarafton', () => {
      assert.equal(slotProblem(local('2026-11-28T10:00'), 60, now, isHoliday, []), 'weekend');
      assert.equal(slotProblem(local('2026-12-25T10:00'), 60, now, isHoliday, []), 'holiday');
      assert.equal(slotProblem(local('2026-12-24T10:00'), 60, now, isHoliday, []), 'holiday');
      assert.equal(slotProblem(local('2027-06-25T10:00'), 60, now, isHoliday, []), 'holiday'); // midsommarafton 2027
      assert.equal(slotProblem(local('2027-05-06T10:00'), 60, now, isHoliday, []), 'holiday'); // Kristi himmelsfärd 2027
    });
    it('refuses overlaps but not touching meetings', () => {
      const busy = [{ start: local('2026-11-24T10:00'), end: local('2026-11-24T11:00') }];
      assert.equal(slotProblem(local('2026-11-24T10:30'), 60, now, isHoliday, busy), 'overlap');
      assert.equal(slotProblem(local('2026-11-24T09:30'), 60, now, isHoliday, busy), 'overlap');
      assert.equal(slotProblem(local('2026-11-24T11:00'), 60, now, isHoliday, busy), undefined);
      assert.equal(slotProblem(local('2026-11-24T09:00'), 60, now, isHoliday, busy), undefined);
    });
    it('refuses invalid input', () => {
      assert.equal(slotProblem(new Date('nope'), 60, now, isHoliday, []), 'invalid');
      assert.equal(slotProblem(local('2026-11-24T10:00'), 0, now, isHoliday, []), 'invalid');
    });
  });

  describe('across daylight-saving changes', () => {
    // 2026-03-29 (last Sunday of March): clocks 02:00 → 03:00. 2026-10-25: 03:00 → 02:00.
    it('the Monday after spring forward: 08:00 local is 06:00 UTC and bookable; 07:00 UTC (09 local) too', () => {
      const now = local('2026-03-27T12:00');
      assert.equal(local('2026-03-30T08:00').toISOString(), '2026-03-30T06:00:00.000Z');
      assert.equal(slotProblem(new Date('2026-03-30T06:00:00Z'), 60, now, isHoliday, []), undefined);
      assert.equal(slotProblem(new Date('2026-03-30T05:30:00Z'), 60, now, isHoliday, []), 'outsideHours'); // 07:30 CEST
      assert.equal(slotProblem(new Date('2026-03-30T15:00:00Z'), 60, now, isHoliday, []), 'outsideHours'); // 17:00 CEST
    });
    it('the Monday after fall back: 08:00 local is 07:00 UTC', () => {
      const now = local('2026-10-23T12:00');
      assert.equal(slotProblem(new Date('2026-10-26T07:00:00Z'), 60, now, isHoliday, []), undefined);
      assert.equal(slotProblem(new Date('2026-10-26T06:00:00Z'), 60, now, isHoliday, []), 'outsideHours'); // 07:00 CET
      assert.equal(slotProblem(new Date('2026-10-26T15:00:00Z'), 60, now, isHoliday, []), undefined); // 16:00 CET, ends 17:00
      assert.equal(slotProblem(new Date('2026-10-26T15:30:00Z'), 60, now, isHoliday, []), 'outsideHours'); // 16:30 CET
    });
    it('suggestions over the spring weekend start at 08:00 local on both sides of the change', () => {
      const slots = suggestSlots({ minutes: 60, now: local('2026-03-27T07:00'), isHoliday, busy: [], count: 4, perDay: 2 });
      assert.deepEqual(slots.map(fmt), ['2026-03-27T08:00', '2026-03-27T09:00', '2026-03-30T08:00', '2026-03-30T09:00']);
      assert.equal(slots[2].toISOString(), '2026-03-30T06:00:00.000Z');
      assert.equal(slots[0].toISOString(), '2026-03-27T07:00:00.000Z');
    });
    it('suggestions over the autumn weekend start at 08:00 local on both sides of the change', () => {
      const slots = suggestSlots({ minutes: 60, now: local('2026-10-23T07:00'), isHoliday, busy: [], count: 3, perDay: 1 });
      assert.deepEqual(slots.map((d) => d.toISOString()), ['2026-10-23T06:00:00.000Z', '2026-10-26T07:00:00.000Z', '2026-10-27T07:00:00.000Z']);
    });
  });

  describe('suggestSlots', () => {
    it('skips holidays, weekends, busy time and the next hour, and never overlaps its own suggestions', () => {
      const now = local('2026-12-23T15:10');
      const busy = [{ start: local('2026-12-28T08:00'), end: local('2026-12-28T09:30') }];
      const slots = suggestSlots({ minutes: 45, now, isHoliday, busy, count: 4, perDay: 2 });
      // 23 Dec: 16:30 would run past 17; 24–27 Dec holidays/weekend; 28 Dec busy until 09:30
      assert.deepEqual(slots.map(fmt), ['2026-12-28T09:30', '2026-12-28T10:30', '2026-12-29T08:00', '2026-12-29T09:00']);
      for (const s of slots) assert.equal(slotProblem(s, 45, now, isHoliday, busy), undefined);
    });
    it('returns fewer when the horizon is full', () => {
      const now = local('2026-11-23T07:00');
      const busy = [{ start: local('2026-11-23T08:00'), end: local('2026-12-31T17:00') }];
      assert.deepEqual(suggestSlots({ minutes: 60, now, isHoliday, busy, count: 3, horizonDays: 10 }), []);
    });
  });

  it('isWorkingDay', () => {
    assert.equal(isWorkingDay('2026-11-23', isHoliday), true);
    assert.equal(isWorkingDay('2026-11-22', isHoliday), false);
    assert.equal(isWorkingDay('2026-06-19', isHoliday), false); // midsommarafton
    assert.equal(isWorkingDay('2026-01-06', isHoliday), false); // trettondedag jul
  });

  it('mergeRanges merges overlapping and touching ranges', () => {
    const r = (a: string, b: string) => ({ start: new Date(a), end: new Date(b) });
    const merged = mergeRanges([r('2026-01-01T10:00Z', '2026-01-01T11:00Z'), r('2026-01-01T08:00Z', '2026-01-01T09:00Z'), r('2026-01-01T09:00Z', '2026-01-01T09:30Z'), r('2026-01-01T10:30Z', '2026-01-01T10:45Z')]);
    assert.deepEqual(merged.map((m) => [m.start.toISOString(), m.end.toISOString()]), [
      ['2026-01-01T08:00:00.000Z', '2026-01-01T09:30:00.000Z'],
      ['2026-01-01T10:00:00.000Z', '2026-01-01T11:00:00.000Z'],
    ]);
  });
});
