import { absenceMeasure, addAbsence, bandOf, parseAbsence, totalAbsence, type AbsenceValues } from '../domain/absence';
import { isVisibleTo, mayRaiseConcern, mayTake, type CaseAction } from '../domain/access';
import { CLOSING_NOTE_MAX, CONSULTATION_CLOSED, caseCode, identityProblem, isAnonymous, transition, type Case, type CaseEvent, type Outcome } from '../domain/concern';
import type { ActionRef, ActionResult, Delivery, Effect, Receipt } from '../domain/effects';
import { consentState } from '../domain/consent';
import { AccessDeniedError, ConcurrencyError, DomainError, FormProblems } from '../domain/errors';
import type { CaseFacts, MeetingStore, TeamChange, Versioned } from '../domain/ports';
import { cancelWithCase, isOpen, type Meeting } from '../domain/meeting';
import { consentReminders, escalationItem, inactivityReminder } from '../domain/reminders';
import { assigneeFor, hasRole, personById, teamById, teamsOf, type AssignmentVia, type Person } from '../domain/roster';
import { settingsOf } from '../domain/settings';
import { inStockholm, stockholmDate } from '../domain/time';
import { loadCaseFor, logged, type CaseRole } from './caseAccess';
import type { ConcernInput } from './concernForm';
import type { ServiceDeps } from './deps';

export const RELAY_MAX = 500;

/** The facts a card may show; with `today`, where a request's consent stands. */
export function factsOf(c: Case, today?: string): CaseFacts {
  const state = today && !isAnonymous(c) ? consentState(c, today) : undefined;
  return {
    code: c.code, teamId: c.teamId, schoolId: c.schoolId, grade: c.grade, category: c.category, absenceBand: c.absenceBand, status: c.status, anonymous: isAnonymous(c),
    ...(state && state !== 'none' ? { consent: state } : {}),
  };
}

/** A concern stored now, or the same form's earlier concern (a repeat: only its code is certain). */
export type RaisedConcern =
  | { duplicate: false; case: Case; assignee: Person; via: AssignmentVia }
  | { duplicate: true; caseCode: string; teamId: string };

/** The actor's receipt card for a notification of this action, if the action came from a card we can update. */
function receiptFor(actor: Person, action: ActionRef, card: Receipt['card']): Receipt | undefined {
  return action.activityId ? { personId: actor.id, activityId: action.activityId, locale: action.locale, card } : undefined;
}

/**
 * Raises a concern (a request with consent, else an anonymous consultation): allocates a pseudonymous
 * code and gives it to the team's intake, with the school's social worker as suggested owner (the
 * backup while they are away, then the group leader), who is told; any social worker of the team can
 * take it, and if nobody has within the municipality's escalation time the group leader is told. The
 * case, its timeline, its access-log entry, its reminders and the card are one transaction. The same
 * form submitted again (a double click, a redelivery, a retry after an unclear failure) makes no
 * second case: it answers with the first.
 */
