import { DateTime } from 'luxon';
import {
  CHILD_VIEWS, CHILD_VIEW_NOTE_MAX, CONSENT_HOW, CONSENT_SCOPE_MAX, CUSTODY, SCHOOL_REF_MAX, identityProblem, isAnonymous, kindOf,
  type Case, type ChildView, type Consent, type ConsentHow, type Custody,
} from './concern';
import { DomainError } from './errors';
import { ZONE, parseCalendarDate } from './time';

/**
 * Where a case's consent stands on a Stockholm date: none (an anonymous consultation), valid,
 * expired (the day after its last day) or withdrawn. Derived from the date at read time, so expiry
 * needs no stored change: the school's reference is hidden and family work stops the moment it runs out.
 */
export type ConsentState = 'none' | 'valid' | 'expired' | 'withdrawn';

export function consentState(c: Pick<Case, 'consent'>, today: string): ConsentState {
  if (!c.consent) return 'none';
  if (c.consent.withdrawnAt) return 'withdrawn';
  return c.consent.expires < today ? 'expired' : 'valid';
}

/**
 * Why work with the family (a meeting with the guardians, a SIP, a hembesök, a plan, an insats) is
 * not possible on this case now, or undefined when it is: an anonymous consultation never; a request
 * only while its consent holds.
 */
export type FamilyWorkProblem = 'consultation' | 'consentWithdrawn' | 'consentExpired';

export function familyWorkProblem(c: Pick<Case, 'kind' | 'consent'>, today: string): FamilyWorkProblem | undefined {
  if (isAnonymous(c)) return 'consultation';
  const state = consentState(c, today);
  if (state === 'withdrawn') return 'consentWithdrawn';
  if (state === 'expired' || state === 'none') return 'consentExpired';
  return undefined;
}

/** Throws the family-work problem as a DomainError (`case.consultation`, `case.consentWithdrawn`, `case.consentExpired`). */
export function mustAllowFamilyWork(c: Pick<Case, 'kind' | 'consent'>, today: string): void {
  const problem = familyWorkProblem(c, today);
  if (problem) throw new DomainError(`case.${problem}`, `No work with the family on this case now (${problem})`);
}

/** The school's own reference is shown (to its EHT) only on a request whose consent holds today. */
export const schoolRefVisible = (c: Pick<Case, 'kind' | 'consent' | 'schoolRef'>, today: string): boolean =>
  c.schoolRef !== undefined && kindOf(c) === 'request' && consentState(c, today) === 'valid';

/** The consent form's field ids (the concern form and the case's consent form use the same ones). */
export const CONSENT_FIELDS = ['custody', 'vh1How', 'vh2How', 'consentScope', 'consentExpires', 'childView', 'childViewNote'] as const;
export type ConsentField = (typeof CONSENT_FIELDS)[number];
export type ConsentProblem = 'required' | 'tooLong' | 'personnummer' | 'invalidChoice' | 'invalidDate' | 'dateInPast' | 'dateTooFar';

/** The latest expiry a consent recorded today may have (the municipality's maximum, in months). */
export function latestConsentExpiry(today: string, maxMonths: number): string {
  return DateTime.fromISO(today, { zone: ZONE }).plus({ months: maxMonths }).toISODate()!;
}

const isOneOf = <T extends string>(values: readonly T[], v: string | undefined): v is T => v !== undefined && (values as readonly string[]).includes(v);

/**
 * Checks a submitted consent (strings as the card sends them) on `today`: which guardians (with joint
 * custody both, with sole custody the one) and how each gave it, its scope, its expiry (after today,
 * at most `maxMonths` ahead), the child's view with a short note that must not identify anyone.
 * Every problem at once, by field; never throws for what a person typed.
 */
