import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { DomainError } from '../../src/domain/errors';
import { checkGoals, GOAL_MAX, MAX_GOALS, nextReview, parseAttainments, recordReview, suggestReviewDate, termEnd, type Plan } from '../../src/domain/plan';
import { isWorkingDay } from '../../src/domain/slots';
import { ZONE } from '../../src/domain/time';
import { swedishHolidays } from '../../src/services/holidays';

const isHoliday = swedishHolidays();
const now = new Date('2026-12-10T13:00:00Z');

function aPlan(overrides: Partial<Plan> = {}): Plan {
  return {
    id: 'plan-1', caseCode: 'SST-2026-0001', teamId: 'sst-1', schoolId: 'ryd', type: 'implementation',
    goals: ['Närvaro över 80 %'], responsibilities: [{ role: 'mentor', what: 'följer upp närvaron' }],
    reviews: [{ date: '2026-12-10', status: 'planned' }], status: 'active', ownerId: 'sw-1', ehtContactId: 'eht-1',
    createdAt: '2026-10-01T08:00:00.000Z', updatedAt: '2026-10-01T08:00:00.000Z',
    ...overrides,
  };
}

const domainCode = (code: string) => (err: unknown) => {
  assert.ok(err instanceof DomainError, String(err));
  assert.equal(err.code, code);
  return true;
};

const days = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = DateTime.fromISO(from, { zone: ZONE }); d.toISODate()! <= to; d = d.plus({ days: 1 })) out.push(d.toISODate()!);
  return out;
};

