import assert from 'node:assert/strict';
import type { Case } from '../../src/domain/concern';
import { consentState, familyWorkProblem, latestConsentExpiry, mustAllowFamilyWork, parseConsent, recordConsent, schoolRefVisible, withdrawConsent } from '../../src/domain/consent';
import { DomainError } from '../../src/domain/errors';
import { meetingTypesFor, mustAllowMeeting } from '../../src/domain/meeting';
import { parseInsats, recordInsats, defaultIntensiveEnd } from '../../src/domain/insats';

const t0 = '2026-11-23T08:00:00.000Z';
const consent = { custody: 'joint' as const, guardians: [{ who: 'vh1' as const, how: 'written' as const }, { who: 'vh2' as const, how: 'oral' as const }], scope: 'Samverkan kring frånvaro', expires: '2027-01-31', childView: { view: 'asked' as const } };
const request = (extra: Partial<Case> = {}): Case => ({
  code: 'SST-2026-0001', teamId: 'sst-1', schoolId: 'ryd', grade: '7', category: 'absence', absenceBand: '20to50', summary: 's', kind: 'request',
  consent: { ...consent, recordedBy: 'eht-1', recordedAt: t0 }, schoolRef: 'PRN-1', status: 'accepted', raisedBy: 'eht-1', assignedTo: 'sw-1',
  createdAt: t0, updatedAt: t0, lastActivityAt: t0, ...extra,
});
const consultation = (extra: Partial<Case> = {}): Case => request({ kind: 'consultation', consent: undefined, schoolRef: undefined, ...extra });
const withdrawn = () => withdrawConsent(request(), 'eht-1', new Date('2026-12-01T09:00:00Z'));
const code = (c: string) => (err: unknown) => err instanceof DomainError && err.code === c;

