import { isVisibleTo, mayRaiseConcern } from '../domain/access';
import { caseCode, identityProblem, isAnonymous, transition, type Case, type CaseEvent, type Outcome } from '../domain/concern';
import { AccessDeniedError, ConcurrencyError, DomainError } from '../domain/errors';
import type { CaseFacts, Notification } from '../domain/ports';
import { assigneeFor, hasRole, personById, teamsOf, type AssignmentVia, type Person } from '../domain/roster';
import { inStockholm } from '../domain/time';
import { loadCaseFor } from './caseAccess';
import type { ConcernInput } from './concernForm';
import type { ServiceDeps } from './deps';

export const RELAY_MAX = 500;

export function factsOf(c: Case): CaseFacts {
  return { code: c.code, teamId: c.teamId, schoolId: c.schoolId, grade: c.grade, category: c.category, absenceBand: c.absenceBand, status: c.status, anonymous: isAnonymous(c) };
}

/**
 * Raises a concern: allocates a pseudonymous code, assigns the school's social worker (backup,
 * then group leader), stores case and timeline atomically, logs it and tells the assignee.
 */
export async function raiseConcern(deps: ServiceDeps, actor: Person, input: ConcernInput, submissionId?: string): Promise<{ case: Case; assignee: Person; via: AssignmentVia; delivered: boolean; duplicate: boolean }> {
  if (!mayRaiseConcern(actor, input.schoolId)) {
    await deps.accessLog.record({ at: deps.clock.now().toISOString(), actorId: actor.id, action: 'raise', schoolId: input.schoolId, allowed: false, via: 'card:concern.submit' });
    throw new AccessDeniedError(`${actor.id} is not EHT at ${input.schoolId}`);
  }
  const roster = await deps.roster.get();
  const assignment = assigneeFor(roster, input.schoolId);
  const school = roster.schools.find((s) => s.id === input.schoolId)!;
  if (!assignment) throw new DomainError('case.noAssignee', `School ${school.id} has no social worker, backup or group leader`);
  // A double click or a redelivered submit of the same form: answer with the case it already made.
  const earlier = submissionId ? await deps.cases.bySubmission(school.team, submissionId) : undefined;
  if (earlier) return duplicateOf(deps, actor, school.team, earlier);
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
    absenceBand: input.absenceBand,
    summary: input.summary,
    consent: input.consent ? { ...input.consent, recordedBy: actor.id, recordedAt: at } : undefined,
    schoolRef: input.consent ? input.schoolRef : undefined,
    status: 'new',
    raisedBy: actor.id,
    assignedTo: assignment.person.id,
    createdAt: at,
    updatedAt: at,
    lastActivityAt: at,
  };
  const stored = await deps.cases.create(
    c,
    [
      { caseCode: code, at, kind: 'raised', by: actor.id },
      { caseCode: code, at, kind: 'assigned', by: actor.id, to: assignment.person.id, ref: assignment.via },
    ],
    submissionId,
  );
  if (!stored.created) return duplicateOf(deps, actor, school.team, stored.existingCode);
  await deps.accessLog.record({ at, actorId: actor.id, action: 'raise', caseCode: code, schoolId: school.id, allowed: true, via: 'card:concern.submit' });
  await deps.reminders.onCase(c);
  const delivered = (await notifySafely(deps, assignment.person.id, { kind: 'caseAssigned', case: factsOf(c), via: assignment.via })) === 'sent';
  return { case: c, assignee: assignment.person, via: assignment.via, delivered, duplicate: false };
}

async function duplicateOf(deps: ServiceDeps, actor: Person, teamId: string, code: string) {
  const found = await deps.cases.get(teamId, code);
  const roster = await deps.roster.get();
  const assignee = found && personById(roster, found.value.assignedTo);
  if (!found || !assignee || found.value.raisedBy !== actor.id) throw new DomainError('case.duplicateUnknown', 'The earlier submission cannot be shown');
  return { case: found.value, assignee, via: 'primary' as AssignmentVia, delivered: true, duplicate: true };
}

/** Applies a change to a case under its eTag, retrying once on a concurrent change that still allows it. */
async function changeCase(
  deps: ServiceDeps,
  actor: Person,
  code: string,
  action: Parameters<typeof loadCaseFor>[3],
  via: string,
  change: (c: Case, now: Date) => { next: Case; events: CaseEvent[] },
): Promise<Case> {
  for (let attempt = 0; ; attempt++) {
    const current = await loadCaseFor(deps, actor, code, action, via);
    const { next, events } = change(current.value, deps.clock.now());
    try {
      await deps.cases.update(next, current.etag, events);
      return next;
    } catch (err) {
      if (!(err instanceof ConcurrencyError) || attempt >= 2) throw err;
    }
  }
}

