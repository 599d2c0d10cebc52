import { SCHOOL_REF_MAX, SUMMARY_MAX, type Category, type Grade } from '../../domain/concern';
import { CONSENT_FIELDS, type ConsentField } from '../../domain/consent';
import { consentInputs } from './consentCards';
import type { ConcernField, ConcernFormValues, FieldErrors } from '../../services/concernForm';
import type { Translate } from '../i18n';
import { adaptiveCard, heading, paragraph, type AdaptiveCard, type CardElement, noticeBlock, type Notice } from './adaptiveCard';
import { categoryLabel, gradeLabel, percentInput } from './labels';
import { reportConcernSection } from './reportConcernSection';
import { executeAction } from './actions';

export interface ConcernFormModel {
  schools: Array<{ id: string; name: string }>;
  /** What the user typed last time: a rejected form comes back filled in. */
  values: ConcernFormValues;
  errors: FieldErrors;
  /** A failure that is not about one field (e.g. the store was down). */
  notice?: Notice;
  reportConcernUrl?: string;
  /** This rendering's own id: a second submit of the same form makes no second case. */
  formId: string;
  /** What the municipality's SST takes (its settings): grades and categories offered. */
  grades: readonly Grade[];
  categories: readonly Category[];
  /** Today (Stockholm) and the latest consent expiry the municipality allows. */
  today: string;
  latestConsentExpiry: string;
  consentMaxMonths: number;
}

export const CONCERN_SUBMIT_VERB = 'concern.submit';

export function concernFormCard(m: ConcernFormModel, t: Translate): AdaptiveCard {
  const v = m.values;
  const error = (field: Exclude<ConcernField, ConsentField> | 'consentScope' | 'consentExpires'): CardElement[] =>
    m.errors[field] ? [{ type: 'TextBlock', text: t(`form.error.${m.errors[field]!}`), color: 'Attention', wrap: true, size: 'Small', spacing: 'None', id: `${field}Error` }] : [];
  // Every required input carries the message the client shows at once on an empty submit; a problem
  // the bot found is shown beside its field too, all of them together.
  const field = (id: Exclude<ConcernField, ConsentField> | 'consentScope' | 'consentExpires', input: CardElement): CardElement[] => [
    { ...input, id, label: t(`concern.field.${id}`), ...(input.isRequired || m.errors[id] ? { errorMessage: t(`form.error.${m.errors[id] ?? (input.type === 'Input.Text' ? 'required' : 'invalidChoice')}`) } : {}) },
    ...error(id),
  ];
  const choices = <T extends string>(values: readonly T[], label: (v: T) => string) => values.map((value) => ({ title: label(value), value }));
  const singleSchool = m.schools.length === 1 ? m.schools[0].id : undefined;

  const problems = Object.keys(m.errors).length;
  const body: CardElement[] = [
    heading(t('concern.title')),
    paragraph(t('concern.intro'), { size: 'Small' }),
    // In full, and at the top: the duty to report comes before the form, never right by its submit button.
    ...reportConcernSection(m.reportConcernUrl, t, 'full'),
    ...noticeBlock(m.notice ?? (problems > 0 ? t(problems === 1 ? 'form.fixOne' : 'form.fixMany', { n: problems }) : undefined)),
    ...field('school', { type: 'Input.ChoiceSet', isRequired: true, style: 'compact', placeholder: t('form.choose'), value: v.school ?? singleSchool, choices: m.schools.map((s) => ({ title: s.name, value: s.id })) }),
    ...field('grade', { type: 'Input.ChoiceSet', isRequired: true, style: 'compact', placeholder: t('form.choose'), value: v.grade, choices: choices(m.grades, (g) => gradeLabel(g, t)) }),
    ...field('category', { type: 'Input.ChoiceSet', isRequired: true, style: 'compact', placeholder: t('form.choose'), value: v.category, choices: choices(m.categories, (c) => categoryLabel(c, t)) }),
    // Giltig and ogiltig frånvaro in whole percent, as the school reads them from its own system.
    ...field('absenceValid', percentInput(v.absenceValid, t('form.error.percent'))),
    ...field('absenceInvalid', percentInput(v.absenceInvalid, t('form.error.percent'))),
    paragraph(t('concern.absence.hint'), { size: 'Small', isSubtle: true, spacing: 'None' }),
    ...field('summary', { type: 'Input.Text', isRequired: true, isMultiline: true, maxLength: SUMMARY_MAX, value: v.summary, placeholder: t('concern.summary.placeholder') }),
    paragraph(t('concern.summary.hint'), { size: 'Small', isSubtle: true, spacing: 'None' }),
    ...field('consent', {
      type: 'Input.ChoiceSet', isRequired: true, style: 'expanded', value: v.consent,
      choices: [{ title: t('concern.consent.yes'), value: 'yes' }, { title: t('concern.consent.no'), value: 'no' }],
    }),
    paragraph(t('concern.consent.anonymousExplained'), { size: 'Small', isSubtle: true, spacing: 'None' }),
    ...consentInputs(
      {
        values: Object.fromEntries(CONSENT_FIELDS.map((f) => [f, v[f]])),
        errors: Object.fromEntries(CONSENT_FIELDS.filter((f) => m.errors[f]).map((f) => [f, t(`form.error.${m.errors[f]!}`)])) as Partial<Record<ConsentField, string>>,
        today: m.today, latestExpiry: m.latestConsentExpiry, maxMonths: m.consentMaxMonths, conditional: true,
      },
      t,
    ),
    ...field('schoolRef', { type: 'Input.Text', maxLength: SCHOOL_REF_MAX, value: v.schoolRef, placeholder: t('concern.schoolRef.placeholder') }),
    paragraph(t('concern.schoolRef.hint'), { size: 'Small', isSubtle: true, spacing: 'None' }),
  ];
  return adaptiveCard(body, [executeAction(t('concern.submit'), CONCERN_SUBMIT_VERB, { formId: m.formId }, { style: 'positive', associatedInputs: 'auto' })]);
}