export async function raiseConcern(deps: ServiceDeps, actor: Person, input: ConcernInput, action: ActionRef): Promise<RaisedConcern> {
  if (!mayRaiseConcern(actor, input.schoolId)) {
    await deps.accessLog.record({ at: deps.clock.now().toISOString(), actorId: actor.id, action: 'raise', schoolId: input.schoolId, allowed: false, via: 'card:concern.submit' });
    throw new AccessDeniedError(`${actor.id} is not EHT at ${input.schoolId}`);
  }
  const roster = await deps.roster.get();
  const settings = settingsOf(roster.municipality);
  const assignment = assigneeFor(roster, input.schoolId, stockholmDate(deps.clock.now()));
  const school = roster.schools.find((s) => s.id === input.schoolId)!;
  if (!assignment) throw new DomainError('case.noAssignee', `School ${school.id} has no social worker, backup or group leader`);
  const earlier = await deps.changes.actionResult(school.team, action.id);
  if (earlier) return { duplicate: true, caseCode: earlier.caseCode ?? '', teamId: school.team };

  for (let attempt = 0; ; attempt++) {
    const now = deps.clock.now();
    const at = now.toISOString();
    const year = inStockholm(now).year;
    const code = caseCode(year, await deps.codes.next(year));
    const c: Case = {
      code,
      teamId: school.team,
      schoolId: school.id,
      grade: input.grade,
      category: input.category,
      // The band still shown in lists and the worklist, from the measure's total.
      absenceBand: bandOf(totalAbsence(input.absence)),
      absence: [absenceMeasure('intake', input.absence, actor.id, now)],
      summary: input.summary,
      kind: input.consent ? 'request' : 'consultation',
      consent: input.consent ? { ...input.consent, recordedBy: actor.id, recordedAt: at } : undefined,
      schoolRef: input.consent ? input.schoolRef : undefined,
      status: 'new',
      raisedBy: actor.id,
      assignedTo: assignment.person.id,
      assignedAt: at,
      createdAt: at,
      updatedAt: at,
      lastActivityAt: at,
    };
    const effects: Effect[] = [
      logged({ at, actorId: actor.id, action: 'raise', caseCode: code, schoolId: school.id, allowed: true, via: 'card:concern.submit' }),
      {
        kind: 'schedule',
        items: [
          ...consentReminders(c, now, deps.isHoliday),
          ...inactivityReminder(c, now, deps.isHoliday),
          ...escalationItem(c, teamById(roster, c.teamId)?.groupLeader, settings, now, deps.isHoliday),
        ],
      },
      {
        kind: 'notify',
        to: assignment.person.id,
        notification: { kind: 'caseAssigned', case: factsOf(c), via: assignment.via },
        receipt: receiptFor(actor, action, { kind: 'concernReceived', code, contactId: assignment.person.id, anonymous: isAnonymous(c) }),
      },
    ];
    try {
      const stored = await deps.changes.commit({
        teamId: c.teamId,
        action: { id: action.id, result: { caseCode: code }, caseCode: code },
        cases: [{ value: c }],
        events: [
          { caseCode: code, at, kind: 'raised', by: actor.id },
          { caseCode: code, at, kind: 'assigned', by: actor.id, to: assignment.person.id, ref: assignment.via },
        ],
        effects,
      });
      if (!stored.applied) return { duplicate: true, caseCode: stored.result.caseCode ?? '', teamId: school.team };
      return { duplicate: false, case: c, assignee: assignment.person, via: assignment.via };
    } catch (err) {
      // The code is taken (the counter was behind what is stored): never reuse it, take the next one.
      if (!(err instanceof ConcurrencyError) || attempt >= 4) throw err;
    }
  }
}

/** What one case action changes: the case (or not), other rows of the case, events and effects. */
export interface PlannedChange {
  case?: Case;
  meetings?: TeamChange['meetings'];
  plans?: TeamChange['plans'];
  events: CaseEvent[];
  effects: Effect[];
  result?: ActionResult;
}

export interface ChangeOutcome {
  /** The case as it now is (after this change, or as found when nothing changed). */
  case: Case;
  /** What was done: applied now, a repeat of an applied action (answered with its result), or nothing to do. */
  status: 'applied' | 'repeat' | 'unchanged';
  result: ActionResult;
  as: CaseRole;
}

/**
 * Applies one action to a case: checks access (refusals logged), answers a repeat of an applied
 * action with its first result, and stores the change with its access-log entry and effects in one
 * transaction under the case's eTag, retrying on a concurrent change that still allows it. A plan
 * that changes nothing writes nothing.
 */
export async function changeCase(
  deps: ServiceDeps,
  actor: Person,
  code: string,
  caseAction: CaseAction,
  via: string,
  action: ActionRef,
  plan: (c: Case, now: Date, as: CaseRole) => PlannedChange | undefined | Promise<PlannedChange | undefined>,
): Promise<ChangeOutcome> {
  for (let attempt = 0; ; attempt++) {
    const current = await loadCaseFor(deps, actor, code, caseAction, via, { forChange: true });
    const earlier = await deps.changes.actionResult(current.value.teamId, action.id);
    if (earlier) return { case: current.value, status: 'repeat', result: earlier, as: current.as };
    const planned = await plan(current.value, deps.clock.now(), current.as);
    if (!planned) return { case: current.value, status: 'unchanged', result: {}, as: current.as };
    const result = planned.result ?? {};
    try {
      const stored = await deps.changes.commit({
        teamId: current.value.teamId,
        action: { id: action.id, result, caseCode: code },
        cases: planned.case ? [{ value: planned.case, etag: current.etag }] : [],
        meetings: planned.meetings,
        plans: planned.plans,
        events: planned.events,
        effects: [logged(current.logEntry), ...planned.effects],
      });
      if (!stored.applied) return { case: current.value, status: 'repeat', result: stored.result, as: current.as };
      return { case: planned.case ?? current.value, status: 'applied', result, as: current.as };
    } catch (err) {
      if (!(err instanceof ConcurrencyError) || attempt >= 2) throw err;
    }
  }
}

