import { CHILD_VIEWS, CHILD_VIEW_NOTE_MAX, CONSENT_HOW, CONSENT_SCOPE_MAX, CUSTODY, type Consent } from '../../domain/concern';
import type { ConsentField } from '../../domain/consent';
import type { MessageKey, Translate } from '../i18n';
import { facts, paragraph, type CardElement } from './adaptiveCard';

/** The words of each consent field: "Om ja: …" inside the concern form (after its yes/no), plain in the case's own consent form. */
const LABELS: Record<'conditional' | 'plain', Record<ConsentField, MessageKey>> = {
  conditional: {
    custody: 'consent.field.custody', vh1How: 'consent.field.vh1How', vh2How: 'consent.field.vh2How', consentScope: 'concern.field.consentScope',
    consentExpires: 'concern.field.consentExpires', childView: 'consent.field.childView', childViewNote: 'consent.field.childViewNote',
  },
  plain: {
    custody: 'consent.label.custody', vh1How: 'consent.label.vh1How', vh2How: 'consent.label.vh2How', consentScope: 'consent.label.consentScope',
    consentExpires: 'consent.label.consentExpires', childView: 'consent.label.childView', childViewNote: 'consent.label.childViewNote',
  },
};

export interface ConsentInputsModel {
  values: Partial<Record<ConsentField, string>>;
  /** Problems by field, as message keys already translated. */
  errors: Partial<Record<ConsentField, string>>;
  today: string;
  /** The latest expiry the municipality allows for a consent recorded today. */
  latestExpiry: string;
  maxMonths: number;
  /** Inside the concern form: the fields apply only if consent was given (the bot checks them then). */
  conditional: boolean;
}

const plusOneDay = (date: string) => new Date(Date.parse(`${date}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * The consent's inputs: custody, how each guardian ("vårdnadshavare 1/2", never a name) consented,
 * scope, expiry (at most the municipality's maximum), the child's view and a short note. Every
 * problem beside its field; required inputs carry the message Teams shows on an empty submit.
 */
export function consentInputs(m: ConsentInputsModel, t: Translate): CardElement[] {
  const labels = LABELS[m.conditional ? 'conditional' : 'plain'];
  const required = !m.conditional;
  const error = (f: ConsentField): CardElement[] =>
    m.errors[f] ? [{ type: 'TextBlock', id: `${f}Error`, text: m.errors[f], color: 'Attention', wrap: true, size: 'Small', spacing: 'None' }] : [];
  const requiredMessage = (f: ConsentField, choice: boolean) => (required || m.errors[f] ? { errorMessage: m.errors[f] ?? t(choice ? 'form.error.invalidChoice' : 'form.error.required') } : {});
  const how = CONSENT_HOW.map((h) => ({ title: t(`consent.how.${h}`), value: h }));
  return [
    paragraph(t('consent.guardiansHint'), { size: 'Small', isSubtle: true }),
    { type: 'Input.ChoiceSet', id: 'custody', label: t(labels.custody), style: 'expanded', isRequired: required, ...requiredMessage('custody', true), value: m.values.custody, choices: CUSTODY.map((c) => ({ title: t(`consent.custody.${c}`), value: c })) },
    ...error('custody'),
    { type: 'Input.ChoiceSet', id: 'vh1How', label: t(labels.vh1How), style: 'compact', placeholder: t('form.choose'), isRequired: required, ...requiredMessage('vh1How', true), value: m.values.vh1How, choices: how },
    ...error('vh1How'),
    { type: 'Input.ChoiceSet', id: 'vh2How', label: t(labels.vh2How), style: 'compact', placeholder: t('form.choose'), ...(m.errors.vh2How ? { errorMessage: m.errors.vh2How } : {}), value: m.values.vh2How, choices: how },
    ...error('vh2How'),
    { type: 'Input.Text', id: 'consentScope', label: t(labels.consentScope), maxLength: CONSENT_SCOPE_MAX, isRequired: required, ...requiredMessage('consentScope', false), value: m.values.consentScope, placeholder: t('concern.consentScope.placeholder') },
    ...error('consentScope'),
    { type: 'Input.Date', id: 'consentExpires', label: t(labels.consentExpires), min: plusOneDay(m.today), max: m.latestExpiry, isRequired: required, ...requiredMessage('consentExpires', false), value: m.values.consentExpires ?? (m.conditional ? undefined : m.latestExpiry) },
    ...error('consentExpires'),
    paragraph(t('consent.expiresHint', { months: m.maxMonths, date: m.latestExpiry }), { size: 'Small', isSubtle: true, spacing: 'None' }),
    { type: 'Input.ChoiceSet', id: 'childView', label: t(labels.childView), style: 'expanded', isRequired: required, ...requiredMessage('childView', true), value: m.values.childView, choices: CHILD_VIEWS.map((v) => ({ title: t(`case.childView.${v}`), value: v })) },
    ...error('childView'),
    { type: 'Input.Text', id: 'childViewNote', label: t(labels.childViewNote), maxLength: CHILD_VIEW_NOTE_MAX, value: m.values.childViewNote, placeholder: t('consent.childViewNote.placeholder') },
    ...error('childViewNote'),
  ];
}

/** Which guardians consented and how: "Båda (gemensam vårdnad): vårdnadshavare 1 skriftligt, vårdnadshavare 2 muntligt". */
export function guardiansLabel(consent: Consent, t: Translate): string | undefined {
  if (!consent.custody || !consent.guardians) return undefined;
  const who = consent.guardians.map((g) => t('case.guardian.line', { n: g.who === 'vh1' ? 1 : 2, how: t(`case.how.${g.how}`) })).join(', ');
  return `${t(`case.guardians.${consent.custody}`)}: ${who}`;
}

/** The consent's details as fact rows (the child's note is the caller's to show privately). */
export function consentFacts(consent: Consent, recordedByName: string, t: Translate, dateOf: (iso: string) => string): CardElement {
  const rows: Array<[string, string]> = [];
  const guardians = guardiansLabel(consent, t);
  if (guardians) rows.push([t('case.fact.guardians'), guardians]);
  rows.push([t('case.fact.consentScope'), consent.scope]);
  if (consent.childView) rows.push([t('case.fact.childView'), t(`case.childView.${consent.childView.view}`)]);
  rows.push([t('case.fact.consentBy'), `${recordedByName}, ${dateOf(consent.recordedAt)}`]);
  return facts(rows);
}
