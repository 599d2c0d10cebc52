import { ASSIGN_SCHOOL_VERB } from './assignSchoolCard';
import { AUDIT_VERB } from './auditCard';
import { VERBS } from './caseCards';
import { CONCERN_SUBMIT_VERB } from './concernFormCard';
import { MEETING_VERBS } from './meetingCards';
import { PLAN_VERBS } from './planCards';
import { REPORT_VERB } from './reportCard';
import { NAV_VERB } from './navigation';
import { NUDGE_VERB } from './reminderCards';
import { AWAY_VERB } from './awayCard';

/** Every card verb the bot handles: the only verbs that may be written into a log or the access log. */
export const CARD_VERBS: readonly string[] = [
  ...Object.values(VERBS),
  ...Object.values(MEETING_VERBS),
  ...Object.values(PLAN_VERBS),
  CONCERN_SUBMIT_VERB,
  REPORT_VERB,
  AUDIT_VERB,
  ASSIGN_SCHOOL_VERB,
  NAV_VERB,
  NUDGE_VERB,
  AWAY_VERB,
];

/** The verb itself when the bot knows it, else "unknown": a tampered verb is never echoed into a log. */
export const knownVerb = (verb: unknown): string => (typeof verb === 'string' && CARD_VERBS.includes(verb) ? verb : 'unknown');
