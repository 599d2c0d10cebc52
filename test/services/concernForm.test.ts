import assert from 'node:assert/strict';
import { SCHOOL_REF_MAX, SUMMARY_MAX, CONSENT_SCOPE_MAX } from '../../src/domain/concern';
import { parseConcernForm, pickFormValues, type ConcernFormValues, type FieldErrors } from '../../src/services/concernForm';

const now = new Date('2026-06-01T08:00:00Z'); // 10:00 on 1 June in Stockholm
const mySchools = ['ryd', 'berga'];

const form = (overrides: ConcernFormValues = {}): ConcernFormValues => ({
  school: 'ryd',
  grade: '7',
  category: 'absence',
  absenceValid: '12',
  absenceInvalid: '18',
  summary: '  Upprepad frånvaro sedan höstlovet, främst måndagar.  ',
  consent: 'yes',
  custody: 'joint',
  vh1How: 'written',
  vh2How: 'oral',
  consentScope: 'Samverkan kring frånvaro',
  consentExpires: '2026-12-31',
  childView: 'asked',
  childViewNote: 'Vill ha stöd i skolan',
  schoolRef: 'PRN-1234',
  ...overrides,
});

const errorsOf = (values: ConcernFormValues): FieldErrors => {
  const result = parseConcernForm(values, mySchools, now);
  assert.equal(result.ok, false, 'expected the form to be refused');
  return result.ok ? {} : result.errors;
};