/** The case moves on after its first plan or confirmed meeting: accepted → active (with its event). */
export function activation(c: Case, by: string, now: Date): { case: Case; events: CaseEvent[] } | undefined {
  if (c.status !== 'accepted') return undefined;
  const at = now.toISOString();
  return { case: { ...c, status: 'active', updatedAt: at, lastActivityAt: at }, events: [{ caseCode: c.code, at, kind: 'activated', by }] };
}

/**
 * The assigned social worker (or the team's group leader) accepts a new case; the one who raised it
 * is told. Another social worker of the team may take a concern nobody has accepted yet: it becomes
 * theirs (the school's contact for it), and the one it was first assigned to is told too.
 */
export async function acceptCase(deps: ServiceDeps, actor: Person, code: string, action: ActionRef): Promise<ChangeOutcome & { taken: boolean }> {
  let taken = false;
  const outcome = await changeCase(deps, actor, code, 'accept', 'card:case.accept', action, (current, now) => {
    if (current.status !== 'new') return undefined; // accepted already: nothing to write
    taken = mayTake(actor, current);
    const at = now.toISOString();
    const next = { ...transition(current, 'accepted', now), ...(taken ? { assignedTo: actor.id, assignedAt: now.toISOString() } : {}) };
    const told = (to: string): Effect => ({ kind: 'notify', to, notification: { kind: 'caseAccepted', caseCode: code, teamId: current.teamId, by: actor.id } });
    return {
      case: next,
      events: [
        ...(taken ? [{ caseCode: code, at, kind: 'reassigned' as const, by: actor.id, to: actor.id }] : []),
        { caseCode: code, at, kind: 'accepted', by: actor.id },
      ],
      effects: [
        told(current.raisedBy),
        ...(taken ? [told(current.assignedTo), { kind: 'schedule' as const, items: [...inactivityReminder(next, now, deps.isHoliday), ...consentReminders(next, now, deps.isHoliday)] }] : []),
      ],
      result: taken ? { taken: 'yes' } : ({} as ActionResult),
    };
  });
  return { ...outcome, taken: outcome.result.taken === 'yes' };
}

/** A short message relayed between the case's two sides and kept in its timeline. */
async function relay(deps: ServiceDeps, actor: Person, code: string, message: string, kind: 'infoRequested' | 'infoReplied', action: ActionRef): Promise<ChangeOutcome & { recipientId: string }> {
  const note = relayText(message);
  const caseAction = kind === 'infoRequested' ? 'requestInfo' : 'replyInfo';
  const recipientOf = (c: Case) => (kind === 'infoRequested' ? c.raisedBy : c.assignedTo);
  const outcome = await changeCase(deps, actor, code, caseAction, `card:case.${caseAction}`, action, (current, now) => {
    const at = now.toISOString();
    const to = recipientOf(current);
    // A question waits for the school until someone there answers it (the EHT's worklist shows it).
    const openQuestion = kind === 'infoRequested' ? { to, at } : undefined;
    return {
      case: { ...current, updatedAt: at, lastActivityAt: at, openQuestion },
      events: [{ caseCode: code, at, kind, by: actor.id, to, note }],
      effects: [{ kind: 'notify', to, notification: { kind, caseCode: code, teamId: current.teamId, from: actor.id, message: note } }],
    };
  });
  return { ...outcome, recipientId: recipientOf(outcome.case) };
}

/** The social worker asks the EHT for more information; the message is relayed to the one who raised the case. */
export const requestInfo = (deps: ServiceDeps, actor: Person, code: string, message: string, action: ActionRef) => relay(deps, actor, code, message, 'infoRequested', action);