export function parseConsent(
  values: Partial<Record<ConsentField, string>>,
  today: string,
  maxMonths: number,
): { ok: true; consent: Omit<Consent, 'recordedBy' | 'recordedAt'> } | { ok: false; errors: Partial<Record<ConsentField, ConsentProblem>> } {
  const errors: Partial<Record<ConsentField, ConsentProblem>> = {};
  const v = (f: ConsentField) => (values[f] ?? '').trim();
  const custody = v('custody');
  if (!custody) errors.custody = 'required';
  else if (!isOneOf(CUSTODY, custody)) errors.custody = 'invalidChoice';
  const how = (f: 'vh1How' | 'vh2How', needed: boolean): ConsentHow | undefined => {
    const x = v(f);
    if (!x) {
      if (needed) errors[f] = 'required';
      return undefined;
    }
    if (!isOneOf(CONSENT_HOW, x)) {
      errors[f] = 'invalidChoice';
      return undefined;
    }
    return x;
  };
  const vh1 = how('vh1How', true);
  // With joint custody both guardians consent; with sole custody a second answer is not asked for.
  const vh2 = custody === 'joint' ? how('vh2How', true) : undefined;

  const scope = v('consentScope');
  if (!scope) errors.consentScope = 'required';
  else if (scope.length > CONSENT_SCOPE_MAX) errors.consentScope = 'tooLong';
  else if (identityProblem(scope)) errors.consentScope = 'personnummer';

  const expires = v('consentExpires');
  if (!expires) errors.consentExpires = 'required';
  else if (!parseCalendarDate(expires)) errors.consentExpires = 'invalidDate';
  else if (expires <= today) errors.consentExpires = 'dateInPast';
  else if (expires > latestConsentExpiry(today, maxMonths)) errors.consentExpires = 'dateTooFar';

  const view = v('childView');
  if (!view) errors.childView = 'required';
  else if (!isOneOf(CHILD_VIEWS, view)) errors.childView = 'invalidChoice';
  const note = v('childViewNote');
  if (note.length > CHILD_VIEW_NOTE_MAX) errors.childViewNote = 'tooLong';
  else if (identityProblem(note)) errors.childViewNote = 'personnummer';

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    consent: {
      custody: custody as Custody,
      guardians: [{ who: 'vh1', how: vh1! }, ...(vh2 ? [{ who: 'vh2' as const, how: vh2 }] : [])],
      scope,
      expires,
      childView: { view: view as ChildView, ...(note ? { note } : {}) },
    },
  };
}

/** A school reference given with a consent: short, and never a personnummer. */
export function schoolRefProblem(ref: string): 'tooLong' | 'personnummer' | undefined {
  if (ref.length > SCHOOL_REF_MAX) return 'tooLong';
  return identityProblem(ref) ? 'personnummer' : undefined;
}

/**
 * Records a consent on a case: on an anonymous consultation it becomes a request (same code and
 * history, consent recorded now); on a request it is renewed (a new consent replaces the one that
 * expired, was withdrawn or runs out soon). A closed case takes none.
 */
export function recordConsent(c: Case, consent: Omit<Consent, 'recordedBy' | 'recordedAt'>, by: string, now: Date, schoolRef?: string): { case: Case; converted: boolean } {
  if (c.status === 'closed') throw new DomainError('case.transition', 'The case is closed');
  const at = now.toISOString();
  const converted = isAnonymous(c);
  const ref = schoolRef ? schoolRef.trim() : '';
  if (ref && schoolRefProblem(ref)) throw new DomainError(`consent.schoolRef.${schoolRefProblem(ref)}`, 'Bad school reference');
  return {
    converted,
    case: {
      ...c,
      kind: 'request',
      consent: { ...consent, recordedBy: by, recordedAt: at },
      schoolRef: ref || c.schoolRef,
      ...(converted ? { convertedAt: at } : {}),
      updatedAt: at,
      lastActivityAt: at,
    },
  };
}

/** The guardians (or the child, through them) withdraw the consent: sharing stops at once. */
export function withdrawConsent(c: Case, by: string, now: Date): Case {
  if (c.status === 'closed') throw new DomainError('case.transition', 'The case is closed');
  if (!c.consent || isAnonymous(c)) throw new DomainError('consent.none', 'No consent to withdraw');
  if (c.consent.withdrawnAt) throw new DomainError('consent.alreadyWithdrawn', 'Already withdrawn');
  const at = now.toISOString();
  return { ...c, consent: { ...c.consent, withdrawnAt: at, withdrawnBy: by }, updatedAt: at, lastActivityAt: at };
}