/** The assigned social worker (or the team's group leader) accepts a new case. */
export async function acceptCase(deps: ServiceDeps, actor: Person, code: string): Promise<{ case: Case; alreadyAccepted: boolean }> {
  let alreadyAccepted = false;
  const c = await changeCase(deps, actor, code, 'accept', 'card:case.accept', (current, now) => {
    if (current.status !== 'new') {
      alreadyAccepted = true;
      return { next: current, events: [] };
    }
    const next = { ...transition(current, 'accepted', now), assignedTo: current.assignedTo };
    return { next, events: [{ caseCode: code, at: now.toISOString(), kind: 'accepted', by: actor.id }] };
  });
  if (!alreadyAccepted) {
    await notifySafely(deps, c.raisedBy, { kind: 'caseAccepted', caseCode: c.code, teamId: c.teamId, by: actor.id });
  }
  return { case: c, alreadyAccepted };
}

/** A short message relayed between the case's two sides and kept in its timeline. */
async function relay(deps: ServiceDeps, actor: Person, code: string, message: string, kind: 'infoRequested' | 'infoReplied'): Promise<{ case: Case; delivered: boolean }> {
  const note = relayText(message);
  const action = kind === 'infoRequested' ? 'requestInfo' : 'replyInfo';
  const recipientOf = (c: Case) => (kind === 'infoRequested' ? c.raisedBy : c.assignedTo);
  const c = await changeCase(deps, actor, code, action, `card:case.${action}`, (current, now) => {
    const at = now.toISOString();
    return { next: { ...current, updatedAt: at, lastActivityAt: at }, events: [{ caseCode: code, at, kind, by: actor.id, to: recipientOf(current), note }] };
  });
  const delivered = (await notifySafely(deps, recipientOf(c), { kind, caseCode: c.code, teamId: c.teamId, from: actor.id, message: note })) === 'sent';
  return { case: c, delivered };
}

/** The social worker asks the EHT for more information; the message is relayed to the one who raised the case. */
export const requestInfo = (deps: ServiceDeps, actor: Person, code: string, message: string) => relay(deps, actor, code, message, 'infoRequested');

/** An EHT member of the school answers; the answer is relayed to the case's social worker. */
export const replyInfo = (deps: ServiceDeps, actor: Person, code: string, message: string) => relay(deps, actor, code, message, 'infoReplied');

/** Closes a case with its outcome. */
export async function closeCase(deps: ServiceDeps, actor: Person, code: string, outcome: Outcome): Promise<Case> {
  return changeCase(deps, actor, code, 'close', 'card:case.close', (current, now) => ({
    next: transition(current, 'closed', now, outcome),
    events: [{ caseCode: code, at: now.toISOString(), kind: 'closed', by: actor.id, ref: outcome }],
  }));
}

/** One case with its timeline, for someone allowed to see it (logged). */
export async function viewCase(deps: ServiceDeps, actor: Person, code: string, via: string): Promise<{ case: Case; timeline: CaseEvent[]; as: 'eht' | 'assignee' | 'groupLeader' }> {
  const found = await loadCaseFor(deps, actor, code, 'view', via);
  const timeline = await deps.cases.timeline(found.value.teamId, code);
  return { case: found.value, timeline, as: found.as };
}

/** "Mina ärenden": the cases this person may see, newest first; each listed case is logged as read. */
export async function listMyCases(deps: ServiceDeps, actor: Person, opts: { includeClosed?: boolean } = {}): Promise<Case[]> {
  const roster = await deps.roster.get();
  const visible: Case[] = [];
  for (const teamId of teamsOf(roster, actor)) {
    // The store narrows by the need-to-know columns (a group leader reads the team); isVisibleTo decides.
    const leadsTeam = hasRole(actor, 'groupLeader') && actor.team === teamId;
    const candidates = leadsTeam
      ? (await deps.cases.listByTeam(teamId)).filter((c) => opts.includeClosed || c.status !== 'closed')
      : await deps.cases.listFor(teamId, { schoolIds: hasRole(actor, 'eht') ? actor.schools : undefined, assignedTo: actor.id, includeClosed: opts.includeClosed });
    for (const c of candidates) if (isVisibleTo(actor, c)) visible.push(c);
  }
  visible.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const at = deps.clock.now().toISOString();
  await deps.accessLog.recordMany(visible.map((c) => ({ at, actorId: actor.id, action: 'list', caseCode: c.code, schoolId: c.schoolId, allowed: true, via: 'command:myCases' })));
  return visible;
}

/** The contact person a case shows to the school: its assignee's roster name. */
export async function contactOf(deps: ServiceDeps, c: Case): Promise<Person | undefined> {
  return personById(await deps.roster.get(), c.assignedTo);
}

function relayText(message: string): string {
  const trimmed = message.trim();
  if (!trimmed) throw new DomainError('relay.empty', 'Empty message');
  if (trimmed.length > RELAY_MAX) throw new DomainError('relay.tooLong', 'Message too long', { max: RELAY_MAX });
  if (identityProblem(trimmed)) throw new DomainError('relay.personnummer', 'Message looks like it holds a personnummer');
  return trimmed;
}

/**
 * Tells someone about a change that is already stored: a failed send must not turn the user's
 * successful action into an error (they would retry it). The failure counts as "not delivered".
 */
export async function notifySafely(deps: ServiceDeps, personId: string, n: Notification): Promise<'sent' | 'unreachable' | 'failed'> {
  try {
    return await deps.notifier.notify(personId, n);
  } catch {
    return 'failed';
  }
}
