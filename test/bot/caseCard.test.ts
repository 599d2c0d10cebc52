import assert from 'node:assert/strict';
import { MAX_CARD_CHARS, TIMELINE_SHOWN, caseCard, cardChars, type CaseViewModel } from '../../src/bot/cards/caseCards';
import { translator } from '../../src/bot/i18n';
import type { Case, CaseEvent } from '../../src/domain/concern';

const t = translator('sv-SE');
const c: Case = {
  code: 'SST-2026-0001', teamId: 'sst-1', schoolId: 'ryd', grade: '7', category: 'absence', absenceBand: 'gt50', summary: 'Frånvaro',
  status: 'accepted', raisedBy: 'eht-1', assignedTo: 'sw-1', createdAt: '2026-11-23T08:00:00.000Z', updatedAt: '2026-11-23T08:00:00.000Z', lastActivityAt: '2026-11-23T08:00:00.000Z',
};
const events = (n: number, noteChars: number): Array<CaseEvent & { byName: string }> =>
  Array.from({ length: n }, (_, i) => ({
    caseCode: c.code, at: new Date(Date.parse('2026-11-23T08:00:00Z') + i * 60_000).toISOString(), kind: 'infoRequested' as const, by: 'sw-1', byName: 'Sara Socionom',
    note: `#${String(i + 1).padStart(3, '0')} ${'x'.repeat(noteChars)}`,
  }));
const model = (timeline: CaseViewModel['timeline'], deliveries: CaseViewModel['deliveries'] = []): CaseViewModel => ({
  case: c, schoolName: 'Rydskolan', contactName: 'Sara Socionom', timeline, deliveries, as: 'assignee', showSchoolRef: false, today: '2026-11-23',
});

describe('bot/cards/caseCard: the latest events, with a count, within Teams\' message size', () => {
  it('a short case shows every event and no count', () => {
    const card = JSON.stringify(caseCard(model(events(3, 20)), t));
    assert.match(card, /#001/);
    assert.doesNotMatch(card, /Visar de/);
  });

  it('a long case shows the 10 latest events and says of how many', () => {
    const card = JSON.stringify(caseCard(model(events(70, 480)), t));
    assert.match(card, /Visar de 10 senaste av 70\./);
    assert.match(card, /#070/);
    assert.match(card, /#061/);
    assert.doesNotMatch(card, /#060/);
    assert.equal(TIMELINE_SHOWN, 10);
  });

  it('events too long for ten on one card: fewer are shown, and the card stays under the limit', () => {
    // Not possible with today's 500-character messages, but the bound does not depend on that.
    const card = caseCard(model(events(30, 6_000)), t);
    assert.ok(cardChars(card) <= MAX_CARD_CHARS, `${cardChars(card)} characters`);
    const shown = /Visar de (\d+) senaste av 30\./.exec(JSON.stringify(card));
    assert.ok(shown && Number(shown[1]) < 10 && Number(shown[1]) >= 1, shown?.[0]);
    assert.match(JSON.stringify(card), /#030/, 'the latest is always there');
  });

  it('notifications too: the 10 latest, with the count', () => {
    const deliveries = Array.from({ length: 40 }, (_, i) => ({ kind: 'infoRequested', toName: `Person ${i + 1}`, state: 'delivered' as const }));
    const card = JSON.stringify(caseCard(model(events(1, 10), deliveries), t));
    assert.match(card, /Visar de 10 senaste av 40\./);
    assert.match(card, /Person 40/);
    assert.doesNotMatch(card, /Person 30\b/);
  });

  it('a request with every section and form (the group leader: consent, insats, staff, handover, orosanmälan) stays well under the limit', () => {
    const full: CaseViewModel = {
      ...model(events(10, 500), Array.from({ length: 10 }, (_, i) => ({ kind: 'caseAssigned', toName: `Person ${i}`, state: 'delivered' as const }))),
      case: {
        ...c, kind: 'request', summary: 's'.repeat(500), schoolRef: 'r'.repeat(40), staff: ['st-1'],
        consent: { custody: 'joint', guardians: [{ who: 'vh1', how: 'written' }, { who: 'vh2', how: 'oral' }], scope: 'x'.repeat(200), expires: '2027-06-01', childView: { view: 'asked', note: 'n'.repeat(200) }, recordedBy: 'eht-1', recordedAt: c.createdAt },
        insats: { form: 'service', kind: 'family', start: '2026-11-23', intensiveUntil: '2027-02-14', recordedBy: 'sw-1', recordedAt: c.createdAt },
      },
      as: 'groupLeader', showSchoolRef: false,
      can: { book: false, consent: true, insats: true, reassign: true, staff: true, report: true },
      staffNames: ['Stina Speciallärare'], staffChoices: [{ id: 'st-1', name: 'Stina Speciallärare' }, { id: 'st-2', name: 'Sven Specialpedagog' }],
      reassignChoices: Array.from({ length: 8 }, (_, i) => ({ id: `sw-${i}`, name: `Socialsekreterare ${i}` })),
      latestConsentExpiry: '2027-11-23', consentMaxMonths: 12, intensiveWeeks: 12, defaultIntensiveUntil: '2027-02-14',
    };
    const card = caseCard(full, t);
    const chars = cardChars(card);
    assert.ok(chars <= MAX_CARD_CHARS, `${chars} characters`);
    assert.match(JSON.stringify(card), /#010/, 'all ten latest events (of 500 characters each) still fit beside the forms');
    assert.doesNotMatch(JSON.stringify(card), /Visar de \d+ senaste/);
    for (const verb of ['consent.record', 'consent.withdraw', 'case.insats', 'case.staff', 'case.reassign', 'case.reportMade', 'case.close']) assert.ok(JSON.stringify(card).includes(`"verb":"${verb}"`), verb);
  });
});

describe('bot/cards/caseCard: the absence over time', () => {
  const facts = (card: unknown) => JSON.stringify(card).match(/"title":"Frånvaro[^"]*","value":"[^"]*"/g) ?? [];
  const m = (at: 'intake' | 'review' | 'closing', date: string, valid: number, invalid: number) => ({ at, date, valid, invalid, recordedBy: 'sw-1', recordedAt: `${date}T08:00:00.000Z` });

  it('a case from before percentages keeps its band', () => {
    assert.deepEqual(facts(caseCard(model([]), t)), ['"title":"Frånvaro","value":"Över 50 %"']);
  });

  it('a series is one line in place of the band, oldest first, with what each measure was', () => {
    const card = caseCard({ ...model([]), case: { ...c, absence: [m('intake', '2026-09-03', 12, 18), m('review', '2026-10-15', 8, 10)] } }, t);
    assert.deepEqual(facts(card), ['"title":"Frånvaro (giltig + ogiltig)","value":"12 + 18 % (intag 3/9) → 8 + 10 % (uppföljning 15/10)"']);
    const en = caseCard({ ...model([]), case: { ...c, absence: [m('intake', '2026-09-03', 12, 18), m('closing', '2027-01-20', 2, 0)] } }, translator('en-GB'));
    assert.match(JSON.stringify(en), /"title":"Absence \(valid \+ unexcused\)","value":"12 \+ 18 % \(intake 2026-09-03\) → 2 \+ 0 % \(closing 2027-01-20\)"/);
  });

  it('forty measures stay well within the card limit', () => {
    const absence = [m('intake', '2026-09-03', 12, 18), ...Array.from({ length: 39 }, (_, i) => m('review', '2027-01-10', i, 100 - i))];
    assert.ok(cardChars(caseCard({ ...model([]), case: { ...c, absence } }, t)) < MAX_CARD_CHARS / 4);
  });
});
