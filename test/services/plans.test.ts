import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { manualClock } from '../../src/domain/clock';
import type { Case } from '../../src/domain/concern';
import { DomainError, FormProblems } from '../../src/domain/errors';
import type { TeamChange } from '../../src/domain/ports';
import type { Roster } from '../../src/domain/roster';
import { swedishHolidays } from '../../src/services/holidays';
import { recordPlan, recordReviewOutcome, responsiblePeople, type PlanDeps } from '../../src/services/plans';
import { closingFollowUp } from '../../src/services/concerns';
import { tableAccessLog } from '../../src/storage/accessLog';
import { tableCaseStore } from '../../src/storage/caseStore';
import { tableChangeStore } from '../../src/storage/changeStore';
import { tableCodeAllocator } from '../../src/storage/codeAllocator';
import { tablePlanStore } from '../../src/storage/planStore';
import { tableRosterStore } from '../../src/storage/rosterStore';
import { seeder } from '../helpers/seed';
import { useIsolatedTables } from '../helpers/tableStore';

const ROSTER = JSON.parse(readFileSync(join(__dirname, '../../roster.example.json'), 'utf8')) as Roster;
ROSTER.teams.push({ id: 'sst-2', name: 'Öst', groupLeader: 'gl-2' });
ROSTER.people.push({ id: 'gl-2', aadObjectId: '00000000-0000-0000-0000-00000000b002', name: 'Gunilla', roles: ['groupLeader'], team: 'sst-2' });
const sara = ROSTER.people.find((p) => p.id === 'sw-1')!;
const t0 = '2026-11-23T08:00:00.000Z';
const theCase: Case = {
  code: 'SST-2026-0001', teamId: 'sst-1', schoolId: 'ryd', grade: '7', category: 'absence', absenceBand: '20to50', summary: 'Frånvaro',
  kind: 'request', consent: { scope: 'Samverkan', expires: '2027-06-01', recordedBy: 'eht-1', recordedAt: t0 },
  status: 'accepted', raisedBy: 'eht-1', assignedTo: 'sw-1', createdAt: t0, updatedAt: t0, lastActivityAt: t0,
};

/** recordPlan on its own (behind the form's own check): who is responsible is checked again against the allow-list. */
describe('services/plans: responsibilities from the allow-list (real stores on Azurite)', function () {
  this.timeout(60_000);
  const currentTables = useIsolatedTables();
  let deps: PlanDeps;

  beforeEach(async () => {
    const tables = currentTables();
    const clock = manualClock(t0);
    const roster = tableRosterStore(tables, clock, 0);
    await roster.importFile(ROSTER);
    deps = {
      clock, roster, isHoliday: swedishHolidays(), cases: tableCaseStore(tables), codes: tableCodeAllocator(tables), accessLog: tableAccessLog(tables),
      changes: tableChangeStore(tables, clock), plans: tablePlanStore(tables),
    };
    await seeder(tables, clock).createCase(theCase);
  });

  const record = (responsibilities: Array<{ personId?: string; role?: string; what: string }>, id: string) =>
    recordPlan(deps, sara, { caseCode: theCase.code, type: 'implementation', goals: ['Närvaro'], responsibilities, reviewDate: '2026-12-10' }, { id });

  it('names only the school\'s EHT and the team\'s social workers, school-side members and group leader', () => {
    assert.deepEqual(responsiblePeople(ROSTER, theCase).map((p) => p.id).sort(), ['eht-1', 'gl-1', 'st-1', 'sw-1', 'sw-2']);
  });

  it('a school-side team member the plan names takes part in the case from then on, and is told, in the same change', async () => {
    await record([{ personId: 'st-1', what: 'anpassar skolsituationen' }], 'a-staff');
    const c = (await deps.cases.get('sst-1', theCase.code))!.value;
    assert.deepEqual(c.staff, ['st-1']);
    assert.equal(c.status, 'active');
    const events = (await deps.cases.timeline('sst-1', theCase.code)).map((e) => e.kind);
    assert.ok(events.includes('staffChanged') && events.includes('planRecorded'), events.join());
  });

  it('refuses a plan on an anonymous consultation, and while the consent is withdrawn or expired', async () => {
    const code = (c: string) => (err: unknown) => err instanceof DomainError && err.code === c;
    const c = (await deps.cases.get('sst-1', theCase.code))!;
    await seeder(currentTables(), deps.clock).updateCase({ ...c.value, consent: { ...c.value.consent!, withdrawnAt: t0, withdrawnBy: 'eht-1' } }, c.etag);
    await assert.rejects(record([{ role: 'guardians', what: 'x' }], 'a-withdrawn'), code('case.consentWithdrawn'));
    const w = (await deps.cases.get('sst-1', theCase.code))!;
    await seeder(currentTables(), deps.clock).updateCase({ ...w.value, kind: 'consultation', consent: undefined }, w.etag);
    await assert.rejects(record([{ role: 'guardians', what: 'x' }], 'a-consultation'), code('case.consultation'));
    assert.deepEqual(await deps.plans.listByCase('sst-1', theCase.code), []);
  });

  for (const [label, line, code] of [
    ['another school\'s EHT member', { personId: 'eht-2', what: 'ringer' }, 'plan.unknownPerson'],
    ['another team\'s group leader', { personId: 'gl-2', what: 'ringer' }, 'plan.unknownPerson'],
    ['someone not in the roster', { personId: 'Kalle Anka', what: 'ringer' }, 'plan.unknownPerson'],
    ['a role outside the fixed list (a typed name)', { role: 'Kalle Anka', what: 'ringer hem' }, 'plan.unknownRole'],
    ['both a person and a role', { personId: 'sw-1', role: 'mentor', what: 'ringer' }, 'plan.responsibleWho'],
  ] as const) {
    it(`refuses ${label}, and stores nothing`, async () => {
      await assert.rejects(record([line], `a-${label}`), (err: unknown) => err instanceof DomainError && err.code === code);
      assert.deepEqual(await deps.plans.listByCase('sst-1', theCase.code), []);
    });
  }

  it('stores a person of the allow-list and a fixed role', async () => {
    await record([{ personId: 'eht-1', what: 'följer upp' }, { role: 'guardians', what: 'väcker i tid' }], 'a-ok');
    const [plan] = await deps.plans.listByCase('sst-1', theCase.code);
    assert.deepEqual(plan.responsibilities, [{ personId: 'eht-1', what: 'följer upp' }, { role: 'guardians', what: 'väcker i tid' }]);
  });
});

