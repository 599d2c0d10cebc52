import { identityProblem, isAnonymous, type Case } from './concern';
import { familyWorkProblem } from './consent';
import { DomainError } from './errors';

/** Uppstartsmöte, möte med vårdnadshavare, SIP-möte, uppföljningsmöte, hembesök, konsultation (an anonymous consultation's only kind). */
export const MEETING_TYPES = ['startup', 'guardians', 'sip', 'followUp', 'homeVisit', 'consultation'] as const;
export type MeetingType = (typeof MEETING_TYPES)[number];
/** Meetings with the family: never on an anonymous consultation, and only while the consent holds. */
export const FAMILY_MEETING_TYPES: readonly MeetingType[] = ['guardians', 'sip', 'homeVisit'];

export const PLACES = ['school', 'teams', 'home', 'other'] as const;
export type Place = (typeof PLACES)[number];

/** The meeting types a case allows now: a consultation only consultations; a request without valid consent none with the family. */
export function meetingTypesFor(c: Pick<Case, 'kind' | 'consent'>, today: string): MeetingType[] {
  if (isAnonymous(c)) return ['consultation'];
  if (familyWorkProblem(c, today)) return MEETING_TYPES.filter((t) => !FAMILY_MEETING_TYPES.includes(t));
  return [...MEETING_TYPES];
}

/**
 * Is a meeting of this type (with or without the guardians) possible on the case today? An anonymous
 * consultation has no meeting with the family, no SIP and no hembesök (DOMAIN.md); a request only
 * while its consent holds. Throws `case.consultation`, `case.consentWithdrawn` or `case.consentExpired`.
 */
export function mustAllowMeeting(c: Pick<Case, 'kind' | 'consent'>, type: MeetingType, guardiansAttending: boolean, today: string): void {
  const withFamily = guardiansAttending || FAMILY_MEETING_TYPES.includes(type);
  if (isAnonymous(c)) {
    if (withFamily || type !== 'consultation') throw new DomainError('case.consultation', 'An anonymous consultation has consultation meetings only');
    return;
  }
  if (!withFamily) return;
  const problem = familyWorkProblem(c, today);
  if (problem) throw new DomainError(`case.${problem}`, `No meeting with the family now (${problem})`);
}

export const DURATIONS = [30, 45, 60, 90] as const;
export const MAX_PROPOSALS = 3;

export type MeetingStatus = 'proposed' | 'confirmed' | 'declined' | 'cancelled';
export type Party = 'eht' | 'socialWorker';

/**
 * A joint meeting between the school's EHT member and the case's social worker. It carries no
 * case content: only the case code and meeting type ever leave the bot (cards, invitations).
 */
export interface Meeting {
  id: string;
  caseCode: string;
  teamId: string;
  schoolId: string;
  type: MeetingType;
  minutes: number;
  place: Place;
  guardiansAttending: boolean;
  /** An interpreter is needed (tolk behövs); the language is not stored. */
  interpreterNeeded?: boolean;
  ehtId: string;
  socialWorkerId: string;
  status: MeetingStatus;
  /** Proposed start times (ISO), waiting for `awaiting` to pick one, decline or counter. */
  proposals: string[];
  awaiting: Party;
  start?: string;
  declineReason?: string;
  cancelledBy?: string;
  joinUrl?: string;
  externalEventId?: string;
  /** Unguessable part of the invitation (.ics) link. */
  icsToken: string;
  /** Bumped on every change; a card carries the version it was drawn from. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export const partyOf = (m: Pick<Meeting, 'ehtId' | 'socialWorkerId'>, personId: string): Party | undefined =>
  personId === m.ehtId ? 'eht' : personId === m.socialWorkerId ? 'socialWorker' : undefined;

export const otherParty = (m: Pick<Meeting, 'ehtId' | 'socialWorkerId'>, party: Party) => (party === 'eht' ? m.socialWorkerId : m.ehtId);

export function endOf(m: Pick<Meeting, 'start' | 'minutes'>): Date | undefined {
  return m.start ? new Date(new Date(m.start).getTime() + m.minutes * 60_000) : undefined;
}

function touch(m: Meeting, now: Date): Pick<Meeting, 'updatedAt' | 'version'> {
  return { updatedAt: now.toISOString(), version: m.version + 1 };
}

function mustAwait(m: Meeting, party: Party): void {
  if (m.status !== 'proposed') throw new DomainError(`meeting.${m.status}`, `The meeting is ${m.status}`);
  if (m.awaiting !== party) throw new DomainError('meeting.notYourTurn', 'Waiting for the other party');
}

/** The awaited party picks one of the proposed times: the meeting is confirmed, once. */
export function acceptProposal(m: Meeting, party: Party, start: string, now: Date): Meeting {
  mustAwait(m, party);
  const chosen = m.proposals.find((p) => new Date(p).getTime() === new Date(start).getTime());
  if (!chosen) throw new DomainError('meeting.unknownSlot', 'That time was not proposed');
  return { ...m, ...touch(m, now), status: 'confirmed', start: chosen, proposals: [] };
}

/** The awaited party proposes other times; the other party now decides. */
export function counterPropose(m: Meeting, party: Party, proposals: string[], now: Date): Meeting {
  mustAwait(m, party);
  return { ...m, ...touch(m, now), proposals, awaiting: party === 'eht' ? 'socialWorker' : 'eht' };
}

export function decline(m: Meeting, party: Party, reason: string, now: Date): Meeting {
  mustAwait(m, party);
  // The reason is shown to the other party: free text, so the same identity guard as every other.
  if (identityProblem(reason)) throw new DomainError('meeting.personnummer', 'The reason looks like it holds a personnummer');
  return { ...m, ...touch(m, now), status: 'declined', declineReason: reason, proposals: [] };
}

/** Is the meeting still to come or still waiting for an answer (as opposed to over, declined or cancelled)? */
export function isOpen(m: Pick<Meeting, 'status' | 'start' | 'minutes'>, now: Date): boolean {
  if (m.status === 'proposed') return true;
  return m.status === 'confirmed' && (endOf(m)?.getTime() ?? 0) > now.getTime();
}

/**
 * The case is closed: its open meetings are cancelled with it (no meeting on a closed case). A
 * confirmed meeting already held stays as it was.
 */
export function cancelWithCase(meetings: Meeting[], by: string, now: Date): Meeting[] {
  return meetings.filter((m) => isOpen(m, now)).map((m) => cancel(m, by, now));
}

/** Either party cancels a proposed or confirmed meeting. */
export function cancel(m: Meeting, personId: string, now: Date): Meeting {
  if (m.status !== 'proposed' && m.status !== 'confirmed') throw new DomainError(`meeting.${m.status}`, `The meeting is ${m.status}`);
  return { ...m, ...touch(m, now), status: 'cancelled', cancelledBy: personId, proposals: [] };
}

/** Either party asks for new times on a confirmed meeting: it goes back to proposed, awaiting the other. */
export function reschedule(m: Meeting, party: Party, proposals: string[], now: Date): Meeting {
  if (m.status !== 'confirmed' && m.status !== 'proposed') throw new DomainError(`meeting.${m.status}`, `The meeting is ${m.status}`);
  return { ...m, ...touch(m, now), status: 'proposed', start: undefined, proposals, awaiting: party === 'eht' ? 'socialWorker' : 'eht' };
}
