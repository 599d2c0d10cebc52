import type { CaseAction } from './access';
import type { Case, CaseEvent } from './concern';
import type { Meeting } from './meeting';
import type { Plan } from './plan';
import type { DueItem, ReminderKind } from './reminders';
import type { Digest } from './digest';
import type { AssignmentVia, Person, Roster, School } from './roster';
import type { TimeRange } from './slots';

/** A stored value with the eTag that guards its next change. */
export interface Versioned<T> {
  value: T;
  etag: string;
}

/** Cases and their timelines, one partition per team (read together, changed together). */
export interface CaseStore {
  /**
   * Stores a new case with its first events atomically. With `submissionId` (the form's own id) a
   * second submission of the same form stores nothing and returns the code of the first.
   */
  create(c: Case, events: CaseEvent[], submissionId?: string): Promise<{ created: true } | { created: false; existingCode: string }>;
  /** The case an earlier submission of the same form created, if any. */
  bySubmission(teamId: string, submissionId: string): Promise<string | undefined>;
  /** Deletes a case and everything stored beside it (events, meetings, plans, submission marks). */
  purge(teamId: string, code: string): Promise<number>;
  get(teamId: string, code: string): Promise<Versioned<Case> | undefined>;
  /** Replaces the case if `etag` still matches and appends events, atomically; else ConcurrencyError. */
  update(c: Case, etag: string, events: CaseEvent[]): Promise<string>;
  /** Appends events to a case's timeline without changing the case. */
  appendEvents(teamId: string, events: CaseEvent[]): Promise<void>;
  listByTeam(teamId: string): Promise<Case[]>;
  /**
   * A team's cases narrowed in the store by the columns need-to-know uses (any of these schools, or
   * assigned to this person), open only unless `includeClosed`. The caller still checks each case.
   */
  listFor(teamId: string, scope: { schoolIds?: string[]; assignedTo?: string; includeClosed?: boolean }): Promise<Case[]>;
  timeline(teamId: string, code: string): Promise<CaseEvent[]>;
}

/** Hands out case sequence numbers, unique under concurrency across instances. */
export interface CodeAllocator {
  next(year: number): Promise<number>;
}

/** The roster as stored, with the changes made from the bot. */
export interface RosterStore {
  get(): Promise<Roster>;
  /** Loads the roster file into the store; entries the bot changed since the last load of an unchanged file are kept. */
  importFile(roster: Roster): Promise<{ changed: number }>;
  saveSchool(school: School): Promise<void>;
}

export interface AccessLogEntry {
  at: string;
  actorId: string;
  action: CaseAction | 'raise' | 'list' | 'reassignSchool' | 'purge' | 'export';
  caseCode?: string;
  schoolId?: string;
  allowed: boolean;
  /** The turn or card action behind it, e.g. "card:case.accept" or "command:myCases". */
  via: string;
}

/** Who read or changed which case, when, from which action; exported monthly by admins. */
export interface AccessLog {
  record(entry: AccessLogEntry): Promise<void>;
  /** Several entries in as few round trips as the store allows. */
  recordMany(entries: AccessLogEntry[]): Promise<void>;
  list(fromIso: string, toIso: string): Promise<AccessLogEntry[]>;
}

/** Proactive messages to people, by roster id; the bot turns each kind into a card. */
export interface Notifier {
  notify(personId: string, notification: Notification): Promise<'sent' | 'unreachable'>;
}

export type Notification =
  | { kind: 'caseAssigned'; case: CaseFacts; via: AssignmentVia }
  | { kind: 'infoRequested'; caseCode: string; teamId: string; from: string; message: string }
  | { kind: 'infoReplied'; caseCode: string; teamId: string; from: string; message: string }
  | { kind: 'caseAccepted'; caseCode: string; teamId: string; by: string }
  | { kind: 'newContact'; schoolId: string; socialWorkerId: string }
  | { kind: 'reminder'; reminder: Exclude<ReminderKind, 'digest' | 'retention'>; teamId: string; caseCode?: string; details: Record<string, string> }
  | { kind: 'digest'; digest: Digest };

