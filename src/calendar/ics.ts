import { createEvent } from 'ics';
import type { Meeting } from '../domain/meeting';

const TYPE_TITLES: Record<Meeting['type'], string> = {
  startup: 'Uppstartsmöte',
  guardians: 'Möte med vårdnadshavare',
  sip: 'SIP-möte',
  followUp: 'Uppföljningsmöte',
  homeVisit: 'Hembesök',
  consultation: 'Konsultationsmöte',
};

/**
 * The invitation for a confirmed meeting: only the case code and meeting type, never case content.
 * LAST-MODIFIED and SEQUENCE follow the meeting's changes, so calendars replace an earlier copy.
 */
export function meetingIcs(m: Meeting, opts: { location?: string }): string {
  if (m.status !== 'confirmed' || !m.start) throw new Error(`Meeting ${m.id} is not confirmed; no invitation to make.`);
  const title = `${m.caseCode} – ${TYPE_TITLES[m.type]}`;
  const { error, value } = createEvent({
    uid: `${m.id}@skolsocialt-team`,
    productId: 'skolsocialt-team-bot',
    start: new Date(m.start).getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: m.minutes },
    lastModified: new Date(m.updatedAt).getTime(),
    title,
    description: `Skolsocialt team: ${title}. Ärendeuppgifter finns i verksamhetssystemen, inte i kallelsen.`,
    location: m.joinUrl ?? opts.location,
    url: m.joinUrl,
    sequence: m.version,
  });
  if (error || !value) throw new Error(`Could not build the invitation for meeting ${m.id}: ${error?.message ?? 'unknown error'}`);
  return value;
}
