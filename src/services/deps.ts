import type { Clock } from '../domain/clock';
import type { AccessLog, CaseStore, CodeAllocator, Notifier, RosterStore } from '../domain/ports';
import type { ReminderScheduler } from './reminderScheduler';

/** The ports the use cases run on; built once in the composition root. */
export interface ServiceDeps {
  clock: Clock;
  cases: CaseStore;
  codes: CodeAllocator;
  roster: RosterStore;
  accessLog: AccessLog;
  notifier: Notifier;
  reminders: ReminderScheduler;
}