/** An EHT member of the school answers; the answer is relayed to the case's social worker. */
export const replyInfo = (deps: ServiceDeps, actor: Person, code: string, message: string, action: ActionRef) => relay(deps, actor, code, message, 'infoReplied', action);

/**
 * Closes a case: a request with its outcome, an anonymous consultation with a short closing note to
 * the school (no outcome: it had no insats). Its open meetings are cancelled in the same transaction
 * (no meeting on a closed case): their Outlook events removed, the other party's card updated and
 * told why. The school's EHT member who raised it is told (with the note), unless they closed it.
 */
export async function closeCase(
  deps: ServiceDeps & { meetings: MeetingStore },
  actor: Person,
  code: string,
  close: { outcome?: Outcome; note?: string; answers?: CloseAnswers },
  action: ActionRef,
): Promise<ChangeOutcome & { meetingsCancelled: number }> {
  let meetingsCancelled = 0;
  const result = await changeCase(deps, actor, code, 'close', 'card:case.close', action, async (current, now) => {
    const consultation = isAnonymous(current);
    const note = consultation ? closingNote(close.note ?? '') : undefined;
    // A request closes with its outcome, the pupil's absence over the last month and whether they are still at the same school.
    const followUp = consultation ? undefined : closingFollowUp(close.outcome, close.answers ?? {});
    const closed: Case = {
      ...transition(current, 'closed', now, consultation ? CONSULTATION_CLOSED : close.outcome),
      ...(note ? { closingNote: note } : {}),
      ...(followUp ? { sameSchoolAtClose: followUp.sameSchool } : {}),
      ...(followUp?.absence ? { absence: addAbsence(current.absence, absenceMeasure('closing', followUp.absence, actor.id, now)) } : {}),
    };
    const at = now.toISOString();
    const stored = await Promise.all((await deps.meetings.listByCase(current.teamId, code)).map((m) => deps.meetings.get(current.teamId, m.id)));
    const open = stored.filter((x): x is Versioned<Meeting> => x !== undefined && isOpen(x.value, now));
    const cancelled = open.map((x) => ({ value: cancelWithCase([x.value], actor.id, now)[0], etag: x.etag, was: x.value }));
    meetingsCancelled = cancelled.length;
    const effects: Effect[] = cancelled.flatMap(({ value: m, was }): Effect[] => [
      ...(was.status === 'confirmed' ? [{ kind: 'calendar' as const, op: 'remove' as const, meeting: was }] : []),
      ...[m.ehtId, m.socialWorkerId].map((to): Effect => ({
        kind: 'meetingCard', to, teamId: m.teamId, caseCode: m.caseCode, meetingId: m.id, note: { kind: 'caseClosed', by: actor.id },
        // The one who closed sees it on the case; their own meeting card is only updated, not sent anew.
        ...(to === actor.id ? { updateOnly: true } : {}),
      })),
    ]);
    if (current.raisedBy !== actor.id) {
      effects.push({ kind: 'notify', to: current.raisedBy, notification: { kind: 'caseClosed', caseCode: code, teamId: current.teamId, by: actor.id, outcome: closed.outcome!, ...(note ? { note } : {}) } });
    }
    return {
      case: closed,
      meetings: cancelled.map(({ value, etag }) => ({ value, etag })),
      events: [
        { caseCode: code, at, kind: 'closed', by: actor.id, ref: closed.outcome, ...(note ? { note } : {}) },
        ...cancelled.map(({ value: m }): CaseEvent => ({ caseCode: code, at, kind: 'meetingCancelled', by: actor.id, ref: m.id })),
      ],
      effects,
    };
  });
  return { ...result, meetingsCancelled };
}

/** What closing a request answers beside its outcome, as typed: the absence percentages and "Går eleven kvar på samma skola?" (yes / no). */
export type CloseAnswers = AbsenceValues & { sameSchool?: string };

/**
 * Checks what closing a request asks, every problem at once (FormProblems): an outcome; whether the
 * pupil is still at the same school (not "yes" when the outcome says they moved); the absence over
 * the last month, which may be left out only for a pupil no longer at the school (it may not have a
 * month to read).
 */
