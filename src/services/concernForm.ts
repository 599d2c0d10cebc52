import { z } from 'zod';
import {
  ABSENCE_BANDS, CATEGORIES, CONSENT_SCOPE_MAX, GRADES, SCHOOL_REF_MAX, SUMMARY_MAX, identityProblem,
  type AbsenceBand, type Category, type Grade,
} from '../domain/concern';
import { daysUntil, parseCalendarDate } from '../domain/time';

/** The concern form's stable input ids (used by cards, tests and integrations). */
export const CONCERN_FIELDS = ['school', 'grade', 'category', 'absenceBand', 'summary', 'consent', 'consentScope', 'consentExpires', 'schoolRef'] as const;
export type ConcernField = (typeof CONCERN_FIELDS)[number];

/** What the user typed, as the card sends it (all strings; anything else is dropped). */
export type ConcernFormValues = Partial<Record<ConcernField, string>>;

export type FieldProblem = 'required' | 'tooLong' | 'personnummer' | 'invalidChoice' | 'invalidDate' | 'dateInPast' | 'dateTooFar' | 'notYourSchool';
export type FieldErrors = Partial<Record<ConcernField, FieldProblem>>;

export interface ConcernInput {
  schoolId: string;
  grade: Grade;
  category: Category;
  absenceBand: AbsenceBand;
  summary: string;
  consent?: { scope: string; expires: string };
  schoolRef?: string;
}

/** Consent is time-limited: at most this many days ahead. */
export const CONSENT_MAX_DAYS = 366;

const MAX_FIELD_CHARS = 2000;

/** Keeps only the form's own fields, as trimmed strings, bounded in length (tampered payloads lose the rest). */
export function pickFormValues(data: unknown): ConcernFormValues {
  const values: ConcernFormValues = {};
  if (!data || typeof data !== 'object') return values;
  for (const field of CONCERN_FIELDS) {
    const v = (data as Record<string, unknown>)[field];
    if (typeof v === 'string') values[field] = v.slice(0, MAX_FIELD_CHARS);
  }
  return values;
}

const text = (max: number) =>
  z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().min(1, 'required').max(max, 'tooLong').refine((s) => !identityProblem(s), 'personnummer'));

const optionalText = (max: number) =>
  z
    .string()
    .optional()
    .transform((s) => (s ?? '').trim())
    .pipe(z.string().max(max, 'tooLong').refine((s) => !identityProblem(s), 'personnummer'));

const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string({ message: 'required' })
    .min(1, 'required')
    .refine((v): v is T[number] => (values as readonly string[]).includes(v), 'invalidChoice');

/**
 * Validates a submitted concern form for `schools` (the user's own) at `now`.
 * Returns the input or the problem for each field, never throws for user input.
 */
export function parseConcernForm(values: ConcernFormValues, schools: string[], now: Date): { ok: true; input: ConcernInput } | { ok: false; errors: FieldErrors } {
  const schema = z
    .object({
      school: z.string({ message: 'required' }).min(1, 'required').refine((s) => schools.includes(s), 'notYourSchool'),
      grade: choice(GRADES),
      category: choice(CATEGORIES),
      absenceBand: choice(ABSENCE_BANDS),
      summary: text(SUMMARY_MAX),
      consent: choice(['yes', 'no'] as const),
      consentScope: optionalText(CONSENT_SCOPE_MAX),
      consentExpires: z.string().optional(),
      schoolRef: optionalText(SCHOOL_REF_MAX),
    })
    .superRefine((v, ctx) => {
      if (v.consent !== 'yes') return;
      if (!v.consentScope) ctx.addIssue({ code: 'custom', path: ['consentScope'], message: 'required' });
      const expires = (v.consentExpires ?? '').trim();
      if (!expires) {
        ctx.addIssue({ code: 'custom', path: ['consentExpires'], message: 'required' });
      } else if (!parseCalendarDate(expires)) {
        ctx.addIssue({ code: 'custom', path: ['consentExpires'], message: 'invalidDate' });
      } else {
        const days = daysUntil(now, expires);
        if (days < 1) ctx.addIssue({ code: 'custom', path: ['consentExpires'], message: 'dateInPast' });
        else if (days > CONSENT_MAX_DAYS) ctx.addIssue({ code: 'custom', path: ['consentExpires'], message: 'dateTooFar' });
      }
    });

  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as ConcernField;
      const problem = (['required', 'tooLong', 'personnummer', 'invalidChoice', 'invalidDate', 'dateInPast', 'dateTooFar', 'notYourSchool'] as const).find((p) => p === issue.message);
      errors[field] ??= problem ?? (issue.code === 'invalid_type' ? 'required' : 'invalidChoice');
    }
    return { ok: false, errors };
  }
  const v = parsed.data;
  const withConsent = v.consent === 'yes';
  return {
    ok: true,
    input: {
      schoolId: v.school,
      grade: v.grade as Grade,
      category: v.category as Category,
      absenceBand: v.absenceBand as AbsenceBand,
      summary: v.summary,
      // Without consent this is an anonymous consultation: no consent record and no school reference.
      consent: withConsent ? { scope: v.consentScope, expires: (v.consentExpires ?? '').trim() } : undefined,
      schoolRef: withConsent && v.schoolRef ? v.schoolRef : undefined,
    },
  };
}
