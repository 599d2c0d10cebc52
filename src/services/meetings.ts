import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Case } from '../domain/concern';
import { AccessDeniedError, ConcurrencyError, DomainError } from '../domain/errors';
import {
  MAX_PROPOSALS, acceptProposal, cancel, counterPropose, decline, otherParty, partyOf, reschedule,
  type Meeting, type MeetingType, type Party, type Place,
} from '../domain/meeting';
import type { Calendar, MeetingCards, MeetingNoteKind, MeetingStore, Versioned } from '../domain/ports';
import { personById, type Person } from '../domain/roster';
import { slotProblem, suggestSlots, type HolidayCheck, type SlotProblem } from '../domain/slots';
import { ZONE } from '../domain/time';
import { loadCaseFor } from './caseAccess';
import type { ServiceDeps } from './deps';

export interface MeetingDeps extends ServiceDeps {
  meetings: MeetingStore;
  calendar: Calendar;
  meetingCards: MeetingCards;
  isHoliday: HolidayCheck;
}

export interface MeetingRequest {
  caseCode: string;
  type: MeetingType;
  minutes: number;
  place: Place;
  guardiansAttending: boolean;
  /** Chosen start times (ISO instants), 1–3. */
  slots: string[];
}

/** A proposed time the rules refuse, with why; the form shows these beside the times. */
export class SlotsRejected extends DomainError {
  constructor(readonly problems: Array<{ slot: string; problem: SlotProblem }>) {
    super('meeting.slots', `Refused times: ${problems.map((p) => `${p.slot} (${p.problem})`).join(', ')}`);
  }
}

const SUGGESTIONS = 6;
const ROSTER_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const MEETING_ID = /^[0-9a-f]{12}$/;
const LOOKAHEAD_DAYS = 30;

/** Who the meeting is with: the case's social worker. */
async function counterpartOf(deps: MeetingDeps, c: Case): Promise<Person> {
  const sw = personById(await deps.roster.get(), c.assignedTo);
  if (!sw) throw new DomainError('meeting.noSocialWorker', `Case ${c.code} has no assignee in the roster`);
  return sw;
}

async function busyOf(deps: MeetingDeps, person: Person, now: Date) {
  return deps.calendar.busy(person, { start: now, end: DateTime.fromJSDate(now, { zone: ZONE }).plus({ days: LOOKAHEAD_DAYS + 1 }).toJSDate() });
}

/** Free times for the case's social worker, for the booking form. */
export async function suggestTimes(deps: MeetingDeps, actor: Person, caseCode: string, minutes: number): Promise<{ case: Case; socialWorker: Person; slots: Date[] }> {
  const found = await loadCaseFor(deps, actor, caseCode, 'bookMeeting', 'card:meeting.form');
  const socialWorker = await counterpartOf(deps, found.value);
  const now = deps.clock.now();
  const busy = await busyOf(deps, socialWorker, now);
  return { case: found.value, socialWorker, slots: suggestSlots({ minutes, now, isHoliday: deps.isHoliday, busy, count: SUGGESTIONS, horizonDays: LOOKAHEAD_DAYS }) };
}

async function checkSlots(deps: MeetingDeps, socialWorker: Person, slots: string[], minutes: number): Promise<string[]> {
  const unique = [...new Set(slots)];
  if (unique.length === 0) throw new DomainError('meeting.noSlots', 'Choose at least one time');
  if (unique.length > MAX_PROPOSALS) throw new DomainError('meeting.tooManySlots', `At most ${MAX_PROPOSALS} times`, { max: MAX_PROPOSALS });
  const now = deps.clock.now();
  const busy = await busyOf(deps, socialWorker, now);
  const problems = unique
    .map((slot) => ({ slot, problem: slotProblem(new Date(slot), minutes, now, deps.isHoliday, busy) }))
    .filter((p): p is { slot: string; problem: SlotProblem } => p.problem !== undefined);
  if (problems.length > 0) throw new SlotsRejected(problems);
  return unique.sort();
}

/**
 * An EHT member asks the case's social worker for a meeting at 1–3 times; every time is checked
 * against working hours, holidays, the past and the social worker's bookings.
 */
