import assert from 'node:assert/strict';
import { choosePeriod, defaultReportPeriod, monthsOf, reportPeriod } from '../../src/domain/reportPeriod';
import { DEFAULT_SETTINGS } from '../../src/domain/settings';
import { DomainError } from '../../src/domain/errors';

const settings = DEFAULT_SETTINGS;
const laesaar = { ...DEFAULT_SETTINGS, report: { periodStart: '08-01', deadline: '09-30' } };

describe('report periods', () => {
  it('the municipality\'s report period (a läsår from 1 August), due by its deadline after the period', () => {
    assert.deepEqual(reportPeriod(2026, { periodStart: '01-01', deadline: '03-31' }), { start: '2026-01-01', end: '2026-12-31', deadline: '2027-03-31' });
    assert.deepEqual(reportPeriod(2025, { periodStart: '08-01', deadline: '09-30' }), { start: '2025-08-01', end: '2026-07-31', deadline: '2026-09-30' });
  });

  it('opens on the period being reported until its deadline (Linköping: last year until 31 March), then on this one', () => {
    assert.deepEqual(defaultReportPeriod('2027-03-31', settings), { preset: 'lastYear', start: '2026-01-01', end: '2026-12-31' });
    assert.deepEqual(defaultReportPeriod('2027-04-01', settings), { preset: 'year', start: '2027-01-01', end: '2027-12-31' });
    assert.deepEqual(defaultReportPeriod('2026-09-15', laesaar), { preset: 'lastYear', start: '2025-08-01', end: '2026-07-31' }, 'a läsår report is due 30 September');
    assert.deepEqual(defaultReportPeriod('2026-10-01', laesaar), { preset: 'year', start: '2026-08-01', end: '2027-07-31' });
  });

  it('names this and last term by the municipality\'s läsårstider, or the approximate Swedish terms; in a break, the term just ended', () => {
    assert.deepEqual(choosePeriod('term', '2026-11-26', settings), { preset: 'term', start: '2026-08-18', end: '2026-12-18' });
    assert.deepEqual(choosePeriod('lastTerm', '2026-11-26', settings), { preset: 'lastTerm', start: '2026-01-08', end: '2026-06-10' });
    assert.deepEqual(choosePeriod('term', '2026-07-01', settings), { preset: 'term', start: '2026-01-08', end: '2026-06-10' }, 'summer: the spring term');
    assert.deepEqual(choosePeriod('lastTerm', '2026-03-01', settings), { preset: 'lastTerm', start: '2025-08-18', end: '2025-12-18' });
    const terms = [{ start: '2026-08-17', end: '2026-12-21' }, { start: '2027-01-11', end: '2027-06-11' }];
    assert.deepEqual(choosePeriod('term', '2026-11-26', { ...settings, terms }), { preset: 'term', start: '2026-08-17', end: '2026-12-21' });
    assert.deepEqual(choosePeriod('year', '2026-11-26', settings), { preset: 'year', start: '2026-01-01', end: '2026-12-31' });
    assert.deepEqual(choosePeriod('lastYear', '2026-11-26', laesaar), { preset: 'lastYear', start: '2025-08-01', end: '2026-07-31' });
  });

  it('takes any from–to of real dates, from 2019, start before end, at most three years', () => {
    assert.deepEqual(choosePeriod('custom', '2026-11-26', settings, { from: '2026-02-01', to: '2026-04-30' }), { preset: 'custom', start: '2026-02-01', end: '2026-04-30' });
    const problem = (from: string, to: string) => {
      try {
        choosePeriod('custom', '2026-11-26', settings, { from, to });
        return 'none';
      } catch (err) {
        assert.ok(err instanceof DomainError);
        return err.code;
      }
    };
    assert.equal(problem('', '2026-01-01'), 'report.periodDates');
    assert.equal(problem('2026-02-30', '2026-03-01'), 'report.periodDates');
    assert.equal(problem('1 jan', '2026-03-01'), 'report.periodDates');
    assert.equal(problem('2026-05-01', '2026-03-01'), 'report.periodOrder');
    assert.equal(problem('2018-12-31', '2019-03-01'), 'report.periodEarly');
    assert.equal(problem('2020-01-01', '2023-01-05'), 'report.periodLong');
    assert.equal(problem('2020-01-01', '2022-12-31'), 'none');
  });

  it('lists every month a period touches', () => {
    assert.deepEqual(monthsOf({ start: '2026-08-18', end: '2026-12-18' }), ['2026-08', '2026-09', '2026-10', '2026-11', '2026-12']);
    assert.equal(monthsOf({ start: '2020-01-01', end: '2022-12-31' }).length, 36);
  });
});
