import type { Case } from '../domain/concern';
import type { Meeting } from '../domain/meeting';
import type { Plan } from '../domain/plan';
import type { DueItemStore, RosterStore } from '../domain/ports';
import { consentReminders, digestItem, retentionItem, inactivityReminder, meetingReminders, planReminders, yearlyReportReminder } from '../domain/reminders';
import { teamById } from '../domain/roster';
import type { Clock } from '../domain/clock';
import type { HolidayCheck } from '../domain/slots';

/** Turns changes to cases, meetings and plans into stored reminders (idempotent: same reminder, same key). */
export interface ReminderScheduler {
  onCase(c: Case): Promise<void>;
  onMeeting(m: Meeting): Promise<void>;
  onPlan(p: Plan): Promise<void>;
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
    async onMeeting(m) {
      await dueItems.schedule(meetingReminders(m, clock.now(), isHoliday));
    },
    async onPlan(p) {
      const leader = teamById(await deps.roster.get(), p.teamId)?.groupLeader;
      await dueItems.schedule(planReminders(p, leader, clock.now(), isHoliday));
    },
    async ensureRecurring() {
      const roster = await deps.roster.get();
      const now = clock.now();
      await dueItems.schedule([retentionItem(now), ...roster.teams.flatMap((t) => [digestItem(t.id, t.groupLeader, now, isHoliday), yearlyReportReminder(t.id, t.groupLeader, now, isHoliday)])]);
    },
  };
}