/** The non-identifying facts a notification card may show. */
export type CaseFacts = Pick<Case, 'code' | 'teamId' | 'schoolId' | 'grade' | 'category' | 'absenceBand' | 'status'> & { anonymous: boolean };

/** Meetings, stored beside their case (same team partition) so a change and its timeline event are atomic. */
export interface MeetingStore {
  create(m: Meeting, events: CaseEvent[]): Promise<void>;
  get(teamId: string, id: string): Promise<Versioned<Meeting> | undefined>;
  /** Replaces the meeting if `etag` still matches, with its events, atomically; else ConcurrencyError. */
  update(m: Meeting, etag: string, events: CaseEvent[]): Promise<string>;
  /** Confirmed meetings of a social worker overlapping `range` (the built-in free/busy). */
  confirmedFor(teamId: string, socialWorkerId: string, range: TimeRange): Promise<Meeting[]>;
  listByCase(teamId: string, caseCode: string): Promise<Meeting[]>;
  listByTeam(teamId: string): Promise<Meeting[]>;
}

/**
 * Free/busy and calendar events. The built-in adapter uses the bot's own bookings; the Graph
 * adapter reads getSchedule and creates Outlook events with a Teams link.
 */
export interface Calendar {
  busy(person: Person, range: TimeRange): Promise<TimeRange[]>;
  /** The meeting was confirmed: create the event where the calendar lives (if anywhere). */
  confirmed(m: Meeting, parties: { eht: Person; socialWorker: Person }): Promise<{ joinUrl?: string; externalEventId?: string }>;
  /** The meeting was cancelled or moved: remove the event created for it. */
  cancelled(m: Meeting, parties: { eht: Person; socialWorker: Person }): Promise<void>;
}

/** Shows a meeting's current card to both parties, replacing their earlier copies (no stale buttons). */
export interface MeetingCards {
  publish(m: Meeting, note?: { kind: MeetingNoteKind; by: string }): Promise<void>;
}

export type MeetingNoteKind = 'requested' | 'accepted' | 'declined' | 'countered' | 'cancelled' | 'rescheduled';

export interface PlanStore {
  create(p: Plan, events: CaseEvent[]): Promise<void>;
  get(teamId: string, id: string): Promise<Versioned<Plan> | undefined>;
  update(p: Plan, etag: string, events: CaseEvent[]): Promise<string>;
  listByCase(teamId: string, caseCode: string): Promise<Plan[]>;
  listByTeam(teamId: string): Promise<Plan[]>;
}

/** A stored due item and where it stands. */
export interface StoredDueItem extends DueItem {
  status: 'pending' | 'claimed' | 'done' | 'unreachable' | 'failed' | 'skipped';
  attempts: number;
  nextAttemptAt?: string;
  leaseUntil?: string;
  claimedBy?: string;
  lastError?: string;
}

/**
 * Due work partitioned by due hour, so a sweep reads only what is due. Claims are eTag-guarded:
 * with several instances on one store, exactly one wins each item.
 */
export interface DueItemStore {
  /** Stores items that are not stored yet (same key and time = same item). */
  schedule(items: DueItem[]): Promise<void>;
  /** Items due at or before `now` that are not finished, from the oldest unfinished hour on. */
  due(now: Date): Promise<Array<Versioned<StoredDueItem>>>;
  /** Takes an item for `leaseMs`; false when another instance took it first. */
  claim(item: Versioned<StoredDueItem>, instanceId: string, now: Date, leaseMs: number): Promise<Versioned<StoredDueItem> | undefined>;
  /** Records the outcome of a claimed item. */
  finish(item: Versioned<StoredDueItem>, outcome: Pick<StoredDueItem, 'status' | 'nextAttemptAt' | 'lastError'>): Promise<void>;
  /** Moves the sweep's starting hour forward past hours with nothing left to do. */
  advanceCursor(now: Date): Promise<void>;
}

/** People the bot could not reach (never opened the bot, blocked it, uninstalled it). */
export interface UnreachableStore {
  record(teamId: string, personId: string, at: string, kind: string): Promise<void>;
  clear(teamId: string, personId: string): Promise<void>;
  list(teamId: string): Promise<Array<{ personId: string; since: string; kind: string }>>;
}
