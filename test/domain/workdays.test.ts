import assert from 'node:assert/strict';
import { addWorkingDays, atLocal, plusDays, previousWorkingDay, workingDayOnOrAfter, workingDayOnOrBefore } from '../../src/domain/workdays';
import { stockholmDate } from '../../src/domain/time';
import { swedishHolidays } from '../../src/services/holidays';

const isHoliday = swedishHolidays();
const noHolidays = () => false;

describe('domain/workdays', () => {
  describe('atLocal', () => {
    it('is 08:00 Stockholm: 07:00Z in winter, 06:00Z in summer', () => {
      assert.equal(atLocal('2026-12-03', '08:00').toISOString(), '2026-12-03T07:00:00.000Z');
      assert.equal(atLocal('2026-06-04', '08:00').toISOString(), '2026-06-04T06:00:00.000Z');
      assert.equal(atLocal('2026-06-04', '07:30').toISOString(), '2026-06-04T05:30:00.000Z');
    });
    it('switches on the change days themselves (2026-03-29 and 2026-10-25)', () => {
      assert.equal(atLocal('2026-03-28', '08:00').toISOString(), '2026-03-28T07:00:00.000Z');
      assert.equal(atLocal('2026-03-29', '08:00').toISOString(), '2026-03-29T06:00:00.000Z');
      assert.equal(atLocal('2026-10-24', '08:00').toISOString(), '2026-10-24T06:00:00.000Z');
      assert.equal(atLocal('2026-10-25', '08:00').toISOString(), '2026-10-25T07:00:00.000Z');
    });
    it('stays on the asked date for the skipped and the repeated hour', () => {
      assert.equal(stockholmDate(atLocal('2026-03-29', '02:30')), '2026-03-29');
      assert.equal(stockholmDate(atLocal('2026-10-25', '02:30')), '2026-10-25');
    });
  });

  describe('plusDays', () => {
    it('counts calendar days across the changes, month ends and leap days', () => {
      assert.equal(plusDays('2026-03-28', 1), '2026-03-29');
      assert.equal(plusDays('2026-03-29', 1), '2026-03-30');
      assert.equal(plusDays('2026-10-26', -1), '2026-10-25');
      assert.equal(plusDays('2026-12-10', -7), '2026-12-03');
      assert.equal(plusDays('2026-03-01', -1), '2026-02-28');
      assert.equal(plusDays('2028-02-28', 1), '2028-02-29');
      assert.equal(plusDays('2026-12-31', 1), '2027-01-01');
    });
  });

  describe('workingDayOnOrBefore / workingDayOnOrAfter', () => {
    it('keeps a working day', () => {
      assert.equal(workingDayOnOrBefore('2026-11-25', isHoliday), '2026-11-25');
      assert.equal(workingDayOnOrAfter('2026-11-25', isHoliday), '2026-11-25');
    });
    it('moves off weekends', () => {
      assert.equal(workingDayOnOrBefore('2026-11-28', isHoliday), '2026-11-27');
      assert.equal(workingDayOnOrAfter('2026-11-28', isHoliday), '2026-11-30');
    });
    it('moves off röda dagar and the eves workplaces close on', () => {
      assert.equal(workingDayOnOrAfter('2026-12-24', isHoliday), '2026-12-28');
      assert.equal(workingDayOnOrBefore('2026-12-27', isHoliday), '2026-12-23');
      assert.equal(workingDayOnOrAfter('2026-12-31', isHoliday), '2027-01-04');
      assert.equal(workingDayOnOrBefore('2027-01-01', isHoliday), '2026-12-30');
      assert.equal(workingDayOnOrAfter('2026-06-19', isHoliday), '2026-06-22'); // midsommarafton
      assert.equal(workingDayOnOrBefore('2026-06-19', isHoliday), '2026-06-18');
      assert.equal(workingDayOnOrAfter('2026-04-03', isHoliday), '2026-04-07'); // långfredagen … annandag påsk
      assert.equal(workingDayOnOrBefore('2026-05-14', isHoliday), '2026-05-13'); // Kristi himmelsfärd
    });
    it('only weekends count without a holiday calendar', () => {
      assert.equal(workingDayOnOrAfter('2026-12-24', noHolidays), '2026-12-24');
      assert.equal(workingDayOnOrAfter('2026-12-26', noHolidays), '2026-12-28');
    });
  });

  describe('addWorkingDays', () => {
    it('does not count the date itself', () => {
      assert.equal(addWorkingDays('2026-11-27', 1, isHoliday), '2026-11-30');
      assert.equal(addWorkingDays('2026-11-28', 1, isHoliday), '2026-11-30');
      assert.equal(addWorkingDays('2026-12-10', 3, isHoliday), '2026-12-15');
    });
    it('skips holidays', () => {
      assert.equal(addWorkingDays('2026-12-22', 3, isHoliday), '2026-12-29');
      assert.equal(addWorkingDays('2026-12-23', 1, isHoliday), '2026-12-28');
      assert.equal(addWorkingDays('2026-04-01', 3, isHoliday), '2026-04-08');
      assert.equal(addWorkingDays('2026-12-30', 1, isHoliday), '2027-01-04');
    });
  });

  describe('previousWorkingDay', () => {
    it('is the working day before, past weekends and holidays', () => {
      assert.equal(previousWorkingDay('2026-11-26', isHoliday), '2026-11-25');
      assert.equal(previousWorkingDay('2026-11-30', isHoliday), '2026-11-27');
      assert.equal(previousWorkingDay('2026-12-28', isHoliday), '2026-12-23');
      assert.equal(previousWorkingDay('2026-04-07', isHoliday), '2026-04-02');
      assert.equal(previousWorkingDay('2026-05-15', isHoliday), '2026-05-13');
      assert.equal(previousWorkingDay('2027-01-07', isHoliday), '2027-01-05');
      assert.equal(previousWorkingDay('2026-03-30', isHoliday), '2026-03-27');
    });
  });
});
