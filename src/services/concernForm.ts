import { z } from 'zod';
import { ABSENCE_FIELDS, parseAbsence } from '../domain/absence';
import {
  CATEGORIES, GRADES, SCHOOL_REF_MAX, SUMMARY_MAX, identityProblem,
  type Category, type Consent, type Grade,
} from '../domain/concern';
import { CONSENT_FIELDS, parseConsent } from '../domain/consent';
import { DEFAULT_SETTINGS, type MunicipalitySettings } from '../domain/settings';
import { stockholmDate } from '../domain/time';

/** The concern form's stable input ids (used by cards, tests and integrations). */
export const CONCERN_FIELDS = ['school', 'grade', 'category', ...ABSENCE_FIELDS, 'summary', 'consent', ...CONSENT_FIELDS, 'schoolRef'] as const;
export type ConcernField = (typeof CONCERN_FIELDS)[number];

/** What the user typed, as the card sends it (all strings; anything else is dropped). */
export type ConcernFormValues = Partial<Record<ConcernField, string>>;

export type FieldProblem = 'required' | 'tooLong' | 'personnummer' | 'invalidChoice' | 'invalidDate' | 'dateInPast' | 'dateTooFar' | 'notYourSchool' | 'percent' | 'absenceSum';
export type FieldErrors = Partial<Record<ConcernField, FieldProblem>>;

export interface ConcernInput {
  schoolId: string;
  grade: Grade;
  category: Category;
  /**
   * The pupil's absence over the last month, giltig and ogiltig, in whole percent (asked of a request
   * and of an anonymous consultation alike: two percentages identify nobody).
   */
  absence: { valid: number; invalid: number };
  summary: string;
  /** With consent: a request (förfrågan). Without: an anonymous consultation. */
  consent?: Omit<Consent, 'recordedBy' | 'recordedAt'>;
  schoolRef?: string;
}

const MAX_FIELD_CHARS = 2000;

/** Keeps only the form's own fields, as trimmed strings, bounded in length (tampered payloads lose the rest). */
export function pickFormValues(data: unknown): ConcernFormValues {
  const values: ConcernFormValues = {};
  if (!data || typeof data !== 'object') return values;
  for (const field of CONCERN_FIELDS) {
    const v = (data as Record<string, unknown>)[field];
    if (typeof v === 'string') values[field] = v.slice(0, MAX_FIELD_CHARS);
    // A number input may arrive as a JSON number: the percentages are read the same way as typed text.
    else if (typeof v === 'number' && (ABSENCE_FIELDS as readonly string[]).includes(field) && Number.isFinite(v)) values[field] = String(v);
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

const choice = <T extends readonly string[]>(values: T) =>
  z
    .string({ message: 'required' })
    .min(1, 'required')
    .refine((v): v is T[number] => (values as readonly string[]).includes(v), 'invalidChoice');

const PROBLEMS = ['required', 'tooLong', 'personnummer', 'invalidChoice', 'invalidDate', 'dateInPast', 'dateTooFar', 'notYourSchool'] as const;

/**
 * Validates a submitted concern form for `schools` (the user's own) at `now`, with the
 * municipality's settings (which grades and categories it takes, how long a consent may run).
 * Returns the input or the problem for each field, never throws for user input.
 */
export function parseConcernForm(
  values: ConcernFormValues,
  schools: string[],
  now: Date,
  settings: Pick<MunicipalitySettings, 'grades' | 'categories' | 'consentMaxMonths'> = DEFAULT_SETTINGS,
): { ok: true; input: ConcernInput } | { ok: false; errors: FieldErrors } {
  const schema = z.object({
    school: z.string({ message: 'required' }).min(1, 'required').refine((s) => schools.includes(s), 'notYourSchool'),
    grade: choice(settings.grades.filter((g) => (GRADES as readonly string[]).includes(g))),
    category: choice(settings.categories.filter((c) => (CATEGORIES as readonly string[]).includes(c))),
    summary: text(SUMMARY_MAX),
    consent: choice(['yes', 'no'] as const),
    schoolRef: optionalText(SCHOOL_REF_MAX),
  });

  const errors: FieldErrors = {};
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as ConcernField;
      const problem = PROBLEMS.find((p) => p === issue.message);
      errors[field] ??= problem ?? (issue.code === 'invalid_type' ? 'required' : 'invalidChoice');
    }
  }
  // With consent, what it holds: which guardians and how, scope, expiry, the child's view (see parseConsent).
  const withConsent = values.consent === 'yes';
  const consent = withConsent ? parseConsent(values, stockholmDate(now), settings.consentMaxMonths) : undefined;
  if (consent && !consent.ok) Object.assign(errors, consent.errors);
  // Giltig and ogiltig frånvaro: whole numbers 0–100 that together are at most 100.
  const absence = parseAbsence(values);
  if (!absence.ok) Object.assign(errors, absence.errors);
  if (!parsed.success || !absence.ok || !absence.absence || Object.keys(errors).length > 0) return { ok: false, errors };
  const v = parsed.data;
  return {
    ok: true,
    input: {
      schoolId: v.school,
      grade: v.grade as Grade,
      category: v.category as Category,
      absence: absence.absence,
      summary: v.summary,
      // Without consent this is an anonymous consultation: no consent record and no school reference.
      consent: consent?.ok ? consent.consent : undefined,
      schoolRef: withConsent && v.schoolRef ? v.schoolRef : undefined,
    },
  };
}
