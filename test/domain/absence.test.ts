import assert from 'node:assert/strict';
import { MAX_ABSENCE_MEASURES, absenceMeasure, addAbsence, bandOf, beforeAfter, checkAbsence, parseAbsence, totalAbsence, type AbsenceMeasure } from '../../src/domain/absence';
import { DomainError } from '../../src/domain/errors';

const domainCode = (code: string) => (err: unknown) => {
  assert.ok(err instanceof DomainError, String(err));
  assert.equal(err.code, code);
  return true;
};

const m = (at: AbsenceMeasure['at'], valid: number, invalid: number, date = '2026-11-23'): AbsenceMeasure => ({ at, date, valid, invalid, recordedBy: 'sw-1', recordedAt: `${date}T09:00:00.000Z` });

describe('domain/absence', () => {
  describe('checkAbsence', () => {
    it('takes whole numbers 0–100 that together are at most 100', () => {
      assert.deepEqual(checkAbsence(0, 0), { valid: 0, invalid: 0 });
      assert.deepEqual(checkAbsence(100, 0), { valid: 100, invalid: 0 });
      assert.deepEqual(checkAbsence(40, 60), { valid: 40, invalid: 60 });
    });
    it('refuses a percentage outside 0–100 or not whole, naming the field', () => {
      for (const [valid, invalid, field] of [[-1, 0, 'valid'], [101, 0, 'valid'], [0, 101, 'invalid'], [12.5, 0, 'valid'], [0, Number.NaN, 'invalid']] as const) {
        assert.throws(() => checkAbsence(valid, invalid), (err: unknown) => domainCode('absence.percent')(err) && (err as DomainError).details.field === field);
      }
    });
    it('refuses valid and unexcused together over 100', () => {
      assert.throws(() => checkAbsence(70, 40), domainCode('absence.sum'));
      assert.throws(() => checkAbsence(50, 51), domainCode('absence.sum'));
    });
  });

  describe('parseAbsence', () => {
    it('reads whole percentages as typed (a number input may send "12.0")', () => {
      assert.deepEqual(parseAbsence({ absenceValid: '12', absenceInvalid: ' 18 ' }), { ok: true, absence: { valid: 12, invalid: 18 } });
      assert.deepEqual(parseAbsence({ absenceValid: '12.0', absenceInvalid: '0' }), { ok: true, absence: { valid: 12, invalid: 0 } });
    });
    it('says what is wrong with each field, all at once', () => {
      assert.deepEqual(parseAbsence({}), { ok: false, errors: { absenceValid: 'required', absenceInvalid: 'required' } });
      assert.deepEqual(parseAbsence({ absenceValid: '101', absenceInvalid: '-1' }), { ok: false, errors: { absenceValid: 'percent', absenceInvalid: 'percent' } });
      assert.deepEqual(parseAbsence({ absenceValid: '1e1', absenceInvalid: '12,5' }), { ok: false, errors: { absenceValid: 'percent', absenceInvalid: 'percent' } });
      assert.deepEqual(parseAbsence({ absenceValid: '70', absenceInvalid: '40' }), { ok: false, errors: { absenceInvalid: 'absenceSum' } });
    });
    it('optional: both empty is no measure, one without the other is still a problem', () => {
      assert.deepEqual(parseAbsence({ absenceValid: '', absenceInvalid: ' ' }, { optional: true }), { ok: true });
      assert.deepEqual(parseAbsence({ absenceValid: '5' }, { optional: true }), { ok: false, errors: { absenceInvalid: 'required' } });
    });
  });

  describe('absenceMeasure', () => {
    it('dates the measure on the Stockholm calendar and checks it again', () => {
      const late = new Date('2026-11-23T23:30:00Z'); // already 24 November in Stockholm
      assert.deepEqual(absenceMeasure('review', { valid: 8, invalid: 10 }, 'sw-1', late), { at: 'review', date: '2026-11-24', valid: 8, invalid: 10, recordedBy: 'sw-1', recordedAt: late.toISOString() });
      assert.throws(() => absenceMeasure('closing', { valid: 60, invalid: 50 }, 'sw-1', late), domainCode('absence.sum'));
    });
  });

  describe('bandOf', () => {
    it('puts a total in the band lists show, at the edges', () => {
      assert.equal(bandOf(0), 'lt10');
      assert.equal(bandOf(9), 'lt10');
      assert.equal(bandOf(10), '10to20');
      assert.equal(bandOf(19), '10to20');
      assert.equal(bandOf(20), '20to50');
      assert.equal(bandOf(50), '20to50');
      assert.equal(bandOf(51), 'gt50');
      assert.equal(bandOf(100), 'gt50');
      assert.equal(bandOf(totalAbsence({ valid: 12, invalid: 18 })), '20to50');
    });
  });

  describe('addAbsence', () => {
    it('adds in order, oldest first', () => {
      const series = addAbsence(addAbsence(undefined, m('intake', 12, 18)), m('review', 8, 10));
      assert.deepEqual(series.map((x) => x.at), ['intake', 'review']);
    });
    it(`keeps at most ${MAX_ABSENCE_MEASURES}: drops the oldest review, never the intake`, () => {
      let series = addAbsence(undefined, m('intake', 30, 20));
      for (let i = 0; i < MAX_ABSENCE_MEASURES + 5; i++) series = addAbsence(series, m('review', i % 50, 0, `2027-01-${String((i % 28) + 1).padStart(2, '0')}`));
      series = addAbsence(series, m('closing', 1, 1));
      assert.equal(series.length, MAX_ABSENCE_MEASURES);
      assert.equal(series[0].at, 'intake');
      assert.equal(series[0].valid, 30);
      assert.equal(series[series.length - 1].at, 'closing');
      // The reviews kept are the latest ones.
      assert.equal(series[series.length - 2].valid, (MAX_ABSENCE_MEASURES + 4) % 50);
    });
  });

  describe('beforeAfter', () => {
    it('is undefined with no or one value (no change to show)', () => {
      assert.equal(beforeAfter(undefined), undefined);
      assert.equal(beforeAfter([]), undefined);
      assert.equal(beforeAfter([m('intake', 12, 18)]), undefined);
    });
    it('gives the first and the last', () => {
      const series = [m('intake', 12, 18), m('review', 8, 10), m('closing', 2, 1)];
      const ba = beforeAfter(series);
      assert.equal(ba?.before, series[0]);
      assert.equal(ba?.after, series[2]);
    });
  });
});
