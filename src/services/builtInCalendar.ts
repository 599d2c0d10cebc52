import { endOf } from '../domain/meeting';
import type { Calendar, MeetingStore } from '../domain/ports';

/** Free/busy from the bot's own confirmed bookings; events live only in the bot (and the .ics invitation). */
export function builtInCalendar(meetings: MeetingStore): Calendar {
  return {
    async busy(person, range) {
      if (!person.team) return [];
      const booked = await meetings.confirmedFor(person.team, person.id, range);
      return booked.map((m) => ({ start: new Date(m.start!), end: endOf(m)! }));
    },
    async confirmed() {
      return {};
    },
    async cancelled() {},
  };
}