describe('domain/consent: consent that holds up', () => {
  describe('where it stands on a date (derived at read time: expiry needs no stored change)', () => {
    it('valid through its last day, expired the day after, withdrawn from when it was withdrawn; none on a consultation', () => {
      assert.equal(consentState(request(), '2027-01-31'), 'valid');
      assert.equal(consentState(request(), '2027-02-01'), 'expired');
      assert.equal(consentState(withdrawn(), '2026-12-01'), 'withdrawn');
      assert.equal(consentState(consultation(), '2026-12-01'), 'none');
    });

    it("hides the school's reference the moment the consent is withdrawn or has expired", () => {
      assert.equal(schoolRefVisible(request(), '2027-01-31'), true);
      assert.equal(schoolRefVisible(request(), '2027-02-01'), false, 'expired');
      assert.equal(schoolRefVisible(withdrawn(), '2026-12-01'), false, 'withdrawn');
      assert.equal(schoolRefVisible(consultation({ schoolRef: 'X' }), '2026-12-01'), false, 'a consultation never shows one');
    });

    it('allows work with the family (meetings with guardians, SIP, hembesök, plan, insats) only on a request whose consent holds', () => {
      assert.equal(familyWorkProblem(request(), '2027-01-31'), undefined);
      assert.equal(familyWorkProblem(request(), '2027-02-01'), 'consentExpired');
      assert.equal(familyWorkProblem(withdrawn(), '2026-12-01'), 'consentWithdrawn');
      assert.equal(familyWorkProblem(consultation(), '2026-12-01'), 'consultation');
      assert.throws(() => mustAllowFamilyWork(withdrawn(), '2026-12-01'), code('case.consentWithdrawn'));
    });
  });

  describe('withdraw and renew', () => {
    it('records who withdrew it and when; a second withdrawal, a consultation or a closed case are refused', () => {
      const c = withdrawn();
      assert.equal(c.consent?.withdrawnBy, 'eht-1');
      assert.equal(c.consent?.withdrawnAt, '2026-12-01T09:00:00.000Z');
      assert.equal(c.consent?.expires, '2027-01-31', 'the record stays');
      assert.throws(() => withdrawConsent(c, 'sw-1', new Date()), code('consent.alreadyWithdrawn'));
      assert.throws(() => withdrawConsent(consultation(), 'sw-1', new Date()), code('consent.none'));
      assert.throws(() => withdrawConsent(request({ status: 'closed', outcome: 'other' }), 'sw-1', new Date()), code('case.transition'));
    });

    it('renews a withdrawn or expired consent: a new record, valid again, the school reference kept', () => {
      const renewed = recordConsent(withdrawn(), { ...consent, expires: '2027-06-30' }, 'sw-1', new Date('2026-12-10T09:00:00Z'));
      assert.equal(renewed.converted, false);
      assert.equal(consentState(renewed.case, '2026-12-10'), 'valid');
      assert.equal(renewed.case.consent?.recordedBy, 'sw-1');
      assert.equal(renewed.case.consent?.withdrawnAt, undefined);
      assert.equal(schoolRefVisible(renewed.case, '2026-12-10'), true);
    });

    it('a consultation becomes a request when consent is recorded: same code and history, consent recorded then', () => {
      const c = consultation({ code: 'SST-2026-0042' });
      const { case: next, converted } = recordConsent(c, consent, 'eht-1', new Date('2026-12-10T09:00:00Z'), 'PRN-9');
      assert.equal(converted, true);
      assert.equal(next.code, 'SST-2026-0042');
      assert.equal(next.kind, 'request');
      assert.equal(next.convertedAt, '2026-12-10T09:00:00.000Z');
      assert.equal(next.consent?.recordedAt, '2026-12-10T09:00:00.000Z');
      assert.equal(next.schoolRef, 'PRN-9');
      assert.equal(next.createdAt, c.createdAt);
      assert.throws(() => recordConsent(c, consent, 'eht-1', new Date(), '120304-1239'), code('consent.schoolRef.personnummer'));
    });
  });

  describe('parseConsent', () => {
    const values = { custody: 'joint', vh1How: 'written', vh2How: 'oral', consentScope: 'Samverkan', consentExpires: '2027-06-01', childView: 'notYet', childViewNote: '' };
    it('which guardians and how, never a name: both with joint custody, the one with sole custody', () => {
      const joint = parseConsent(values, '2026-11-23', 12);
      assert.ok(joint.ok);
      assert.deepEqual(joint.consent.guardians, [{ who: 'vh1', how: 'written' }, { who: 'vh2', how: 'oral' }]);
      assert.deepEqual(parseConsent({ ...values, vh2How: '' }, '2026-11-23', 12), { ok: false, errors: { vh2How: 'required' } });
      const sole = parseConsent({ ...values, custody: 'sole', vh2How: '' }, '2026-11-23', 12);
      assert.ok(sole.ok);
      assert.deepEqual(sole.consent.guardians, [{ who: 'vh1', how: 'written' }]);
    });

    it("guards the child's-view note against a personnummer, and bounds it", () => {
      assert.deepEqual(parseConsent({ ...values, childViewNote: 'Gäller 20120304-1239' }, '2026-11-23', 12), { ok: false, errors: { childViewNote: 'personnummer' } });
      assert.deepEqual(parseConsent({ ...values, childViewNote: 'x'.repeat(201) }, '2026-11-23', 12), { ok: false, errors: { childViewNote: 'tooLong' } });
      const ok = parseConsent({ ...values, childView: 'notPossible', childViewNote: 'För ung att fråga' }, '2026-11-23', 12);
      assert.ok(ok.ok && ok.consent.childView?.note === 'För ung att fråga');
    });

    it("expiry: after today and at most the municipality's maximum ahead", () => {
      assert.equal(latestConsentExpiry('2026-11-23', 12), '2027-11-23');
      assert.equal(latestConsentExpiry('2026-08-31', 6), '2027-02-28', 'a month without the day ends on its last day');
      assert.ok(parseConsent({ ...values, consentExpires: '2027-11-23' }, '2026-11-23', 12).ok);
      assert.deepEqual(parseConsent({ ...values, consentExpires: '2027-11-24' }, '2026-11-23', 12), { ok: false, errors: { consentExpires: 'dateTooFar' } });
      assert.deepEqual(parseConsent({ ...values, consentExpires: '2027-06-01' }, '2026-11-23', 6), { ok: false, errors: { consentExpires: 'dateTooFar' } });
      assert.deepEqual(parseConsent({ ...values, consentExpires: '2026-11-23' }, '2026-11-23', 12), { ok: false, errors: { consentExpires: 'dateInPast' } });
    });
  });
});

