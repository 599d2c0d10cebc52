import { randomUUID } from 'node:crypto';
import type { Clock } from '../../src/domain/clock';
import type { Case, CaseEvent } from '../../src/domain/concern';
import type { Meeting } from '../../src/domain/meeting';
import type { Plan } from '../../src/domain/plan';
import type { TeamChange } from '../../src/domain/ports';
import { tableChangeStore } from '../../src/storage/changeStore';
import type { TableStore } from '../../src/storage/tables';

/**
 * Writes cases, plans and meetings the way the bot does (one change per call, through the change
 * store), without effects: test set-up for suites that are about something else.
 */
export function seeder(tables: TableStore, clock: Clock) {
  const changes = tableChangeStore(tables, clock);
  const commit = async (change: Omit<TeamChange, 'action' | 'effects'>) => {
    await changes.commit({ ...change, action: { id: `seed-${randomUUID()}`, result: {} }, effects: [] });
  };
  return {
    createCase: (c: Case, events: CaseEvent[] = []) => commit({ teamId: c.teamId, cases: [{ value: c }], events }),
    updateCase: (c: Case, etag: string, events: CaseEvent[] = []) => commit({ teamId: c.teamId, cases: [{ value: c, etag }], events }),
    createPlan: (p: Plan) => commit({ teamId: p.teamId, plans: [{ value: p }] }),
    updatePlan: (p: Plan, etag: string) => commit({ teamId: p.teamId, plans: [{ value: p, etag }] }),
    createMeeting: (m: Meeting) => commit({ teamId: m.teamId, meetings: [{ value: m }] }),
    updateMeeting: (m: Meeting, etag: string) => commit({ teamId: m.teamId, meetings: [{ value: m, etag }] }),
  };
}
