import type { Case } from '../domain/concern';
import type { DueItemStore, RosterStore } from '../domain/ports';
import { consentReminders, digestItem, retentionItem, inactivityReminder, yearlyReportReminder } from '../domain/reminders';
import type { Clock } from '../domain/clock';
import { settingsOf } from '../domain/settings';
import type { HolidayCheck } from '../domain/slots';

/**
 * Stores reminders outside an action (idempotent: same reminder, same key): a case's next
 * inactivity check, and the recurring items. An action's own reminders are one of its effects.
 */
export interface ReminderScheduler {
  onCase(c: Case): Promise<void>;
  /** The recurring items: per team the next digest and yearly-report reminder; the nightly retention run. */
  ensureRecurring(): Promise<void>;
}

export function reminderScheduler(deps: { dueItems: DueItemStore; roster: RosterStore; clock: Clock; isHoliday: HolidayCheck }): ReminderScheduler {
  const { dueItems, clock, isHoliday } = deps;
  return {
    async onCase(c) {
      const now = clock.now();
      await dueItems.schedule([...consentReminders(c, now, isHoliday), ...inactivityReminder(c, now, isHoliday)]);
    },
    async ensureRecurring() {
      const roster = await deps.roster.get();
      const now = clock.now();
      const { report } = settingsOf(roster.municipality);
      await dueItems.schedule([retentionItem(now), ...roster.teams.flatMap((t) => [digestItem(t.id, t.groupLeader, now, isHoliday), yearlyReportReminder(t.id, t.groupLeader, now, isHoliday, report)])]);
    },
  };
}