describe('domain: the limits of an anonymous consultation, and of a request without valid consent', () => {
  it('a consultation has consultation meetings only, never with the guardians, no SIP, no hembesök', () => {
    assert.deepEqual(meetingTypesFor(consultation(), '2026-12-01'), ['consultation']);
    assert.doesNotThrow(() => mustAllowMeeting(consultation(), 'consultation', false, '2026-12-01'));
    for (const type of ['guardians', 'sip', 'homeVisit', 'startup', 'followUp'] as const) assert.throws(() => mustAllowMeeting(consultation(), type, false, '2026-12-01'), code('case.consultation'), type);
    assert.throws(() => mustAllowMeeting(consultation(), 'consultation', true, '2026-12-01'), code('case.consultation'), 'with the guardians');
  });

  it('a request while its consent holds: every kind; withdrawn or expired: no new meeting with the family, the others still', () => {
    assert.equal(meetingTypesFor(request(), '2026-12-01').length, 6);
    assert.doesNotThrow(() => mustAllowMeeting(request(), 'homeVisit', true, '2026-12-01'));
    for (const type of ['guardians', 'sip', 'homeVisit'] as const) assert.throws(() => mustAllowMeeting(withdrawn(), type, false, '2026-12-01'), code('case.consentWithdrawn'), type);
    assert.throws(() => mustAllowMeeting(request(), 'startup', true, '2027-02-01'), code('case.consentExpired'), 'guardians attending');
    assert.doesNotThrow(() => mustAllowMeeting(withdrawn(), 'followUp', false, '2026-12-01'), 'school and SST may still meet');
    assert.deepEqual(meetingTypesFor(withdrawn(), '2026-12-01'), ['startup', 'followUp', 'consultation']);
  });

  it('the insats: only on a request whose consent holds', () => {
    const insats = { form: 'service' as const, kind: 'family' as const, start: '2026-12-01', intensiveUntil: '2027-02-22' };
    assert.equal(recordInsats(request(), insats, 'sw-1', new Date('2026-12-01T09:00:00Z'), '2026-12-01').insats?.intensiveUntil, '2027-02-22');
    assert.throws(() => recordInsats(consultation(), insats, 'sw-1', new Date(), '2026-12-01'), code('case.consultation'));
    assert.throws(() => recordInsats(withdrawn(), insats, 'sw-1', new Date(), '2026-12-01'), code('case.consentWithdrawn'));
    assert.throws(() => recordInsats(request(), insats, 'sw-1', new Date(), '2027-02-01'), code('case.consentExpired'));
  });
});

describe('domain/insats: parseInsats', () => {
  const ok = { insatsForm: 'bistand', insatsKind: 'group', insatsStart: '2026-11-23', intensiveUntil: defaultIntensiveEnd('2026-11-23', 12) };
  it('the default intensive phase is the municipality’s length in weeks', () => assert.equal(defaultIntensiveEnd('2026-11-23', 12), '2027-02-14'));
  it('accepts form, kind, start and last day', () => assert.deepEqual(parseInsats(ok, '2026-11-23'), { ok: true, insats: { form: 'bistand', kind: 'group', start: '2026-11-23', intensiveUntil: '2027-02-14' } }));
  it('reports every problem beside its field', () => {
    assert.deepEqual(parseInsats({}, '2026-11-23'), { ok: false, errors: { insatsForm: 'required', insatsKind: 'required', insatsStart: 'required', intensiveUntil: 'required' } });
    assert.deepEqual(parseInsats({ ...ok, insatsForm: 'myndighet', insatsKind: 'x' }, '2026-11-23'), { ok: false, errors: { insatsForm: 'invalidChoice', insatsKind: 'invalidChoice' } });
    assert.deepEqual(parseInsats({ ...ok, intensiveUntil: '2026-11-23' }, '2026-11-23'), { ok: false, errors: { intensiveUntil: 'endBeforeStart' } });
    assert.deepEqual(parseInsats({ ...ok, insatsStart: '2026-01-01' }, '2026-11-23'), { ok: false, errors: { insatsStart: 'startTooEarly' } });
    assert.deepEqual(parseInsats({ ...ok, intensiveUntil: '2026-11-22' }, '2026-11-23'), { ok: false, errors: { intensiveUntil: 'endInPast' } });
    assert.deepEqual(parseInsats({ ...ok, intensiveUntil: '2027-12-01' }, '2026-11-23'), { ok: false, errors: { intensiveUntil: 'endTooFar' } });
  });
});