export function closingFollowUp(outcome: Outcome | undefined, answers: CloseAnswers): { sameSchool: boolean; absence?: { valid: number; invalid: number } } {
  const problems: Record<string, string> = {};
  if (!outcome || outcome === CONSULTATION_CLOSED) problems.outcome = 'chooseOutcome';
  const same = answers.sameSchool;
  if (same !== 'yes' && same !== 'no') problems.sameSchool = same ? 'invalidChoice' : 'required';
  else if (same === 'yes' && outcome === 'movedSchool') problems.sameSchool = 'sameSchoolMoved';
  const absence = parseAbsence(answers, { optional: same === 'no' });
  if (!absence.ok) Object.assign(problems, absence.errors);
  if (Object.keys(problems).length > 0 || !absence.ok) throw new FormProblems(problems);
  return { sameSchool: same === 'yes', ...(absence.absence ? { absence: absence.absence } : {}) };
}

/** One case with its timeline, its meetings and its notifications' delivery, for someone allowed to see it (logged). */
export async function viewCase(deps: ServiceDeps & { meetings: MeetingStore }, actor: Person, code: string, via: string): Promise<{ case: Case; timeline: CaseEvent[]; meetings: Meeting[]; deliveries: Delivery[]; as: CaseRole }> {
  const found = await loadCaseFor(deps, actor, code, 'view', via);
  const teamId = found.value.teamId;
  const [timeline, meetings, deliveries] = await Promise.all([deps.cases.timeline(teamId, code), deps.meetings.listByCase(teamId, code), deps.changes.deliveries(teamId, code)]);
  return { case: found.value, timeline, meetings, deliveries, as: found.as };
}

/** "Mina ärenden": the cases this person may see, newest first; each listed case is logged as read. */
export async function listMyCases(deps: ServiceDeps, actor: Person, opts: { includeClosed?: boolean; via?: string } = {}): Promise<Case[]> {
  const roster = await deps.roster.get();
  const visible: Case[] = [];
  for (const teamId of teamsOf(roster, actor)) {
    // The store narrows by the need-to-know columns (a group leader reads the team); isVisibleTo decides.
    // A group leader reads the team; so does a school-side team member (the cases they take part in are
    // not a column: the team's list is read and isVisibleTo keeps theirs).
    const readsTeam = (hasRole(actor, 'groupLeader') || hasRole(actor, 'schoolStaff')) && actor.team === teamId;
    const candidates = readsTeam
      ? (await deps.cases.listByTeam(teamId)).filter((c) => opts.includeClosed || c.status !== 'closed')
      : await deps.cases.listFor(teamId, { schoolIds: hasRole(actor, 'eht') ? actor.schools : undefined, assignedTo: actor.id, includeClosed: opts.includeClosed });
    for (const c of candidates) if (isVisibleTo(actor, c)) visible.push(c);
  }
  visible.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const at = deps.clock.now().toISOString();
  await deps.accessLog.recordMany(visible.map((c) => ({ at, actorId: actor.id, action: 'list', caseCode: c.code, schoolId: c.schoolId, allowed: true, via: opts.via ?? 'command:myCases' })));
  return visible;
}

/** The contact person a case shows to the school: its assignee's roster name. */
export async function contactOf(deps: ServiceDeps, c: Case): Promise<Person | undefined> {
  return personById(await deps.roster.get(), c.assignedTo);
}

/** A consultation's closing note: required, short, and never a personnummer. */
function closingNote(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) throw new DomainError('case.noteRequired', 'A consultation closes with a note');
  if (trimmed.length > CLOSING_NOTE_MAX) throw new DomainError('relay.tooLong', 'Note too long', { max: CLOSING_NOTE_MAX });
  if (identityProblem(trimmed)) throw new DomainError('relay.personnummer', 'Note looks like it holds a personnummer');
  return trimmed;
}

export function relayText(message: string): string {
  const trimmed = message.trim();
  if (!trimmed) throw new DomainError('relay.empty', 'Empty message');
  if (trimmed.length > RELAY_MAX) throw new DomainError('relay.tooLong', 'Message too long', { max: RELAY_MAX });
  if (identityProblem(trimmed)) throw new DomainError('relay.personnummer', 'Message looks like it holds a personnummer');
  return trimmed;
}

