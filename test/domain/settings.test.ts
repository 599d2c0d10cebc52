import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS, settingsOf, settingsProblems } from '../../src/domain/settings';
import { assigneeFor, isAway, type Roster } from '../../src/domain/roster';
import { nextTermStart, suggestReviewDate, termEnd } from '../../src/domain/plan';
import { swedishHolidays } from '../../src/services/holidays';

const isHoliday = swedishHolidays();

describe('domain/settings: what differs between municipalities', () => {
  it("defaults to Linköping's documents: årskurs 1–9, every category, the calendar year due 31 March, one working day in the intake", () => {
    const s = settingsOf({});
    assert.deepEqual(s.grades, ['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.deepEqual(s.categories, ['absence', 'behaviour', 'home', 'mentalHealth', 'other']);
    assert.deepEqual(s.report, { periodStart: '01-01', deadline: '03-31' });
    assert.equal(s.escalationWorkingDays, 1);
    assert.equal(s.consentMaxMonths, 12);
    assert.equal(s.intensiveWeeks, 12);
    assert.deepEqual(settingsOf(undefined), DEFAULT_SETTINGS);
  });

  it("takes a municipality's own (Stockholm: absence only, årskurs 4–9), in the catalogue's order, keeping defaults for what it leaves out", () => {
    const s = settingsOf({ settings: { categories: ['absence'], grades: ['9', '4', '5', '6', '7', '8'], report: { deadline: '02-15' } } });
    assert.deepEqual(s.categories, ['absence']);
    assert.deepEqual(s.grades, ['4', '5', '6', '7', '8', '9']);
    assert.deepEqual(s.report, { periodStart: '01-01', deadline: '02-15' });
    assert.equal(s.consentMaxMonths, 12);
  });

  it('reports terms that end before they start or overlap', () => {
    assert.deepEqual(settingsProblems({ terms: [{ start: '2026-08-19', end: '2026-12-18' }, { start: '2027-01-11', end: '2027-06-11' }] }), []);
    assert.equal(settingsProblems({ terms: [{ start: '2026-12-18', end: '2026-08-19' }] }).length, 1);
    assert.equal(settingsProblems({ terms: [{ start: '2026-08-19', end: '2026-12-18' }, { start: '2026-12-01', end: '2027-06-11' }] }).length, 1);
  });

  describe('läsårstider: review dates within the municipality’s own terms', () => {
    const terms = [{ start: '2026-08-20', end: '2026-12-22' }, { start: '2027-01-11', end: '2027-06-11' }];
    it('uses the listed terms where they cover the date, the approximate ones elsewhere', () => {
      assert.equal(termEnd('2026-12-20', terms), '2026-12-22', 'listed: ends 22 December');
      assert.equal(termEnd('2026-12-20'), undefined, 'approximate: a break after 18 December');
      assert.equal(nextTermStart('2026-12-23', terms), '2027-01-11');
      assert.equal(termEnd('2028-03-01', terms), '2028-06-10', 'outside the listed ones: approximate');
    });
    it('suggests six weeks ahead, but two weeks before the listed term ends', () => {
      assert.equal(suggestReviewDate('2026-11-23', isHoliday, terms), '2026-12-08');
      assert.equal(suggestReviewDate('2026-11-23', isHoliday), '2026-12-04', 'approximate term ends 18 December');
    });
  });
});

describe('domain/roster: away periods (frånvaro set from the bot)', () => {
  const roster = (): Roster => ({
    municipality: { name: 'K', reportConcernUrl: 'https://example.org' },
    teams: [{ id: 'west', name: 'Väst', groupLeader: 'gl' }],
    schools: [{ id: 'ryd', name: 'Ryd', team: 'west', socialWorker: 'sw-1', backupSocialWorker: 'sw-2' }],
    people: [
      { id: 'sw-1', aadObjectId: 'a1', name: 'Sara', roles: ['socialWorker'], team: 'west', away: { from: '2026-11-23', until: '2026-12-04', setAt: '2026-11-20T08:00:00Z' } },
      { id: 'sw-2', aadObjectId: 'a2', name: 'Samir', roles: ['socialWorker'], team: 'west' },
      { id: 'gl', aadObjectId: 'b1', name: 'Göran', roles: ['groupLeader'], team: 'west' },
    ],
  });

  it('is away from the first day through the last, inclusive', () => {
    const sara = roster().people[0];
    assert.equal(isAway(sara, '2026-11-22'), false);
    assert.equal(isAway(sara, '2026-11-23'), true);
    assert.equal(isAway(sara, '2026-12-04'), true);
    assert.equal(isAway(sara, '2026-12-05'), false);
  });

  it("new concerns for the away person's schools go to the backup meanwhile, and back to them after", () => {
    assert.deepEqual(assigneeFor(roster(), 'ryd', '2026-11-25')?.person.id, 'sw-2');
    assert.deepEqual(assigneeFor(roster(), 'ryd', '2026-11-25')?.via, 'backup');
    assert.deepEqual(assigneeFor(roster(), 'ryd', '2026-12-07')?.person.id, 'sw-1');
    const both = roster();
    both.people[1].away = { from: '2026-11-01', until: '2026-11-30', setAt: '2026-10-30T08:00:00Z' };
    assert.deepEqual(assigneeFor(both, 'ryd', '2026-11-25'), { person: both.people[2], via: 'groupLeader' });
  });
});
