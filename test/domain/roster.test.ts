import assert from 'node:assert/strict';
import { assigneeFor, ehtMembersOf, personByAad, rosterProblems, teamsOf, type Person, type Roster } from '../../src/domain/roster';

/** Two teams; Ryd and Berga in the west team, Haga in the east team. */
function roster(): Roster {
  return {
    municipality: { name: 'Testkommun', reportConcernUrl: 'https://example.org/orosanmalan' },
    teams: [
      { id: 'west', name: 'Väst', groupLeader: 'gl-w' },
      { id: 'east', name: 'Öst', groupLeader: 'gl-e' },
    ],
    schools: [
      { id: 'ryd', name: 'Rydskolan', team: 'west', socialWorker: 'sw-1', backupSocialWorker: 'sw-2' },
      { id: 'berga', name: 'Bergaskolan', team: 'west', socialWorker: 'sw-2' },
      { id: 'haga', name: 'Hagaskolan', team: 'east', socialWorker: 'sw-3' },
    ],
    people: [
      { id: 'eht-1', aadObjectId: 'AAAA-e001', name: 'Eva', roles: ['eht'], schools: ['ryd'] },
      { id: 'eht-2', aadObjectId: 'aaaa-e002', name: 'Erik', roles: ['eht'], schools: ['ryd', 'haga'] },
      { id: 'eht-3', aadObjectId: 'aaaa-e003', name: 'Elin', roles: ['eht'], schools: ['berga'] },
      { id: 'sw-1', aadObjectId: 'aaaa-a001', name: 'Sara', roles: ['socialWorker'], team: 'west' },
      { id: 'sw-2', aadObjectId: 'aaaa-a002', name: 'Samir', roles: ['socialWorker'], team: 'west' },
      { id: 'sw-3', aadObjectId: 'aaaa-a003', name: 'Sofia', roles: ['socialWorker'], team: 'east' },
      { id: 'gl-w', aadObjectId: 'aaaa-b001', name: 'Göran', roles: ['groupLeader'], team: 'west' },
      { id: 'gl-e', aadObjectId: 'aaaa-b002', name: 'Gun', roles: ['groupLeader'], team: 'east' },
      { id: 'adm', aadObjectId: 'aaaa-c001', name: 'Alva', roles: ['admin'] },
    ],
  };
}

const person = (r: Roster, id: string) => r.people.find((p) => p.id === id)!;
const absent = (r: Roster, id: string) => {
  person(r, id).absent = true;
  return r;
};

