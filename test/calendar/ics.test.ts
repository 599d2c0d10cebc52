import assert from 'node:assert/strict';
import { meetingIcs } from '../../src/calendar/ics';
import type { Meeting } from '../../src/domain/meeting';

const MARKER = 'MARKER-never-in-ics';

function meeting(overrides: Partial<Meeting> = {}): Meeting {
  return {
    id: '0a1b2c3d4e5f',
    caseCode: 'SST-2026-0001',
    teamId: `team-${MARKER}`,
    schoolId: `school-${MARKER}`,
    type: 'startup',
    minutes: 45,
    place: 'school',
    guardiansAttending: true,
    ehtId: `eht-${MARKER}`,
    socialWorkerId: `sw-${MARKER}`,
    status: 'confirmed',
    proposals: [],
    awaiting: 'socialWorker',
    // Stockholm winter time: 13:00 local is 12:00 UTC.
    start: '2026-11-24T13:00:00+01:00',
    declineReason: `reason-${MARKER}`,
    cancelledBy: `by-${MARKER}`,
    icsToken: `token-${MARKER}`,
    version: 3,
    createdAt: '2026-11-01T08:00:00.000Z',
    updatedAt: '2026-11-02T08:15:00.000Z',
    ...overrides,
  };
}

/** The content lines of an iCalendar text, unfolded (RFC 5545 §3.1). */
function lines(ics: string): string[] {
  return ics.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
}

const prop = (ics: string, name: string) => lines(ics).filter((l) => l.startsWith(`${name}:`) || l.startsWith(`${name};`));

describe('meetingIcs', () => {
  it('puts only the case code and meeting type in SUMMARY, and no case content anywhere', () => {
    const ics = meetingIcs(meeting(), { location: 'Skolan' });
    assert.deepEqual(prop(ics, 'SUMMARY'), ['SUMMARY:SST-2026-0001 – Uppstartsmöte']);
    assert.doesNotMatch(ics, new RegExp(MARKER));
    const unfolded = lines(ics).join('\n');
    assert.match(unfolded, /DESCRIPTION:Skolsocialt team: SST-2026-0001 – Uppstartsmöte\. Ärendeuppgifter finns i verksamhetssystemen\\, inte i kallelsen\./);
  });

  it('titles every meeting type in Swedish', () => {
    const titles = { startup: 'Uppstartsmöte', guardians: 'Möte med vårdnadshavare', sip: 'SIP-möte', followUp: 'Uppföljningsmöte' } as const;
    for (const [type, title] of Object.entries(titles)) {
      assert.deepEqual(prop(meetingIcs(meeting({ type: type as Meeting['type'] }), {}), 'SUMMARY'), [`SUMMARY:SST-2026-0001 – ${title}`]);
    }
  });

  it('gives DTSTART in UTC and the length as DURATION', () => {
    const ics = meetingIcs(meeting({ minutes: 90 }), {});
    assert.deepEqual(prop(ics, 'DTSTART'), ['DTSTART:20261124T120000Z']);
    assert.deepEqual(prop(ics, 'DURATION'), ['DURATION:PT90M']);
    assert.deepEqual(prop(ics, 'DTEND'), [], 'DURATION, not DTEND');
    assert.deepEqual(prop(meetingIcs(meeting({ minutes: 45, start: '2026-06-15T07:30:00.000Z' }), {}), 'DTSTART'), ['DTSTART:20260615T073000Z']);
  });

  it('refuses a meeting that is not confirmed', () => {
    for (const status of ['proposed', 'declined', 'cancelled'] as const) {
      assert.throws(() => meetingIcs(meeting({ status }), {}), /not confirmed/);
    }
    assert.throws(() => meetingIcs(meeting({ start: undefined }), {}), /not confirmed/);
  });

  it('follows the meeting version in SEQUENCE and its last change in LAST-MODIFIED, with a stable UID', () => {
    const first = meetingIcs(meeting({ version: 3 }), {});
    const later = meetingIcs(meeting({ version: 7, updatedAt: '2026-11-05T10:00:00.000Z', start: '2026-11-26T09:00:00.000Z' }), {});
    assert.deepEqual(prop(first, 'SEQUENCE'), ['SEQUENCE:3']);
    assert.deepEqual(prop(later, 'SEQUENCE'), ['SEQUENCE:7']);
    assert.deepEqual(prop(first, 'LAST-MODIFIED'), ['LAST-MODIFIED:20261102T081500Z']);
    assert.deepEqual(prop(later, 'LAST-MODIFIED'), ['LAST-MODIFIED:20261105T100000Z']);
    assert.deepEqual(prop(first, 'UID'), prop(later, 'UID'));
    assert.deepEqual(prop(first, 'UID'), ['UID:0a1b2c3d4e5f@skolsocialt-team']);
  });

  it('uses the Teams link as location when there is one, else the given place', () => {
    const joinUrl = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0';
    const online = lines(meetingIcs(meeting({ place: 'teams', joinUrl }), { location: 'Skolan' }));
    assert.ok(online.includes(`LOCATION:${joinUrl}`));
    assert.ok(online.includes(`URL:${joinUrl}`));
    assert.ok(lines(meetingIcs(meeting(), { location: 'Skolan' })).includes('LOCATION:Skolan'));
  });

  it('is a single VEVENT in a VCALENDAR', () => {
    const ls = lines(meetingIcs(meeting(), {}));
    assert.equal(ls[0], 'BEGIN:VCALENDAR');
    assert.equal(ls.filter((l) => l === 'BEGIN:VEVENT').length, 1);
    assert.ok(ls.includes('END:VCALENDAR'));
  });
});