export async function requestMeeting(deps: MeetingDeps, actor: Person, req: MeetingRequest): Promise<Meeting> {
  const found = await loadCaseFor(deps, actor, req.caseCode, 'bookMeeting', 'card:meeting.request');
  if (found.as !== 'eht') throw new AccessDeniedError(`${actor.id} is not the school's EHT`);
  if (found.value.status === 'closed') throw new DomainError('case.transition', 'The case is closed');
  const socialWorker = await counterpartOf(deps, found.value);
  const proposals = await checkSlots(deps, socialWorker, req.slots.map(safeIso), req.minutes);
  const now = deps.clock.now();
  const at = now.toISOString();
  const meeting: Meeting = {
    id: randomBytes(6).toString('hex'),
    caseCode: found.value.code,
    teamId: found.value.teamId,
    schoolId: found.value.schoolId,
    type: req.type,
    minutes: req.minutes,
    place: req.place,
    guardiansAttending: req.guardiansAttending,
    ehtId: actor.id,
    socialWorkerId: socialWorker.id,
    status: 'proposed',
    proposals,
    awaiting: 'socialWorker',
    icsToken: randomBytes(16).toString('hex'),
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  await deps.meetings.create(meeting, [{ caseCode: meeting.caseCode, at, kind: 'meetingRequested', by: actor.id, to: socialWorker.id, ref: meeting.id }]);
  await deps.meetingCards.publish(meeting, { kind: 'requested', by: actor.id });
  return meeting;
}

/** Loads a meeting for one of its two parties (after the case's need-to-know check, which is logged). */
export async function loadMeetingFor(deps: MeetingDeps, actor: Person, teamId: string, meetingId: string, via: string): Promise<Versioned<Meeting> & { party: Party }> {
  const valid = ROSTER_ID.test(teamId) && MEETING_ID.test(meetingId);
  const stored = valid ? await deps.meetings.get(teamId, meetingId) : undefined;
  const refuse = async (reason: string, caseCode?: string) => {
    await deps.accessLog.record({ at: deps.clock.now().toISOString(), actorId: actor.id, action: 'answerMeeting', caseCode, allowed: false, via });
    return new AccessDeniedError(reason);
  };
  if (!stored) throw await refuse('no such meeting');
  await loadCaseFor(deps, actor, stored.value.caseCode, 'view', via);
  const party = partyOf(stored.value, actor.id);
  if (!party) throw await refuse(`${actor.id} is not a party to meeting ${meetingId}`, stored.value.caseCode);
  return { ...stored, party };
}

export type MeetingAnswer =
  | { kind: 'accept'; start: string }
  | { kind: 'decline'; reason: string }
  | { kind: 'counter'; slots: string[] }
  | { kind: 'cancel' }
  | { kind: 'reschedule'; slots: string[] };

const NOTE: Record<MeetingAnswer['kind'], MeetingNoteKind> = { accept: 'accepted', decline: 'declined', counter: 'countered', cancel: 'cancelled', reschedule: 'rescheduled' };
const EVENT = { accept: 'meetingConfirmed', decline: 'meetingDeclined', counter: 'meetingRequested', cancel: 'meetingCancelled', reschedule: 'meetingRequested' } as const;

/**
 * One party answers: accept a time, decline, counter-propose, cancel or reschedule. Each change is
 * eTag-guarded, so two simultaneous accepts give one meeting: the loser gets DomainError
 * `meeting.confirmed` (or the state it lost to) and sees the meeting as it now is.
 */
export async function answerMeeting(deps: MeetingDeps, actor: Person, teamId: string, meetingId: string, answer: MeetingAnswer): Promise<Meeting> {
  const via = `card:meeting.${answer.kind}`;
  const current = await loadMeetingFor(deps, actor, teamId, meetingId, via);
  const m = current.value;
  const now = deps.clock.now();
  const roster = await deps.roster.get();
  const socialWorker = personById(roster, m.socialWorkerId)!;
  const eht = personById(roster, m.ehtId)!;
  let next: Meeting;
  switch (answer.kind) {
    case 'accept': {
      // The time must still be free: someone may have booked it since it was proposed.
      const problem = slotProblem(new Date(answer.start), m.minutes, now, deps.isHoliday, await busyOf(deps, socialWorker, now));
      if (problem && m.proposals.some((p) => new Date(p).getTime() === new Date(answer.start).getTime())) throw new SlotsRejected([{ slot: answer.start, problem }]);
      next = acceptProposal(m, current.party, answer.start, now);
      break;
    }
    case 'decline':
      next = decline(m, current.party, answer.reason.trim().slice(0, 300), now);
      break;
    case 'counter':
      next = counterPropose(m, current.party, await checkSlots(deps, socialWorker, answer.slots.map(safeIso), m.minutes), now);
      break;
    case 'cancel':
      next = cancel(m, actor.id, now);
      break;
    case 'reschedule':
      next = reschedule(m, current.party, await checkSlots(deps, socialWorker, answer.slots.map(safeIso), m.minutes), now);
      break;
  }
  try {
    await deps.meetings.update(next, current.etag, [{ caseCode: m.caseCode, at: now.toISOString(), kind: EVENT[answer.kind], by: actor.id, to: otherParty(m, current.party), ref: m.id }]);
  } catch (err) {
    if (err instanceof ConcurrencyError) {
      const latest = (await deps.meetings.get(teamId, meetingId))!.value;
      throw new DomainError(`meeting.${latest.status === 'proposed' ? 'changed' : latest.status}`, 'Lost a concurrent change', { start: latest.start ?? '' });
    }
    throw err;
  }
  if (m.status === 'confirmed' && (next.status === 'cancelled' || next.status === 'proposed')) await deps.calendar.cancelled(m, { eht, socialWorker });
  if (next.status === 'confirmed') {
    await activateCase(deps, teamId, m.caseCode, actor.id, now);
    const event = await deps.calendar.confirmed(next, { eht, socialWorker });
    if (event.joinUrl || event.externalEventId) {
      // Best effort: the link is shown on the card; a lost race here only loses the link, never the meeting.
      const latest = await deps.meetings.get(teamId, meetingId);
      if (latest) {
        next = { ...latest.value, ...event };
        await deps.meetings.update(next, latest.etag, []).catch(() => undefined);
      }
    }
  }
  await deps.reminders.onMeeting(next);
  await deps.meetingCards.publish(next, { kind: NOTE[answer.kind], by: actor.id });
  return next;
}

function safeIso(slot: string): string {
  const d = new Date(slot);
  if (Number.isNaN(d.getTime())) throw new SlotsRejected([{ slot: slot.slice(0, 40), problem: 'invalid' }]);
  return d.toISOString();
}

/** The first confirmed meeting makes an accepted case active (best effort: a concurrent change wins). */
async function activateCase(deps: MeetingDeps, teamId: string, code: string, by: string, now: Date): Promise<void> {
  const current = await deps.cases.get(teamId, code);
  if (!current || current.value.status !== 'accepted') return;
  const at = now.toISOString();
  await deps.cases
    .update({ ...current.value, status: 'active', updatedAt: at, lastActivityAt: at }, current.etag, [{ caseCode: code, at, kind: 'activated', by }])
    .catch((err) => {
      if (!(err instanceof ConcurrencyError)) throw err;
    });
}