describe('domain/roster', () => {
  describe('assigneeFor', () => {
    const who = (r: Roster, school: string) => {
      const a = assigneeFor(r, school);
      return a && { id: a.person.id, via: a.via };
    };

    it("gives the school's social worker", () => assert.deepEqual(who(roster(), 'ryd'), { id: 'sw-1', via: 'primary' }));

    it('gives the backup when the primary is absent', () => assert.deepEqual(who(absent(roster(), 'sw-1'), 'ryd'), { id: 'sw-2', via: 'backup' }));

    it('gives the backup when the school has no primary, or names one not in the roster', () => {
      const r = roster();
      delete r.schools[0].socialWorker;
      assert.deepEqual(who(r, 'ryd'), { id: 'sw-2', via: 'backup' });
      r.schools[0].socialWorker = 'gone';
      assert.deepEqual(who(r, 'ryd'), { id: 'sw-2', via: 'backup' });
    });

    it("gives the team's group leader when primary and backup are both absent", () => {
      const r = absent(absent(roster(), 'sw-1'), 'sw-2');
      assert.deepEqual(who(r, 'ryd'), { id: 'gl-w', via: 'groupLeader' });
    });

    it('gives the group leader when the school has neither primary nor backup', () => {
      const r = roster();
      delete r.schools[0].socialWorker;
      delete r.schools[0].backupSocialWorker;
      assert.deepEqual(who(r, 'ryd'), { id: 'gl-w', via: 'groupLeader' });
    });

    it("uses the school's own team for the group leader", () => assert.deepEqual(who(absent(roster(), 'sw-3'), 'haga'), { id: 'gl-e', via: 'groupLeader' }));

    it('gives undefined for an unknown school', () => assert.equal(assigneeFor(roster(), 'nowhere'), undefined));
  });

  describe('rosterProblems', () => {
    it('finds nothing wrong with a valid roster', () => assert.deepEqual(rosterProblems(roster()), []));

    const cases: Array<[string, (r: Roster) => void, RegExp]> = [
      ['a duplicate team id', (r) => r.teams.push({ ...r.teams[0] }), /team id "west" appears more than once/],
      ['a duplicate school id', (r) => r.schools.push({ ...r.schools[0] }), /school id "ryd" appears more than once/],
      ['a duplicate person id', (r) => r.people.push({ ...person(r, 'adm'), aadObjectId: 'other' }), /person id "adm" appears more than once/],
      ['a duplicate aadObjectId, ignoring case', (r) => r.people.push({ id: 'adm-2', aadObjectId: 'AAAA-C001', name: 'X', roles: ['admin'] }), /aadObjectId.*"aaaa-c001" appears more than once/],
      ['a group leader not in people', (r) => (r.teams[0].groupLeader = 'ghost'), /team "west" groupLeader names person "ghost", who is not in "people"/],
      ['a group leader without the role', (r) => (r.teams[0].groupLeader = 'sw-1'), /team "west" groupLeader names "sw-1", who lacks the role "groupLeader"/],
      ['a school with an unknown team', (r) => (r.schools[0].team = 'north'), /school "ryd" names team "north", which is not in "teams"/],
      ['a social worker not in people', (r) => (r.schools[0].socialWorker = 'ghost'), /school "ryd" socialWorker names person "ghost"/],
      ['a social worker without the role', (r) => (r.schools[0].socialWorker = 'eht-1'), /school "ryd" socialWorker names "eht-1", who lacks the role "socialWorker"/],
      ['a backup without the role', (r) => (r.schools[0].backupSocialWorker = 'gl-w'), /school "ryd" backupSocialWorker names "gl-w", who lacks the role "socialWorker"/],
      ['a person naming an unknown school', (r) => person(r, 'eht-1').schools!.push('nowhere'), /person "eht-1" names school "nowhere", which is not in "schools"/],
      ['a person naming an unknown team', (r) => (person(r, 'sw-1').team = 'north'), /person "sw-1" names team "north", which is not in "teams"/],
      ['an EHT member without schools', (r) => (person(r, 'eht-1').schools = []), /person "eht-1" has the role "eht" but no "schools"/],
      ['a social worker without a team', (r) => delete person(r, 'sw-1').team, /person "sw-1" is a social worker, group leader or school-side team member but has no "team"/],
      ['a group leader without a team', (r) => delete person(r, 'gl-e').team, /person "gl-e" is a social worker, group leader or school-side team member but has no "team"/],
    ];
    for (const [what, breakIt, message] of cases) {
      it(`reports ${what}`, () => {
        const r = roster();
        breakIt(r);
        const problems = rosterProblems(r);
        assert.equal(problems.length, 1, problems.join('\n'));
        assert.match(problems[0], message);
      });
    }
  });

  describe('personByAad', () => {
    it('finds a person ignoring case on either side', () => {
      assert.equal(personByAad(roster(), 'aaaa-e001')?.id, 'eht-1'); // stored upper case
      assert.equal(personByAad(roster(), 'AAAA-E002')?.id, 'eht-2'); // stored lower case
    });
    it('gives undefined for an unknown or missing id', () => {
      assert.equal(personByAad(roster(), 'nobody'), undefined);
      assert.equal(personByAad(roster(), undefined), undefined);
      assert.equal(personByAad(roster(), ''), undefined);
    });
  });

  describe('teamsOf', () => {
    const teams = (p: Person) => teamsOf(roster(), p).sort();
    it('gives a social worker their own team', () => assert.deepEqual(teams(person(roster(), 'sw-3')), ['east']));
    it("gives an EHT member their schools' teams, once each", () => {
      assert.deepEqual(teams(person(roster(), 'eht-2')), ['east', 'west']);
      assert.deepEqual(teams({ ...person(roster(), 'eht-1'), schools: ['ryd', 'berga'] }), ['west']);
    });
    it('ignores unknown schools and gives an admin no team', () => {
      assert.deepEqual(teams({ ...person(roster(), 'eht-1'), schools: ['nowhere'] }), []);
      assert.deepEqual(teams(person(roster(), 'adm')), []);
    });
  });

  describe('ehtMembersOf', () => {
    it("gives the school's EHT members only", () => {
      assert.deepEqual(ehtMembersOf(roster(), 'ryd').map((p) => p.id), ['eht-1', 'eht-2']);
      assert.deepEqual(ehtMembersOf(roster(), 'berga').map((p) => p.id), ['eht-3']);
    });
    it('ignores people who list the school without the eht role', () => {
      const r = roster();
      person(r, 'sw-1').schools = ['berga'];
      assert.deepEqual(ehtMembersOf(r, 'berga').map((p) => p.id), ['eht-3']);
    });
    it('gives nobody for an unknown school', () => assert.deepEqual(ehtMembersOf(roster(), 'nowhere'), []));
  });
});
