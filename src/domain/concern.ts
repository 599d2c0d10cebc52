import { DomainError } from './errors';
import { containsPersonnummer } from './personnummer';

export const GRADES = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'gy1'] as const;
export type Grade = (typeof GRADES)[number];

export const CATEGORIES = ['absence', 'behaviour', 'home', 'mentalHealth', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

export const ABSENCE_BANDS = ['lt10', '10to20', '20to50', 'gt50'] as const;
export type AbsenceBand = (typeof ABSENCE_BANDS)[number];

export const CASE_STATUSES = ['new', 'accepted', 'active', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const OUTCOMES = ['attendanceImproved', 'handedOver', 'familyDeclined', 'other'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const SUMMARY_MAX = 500;
export const SCHOOL_REF_MAX = 40;
export const CONSENT_SCOPE_MAX = 200;

/** Guardians' consent: specific (scope), recorded (who, when) and time-limited. */
export interface Consent {
  scope: string;
  expires: string; // YYYY-MM-DD, Europe/Stockholm calendar date
  recordedBy: string; // person id
  recordedAt: string; // ISO instant
}

/** A case: pseudonymous code plus the few facts the teams need. No name, no personnummer. */
export interface Case {
  code: string;
  teamId: string;
  schoolId: string;
  grade: Grade;
  category: Category;
  absenceBand: AbsenceBand;
  /** Short and non-identifying; shown only to the school's EHT and the case's social worker / group leader. */
  summary: string;
  /** Absent means anonymous consultation (avidentifierad konsultation). */
  consent?: Consent;
  /** The school's own reference in its case system; only with consent; visible to the school's EHT only. */
  schoolRef?: string;
  status: CaseStatus;
  outcome?: Outcome;
  raisedBy: string;
  assignedTo: string;
  createdAt: string;
  updatedAt: string;
  /** Last activity of any kind, for the "no activity for 30 days" reminder. */
  lastActivityAt: string;
  /** A question from the social worker the school has not answered yet (who it went to, when). */
  openQuestion?: { to: string; at: string };
}

export const isAnonymous = (c: Pick<Case, 'consent'>) => c.consent === undefined;

export type CaseEventKind =
  | 'raised' | 'assigned' | 'accepted' | 'activated' | 'infoRequested' | 'infoReplied'
  | 'closed' | 'reassigned' | 'meetingRequested' | 'meetingConfirmed' | 'meetingDeclined' | 'meetingCancelled'
  | 'planRecorded' | 'reviewRecorded' | 'nudged';

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
