import { DomainError } from './errors';
import { containsPersonnummer } from './personnummer';
import type { AbsenceMeasure } from './absence';

/** Every grade a municipality may serve: förskoleklass, årskurs 1–9, gymnasiet år 1–3 (which ones: the municipality's settings). */
export const GRADES = ['F', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'gy1', 'gy2', 'gy3'] as const;
export type Grade = (typeof GRADES)[number];

export const CATEGORIES = ['absence', 'behaviour', 'home', 'mentalHealth', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

export const ABSENCE_BANDS = ['lt10', '10to20', '20to50', 'gt50'] as const;
export type AbsenceBand = (typeof ABSENCE_BANDS)[number];

export const CASE_STATUSES = ['new', 'accepted', 'active', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/**
 * How a case (förfrågan) ends: the seeds' measurable goals and the three different places a case is
 * referred on to (Stockholm seed 004: myndighetsutövning, BUP, habilitering).
 */
export const OUTCOMES = ['goalsMet', 'attendanceImproved', 'referredInvestigation', 'referredBup', 'referredHabilitation', 'familyDeclined', 'movedSchool', 'other'] as const;
/** Outcomes that only older cases carry (shown as they are, never chosen anew). */
export const LEGACY_OUTCOMES = ['handedOver'] as const;
/** An anonymous consultation ends with a closing note, not an outcome of an insats. */
export const CONSULTATION_CLOSED = 'consultationClosed' as const;
export type Outcome = (typeof OUTCOMES)[number] | (typeof LEGACY_OUTCOMES)[number] | typeof CONSULTATION_CLOSED;

/**
 * A request (förfrågan: the school asks the SST for samverkan, with the guardians' consent) or an
 * anonymous consultation (avidentifierad konsultation: advice about an unidentified pupil, which can
 * lead to no meeting with the family, no plan and no SIP, and is counted apart).
 */
export const CASE_KINDS = ['request', 'consultation'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export const SUMMARY_MAX = 500;
export const SCHOOL_REF_MAX = 40;
export const CONSENT_SCOPE_MAX = 200;
export const CHILD_VIEW_NOTE_MAX = 200;
export const CLOSING_NOTE_MAX = 500;

/** Joint custody (both guardians consent) or sole custody (the one guardian). */
export const CUSTODY = ['joint', 'sole'] as const;
export type Custody = (typeof CUSTODY)[number];
/** How a guardian gave consent. */
export const CONSENT_HOW = ['written', 'oral'] as const;
export type ConsentHow = (typeof CONSENT_HOW)[number];
/** Guardians are "vårdnadshavare 1" and "vårdnadshavare 2", never named. */
export type GuardianRef = 'vh1' | 'vh2';
/** The child's own view (in line with age and maturity): asked for, not yet asked, or not possible to ask. */
export const CHILD_VIEWS = ['asked', 'notYet', 'notPossible'] as const;
export type ChildView = (typeof CHILD_VIEWS)[number];

/**
 * Guardians' consent: which guardians gave it and how, specific (scope), recorded (who, when),
 * time-limited (expires) and withdrawable, with the child's own view. Consents recorded before these
 * details existed carry only scope, expiry and who recorded them.
 */
export interface Consent {
  custody?: Custody;
  guardians?: Array<{ who: GuardianRef; how: ConsentHow }>;
  scope: string;
  expires: string; // YYYY-MM-DD, Europe/Stockholm calendar date; valid through that day
  childView?: { view: ChildView; note?: string };
  recordedBy: string; // person id
  recordedAt: string; // ISO instant
  /** Withdrawn: sharing stops at once (the school's reference is hidden, no new meeting with the family or plan). */
  withdrawnAt?: string;
  withdrawnBy?: string;
}

/** The insats forms: a voluntary serviceinsats, or an insats after a biståndsbeslut (Linköping: both). */
export const INSATS_FORMS = ['service', 'bistand'] as const;
export type InsatsForm = (typeof INSATS_FORMS)[number];
export const INSATS_KINDS = ['individual', 'family', 'group', 'preventive'] as const;
export type InsatsKind = (typeof INSATS_KINDS)[number];

/** The SST's insats on a case: its form and kind, and the time-limited intensive phase. */
export interface Insats {
  form: InsatsForm;
  kind: InsatsKind;
  start: string; // YYYY-MM-DD
  /** The last day of the intensive phase. */
  intensiveUntil: string;
  recordedBy: string;
  recordedAt: string;
}

/** A case: pseudonymous code plus the few facts the teams need. No name, no personnummer. */
export interface Case {
  code: string;
  teamId: string;
  schoolId: string;
  grade: Grade;
  category: Category;
  /** The band at intake (cases raised before percentages; now derived from the intake measure). */
  absenceBand: AbsenceBand;
  /** The pupil's absence over time: at intake, at each plan review, at closing (see ./absence). */
  absence?: AbsenceMeasure[];
  /** Recorded at closing a request: is the pupil still at the same school (the seeds' "fullfölja sin skolgång på sin skola")? */
  sameSchoolAtClose?: boolean;
  /** Short and non-identifying; shown only to the school's EHT and the case's social worker / group leader. */
  summary: string;
  /** A request or an anonymous consultation; cases stored before kinds existed: a consultation when without consent. */
  kind?: CaseKind;
  /** Absent for an anonymous consultation. */
  consent?: Consent;
  /** The school's own reference in its case system; only with consent; visible to the school's EHT only, and only while the consent holds. */
  schoolRef?: string;
  status: CaseStatus;
  outcome?: Outcome;
  /** A consultation's closing note to the school (short, non-identifying). */
  closingNote?: string;
  raisedBy: string;
  /** The social worker who owns it (a new concern: the suggested owner; any social worker of the team can take it). */
  assignedTo: string;
  /** When it was last given to someone (raised, taken, reassigned): the intake's escalation counts from here. */
  assignedAt?: string;
  /** The joint team's school-side members taking part (lärare, specialpedagog, speciallärare). */
  staff?: string[];
  /** The insats, once recorded. */
  insats?: Insats;
  /** A consultation that became a request when consent was obtained: when. */
  convertedAt?: string;
  createdAt: string;
  updatedAt: string;
  /** Last activity of any kind, for the "no activity for 30 days" reminder. */
  lastActivityAt: string;
  /** A question from the social worker the school has not answered yet (who it went to, when). */
  openQuestion?: { to: string; at: string };
}

/** The case's kind (stored cases from before kinds: a consultation when without consent). */
export const kindOf = (c: Pick<Case, 'kind' | 'consent'>): CaseKind => c.kind ?? (c.consent === undefined ? 'consultation' : 'request');
/** An anonymous consultation (avidentifierad konsultation). */
export const isAnonymous = (c: Pick<Case, 'kind' | 'consent'>) => kindOf(c) === 'consultation';

export type CaseEventKind =
  | 'raised' | 'assigned' | 'accepted' | 'activated' | 'infoRequested' | 'infoReplied'
  | 'closed' | 'reassigned' | 'meetingRequested' | 'meetingConfirmed' | 'meetingDeclined' | 'meetingCancelled'
  | 'planRecorded' | 'reviewRecorded' | 'nudged'
  | 'meetingCountered' | 'consentRecorded' | 'consentRenewed' | 'consentWithdrawn' | 'converted' | 'insatsRecorded' | 'reportMade' | 'staffChanged';

/** One line of a case's timeline; `note` is only ever a relayed message shown to the two parties. */
export interface CaseEvent {
  caseCode: string;
  at: string;
  kind: CaseEventKind;
  by: string;
  to?: string;
  note?: string;
  ref?: string;
}

/** `SST-2026-0042`: the only way a pupil's case is named in the bot. */
export function caseCode(year: number, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) throw new DomainError('case.code', `Invalid sequence ${sequence}`);
  return `SST-${year}-${String(sequence).padStart(4, '0')}`;
}

export const CASE_CODE_PATTERN = /^SST-\d{4}-\d{4,}$/;

/**
 * The field looks like it carries identity; returns a stable problem code or undefined. Every
 * free-text field goes through this (concern summary and reference, consent scope, relayed
 * messages, plan goals and responsibilities, a declined meeting's reason): see ./personnummer.
 */
export function identityProblem(text: string): 'personnummer' | undefined {
  return containsPersonnummer(text) ? 'personnummer' : undefined;
}

const NEXT: Record<CaseStatus, CaseStatus[]> = {
  new: ['accepted', 'closed'],
  accepted: ['active', 'closed'],
  active: ['closed'],
  closed: [],
};

/** The lifecycle new → accepted → active → closed; anything else is refused. */
export function transition(c: Case, to: CaseStatus, now: Date, outcome?: Outcome): Case {
  if (!NEXT[c.status].includes(to)) {
    throw new DomainError('case.transition', `A ${c.status} case cannot become ${to}`, { from: c.status, to });
  }
  if (to === 'closed' && !outcome) throw new DomainError('case.outcomeRequired', 'Closing needs an outcome');
  if (to === 'closed' && (outcome === CONSULTATION_CLOSED) !== isAnonymous(c)) throw new DomainError('case.outcomeKind', 'A consultation closes with a note, a request with an outcome');
  const at = now.toISOString();
  return { ...c, status: to, outcome: to === 'closed' ? outcome : c.outcome, updatedAt: at, lastActivityAt: at };
}

/** What the case is waiting for, as a stable key the bot translates. */
export function nextStep(c: Case): 'accept' | 'firstMeeting' | 'followUp' | 'none' {
  switch (c.status) {
    case 'new':
      return 'accept';
    case 'accepted':
      return 'firstMeeting';
    case 'active':
      return 'followUp';
    default:
      return 'none';
  }
}
