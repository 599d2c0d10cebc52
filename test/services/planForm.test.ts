import assert from 'node:assert/strict';
import { parsePlanForm, pickPlanValues } from '../../src/services/planForm';

const people = ['eht-1', 'sw-1'];
const TODAY = '2026-11-23';
const ok = { type: 'implementation', goals: 'Närvaro', resp1Who: 'role:mentor', resp1What: 'följer upp', reviewDate: '2026-11-24' };

describe('services/planForm: the plan form, every problem at once', () => {
  it('takes a filled-in form', () => {
    const parsed = parsePlanForm(ok, people, TODAY);
    assert.deepEqual(parsed, { ok: true, input: { type: 'implementation', goals: ['Närvaro'], responsibilities: [{ role: 'mentor', what: 'följer upp' }], reviewDate: '2026-11-24' } });
  });

  it('refuses a review date of today, or earlier, beside the date', () => {
    for (const date of [TODAY, '2026-11-22']) assert.deepEqual(parsePlanForm({ ...ok, reviewDate: date }, people, TODAY), { ok: false, errors: { reviewDate: 'dateNotAfterToday' } }, date);
    // The intensive phase is the case's insats now: an older plan card's date is neither refused nor kept.
    const legacy = parsePlanForm({ ...ok, intensiveUntil: TODAY }, people, TODAY);
    assert.ok(legacy.ok && !('intensiveUntil' in legacy.input));
  });

  it('judges who and what of a line apart, and every line, so all problems show at once', () => {
    const parsed = parsePlanForm({ type: 'implementation', goals: '', resp1What: 'ringer hem', resp2Who: 'person:eht-2', resp2What: 'x', resp3Who: 'role:guardians', resp3What: 'Ring 121212-1212', reviewDate: 'imorgon' }, people, TODAY);
    assert.deepEqual(parsed, { ok: false, errors: { goals: 'required', resp1Who: 'chooseWho', resp2Who: 'invalidChoice', resp3What: 'personnummer', reviewDate: 'invalidDate' } });
  });

  it('turns an old card\'s free-text line into a chosen "who" only when it names a role or one of the people exactly', () => {
    const names = (role: string) => (role === 'mentor' ? ['Mentor'] : role === 'guardians' ? ['Vårdnadshavare'] : []);
    const values = pickPlanValues({ responsible: 'mentor – följer upp\nKalle Anka – ringer hem\nEva Kurator: samtal' }, [{ id: 'eht-1', name: 'Eva Kurator' }], names);
    assert.deepEqual(values, { resp1Who: 'role:mentor', resp1What: 'följer upp', resp2What: 'Kalle Anka – ringer hem', resp3Who: 'person:eht-1', resp3What: 'samtal' });
  });
});
