import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { manualClock } from '../../src/domain/clock';
import type { Case } from '../../src/domain/concern';
import type { Meeting } from '../../src/domain/meeting';
import type { ChangeStore } from '../../src/domain/ports';
import type { Roster } from '../../src/domain/roster';
import { builtInCalendar } from '../../src/services/builtInCalendar';
import { swedishHolidays } from '../../src/services/holidays';
import { answerMeeting, type MeetingDeps } from '../../src/services/meetings';
import { tableAccessLog } from '../../src/storage/accessLog';
import { tableCaseStore } from '../../src/storage/caseStore';
import { tableChangeStore } from '../../src/storage/changeStore';
import { tableCodeAllocator } from '../../src/storage/codeAllocator';
import { tableMeetingStore } from '../../src/storage/meetingStore';
import { tableRosterStore } from '../../src/storage/rosterStore';
import { seeder } from '../helpers/seed';
import { useIsolatedTables } from '../helpers/tableStore';

const ROSTER = JSON.parse(readFileSync(join(__dirname, '../../roster.example.json'), 'utf8')) as Roster;
const sara = ROSTER.people.find((p) => p.id === 'sw-1')!;
const t0 = '2026-11-23T08:00:00.000Z';
const TUE_09 = '2026-11-24T08:00:00.000Z';
const theCase: Case = {
  code: 'SST-2026-0001', teamId: 'sst-1', schoolId: 'ryd', grade: '7', category: 'absence', absenceBand: '20to50', summary: 'Frånvaro',
  kind: 'request', consent: { scope: 'Samverkan', expires: '2027-06-01', recordedBy: 'eht-1', recordedAt: t0 },
  status: 'accepted', raisedBy: 'eht-1', assignedTo: 'sw-1', createdAt: t0, updatedAt: t0, lastActivityAt: t0,
};
const meeting: Meeting = {
  id: 'a1b2c3d4e5f6', caseCode: theCase.code, teamId: 'sst-1', schoolId: 'ryd', type: 'startup', minutes: 60, place: 'school', guardiansAttending: false,
  ehtId: 'eht-1', socialWorkerId: 'sw-1', status: 'proposed', proposals: [TUE_09], awaiting: 'socialWorker', icsToken: 'f'.repeat(32), version: 1, createdAt: t0, updatedAt: t0,
};

/**
 * A double click whose second click passes the "applied already?" check before the first is stored,
 * and checks the social worker's calendar after: the time is taken, by itself. It must be told what
 * happened (its own answer, once), not that the social worker is busy then.
 */
describe('services/meetings: a double click racing itself (real stores on Azurite)', function () {
  this.timeout(60_000);
  const currentTables = useIsolatedTables();
  let deps: MeetingDeps;

  beforeEach(async () => {
    const tables = currentTables();
    const clock = manualClock(t0);
    const roster = tableRosterStore(tables, clock, 0);
    await roster.importFile(ROSTER);
    const changes = tableChangeStore(tables, clock);
    // The second click looks for the action's mark before the first is stored, and goes on only after it is:
    // it then finds the time taken, by its own first click.
    let stored: () => void = () => undefined;
    const firstStored = new Promise<void>((resolve) => (stored = resolve));
    let looks = 0;
    const racing: ChangeStore = {
      ...changes,
      async actionResult(teamId, actionId) {
        const result = await changes.actionResult(teamId, actionId);
        if (actionId === 'double-click' && ++looks === 2) await firstStored;
        return result;
      },
      async commit(change) {
        const done = await changes.commit(change);
        stored();
        return done;
      },
    };
    const meetings = tableMeetingStore(tables);
    deps = {
      clock, roster, isHoliday: swedishHolidays(), cases: tableCaseStore(tables), codes: tableCodeAllocator(tables), accessLog: tableAccessLog(tables),
      changes: racing, meetings, calendar: builtInCalendar(meetings),
    };
    const seed = seeder(tables, clock);
    await seed.createCase(theCase);
    await seed.createMeeting(meeting);
  });

  it('both clicks are answered with what happened: confirmed, once', async () => {
    const click = () => answerMeeting(deps, sara, 'sst-1', meeting.id, { kind: 'accept', start: TUE_09 }, { id: 'double-click' });
    const answers = await Promise.allSettled([click(), click()]);
    const refused = answers.filter((a) => a.status === 'rejected').map((a) => String((a as PromiseRejectedResult).reason?.code ?? (a as PromiseRejectedResult).reason));
    assert.deepEqual(refused, [], 'neither click is refused');
    assert.deepEqual(answers.map((a) => (a as PromiseFulfilledResult<{ status: string }>).value.status).sort(), ['applied', 'repeat']);
    const stored = (await deps.meetings.get('sst-1', meeting.id))!.value;
    assert.equal(stored.status, 'confirmed');
    assert.equal(stored.version, 2, 'changed once');
  });
});
