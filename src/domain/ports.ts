import type { CaseAction } from './access';
import type { ActionResult, Delivery, Effect, Receipt } from './effects';
import type { Case, CaseEvent } from './concern';
import type { Meeting } from './meeting';
import type { Plan } from './plan';
import type { DueItem, ReminderKind } from './reminders';
import type { Digest } from './digest';
import type { AssignmentVia, AwayPeriod, Person, Roster, School } from './roster';
import type { TimeRange } from './slots';

/** A stored value with the eTag that guards its next change. */
export interface Versioned<T> {
  value: T;
  etag: string;
}

/**
 * Cases and their timelines, one partition per team (read together, changed together). Reads only:
 * every change is written through the ChangeStore, with its effects.
 */
export interface CaseStore {
  /** Deletes a case and everything stored beside it (events, meetings, plans, submission marks). */
  purge(teamId: string, code: string): Promise<number>;
  get(teamId: string, code: string): Promise<Versioned<Case> | undefined>;
  listByTeam(teamId: string): Promise<Case[]>;
  /**
   * A team's cases narrowed in the store by the columns need-to-know uses (any of these schools, or
   * assigned to this person, or with `unclaimed` still new), open only unless `includeClosed`. The
   * caller still checks each case.
   */
  listFor(teamId: string, scope: { schoolIds?: string[]; assignedTo?: string; unclaimed?: boolean; includeClosed?: boolean }): Promise<Case[]>;
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
  /** Replaces a school's assignment with its effects and the action's mark, in one transaction (a repeat writes nothing). */
  saveSchool(school: School, change: { action: { id: string; result: ActionResult }; effects: Effect[] }): Promise<CommitResult>;
  /** Sets (or, with undefined, ends) a person's away period with its effects and the action's mark, in one transaction. */
  setAway(personId: string, away: AwayPeriod | undefined, change: { action: { id: string; result: ActionResult }; effects: Effect[]; teamId?: string }): Promise<CommitResult>;
}

export interface AccessLogEntry {
  at: string;
  actorId: string;
  action: CaseAction | 'raise' | 'list' | 'reassignSchool' | 'purge' | 'export' | 'setAway';
  caseCode?: string;
  schoolId?: string;
  allowed: boolean;
  /** The turn or card action behind it, e.g. "card:case.accept" or "command:myCases". */
  via: string;
}

/** Who read or changed which case, when, from which action; exported monthly by admins. */
export interface AccessLog {
  /** Writes one entry; with `key` (an effect's key) writing the same entry twice stores it once. */
  record(entry: AccessLogEntry, key?: string): Promise<void>;
  /** Several entries in as few round trips as the store allows. */
  recordMany(entries: AccessLogEntry[]): Promise<void>;
  list(fromIso: string, toIso: string): Promise<AccessLogEntry[]>;
}

/**
 * Proactive cards to people, by roster id; the bot turns each kind into a card. 'unreachable': the
 * person has no chat with the bot yet, or blocked or removed it. Throws when a retry may help.
 */
export interface Notifier {
  /** `at`: when it was first meant to go (shown when it arrives late); `mayRepeat`: an earlier attempt may have arrived. */
  notify(personId: string, notification: Notification, opts?: { at?: string; mayRepeat?: boolean }): Promise<'sent' | 'unreachable'>;
  /** Replaces the actor's own card (a receipt) in their chat. */
  updateReceipt(personId: string, activityId: string, receipt: Receipt & { outcome: 'delivered' | 'held' }): Promise<'sent' | 'unreachable'>;
  /**
   * Marks that messages are held for this person (released on their next turn); true when they
   * reached the bot after `attemptedAt`, i.e. the held messages can go now.
   */
  hold(personId: string, attemptedAt: Date): Promise<boolean>;
}

