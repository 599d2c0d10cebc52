import type { Clock } from '../domain/clock';
import type { AccessLog, CaseStore, ChangeStore, CodeAllocator, RosterStore } from '../domain/ports';
import type { HolidayCheck } from '../domain/slots';

/** The ports the use cases run on; built once in the composition root. */
export interface ServiceDeps {
  clock: Clock;
  cases: CaseStore;
  codes: CodeAllocator;
  roster: RosterStore;
  /** Reads and refusals are logged here directly; a change's own entry is one of its effects. */
  accessLog: AccessLog;
  /** Writes each action's change with its effects in one transaction. */
  changes: ChangeStore;
  isHoliday: HolidayCheck;
}