describe('domain/plan', () => {
  describe('termEnd', () => {
    it('autumn term ends 18 December, spring term 10 June; no term in the breaks', () => {
      assert.equal(termEnd('2026-09-01'), '2026-12-18');
      assert.equal(termEnd('2026-12-20'), undefined);
      assert.equal(termEnd('2026-07-01'), undefined);
      assert.equal(termEnd('2026-01-08'), '2026-06-10');
      assert.equal(termEnd('2026-06-10'), '2026-06-10');
    });
  });

  describe('suggestReviewDate', () => {
    it('six weeks ahead when that is well within the term', () => {
      assert.equal(suggestReviewDate('2026-09-01', isHoliday), '2026-10-13');
      assert.equal(suggestReviewDate('2027-02-01', isHoliday), '2027-03-15');
    });
    it('two weeks before the end of the term at the latest', () => {
      assert.equal(suggestReviewDate('2026-11-23', isHoliday), '2026-12-04');
      assert.equal(suggestReviewDate('2026-05-01', isHoliday), '2026-05-27');
    });
    it('on a working day: six weeks from a Saturday, or onto Kristi himmelsfärd, moves back', () => {
      assert.equal(suggestReviewDate('2026-09-05', isHoliday), '2026-10-16');
      assert.equal(suggestReviewDate('2026-04-02', isHoliday), '2026-05-13');
    });
    it('after the last review date of the autumn term: four weeks into the spring term', () => {
      assert.equal(suggestReviewDate('2026-12-10', isHoliday), '2027-02-05');
    });
    it('for every school day of both terms of 2026 and 2027: a later working day within the term', () => {
      const terms = [['2026-01-08', '2026-06-10'], ['2026-08-17', '2026-12-18'], ['2027-01-08', '2027-06-10'], ['2027-08-16', '2027-12-18']];
      for (const [start, end] of terms) {
        const latest = DateTime.fromISO(end, { zone: ZONE }).minus({ weeks: 2 }).toISODate()!;
        for (const today of days(start, latest)) {
          if (today === latest) continue;
          const suggested = suggestReviewDate(today, isHoliday);
          assert.ok(isWorkingDay(suggested, isHoliday), `${today} → ${suggested} is a working day`);
          assert.ok(suggested > today, `${today} → ${suggested} is later`);
          assert.ok(suggested <= end, `${today} → ${suggested} is within the term ending ${end}`);
        }
      }
    });
    // Regression: after the spring term's last suggested date the fallback "six weeks" used to land in the
    // summer holiday, when neither school nor EHT can hold a review.
    it('never suggests a date in the summer holiday (11 June – 15 August)', () => {
      for (const today of days('2026-05-28', '2026-08-14')) {
        const suggested = suggestReviewDate(today, isHoliday);
        assert.ok(!(suggested >= '2026-06-11' && suggested <= '2026-08-15'), `${today} → ${suggested}`);
      }
    });
  });

  describe('recordReview', () => {
    it('done: the review is recorded with who and when, and the next date is planned', () => {
      const next = recordReview(aPlan(), '2026-12-10', 'done', 'sw-1', now, '2027-02-11');
      assert.deepEqual(next.reviews, [
        { date: '2026-12-10', status: 'done', recordedAt: now.toISOString(), recordedBy: 'sw-1' },
        { date: '2027-02-11', status: 'planned' },
      ]);
      assert.equal(next.status, 'active');
      assert.equal(next.updatedAt, now.toISOString());
      assert.equal(nextReview(next)?.date, '2027-02-11');
    });
    it('moved: the old date is marked moved and the new date is planned', () => {
      const next = recordReview(aPlan(), '2026-12-10', 'moved', 'sw-1', now, '2026-12-17');
      assert.deepEqual(next.reviews.map((r) => [r.date, r.status]), [['2026-12-10', 'moved'], ['2026-12-17', 'planned']]);
      assert.equal(nextReview(next)?.date, '2026-12-17');
    });
    it('ended: the plan ends and no next review is planned even if a date is given', () => {
      const next = recordReview(aPlan(), '2026-12-10', 'ended', 'sw-1', now, '2027-02-11');
      assert.equal(next.status, 'ended');
      assert.deepEqual(next.reviews.map((r) => [r.date, r.status]), [['2026-12-10', 'ended']]);
      assert.equal(nextReview(next), undefined);
    });
    it('does not change the plan it was given', () => {
      const plan = aPlan();
      const copy = structuredClone(plan);
      recordReview(plan, '2026-12-10', 'done', 'sw-1', now, '2027-02-11');
      assert.deepEqual(plan, copy);
    });
    it('refuses an unknown or already recorded review, an ended plan and a next date that is already planned', () => {
      assert.throws(() => recordReview(aPlan(), '2026-12-11', 'done', 'sw-1', now, '2027-02-11'), domainCode('plan.noSuchReview'));
      const done = recordReview(aPlan(), '2026-12-10', 'done', 'sw-1', now, '2027-02-11');
      assert.throws(() => recordReview(done, '2026-12-10', 'done', 'sw-1', now, '2027-03-11'), domainCode('plan.noSuchReview'));
      assert.throws(() => recordReview(aPlan({ status: 'ended' }), '2026-12-10', 'done', 'sw-1', now, '2027-02-11'), domainCode('plan.ended'));
      const two = aPlan({ reviews: [{ date: '2026-12-10', status: 'planned' }, { date: '2027-02-11', status: 'planned' }] });
      assert.throws(() => recordReview(two, '2026-12-10', 'done', 'sw-1', now, '2027-02-11'), domainCode('plan.duplicateReview'));
    });
  });

  describe('goal attainment at a review', () => {
    const two = () => aPlan({ goals: ['Närvaro över 80 %', 'Trygg skolstart'] });
    it('a held review carries one attainment per goal, in the order of the goals', () => {
      const done = recordReview(two(), '2026-12-10', 'done', 'sw-1', now, '2027-02-11', ['partly', 'reached']);
      assert.deepEqual(done.reviews[0].goals, ['partly', 'reached']);
      const ended = recordReview(two(), '2026-12-10', 'ended', 'sw-1', now, undefined, ['reached', 'tooEarly']);
      assert.deepEqual(ended.reviews[0].goals, ['reached', 'tooEarly']);
    });
    it('a moved review was not held: it carries none', () => {
      const moved = recordReview(two(), '2026-12-10', 'moved', 'sw-1', now, '2026-12-17', ['partly', 'reached']);
      assert.equal(moved.reviews[0].goals, undefined);
    });
    it('refuses a count that does not match the goals, or an unknown attainment', () => {
      assert.throws(() => recordReview(two(), '2026-12-10', 'done', 'sw-1', now, '2027-02-11', ['reached']), domainCode('plan.attainmentCount'));
      assert.throws(() => recordReview(two(), '2026-12-10', 'done', 'sw-1', now, '2027-02-11', ['reached', 'reached', 'reached']), domainCode('plan.attainmentCount'));
      assert.throws(() => recordReview(two(), '2026-12-10', 'ended', 'sw-1', now, undefined, ['reached', 'great' as never]), domainCode('plan.attainmentCount'));
    });
    it('parseAttainments: every goal answered with one of the four, each problem beside its goal', () => {
      assert.deepEqual(parseAttainments({ goal1: 'notReached', goal2: 'tooEarly', goal3: 'reached' }, 2), { ok: true, goals: ['notReached', 'tooEarly'] });
      assert.deepEqual(parseAttainments({ goal2: 'sort of' }, 2), { ok: false, errors: { goal1: 'required', goal2: 'invalidChoice' } });
    });
  });

  describe('checkGoals', () => {
    it('trims and drops empty lines', () => {
      assert.deepEqual(checkGoals(['  Närvaro över 80 % ', '', '   ', 'Trygg skolstart']), ['Närvaro över 80 %', 'Trygg skolstart']);
    });
    it(`accepts ${MAX_GOALS} goals of ${GOAL_MAX} characters`, () => {
      const goals = Array.from({ length: MAX_GOALS }, (_, i) => String(i).padEnd(GOAL_MAX, 'x'));
      assert.deepEqual(checkGoals(goals), goals);
    });
    it('refuses no goal, too many goals, a too long goal and a personnummer', () => {
      assert.throws(() => checkGoals([]), domainCode('plan.goalsRequired'));
      assert.throws(() => checkGoals(['  ', '']), domainCode('plan.goalsRequired'));
      assert.throws(() => checkGoals(Array.from({ length: MAX_GOALS + 1 }, (_, i) => `Mål ${i}`)), domainCode('plan.tooManyGoals'));
      assert.throws(() => checkGoals(['x'.repeat(GOAL_MAX + 1)]), domainCode('plan.goalTooLong'));
      assert.throws(() => checkGoals(['Närvaro för 120315-1236']), domainCode('plan.personnummer'));
      assert.throws(() => checkGoals(['Gäller 201203151236']), domainCode('plan.personnummer'));
    });
  });
});