export type Notification =
  /** A concern (or, `via: 'reassigned'`, a case handed over by the group leader `by`) for this social worker. */
  | { kind: 'caseAssigned'; case: CaseFacts; via: AssignmentVia; by?: string }
  | { kind: 'infoRequested'; caseCode: string; teamId: string; from: string; message: string }
  | { kind: 'infoReplied'; caseCode: string; teamId: string; from: string; message: string }
  | { kind: 'caseAccepted'; caseCode: string; teamId: string; by: string }
  | { kind: 'newContact'; schoolId: string; socialWorkerId: string }
  | { kind: 'reminder'; reminder: Exclude<ReminderKind, 'digest' | 'retention'>; teamId: string; caseCode?: string; details: Record<string, string> }
  | { kind: 'digest'; digest: Digest }
  /** The group leader reminds someone that an item waits for them (from the digest's "påminn"). */
  | { kind: 'nudge'; caseCode: string; teamId: string; from: string; about: NudgeAbout; meetingId?: string; date?: string }
  /** The case was closed by `by` (a consultation with its closing note, relayed to the school). */
  | { kind: 'caseClosed'; caseCode: string; teamId: string; by: string; outcome: string; note?: string }
  /** Handläggarbyte: to the social worker who had the case, it is now `to`'s. */
  | { kind: 'caseHandedOver'; caseCode: string; teamId: string; by: string; to: string }
  /** Handläggarbyte: to the school's EHT, the case's social worker is now `socialWorkerId`. */
  | { kind: 'newCaseContact'; caseCode: string; teamId: string; by: string; socialWorkerId: string }
  /** The consent was withdrawn, renewed, or recorded on a consultation (which is now a request). */
  | { kind: 'consentChanged'; caseCode: string; teamId: string; by: string; change: 'withdrawn' | 'renewed' | 'converted'; expires?: string }
  /** Nobody has taken a concern from the team's intake in time: to the group leader, who can assign it. */
  | { kind: 'escalation'; case: CaseFacts; since: string; assigneeId: string }
  /** A school-side team member now takes part in a case. */
  | { kind: 'staffAdded'; caseCode: string; teamId: string; by: string }
  /** A social worker is away (or back): to their group leader. */
  | { kind: 'away'; personId: string; from?: string; until?: string };

/** What a nudge is about: a concern to take, a meeting request to answer, a review to record. */
export type NudgeAbout = 'accept' | 'meeting' | 'review';

/** The non-identifying facts a notification card may show. */
export type CaseFacts = Pick<Case, 'code' | 'teamId' | 'schoolId' | 'grade' | 'category' | 'absenceBand' | 'status'> & { anonymous: boolean; consent?: 'valid' | 'expired' | 'withdrawn' };