describe('services/concernForm', () => {
  describe('parseConcernForm', () => {
    it('accepts a form with consent, trimmed, with consent and school reference', () => {
      assert.deepEqual(parseConcernForm(form(), mySchools, now), {
        ok: true,
        input: {
          schoolId: 'ryd', grade: '7', category: 'absence', absence: { valid: 12, invalid: 18 },
          summary: 'Upprepad frånvaro sedan höstlovet, främst måndagar.',
          consent: {
            custody: 'joint',
            guardians: [{ who: 'vh1', how: 'written' }, { who: 'vh2', how: 'oral' }],
            scope: 'Samverkan kring frånvaro',
            expires: '2026-12-31',
            childView: { view: 'asked', note: 'Vill ha stöd i skolan' },
          },
          schoolRef: 'PRN-1234',
        },
      });
    });

    it('makes a form without consent an anonymous consultation: no consent, no school reference', () => {
      const result = parseConcernForm(form({ consent: 'no' }), mySchools, now);
      assert.ok(result.ok);
      assert.equal(result.input.consent, undefined);
      assert.equal(result.input.schoolRef, undefined);
      assert.equal(result.input.schoolId, 'ryd');
    });

    it('ignores the consent fields when there is no consent', () => {
      assert.ok(parseConcernForm(form({ consent: 'no', consentScope: '', consentExpires: 'not a date' }), mySchools, now).ok);
    });

    it('leaves out an empty school reference', () => {
      const result = parseConcernForm(form({ schoolRef: '   ' }), mySchools, now);
      assert.ok(result.ok);
      assert.equal(result.input.schoolRef, undefined);
    });

    describe('field errors', () => {
      const cases: Array<[string, ConcernFormValues, FieldErrors]> = [
        ['a missing summary is required', { summary: undefined }, { summary: 'required' }],
        ['a blank summary is required', { summary: '   ' }, { summary: 'required' }],
        ['a missing school is required', { school: undefined }, { school: 'required' }],
        ['a missing grade is required', { grade: '' }, { grade: 'required' }],
        ['a missing consent answer is required', { consent: undefined }, { consent: 'required' }],
        ['a consent scope is required with consent', { consentScope: ' ' }, { consentScope: 'required' }],
        ['a consent expiry is required with consent', { consentExpires: '' }, { consentExpires: 'required' }],
        ['a summary over the limit is too long', { summary: 'a'.repeat(SUMMARY_MAX + 1) }, { summary: 'tooLong' }],
        ['a consent scope over the limit is too long', { consentScope: 'a'.repeat(CONSENT_SCOPE_MAX + 1) }, { consentScope: 'tooLong' }],
        ['a school reference over the limit is too long', { schoolRef: 'a'.repeat(SCHOOL_REF_MAX + 1) }, { schoolRef: 'tooLong' }],
        ['a personnummer in the summary', { summary: 'Eleven 120304-1239 är borta' }, { summary: 'personnummer' }],
        ['a personnummer in the consent scope', { consentScope: 'Gäller 201203041239' }, { consentScope: 'personnummer' }],
        ['a personnummer as school reference', { schoolRef: '120304+1239' }, { schoolRef: 'personnummer' }],
        ['an unknown grade', { grade: '10' }, { grade: 'invalidChoice' }],
        ['an unknown category', { category: 'crime' }, { category: 'invalidChoice' }],
        ['a missing valid absence', { absenceValid: '' }, { absenceValid: 'required' }],
        ['a missing unexcused absence', { absenceInvalid: undefined }, { absenceInvalid: 'required' }],
        ['an absence over 100 %', { absenceValid: '101' }, { absenceValid: 'percent' }],
        ['a negative absence', { absenceInvalid: '-3' }, { absenceInvalid: 'percent' }],
        ['an absence with decimals', { absenceValid: '12.5' }, { absenceValid: 'percent' }],
        ['an absence that is not a number', { absenceInvalid: 'tolv' }, { absenceInvalid: 'percent' }],
        ['valid and unexcused absence over 100 % together', { absenceValid: '70', absenceInvalid: '40' }, { absenceInvalid: 'absenceSum' }],
        ['a consent answer other than yes or no', { consent: 'maybe' }, { consent: 'invalidChoice' }],
        ['an impossible expiry date', { consentExpires: '2026-02-30' }, { consentExpires: 'invalidDate' }],
        ['an expiry not written YYYY-MM-DD', { consentExpires: '31/12/2026' }, { consentExpires: 'invalidDate' }],
        ['an expiry today', { consentExpires: '2026-06-01' }, { consentExpires: 'dateInPast' }],
        ['an expiry yesterday', { consentExpires: '2026-05-31' }, { consentExpires: 'dateInPast' }],
        ['an expiry more than the municipality\'s 12 months ahead', { consentExpires: '2027-06-02' }, { consentExpires: 'dateTooFar' }],
        ['which guardians: custody is required with consent', { custody: '' }, { custody: 'required' }],
        ['an unknown custody', { custody: 'shared' }, { custody: 'invalidChoice' }],
        ['how guardian 1 consented is required', { vh1How: undefined }, { vh1How: 'required' }],
        ['with joint custody both guardians consent', { vh2How: '' }, { vh2How: 'required' }],
        ['an unknown way of consenting', { vh1How: 'email' }, { vh1How: 'invalidChoice' }],
        ["the child's view is asked for", { childView: '' }, { childView: 'required' }],
        ["an unknown child's view", { childView: 'maybe' }, { childView: 'invalidChoice' }],
        ["a personnummer in the child's view note", { childViewNote: 'Eleven 120304-1239 vill inte' }, { childViewNote: 'personnummer' }],
        ["a child's view note over the limit", { childViewNote: 'a'.repeat(201) }, { childViewNote: 'tooLong' }],
        ['förskoleklass, which the default (Linköping: årskurs 1–9) does not take', { grade: 'F' }, { grade: 'invalidChoice' }],
        ['a school that is not yours', { school: 'haga' }, { school: 'notYourSchool' }],
      ];
      for (const [what, overrides, expected] of cases) {
        it(`reports ${what}`, () => assert.deepEqual(errorsOf(form(overrides)), expected));
      }

      it('reports every field at once when several are wrong', () => {
        assert.deepEqual(errorsOf({ school: 'haga', grade: '7', category: 'x', absenceValid: '5', summary: '', consent: 'no' }), {
          school: 'notYourSchool', category: 'invalidChoice', summary: 'required', absenceInvalid: 'required',
        });
      });

      it('accepts the limits themselves', () => {
        const values = form({ summary: 'a'.repeat(SUMMARY_MAX), consentScope: 'b'.repeat(CONSENT_SCOPE_MAX), schoolRef: 'c'.repeat(SCHOOL_REF_MAX), consentExpires: '2027-06-01', childViewNote: 'd'.repeat(200) });
        assert.ok(parseConcernForm(values, mySchools, now).ok); // 2027-06-01 is 12 months ahead
        assert.ok(parseConcernForm(form({ consentExpires: '2026-06-02' }), mySchools, now).ok); // tomorrow
      });

      it('takes the absence as whole percentages, 0–100, at most 100 together; a consultation is asked for them too', () => {
        const edges = parseConcernForm(form({ absenceValid: '0', absenceInvalid: '100' }), mySchools, now);
        assert.ok(edges.ok);
        assert.deepEqual(edges.input.absence, { valid: 0, invalid: 100 });
        const trimmed = parseConcernForm(form({ absenceValid: ' 40 ', absenceInvalid: '60' }), mySchools, now);
        assert.deepEqual(trimmed.ok && trimmed.input.absence, { valid: 40, invalid: 60 });
        assert.deepEqual(errorsOf(form({ consent: 'no', absenceValid: '', absenceInvalid: '' })), { absenceValid: 'required', absenceInvalid: 'required' });
        assert.deepEqual(errorsOf(form({ absenceValid: '51', absenceInvalid: '50' })), { absenceInvalid: 'absenceSum' });
      });

      it('with sole custody one guardian consents: a second answer is neither needed nor kept', () => {
        const result = parseConcernForm(form({ custody: 'sole', vh2How: 'written' }), mySchools, now);
        assert.ok(result.ok);
        assert.deepEqual(result.input.consent?.guardians, [{ who: 'vh1', how: 'written' }]);
        assert.ok(parseConcernForm(form({ custody: 'sole', vh2How: '' }), mySchools, now).ok);
      });

      it("follows the municipality's settings: grades, categories and the longest consent", () => {
        const stockholm = { grades: ['4', '5', '6', '7', '8', '9'] as const, categories: ['absence'] as const, consentMaxMonths: 6 };
        const settings = { grades: [...stockholm.grades], categories: [...stockholm.categories], consentMaxMonths: stockholm.consentMaxMonths };
        const refused = parseConcernForm(form({ grade: '2', category: 'home', consentExpires: '2026-12-02' }), mySchools, now, settings);
        assert.deepEqual(refused.ok ? {} : refused.errors, { grade: 'invalidChoice', category: 'invalidChoice', consentExpires: 'dateTooFar' });
        assert.ok(parseConcernForm(form({ grade: '7', category: 'absence', consentExpires: '2026-12-01' }), mySchools, now, settings).ok);
        const withF = parseConcernForm(form({ grade: 'F' }), mySchools, now, { ...settings, grades: ['F', '1'], categories: ['absence'], consentMaxMonths: 12 });
        assert.ok(withF.ok, 'förskoleklass when the municipality takes it');
      });

      it('counts "today" on the Stockholm calendar', () => {
        const lateEvening = new Date('2026-06-01T22:30:00Z'); // already 2 June in Stockholm
        const result = parseConcernForm(form({ consentExpires: '2026-06-02' }), mySchools, lateEvening);
        assert.deepEqual(result, { ok: false, errors: { consentExpires: 'dateInPast' } });
      });
    });
  });

  describe('pickFormValues', () => {
    it('keeps the form fields as strings', () => assert.deepEqual(pickFormValues(form()), form()));

    it('drops unknown fields and values that are not strings', () => {
      const tampered = { school: 'ryd', category: 'absence', verb: 'concern.submit', assignedTo: 'sw-9', grade: 7, consent: true, summary: { text: 'x' }, schoolRef: null };
      assert.deepEqual(pickFormValues(tampered), { school: 'ryd', category: 'absence' });
    });

    it('reads the percentages when a number input sends them as numbers', () => {
      assert.deepEqual(pickFormValues({ absenceValid: 12, absenceInvalid: 0, grade: 7 }), { absenceValid: '12', absenceInvalid: '0' });
    });

    it('gives nothing for something that is not an object', () => {
      for (const data of [undefined, null, 'school=ryd', 42]) assert.deepEqual(pickFormValues(data), {});
    });

    it('cuts over-long values to 2,000 characters, which the form then refuses as too long', () => {
      const picked = pickFormValues(form({ summary: 'x'.repeat(1_000_000) }));
      assert.equal(picked.summary?.length, 2000);
      assert.deepEqual(errorsOf(picked), { summary: 'tooLong' });
    });
  });
});
