import assert from 'node:assert/strict';
import { daysUntil, parseCalendarDate, stockholmDate, stockholmDateOfIso } from '../../src/domain/time';

const at = (iso: string) => new Date(iso);

describe('domain/time', () => {
  describe('stockholmDate', () => {
    it('is already the next day shortly after midnight UTC+1 in winter', () => {
      assert.equal(stockholmDate(at('2026-01-14T22:59:59Z')), '2026-01-14');
      assert.equal(stockholmDate(at('2026-01-14T23:00:00Z')), '2026-01-15');
    });
    it('turns at 22:00 UTC in summer (UTC+2)', () => {
      assert.equal(stockholmDate(at('2026-06-14T21:59:59Z')), '2026-06-14');
      assert.equal(stockholmDate(at('2026-06-14T22:00:00Z')), '2026-06-15');
    });
    it('follows the spring change on 2026-03-29 (midnight is still UTC+1, the next is UTC+2)', () => {
      assert.equal(stockholmDate(at('2026-03-28T22:59:59Z')), '2026-03-28');
      assert.equal(stockholmDate(at('2026-03-28T23:00:00Z')), '2026-03-29');
      assert.equal(stockholmDate(at('2026-03-29T21:59:59Z')), '2026-03-29');
      assert.equal(stockholmDate(at('2026-03-29T22:00:00Z')), '2026-03-30');
    });
    it('follows the autumn change on 2026-10-25 (midnight is still UTC+2, the next is UTC+1)', () => {
      assert.equal(stockholmDate(at('2026-10-24T21:59:59Z')), '2026-10-24');
      assert.equal(stockholmDate(at('2026-10-24T22:00:00Z')), '2026-10-25');
      assert.equal(stockholmDate(at('2026-10-25T22:59:59Z')), '2026-10-25');
      assert.equal(stockholmDate(at('2026-10-25T23:00:00Z')), '2026-10-26');
    });
  });

  describe('daysUntil', () => {
    it('is 0 for today, 1 for tomorrow and negative for the past', () => {
      const now = at('2026-06-15T10:00:00Z');
      assert.equal(daysUntil(now, '2026-06-15'), 0);
      assert.equal(daysUntil(now, '2026-06-16'), 1);
      assert.equal(daysUntil(now, '2026-06-14'), -1);
      assert.equal(daysUntil(now, '2027-06-15'), 365);
    });
    it('counts from the Stockholm date, not the UTC date', () => {
      const lateEvening = at('2026-06-14T22:30:00Z'); // 00:30 on 15 June in Stockholm
      assert.equal(daysUntil(lateEvening, '2026-06-15'), 0);
      assert.equal(daysUntil(lateEvening, '2026-06-16'), 1);
    });
    it('counts whole days across the DST changes (23- and 25-hour days)', () => {
      assert.equal(daysUntil(at('2026-03-28T23:30:00Z'), '2026-03-30'), 1); // 00:30 on 29 March
      assert.equal(daysUntil(at('2026-03-28T12:00:00Z'), '2026-03-30'), 2);
      assert.equal(daysUntil(at('2026-10-24T22:30:00Z'), '2026-10-26'), 1); // 00:30 on 25 October
      assert.equal(daysUntil(at('2026-10-24T12:00:00Z'), '2026-10-26'), 2);
      assert.equal(daysUntil(at('2026-01-01T12:00:00Z'), '2026-12-31'), 364);
    });
  });

  describe('parseCalendarDate', () => {
    it('parses a real date as midnight in Stockholm', () => {
      const d = parseCalendarDate('2026-06-15');
      assert.ok(d);
      assert.equal(d.toISO(), '2026-06-15T00:00:00.000+02:00');
    });
    it('accepts 29 February in a leap year', () => assert.ok(parseCalendarDate('2028-02-29')));
    for (const text of ['2026-02-30', '2027-02-29', '2026-13-01', '2026-04-31', '2026-00-10']) {
      it(`rejects the impossible date ${text}`, () => assert.equal(parseCalendarDate(text), undefined));
    }
    for (const text of ['2026-6-15', '15/06/2026', '20260615', '2026-06-15T10:00', ' 2026-06-15', '', 'idag']) {
      it(`rejects "${text}", which is not YYYY-MM-DD`, () => assert.equal(parseCalendarDate(text), undefined));
    }
  });
});

describe('stockholmDateOfIso: the Stockholm date of a stored instant, looked up once per UTC hour', () => {
  it('agrees with stockholmDate around midnight, both DST changes and the year end', () => {
    const start = Date.parse('2026-03-27T00:00:00Z');
    for (let t = start; t < start + 5 * 86_400_000; t += 7 * 60_000) assert.equal(stockholmDateOfIso(new Date(t).toISOString()), stockholmDate(new Date(t)));
    for (const iso of ['2026-10-24T21:59:59.999Z', '2026-10-24T22:00:00.000Z', '2026-10-25T22:59:00Z', '2026-10-25T23:00:00Z', '2026-12-31T22:59:59Z', '2026-12-31T23:00:00Z']) {
      assert.equal(stockholmDateOfIso(iso), stockholmDate(new Date(iso)), iso);
    }
    assert.equal(stockholmDateOfIso('2026-06-01T23:30:00+02:00'), '2026-06-01', 'an offset other than Z is read in full');
  });
});