/** Meetings, stored beside their case (same team partition); a meeting changes with its action, through the ChangeStore. */
export interface MeetingStore {
  get(teamId: string, id: string): Promise<Versioned<Meeting> | undefined>;
  /** Replaces the meeting if `etag` still matches (its calendar link, added after the change); else ConcurrencyError. */
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

/** A meeting's card for one party, drawn from the meeting as it is now. */
export interface MeetingCards {
  /**
   * Replaces the party's earlier copy in place (no stale buttons), or sends one. With `activityId`
   * (the party's own card already shows it) that message is only remembered as theirs. With
   * `updateOnly` (the party acted from another card, e.g. the case view) only an earlier copy is
   * updated; no new card is sent to them.
   */
  show(personId: string, teamId: string, meetingId: string, opts?: { note?: { kind: MeetingNoteKind; by: string }; activityId?: string; updateOnly?: boolean }): Promise<'sent' | 'unreachable'>;
}

export type MeetingNoteKind = 'requested' | 'accepted' | 'declined' | 'countered' | 'cancelled' | 'rescheduled' | 'caseClosed' | 'handedOver' | 'consentWithdrawn';

/** Plans beside their case; a plan changes with its action, through the ChangeStore. */
export interface PlanStore {
  get(teamId: string, id: string): Promise<Versioned<Plan> | undefined>;
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
  /** How often a claim ran out mid-delivery (a crash): the first time it is sent again, marked as a possible repeat. */
  interrupted?: number;
  lastError?: string;
}

export type DueItemOutcome = Pick<StoredDueItem, 'status' | 'nextAttemptAt' | 'lastError'>;

/**
 * Due work partitioned by due hour, so a sweep reads only what is due. Claims are eTag-guarded:
 * with several instances on one store, exactly one wins each item.
 */
export interface DueItemStore {
  /** Stores items that are not stored yet (same key and time = same item). */
  schedule(items: DueItem[]): Promise<void>;
  /** Items due at or before `now` that are not finished, from the oldest unfinished hour on. */
  due(now: Date): Promise<Array<Versioned<StoredDueItem>>>;
  /** Takes items for `leaseMs` (one transaction per due hour when possible); returns those this instance won. */
  claim(items: Array<Versioned<StoredDueItem>>, instanceId: string, now: Date, leaseMs: number): Promise<Array<Versioned<StoredDueItem>>>;
  /** Records the outcomes of claimed items (batched likewise); an item whose claim was lost keeps the other instance's outcome. */
  finish(outcomes: Array<{ item: Versioned<StoredDueItem>; outcome: DueItemOutcome }>): Promise<void>;
  /** Moves the sweep's starting hour forward past hours with nothing left to do. */
  advanceCursor(now: Date): Promise<void>;
}


/**
 * One action's change to one team's partition (its cases, meetings, plans, timelines), with every
 * effect it implies and the action's mark: written in one transaction, or not at all.
 */
export interface TeamChange {
  teamId: string;
  /** The action's identity and what to answer a repeat of it with. */
  action: { id: string; result: ActionResult; caseCode?: string };
  /** Without `etag`: created (a taken key fails the whole change). With: replaced if still at that eTag. */
  cases?: Array<{ value: Case; etag?: string }>;
  meetings?: Array<{ value: Meeting; etag?: string }>;
  plans?: Array<{ value: Plan; etag?: string }>;
  events?: CaseEvent[];
  effects: Effect[];
}

/** Applied now, or an earlier application of the same action already was (with its result). */
export type CommitResult = { applied: true } | { applied: false; result: ActionResult };

/**
 * Writes an action's change with its effects atomically. A repeat of an applied action writes
 * nothing and returns the first result; a concurrent change gives ConcurrencyError; a failure whose
 * outcome cannot be checked gives CommitOutcomeUnknown (never a false "nothing was saved").
 */
export interface ChangeStore {
  commit(change: TeamChange): Promise<CommitResult>;
  /** The result of an action that was applied, if it was. */
  actionResult(teamId: string, actionId: string): Promise<ActionResult | undefined>;
  /** A case's notifications and where each stands. */
  deliveries(teamId: string, caseCode: string): Promise<Delivery[]>;
}

/** Where pending effects are stored: beside the change they belong to ("cases/<team>", "roster/roster"). */
export type OutboxLocation = string;

/** A pending effect as stored, with its claim. */
export interface StoredEffect {
  key: string;
  location: OutboxLocation;
  effect: Effect;
  /** pending: to apply when due; claimed: being applied (until the lease ends); held: waits for its recipient. */
  status: 'pending' | 'claimed' | 'held' | 'failed';
  at: string;
  attempts: number;
  nextAttemptAt?: string;
  leaseUntil?: string;
  claimedBy?: string;
  /** A claim ran out after an attempt (a crash mid-apply): it may have been applied once already. */
  mayRepeat?: boolean;
  teamId?: string;
  lastError?: string;
}

export type EffectOutcome =
  | { status: 'done' }
  | { status: 'delivered' }
  | { status: 'held' }
  | { status: 'retry'; error: string; nextAttemptAt: string }
  | { status: 'failed'; error: string };

/**
 * The outbox's rows. Claims are eTag-guarded (one instance wins each row); finishing removes the row
 * (or keeps a held one), records a notification's delivery, and adds follow-up effects, atomically.
 */
export interface OutboxStore {
  /** Pending rows due by `now` (and claims whose lease ran out) at these locations. */
  due(locations: OutboxLocation[], now: Date): Promise<Array<Versioned<StoredEffect>>>;
  /** Held rows for one recipient, oldest first. */
  heldFor(locations: OutboxLocation[], personId: string): Promise<Array<Versioned<StoredEffect>>>;
  /** Everyone with held rows at these locations, with the oldest time, for one team. */
  heldRecipients(locations: OutboxLocation[], teamId: string): Promise<Array<{ personId: string; since: string }>>;
  /** Claims rows (one transaction per location when possible); returns those this instance won. */
  claim(rows: Array<Versioned<StoredEffect>>, instanceId: string, now: Date, leaseMs: number): Promise<Array<Versioned<StoredEffect>>>;
  /**
   * Records the outcome of a claimed row, with its follow-up effects (returned, stored as pending);
   * false when the claim was lost (another instance's outcome stands).
   */
  finish(row: Versioned<StoredEffect>, outcome: EffectOutcome, at: Date, followUps?: Effect[]): Promise<Array<Versioned<StoredEffect>> | false>;
  /** Stores a held notification created outside an action (a reminder whose recipient is unreachable). */
  hold(location: OutboxLocation, key: string, effect: Effect, at: Date): Promise<void>;
}