/** A review held: the plan's attainments and the case's absence measure are one commit with the rest of the action. */
describe('services/plans: recording a review with absence and goal attainment (real stores on Azurite)', function () {
  this.timeout(60_000);
  const currentTables = useIsolatedTables();
  let deps: PlanDeps;
  let commits: TeamChange[];
  let planRef: { teamId: string; planId: string; date: string };

  beforeEach(async () => {
    const tables = currentTables();
    const clock = manualClock(t0);
    const roster = tableRosterStore(tables, clock, 0);
    await roster.importFile(ROSTER);
    const changes = tableChangeStore(tables, clock);
    commits = [];
    deps = {
      clock, roster, isHoliday: swedishHolidays(), cases: tableCaseStore(tables), codes: tableCodeAllocator(tables), accessLog: tableAccessLog(tables),
      changes: { ...changes, commit: (change) => (commits.push(change), changes.commit(change)) }, plans: tablePlanStore(tables),
    };
    await seeder(tables, clock).createCase({ ...theCase, absence: [{ at: 'intake', date: '2026-11-23', valid: 12, invalid: 18, recordedBy: 'eht-1', recordedAt: t0 }] });
    const { planId } = await recordPlan(deps, sara, { caseCode: theCase.code, type: 'implementation', goals: ['Närvaro över 80 %', 'Trygg skolstart'], responsibilities: [{ role: 'mentor', what: 'följer upp' }], reviewDate: '2026-12-10' }, { id: 'a-plan' });
    planRef = { teamId: 'sst-1', planId, date: '2026-12-10' };
    clock.set('2026-12-10T10:00:00+01:00');
    commits = [];
  });

  const answers = { absenceValid: '8', absenceInvalid: '10', goal1: 'partly', goal2: 'reached' };

  it('writes the plan, the case\'s measure, the event and the reminders in one commit', async () => {
    await recordReviewOutcome(deps, sara, planRef, 'done', '2027-02-11', { id: 'a-review' }, answers);
    assert.equal(commits.length, 1);
    const [change] = commits;
    assert.equal(change.plans?.length, 1);
    assert.equal(change.cases?.length, 1, 'the case is in the same commit');
    assert.ok(change.cases?.[0].etag, 'under the case\'s eTag');
    assert.deepEqual(change.plans![0].value.reviews[0].goals, ['partly', 'reached']);
    const c = (await deps.cases.get('sst-1', theCase.code))!.value;
    assert.deepEqual(c.absence?.map((m) => [m.at, m.date, m.valid, m.invalid, m.recordedBy]), [['intake', '2026-11-23', 12, 18, 'eht-1'], ['review', '2026-12-10', 8, 10, 'sw-1']]);
    assert.deepEqual((await deps.plans.get('sst-1', planRef.planId))!.value.reviews[0].goals, ['partly', 'reached']);
  });

  it('refuses a held review without the absence or an attainment for every goal: every problem at once, nothing written', async () => {
    await assert.rejects(
      recordReviewOutcome(deps, sara, planRef, 'done', '2026-12-10', { id: 'a-bad' }, { absenceValid: '70', absenceInvalid: '40', goal1: 'partly' }),
      (err: unknown) => err instanceof FormProblems && JSON.stringify(err.problems) === JSON.stringify({ nextDate: 'dateInPast', absenceInvalid: 'absenceSum', goal2: 'required' }),
    );
    await assert.rejects(recordReviewOutcome(deps, sara, planRef, 'ended', undefined, { id: 'a-bad2' }, { goal1: 'partly', goal2: 'reached' }), (err: unknown) => err instanceof FormProblems && 'absenceValid' in err.problems);
    assert.equal(commits.length, 0);
    assert.equal((await deps.cases.get('sst-1', theCase.code))!.value.absence?.length, 1);
  });

  it('a moved review writes no measure and no attainment (the case row is not written)', async () => {
    await recordReviewOutcome(deps, sara, planRef, 'moved', '2026-12-17', { id: 'a-moved' }, answers);
    assert.equal(commits[0].cases?.length ?? 0, 0);
    assert.equal((await deps.plans.get('sst-1', planRef.planId))!.value.reviews[0].goals, undefined);
  });

  it('the school\'s EHT may not record a review (nor its measure)', async () => {
    const eva = ROSTER.people.find((p) => p.id === 'eht-1')!;
    await assert.rejects(recordReviewOutcome(deps, eva, planRef, 'done', '2027-02-11', { id: 'a-eht' }, answers), (err: unknown) => err instanceof DomainError && err.code === 'access.denied');
    assert.equal(commits.length, 0);
  });
});

