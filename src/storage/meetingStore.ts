import { z } from 'zod';
import { endOf, type Meeting } from '../domain/meeting';
import type { MeetingStore } from '../domain/ports';
import { odataString } from './tableErrors';
import type { TableStore } from './tables';
import { teamDocuments, type DocumentKind } from './teamDocuments';

const meetingSchema = z.looseObject({ id: z.string(), caseCode: z.string(), teamId: z.string(), status: z.string(), version: z.number() });

/** Meetings beside their case (RowKey "m|<id>"); the social worker, status and start are columns for free/busy. */
export const MEETING_DOCUMENTS: DocumentKind<Meeting> = {
  prefix: 'm',
  type: 'meeting',
  schema: meetingSchema,
  columns: (m) => ({ socialWorkerId: m.socialWorkerId, status: m.status, start: m.start ?? '' }),
};

export function tableMeetingStore(store: TableStore): MeetingStore {
  const docs = teamDocuments<Meeting>(store, MEETING_DOCUMENTS);
  return {
    get: docs.get,
    update: docs.update,
    async confirmedFor(teamId, socialWorkerId, range) {
      // A meeting is at most a working day long: anything starting a day before the range may still overlap.
      const from = new Date(range.start.getTime() - 24 * 3600_000).toISOString();
      const extra = ` and socialWorkerId eq ${odataString(socialWorkerId)} and status eq 'confirmed' and start ge ${odataString(from)} and start lt ${odataString(range.end.toISOString())}`;
      return (await docs.list(teamId, extra)).filter((m) => endOf(m)!.getTime() > range.start.getTime());
    },
    listByCase: (teamId, caseCode) => docs.list(teamId, ` and caseCode eq ${odataString(caseCode)}`),
    listByTeam: (teamId) => docs.list(teamId),
  };
}
