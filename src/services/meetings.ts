import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Case, CaseEvent } from '../domain/concern';
import type { ActionRef, Effect } from '../domain/effects';
import { AccessDeniedError, ConcurrencyError, DomainError } from '../domain/errors';
import {
  MAX_PROPOSALS, acceptProposal, cancel, counterPropose, decline, mustAllowMeeting, otherParty, partyOf, reschedule,
  type Meeting, type MeetingType, type Party, type Place,
} from '../domain/meeting';
import type { AccessLogEntry, Calendar, MeetingNoteKind, MeetingStore, Versioned } from '../domain/ports';
import { meetingReminders } from '../domain/reminders';
import { ehtMembersOf, hasRole, personById, type Person } from '../domain/roster';
import { stockholmDate } from '../domain/time';
import { slotProblem, suggestSlots, type SlotProblem } from '../domain/slots';
import { ZONE } from '../domain/time';
import { loadCaseFor, logged } from './caseAccess';
import { activation, changeCase, type ChangeOutcome } from './concerns';
import type { ServiceDeps } from './deps';
import { withinBudget, type Sleep } from './timeBudget';
import type { TimeRange } from '../domain/slots';

export interface MeetingDeps extends ServiceDeps {
  meetings: MeetingStore;
  /** Free/busy (the calendar's writes are effects, applied after the turn). */
  calendar: Calendar;
  /**
   * When `calendar` is Outlook (Microsoft Graph): a card action waits for its free/busy at most
   * `budgetMs`, then goes on with the bot's own bookings (`ownBookings`) and says Outlook was not checked.
   */
  freeBusy?: FreeBusyBudget;
}

export interface FreeBusyBudget {
  budgetMs: number;
  sleep: Sleep;
  /** The bot's own confirmed bookings (the built-in calendar): read from the store, always fast. */
  ownBookings: Calendar;
}

/** How long a card action waits for Outlook's free/busy before it answers without it (the whole answer must be within a second). */
export const FREE_BUSY_BUDGET_MS = 700;