describe('services/concerns: what closing a request asks', () => {
  const problems = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      assert.ok(err instanceof FormProblems, String(err));
      return err.problems;
    }
    assert.fail('expected FormProblems');
  };

  it('an outcome, still at the same school, and the absence', () => {
    assert.deepEqual(closingFollowUp('attendanceImproved', { sameSchool: 'yes', absenceValid: '3', absenceInvalid: '1' }), { sameSchool: true, absence: { valid: 3, invalid: 1 } });
    assert.deepEqual(problems(() => closingFollowUp(undefined, {})), { outcome: 'chooseOutcome', sameSchool: 'required', absenceValid: 'required', absenceInvalid: 'required' });
    assert.deepEqual(problems(() => closingFollowUp('other', { sameSchool: 'maybe', absenceValid: '3', absenceInvalid: '1' })), { sameSchool: 'invalidChoice' });
    assert.deepEqual(problems(() => closingFollowUp('other', { sameSchool: 'yes', absenceValid: '60', absenceInvalid: '41' })), { absenceInvalid: 'absenceSum' });
  });

  it('"moved school" is not "still at the same school"', () => {
    assert.deepEqual(problems(() => closingFollowUp('movedSchool', { sameSchool: 'yes', absenceValid: '3', absenceInvalid: '1' })), { sameSchool: 'sameSchoolMoved' });
  });

  it('a pupil no longer at the school may close without a measure, or with one', () => {
    assert.deepEqual(closingFollowUp('movedSchool', { sameSchool: 'no' }), { sameSchool: false });
    assert.deepEqual(closingFollowUp('movedSchool', { sameSchool: 'no', absenceValid: '0', absenceInvalid: '0' }), { sameSchool: false, absence: { valid: 0, invalid: 0 } });
    assert.deepEqual(problems(() => closingFollowUp('other', { sameSchool: 'yes' })), { absenceValid: 'required', absenceInvalid: 'required' });
  });
});
