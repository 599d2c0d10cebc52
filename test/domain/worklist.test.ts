import assert from 'node:assert/strict';
import type { Case } from '../../src/domain/concern';
import type { Meeting } from '../../src/domain/meeting';
import type { Plan } from '../../src/domain/plan';
import type { Person } from '../../src/domain/roster';
import { buildWorklist, worklistCodes } from '../../src/domain/worklist';

const NOW = new Date('2026-11-25T09:00:00+01:00'); // a Wednesday
const t0 = '2026-11-01T08:00:00.000Z';
const MARKER = 'MARKER-WL-2a7e';
const people = {
  eva: { id: 'eht-1', aadObjectId: 'e1', name: 'Eva', roles: ['eht'], schools: ['ryd'] },
  erik: { id: 'eht-2', aadObjectId: 'e2', name: 'Erik', roles: ['eht'], schools: ['berga'] },
  sara: { id: 'sw-1', aadObjectId: 'a1', name: 'Sara', roles: ['socialWorker'], team: 'sst-1' },
  samir: { id: 'sw-2', aadObjectId: 'a2', name: 'Samir', roles: ['socialWorker'], team: 'sst-1' },
  sixten: { id: 'sw-3', aadObjectId: 'a3', name: 'Sixten', roles: ['socialWorker'], team: 'sst-2' },
  goran: { id: 'gl-1', aadObjectId: 'b1', name: 'Göran', roles: ['groupLeader'], team: 'sst-1' },
  alva: { id: 'adm-1', aadObjectId: 'c1', name: 'Alva', roles: ['admin'] },
} satisfies Record<string, Person>;

const aCase = (code: string, o: Partial<Case> = {}): Case => ({
  code, teamId: 'sst-1', schoolId: 'ryd', grade: '7', category: 'absence', absenceBand: '20to50', summary: `${MARKER} summary`, status: 'accepted',
  raisedBy: 'eht-1', assignedTo: 'sw-1', createdAt: t0, updatedAt: t0, lastActivityAt: t0, ...o,
});
const aMeeting = (id: string, caseCode: string, o: Partial<Meeting> = {}): Meeting => ({
  id, caseCode, teamId: 'sst-1', schoolId: 'ryd', type: 'startup', minutes: 60, place: 'school', guardiansAttending: false, ehtId: 'eht-1', socialWorkerId: 'sw-1',
  status: 'proposed', proposals: ['2026-11-27T09:00:00.000Z'], awaiting: 'socialWorker', icsToken: 'x', version: 1, createdAt: t0, updatedAt: '2026-11-24T10:00:00.000Z', ...o,
});
const aPlan = (id: string, caseCode: string, o: Partial<Plan> = {}): Plan => ({
  id, caseCode, teamId: 'sst-1', schoolId: 'ryd', type: 'implementation', goals: [`${MARKER} goal`], responsibilities: [], reviews: [{ date: '2026-11-30', status: 'planned' }],
  status: 'active', ownerId: 'sw-1', ehtContactId: 'eht-1', createdAt: t0, updatedAt: t0, ...o,
});

function world() {
  const cases = [
    aCase('SST-2026-0001', { status: 'new', createdAt: '2026-11-25T07:00:00.000Z' }), // new, Sara's
    aCase('SST-2026-0002', { openQuestion: { to: 'eht-1', at: '2026-11-24T12:00:00.000Z' } }),
    aCase('SST-2026-0003', { consent: { scope: 's', expires: '2026-12-05', recordedBy: 'eht-1', recordedAt: t0 } }),
    aCase('SST-2026-0004', { status: 'closed', outcome: 'other', openQuestion: { to: 'eht-1', at: t0 } }),
    aCase('SST-2026-0005', { schoolId: 'berga', assignedTo: 'sw-2', status: 'new', createdAt: '2026-11-25T08:00:00.000Z' }),
  ];
  const meetings = [aMeeting('m-1', 'SST-2026-0002'), aMeeting('m-2', 'SST-2026-0003', { awaiting: 'eht', version: 2 }), aMeeting('m-3', 'SST-2026-0004')];
  const plans = [
    aPlan('p-1', 'SST-2026-0002'),
    aPlan('p-2', 'SST-2026-0003', { reviews: [{ date: '2026-11-20', status: 'planned' }], intensiveUntil: '2026-11-28' }),
    aPlan('p-3', 'SST-2026-0004'),
    aPlan('p-4', 'SST-2026-0002', { reviews: [{ date: '2026-12-20', status: 'planned' }] }), // more than a week away
  ];
  return { now: NOW, cases, meetings, plans };
}
const kinds = (actor: Person) => buildWorklist({ ...world(), actor }).map((i) => `${i.kind}:${i.kind === 'takeCase' ? i.case.code : i.caseCode}`);

describe('domain/worklist', () => {
  it('the social worker: concerns to take (own and the team\'s), meetings awaiting them, reviews due and overdue, consents, intensive phases ending; newest first', () => {
    assert.deepEqual(kinds(people.sara), [
      'takeCase:SST-2026-0005', // the team's, 08:00 today
      'takeCase:SST-2026-0001', // her own, 07:00 today
      'answerMeeting:SST-2026-0002', // asked 24 Nov
      'review:SST-2026-0002', // 30 Nov: on the list from 23 Nov
      'consent:SST-2026-0003', // expires 5 Dec: from 21 Nov (the case's social worker needs it too)
      'intensiveEnds:SST-2026-0003', // 28 Nov: from 21 Nov
      'review:SST-2026-0003', // overdue since 20 Nov: on the list from 13 Nov
    ]);
  });

  it('the EHT member: questions to answer, meetings awaiting the school, consents expiring; nothing of closed cases or other schools', () => {
    assert.deepEqual(kinds(people.eva).sort(), ['answerMeeting:SST-2026-0003', 'answerQuestion:SST-2026-0002', 'consent:SST-2026-0003'].sort());
    assert.deepEqual(kinds(people.erik), [], 'Bergaskolan\'s EHT: no concern to take, nothing of Rydskolan');
  });

  it('another social worker of the team sees the unclaimed concerns only; another team\'s nothing; an admin nothing', () => {
    assert.deepEqual(kinds(people.samir), ['takeCase:SST-2026-0005', 'takeCase:SST-2026-0001']);
    assert.deepEqual(buildWorklist({ ...world(), actor: people.samir }).map((i) => i.kind === 'takeCase' && i.mine), [true, false]);
    assert.deepEqual(kinds(people.sixten), []);
    assert.deepEqual(kinds(people.alva), []);
  });

  it('the group leader: the team\'s unclaimed concerns and overdue reviews (the escalation), not reviews still ahead', () => {
    assert.deepEqual(kinds(people.goran), ['takeCase:SST-2026-0005', 'takeCase:SST-2026-0001', 'review:SST-2026-0003']);
  });

  it('holds codes, ids and dates only, and lists every code it shows once', () => {
    const items = buildWorklist({ ...world(), actor: people.sara });
    assert.doesNotMatch(JSON.stringify(items), new RegExp(MARKER));
    assert.deepEqual(worklistCodes(items), ['SST-2026-0001', 'SST-2026-0002', 'SST-2026-0003', 'SST-2026-0005']);
  });
});