export interface MeetingRequest {
  caseCode: string;
  type: MeetingType;
  minutes: number;
  place: Place;
  guardiansAttending: boolean;
  /** An interpreter is needed (tolk behövs). */
  interpreterNeeded?: boolean;
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

/** The case's social worker, whose free times a meeting is booked in. */
async function counterpartOf(deps: MeetingDeps, c: Case): Promise<Person> {
  const sw = personById(await deps.roster.get(), c.assignedTo);
  if (!sw) throw new DomainError('meeting.noSocialWorker', `Case ${c.code} has no assignee in the roster`);
  return sw;
}

/** The school's side of a meeting the social worker proposes: the EHT member who raised the case, or another of the school's EHT. */
async function schoolSideOf(deps: MeetingDeps, c: Case): Promise<Person> {
  const roster = await deps.roster.get();
  const raiser = personById(roster, c.raisedBy);
  const eht = raiser && hasRole(raiser, 'eht') && (raiser.schools ?? []).includes(c.schoolId) ? raiser : ehtMembersOf(roster, c.schoolId)[0];
  if (!eht) throw new DomainError('meeting.noSchoolContact', `Case ${c.code} has no EHT member at its school`);
  return eht;
}

/** Busy times, and whether Outlook could not be read in time (then only the bot's own bookings are in them). */
export interface BusyTimes {
  busy: TimeRange[];
  outlookUnchecked: boolean;
}

/**
 * The person's busy times for the next month. With Outlook behind `calendar` and a budget, a slow or
 * failing Graph costs the answer at most the budget: the bot's own bookings (read at the same time)
 * stand in for it, and the answer says that Outlook was not checked.
 */
export async function busyWithin(deps: Pick<MeetingDeps, 'calendar' | 'freeBusy'>, person: Person, now: Date): Promise<BusyTimes> {
  const range = { start: now, end: DateTime.fromJSDate(now, { zone: ZONE }).plus({ days: LOOKAHEAD_DAYS + 1 }).toJSDate() };
  if (!deps.freeBusy) return { busy: await deps.calendar.busy(person, range), outlookUnchecked: false };
  const own = deps.freeBusy.ownBookings.busy(person, range);
  own.catch(() => undefined); // awaited below only when Outlook is not in time
  const outlook = await withinBudget(deps.calendar.busy(person, range), deps.freeBusy.budgetMs, deps.freeBusy.sleep);
  if (outlook.ok) return { busy: outlook.value, outlookUnchecked: false };
  return { busy: await own, outlookUnchecked: true };
}

const busyOf = (deps: MeetingDeps, person: Person, now: Date) => busyWithin(deps, person, now);

/**
 * Free times of the case's social worker, for the booking form, with whom the meeting is (`with`:
 * the social worker when the school books, the school's EHT member when the social worker does).
 */
export async function suggestTimes(deps: MeetingDeps, actor: Person, caseCode: string, minutes: number): Promise<{ case: Case; socialWorker: Person; with: Person; as: 'eht' | 'assignee'; slots: Date[]; outlookUnchecked: boolean }> {
  const found = await loadCaseFor(deps, actor, caseCode, 'bookMeeting', 'card:meeting.form');
  const as = found.as === 'eht' ? 'eht' : 'assignee';
  const socialWorker = as === 'assignee' ? actor : await counterpartOf(deps, found.value);
  const other = as === 'eht' ? socialWorker : await schoolSideOf(deps, found.value);
  const now = deps.clock.now();
  const { busy, outlookUnchecked } = await busyOf(deps, socialWorker, now);
  return { case: found.value, socialWorker, with: other, as, slots: suggestSlots({ minutes, now, isHoliday: deps.isHoliday, busy, count: SUGGESTIONS, horizonDays: LOOKAHEAD_DAYS }), outlookUnchecked };
}

async function checkSlots(deps: MeetingDeps, socialWorker: Person, slots: string[], minutes: number): Promise<{ slots: string[]; outlookUnchecked: boolean }> {
  const unique = [...new Set(slots)];
  if (unique.length === 0) throw new DomainError('meeting.noSlots', 'Choose at least one time');
  if (unique.length > MAX_PROPOSALS) throw new DomainError('meeting.tooManySlots', `At most ${MAX_PROPOSALS} times`, { max: MAX_PROPOSALS });
  const now = deps.clock.now();
  const { busy, outlookUnchecked } = await busyOf(deps, socialWorker, now);
  const problems = unique
    .map((slot) => ({ slot, problem: slotProblem(new Date(slot), minutes, now, deps.isHoliday, busy) }))
    .filter((p): p is { slot: string; problem: SlotProblem } => p.problem !== undefined);
  if (problems.length > 0) throw new SlotsRejected(problems);
  return { slots: unique.sort(), outlookUnchecked };
}

/**
 * Either side proposes a meeting at 1–3 times: the school's EHT member to the case's social worker,
 * or the social worker to the school (the EHT member who raised it); the other side answers. Every
 * time is checked against working hours, holidays, the past and the social worker's bookings; the
 * meeting must fit the case (an anonymous consultation has consultation meetings only; a meeting with
 * the family needs consent that holds). The meeting, its access-log entry and the other side's card are
 * stored in one transaction.
 */
export async function requestMeeting(deps: MeetingDeps, actor: Person, req: MeetingRequest, action: ActionRef): Promise<{ meetingId: string; teamId: string; status: ChangeOutcome['status']; outlookUnchecked: boolean }> {
  let outlookUnchecked = false;
  const outcome = await changeCase(deps, actor, req.caseCode, 'bookMeeting', 'card:meeting.request', action, async (c, now, as) => {
    if (as !== 'eht' && as !== 'assignee') throw new AccessDeniedError(`${actor.id} is neither the school's EHT nor the case's social worker`);
    if (c.status === 'closed') throw new DomainError('case.transition', 'The case is closed');
    mustAllowMeeting(c, req.type, req.guardiansAttending, stockholmDate(now));
    const socialWorker = as === 'assignee' ? actor : await counterpartOf(deps, c);
    const eht = as === 'eht' ? actor : await schoolSideOf(deps, c);
    const checked = await checkSlots(deps, socialWorker, req.slots.map(safeIso), req.minutes);
    const proposals = checked.slots;
    outlookUnchecked = checked.outlookUnchecked;
    const at = now.toISOString();
    const meeting: Meeting = {
      id: randomBytes(6).toString('hex'),
      caseCode: c.code,
      teamId: c.teamId,
      schoolId: c.schoolId,
      type: req.type,
      minutes: req.minutes,
      place: req.place,
      guardiansAttending: req.guardiansAttending,
      ...(req.interpreterNeeded ? { interpreterNeeded: true } : {}),
      ehtId: eht.id,
      socialWorkerId: socialWorker.id,
      status: 'proposed',
      proposals,
      awaiting: as === 'eht' ? 'socialWorker' : 'eht',
      icsToken: randomBytes(16).toString('hex'),
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    return {
      meetings: [{ value: meeting }],
      events: [{ caseCode: c.code, at, kind: 'meetingRequested', by: actor.id, to: as === 'eht' ? socialWorker.id : eht.id, ref: meeting.id }],
      effects: cardEffects(meeting, actor.id, { kind: 'requested', by: actor.id }, action),
      result: { meetingId: meeting.id },
    };
  });
  return { meetingId: outcome.result.meetingId ?? '', teamId: outcome.case.teamId, status: outcome.status, outlookUnchecked };
}

/**
 * Where the actor acted from: the meeting's own card (its answer shows the meeting), or another card
 * (the case view, the worklist, the meetings list), whose answer shows that card again.
 */
export type AnsweredFrom = 'meetingCard' | 'otherCard';

/**
 * The other party's card (sent or updated in place) and the actor's own copy. Acting from the meeting
 * card, that card already shows the result (the invoke answer): it is remembered as theirs, so later
 * changes update it in place. Acting from another card, only an earlier copy of the meeting card is
 * updated: no second card about their own action reaches the actor.
 */
function cardEffects(m: Meeting, actorId: string, note: { kind: MeetingNoteKind; by: string }, action: ActionRef, from: AnsweredFrom = 'meetingCard'): Effect[] {
  const party = partyOf(m, actorId);
  const other = party ? otherParty(m, party) : undefined;
  const base = { kind: 'meetingCard' as const, teamId: m.teamId, caseCode: m.caseCode, meetingId: m.id };
  const effects: Effect[] = [];
  if (other) effects.push({ ...base, to: other, note });
  if (from === 'meetingCard' && action.activityId) effects.push({ ...base, to: actorId, activityId: action.activityId });
  else effects.push({ ...base, to: actorId, note, updateOnly: true });
  return effects;
}

/** Loads a meeting for one of its two parties (after the case's need-to-know check; refusals are logged). */
export async function loadMeetingFor(
  deps: MeetingDeps,
  actor: Person,
  teamId: string,
  meetingId: string,
  via: string,
  opts: { forChange?: boolean } = {},
): Promise<Versioned<Meeting> & { party: Party; case: Versioned<Case>; logEntry: AccessLogEntry }> {
  const valid = ROSTER_ID.test(teamId) && MEETING_ID.test(meetingId);
  const stored = valid ? await deps.meetings.get(teamId, meetingId) : undefined;
  const refuse = async (reason: string, caseCode?: string) => {
    await deps.accessLog.record({ at: deps.clock.now().toISOString(), actorId: actor.id, action: 'answerMeeting', caseCode, allowed: false, via });
    return new AccessDeniedError(reason);
  };
  if (!stored) throw await refuse('no such meeting');
  const party = partyOf(stored.value, actor.id);
  if (!party) {
    // Still a read of the case if the actor may see it (e.g. the team's group leader): logged either way.
    throw await refuse(`${actor.id} is not a party to meeting ${meetingId}`, stored.value.caseCode);
  }
  const c = await loadCaseFor(deps, actor, stored.value.caseCode, 'view', via, { forChange: opts.forChange });
  return { ...stored, party, case: c, logEntry: { ...c.logEntry, action: 'answerMeeting' } };
}

export type MeetingAnswer =
  | { kind: 'accept'; start: string }
  | { kind: 'decline'; reason: string }
  | { kind: 'counter'; slots: string[] }
  | { kind: 'cancel' }
  | { kind: 'reschedule'; slots: string[] };

const NOTE: Record<MeetingAnswer['kind'], MeetingNoteKind> = { accept: 'accepted', decline: 'declined', counter: 'countered', cancel: 'cancelled', reschedule: 'rescheduled' };
/** A counter-proposal or a move is a new time proposal ("Nytt tidsförslag"), not a new request. */
const EVENT = { accept: 'meetingConfirmed', decline: 'meetingDeclined', counter: 'meetingCountered', cancel: 'meetingCancelled', reschedule: 'meetingCountered' } as const;

/**
 * One party answers: accept a time, decline, counter-propose, cancel or reschedule. The meeting,
 * the case's activation, the access-log entry, the other party's card, the calendar and the
 * reminders are one transaction under the meeting's eTag, so two simultaneous accepts give one
 * meeting: the loser gets DomainError `meeting.confirmed` (or the state it lost to). A repeat of the
 * same answer (a double click) is answered as the first was.
 */
export async function answerMeeting(
  deps: MeetingDeps,
  actor: Person,
  teamId: string,
  meetingId: string,
  answer: MeetingAnswer,
  action: ActionRef,
  opts: { from?: AnsweredFrom } = {},
): Promise<{ status: 'applied' | 'repeat'; meetingStatus?: Meeting['status']; caseCode: string; outlookUnchecked?: boolean }> {
  const via = `card:meeting.${answer.kind}`;
  const current = await loadMeetingFor(deps, actor, teamId, meetingId, via, { forChange: true });
  const m = current.value;
  const repeat = { status: 'repeat' as const, caseCode: m.caseCode };
  if (await deps.changes.actionResult(teamId, action.id)) return repeat;
  // No meeting on a closed case: only cancelling one left over is still possible (one already over says so itself).
  const stillOpen = m.status === 'proposed' || m.status === 'confirmed';
  if (current.case.value.status === 'closed' && stillOpen && answer.kind !== 'cancel') throw new DomainError('meeting.caseClosed', 'The case is closed');
  const now = deps.clock.now();
  // Confirming or moving a meeting with the family makes it anew: only while the consent holds (declining or cancelling always works).
  if (answer.kind === 'accept' || answer.kind === 'counter' || answer.kind === 'reschedule') mustAllowMeeting(current.case.value, m.type, m.guardiansAttending, stockholmDate(now));
  const roster = await deps.roster.get();
  const socialWorker = personById(roster, m.socialWorkerId)!;
  let next: Meeting;
  let outlookUnchecked = false;
  const checked = async (slots: string[]) => {
    const result = await checkSlots(deps, socialWorker, slots.map(safeIso), m.minutes);
    outlookUnchecked = result.outlookUnchecked;
    return result.slots;
  };
  switch (answer.kind) {
    case 'accept': {
      next = acceptProposal(m, current.party, answer.start, now);
      // The time must still be free: the social worker may have been booked then since it was proposed.
      const busy = await busyOf(deps, socialWorker, now);
      outlookUnchecked = busy.outlookUnchecked;
      const problem = slotProblem(new Date(next.start!), m.minutes, now, deps.isHoliday, busy.busy);
      if (problem) {
        // A concurrent answer to this same meeting (a double click, or the other tab) is not "another booking":
        // say what actually happened to it.
        const latest = (await deps.meetings.get(teamId, meetingId))?.value;
        if (await deps.changes.actionResult(teamId, action.id)) return repeat;
        if (latest && latest.version !== m.version) throw new DomainError(`meeting.${latest.status === 'proposed' ? 'changed' : latest.status}`, 'Changed meanwhile', { start: latest.start ?? '' });
        throw new SlotsRejected([{ slot: next.start!, problem }]);
      }
      break;
    }
    case 'decline':
      next = decline(m, current.party, answer.reason.trim().slice(0, 300), now);
      break;
    case 'counter':
      next = counterPropose(m, current.party, await checked(answer.slots), now);
      break;
    case 'cancel':
      next = cancel(m, actor.id, now);
      break;
    case 'reschedule':
      next = reschedule(m, current.party, await checked(answer.slots), now);
      break;
  }
  const at = now.toISOString();
  const events: CaseEvent[] = [{ caseCode: m.caseCode, at, kind: EVENT[answer.kind], by: actor.id, to: otherParty(m, current.party), ref: m.id }];
  const effects: Effect[] = [logged(current.logEntry)];
  // The calendar first, so the cards drawn after it can carry the Teams link.
  if (m.status === 'confirmed' && (next.status === 'cancelled' || next.status === 'proposed')) effects.push({ kind: 'calendar', op: 'remove', meeting: m });
  if (next.status === 'confirmed') effects.push({ kind: 'calendar', op: 'create', meeting: next });
  effects.push(...cardEffects(next, actor.id, { kind: NOTE[answer.kind], by: actor.id }, action, opts.from));
  const reminders = meetingReminders(next, now, deps.isHoliday);
  if (reminders.length > 0) effects.push({ kind: 'schedule', items: reminders });
  // The first confirmed meeting makes an accepted case active, in the same transaction.
  const activated = next.status === 'confirmed' ? activation(current.case.value, actor.id, now) : undefined;
  try {
    const stored = await deps.changes.commit({
      teamId,
      action: { id: action.id, result: { meetingId: m.id, status: next.status }, caseCode: m.caseCode },
      meetings: [{ value: next, etag: current.etag }],
      cases: activated ? [{ value: activated.case, etag: current.case.etag }] : [],
      events: [...events, ...(activated?.events ?? [])],
      effects,
    });
    if (!stored.applied) return repeat;
  } catch (err) {
    if (err instanceof ConcurrencyError) {
      const latest = (await deps.meetings.get(teamId, meetingId))!.value;
      if (latest.version === m.version && activated) return answerMeeting(deps, actor, teamId, meetingId, answer, action, opts); // only the case moved on meanwhile
      throw new DomainError(`meeting.${latest.status === 'proposed' ? 'changed' : latest.status}`, 'Lost a concurrent change', { start: latest.start ?? '' });
    }
    throw err;
  }
  return { status: 'applied', meetingStatus: next.status, caseCode: m.caseCode, outlookUnchecked };
}

function safeIso(slot: string): string {
  const d = new Date(slot);
  if (Number.isNaN(d.getTime())) throw new SlotsRejected([{ slot: slot.slice(0, 40), problem: 'invalid' }]);
  return d.toISOString();
}
