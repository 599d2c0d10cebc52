import assert from 'node:assert/strict';
import { CASE_CODE_PATTERN, caseCode, identityProblem, nextStep, transition, type Case, type CaseStatus } from '../../src/domain/concern';
import { DomainError } from '../../src/domain/errors';

const created = '2026-09-01T08:00:00.000Z';
const aCase = (status: CaseStatus = 'new'): Case => ({
  code: 'SST-2026-0001', teamId: 'west', schoolId: 'ryd', grade: '7', category: 'absence', absenceBand: '20to50',
  summary: 'Upprepad frånvaro', status, raisedBy: 'eht-1', assignedTo: 'sw-1', createdAt: created, updatedAt: created, lastActivityAt: created,
  kind: 'request', consent: { scope: 'Samverkan', expires: '2027-06-01', recordedBy: 'eht-1', recordedAt: created },
});

const domainError = (code: string) => (err: unknown) => {
  assert.ok(err instanceof DomainError, String(err));
  assert.equal(err.code, code);
  return true;
};

describe('domain/concern', () => {
  describe('caseCode', () => {
    it('pads the sequence to four digits', () => {
      assert.equal(caseCode(2026, 1), 'SST-2026-0001');
      assert.equal(caseCode(2026, 42), 'SST-2026-0042');
      assert.equal(caseCode(2026, 9999), 'SST-2026-9999');
    });
    it('grows past four digits instead of wrapping', () => assert.equal(caseCode(2026, 12345), 'SST-2026-12345'));
    it('matches CASE_CODE_PATTERN', () => {
      assert.match(caseCode(2026, 7), CASE_CODE_PATTERN);
      assert.match(caseCode(2026, 12345), CASE_CODE_PATTERN);
    });
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      it(`refuses the sequence ${bad}`, () => assert.throws(() => caseCode(2026, bad), domainError('case.code')));
    }
  });

  describe('identityProblem', () => {
    const flagged = [
      '120304-1239', // YYMMDD-NNNN
      '20120304-1239', // YYYYMMDD-NNNN
      '201203041239', // YYYYMMDDNNNN
      '120304+1239', // over 100 years old
      '1203041239', // YYMMDDNNNN
      '120304 1239',
      '120364-1236', // samordningsnummer (day + 60)
      'Eleven 120304-1239 har hög frånvaro',
    ];
    for (const text of flagged) it(`flags "${text}"`, () => assert.equal(identityProblem(text), 'personnummer'));

    const fine = [
      '2026-06-15', // a date as YYYY-MM-DD
      'Möte 2026-06-15 kl 10, ny kontakt 2026-08-20',
      'PRN-1234',
      'årskurs 7',
      '070-123 45 67', // a phone number written with separators
      'SST-2026-0042',
      'Frånvaro 20-50 % sedan höstlovet',
      '',
    ];
    for (const text of fine) it(`does not flag "${text}"`, () => assert.equal(identityProblem(text), undefined));
  });

  describe('transition', () => {
    const now = new Date('2026-09-10T12:00:00.000Z');
    const allowed: Array<[CaseStatus, CaseStatus]> = [
      ['new', 'accepted'], ['accepted', 'active'], ['new', 'closed'], ['accepted', 'closed'], ['active', 'closed'],
    ];
    const forbidden: Array<[CaseStatus, CaseStatus]> = [
      ['new', 'new'], ['new', 'active'], ['accepted', 'new'], ['accepted', 'accepted'], ['active', 'new'], ['active', 'accepted'], ['active', 'active'],
      ['closed', 'new'], ['closed', 'accepted'], ['closed', 'active'], ['closed', 'closed'],
    ];

    for (const [from, to] of allowed) {
      it(`moves ${from} → ${to} and stamps the change`, () => {
        const next = transition(aCase(from), to, now, to === 'closed' ? 'attendanceImproved' : undefined);
        assert.equal(next.status, to);
        assert.equal(next.updatedAt, now.toISOString());
        assert.equal(next.lastActivityAt, now.toISOString());
        assert.equal(next.createdAt, created);
      });
    }
    for (const [from, to] of forbidden) {
      it(`refuses ${from} → ${to}`, () => assert.throws(() => transition(aCase(from), to, now, 'other'), domainError('case.transition')));
    }

    it('needs an outcome to close', () => assert.throws(() => transition(aCase('active'), 'closed', now), domainError('case.outcomeRequired')));
    it('records the outcome when closing', () => assert.equal(transition(aCase('active'), 'closed', now, 'referredBup').outcome, 'referredBup'));
    it('ignores an outcome when not closing', () => assert.equal(transition(aCase('new'), 'accepted', now, 'referredBup').outcome, undefined));
    it('closes a consultation with its note (no outcome of an insats), and a request with an outcome', () => {
      const consultation: Case = { ...aCase('accepted'), kind: 'consultation', consent: undefined };
      assert.equal(transition(consultation, 'closed', now, 'consultationClosed').outcome, 'consultationClosed');
      assert.throws(() => transition(consultation, 'closed', now, 'goalsMet'), domainError('case.outcomeKind'));
      assert.throws(() => transition(aCase('active'), 'closed', now, 'consultationClosed'), domainError('case.outcomeKind'));
    });
    it('does not change the case it was given', () => {
      const c = aCase('new');
      transition(c, 'accepted', now);
      assert.equal(c.status, 'new');
      assert.equal(c.updatedAt, created);
    });
  });

  describe('nextStep', () => {
    const expected: Record<CaseStatus, string> = { new: 'accept', accepted: 'firstMeeting', active: 'followUp', closed: 'none' };
    for (const [status, step] of Object.entries(expected)) {
      it(`is ${step} for a ${status} case`, () => assert.equal(nextStep(aCase(status as CaseStatus)), step));
    }
  });
});
