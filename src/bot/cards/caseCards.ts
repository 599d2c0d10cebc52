import { CLOSING_NOTE_MAX, INSATS_FORMS, INSATS_KINDS, OUTCOMES, isAnonymous, nextStep, type Case, type CaseEvent } from '../../domain/concern';
import type { CaseRole } from '../../domain/access';
import { ABSENCE_FIELDS, type AbsenceField, type AbsenceMeasure } from '../../domain/absence';
import { consentState, type ConsentField, type FamilyWorkProblem } from '../../domain/consent';
import type { InsatsField } from '../../domain/insats';
import type { CaseFacts } from '../../domain/ports';
import type { DeliveryState } from '../../domain/effects';
import { RELAY_MAX } from '../../services/concerns';
import { inStockholm } from '../../domain/time';
import { isMessageKey, type MessageKey, type Translate } from '../i18n';
import { executeAction, selectAction } from './actions';
import { adaptiveCard, facts, heading, paragraph, privateElement, type AdaptiveCard, type CardElement, noticeBlock, type Notice } from './adaptiveCard';
import { bandLabel, categoryLabel, gradeLabel, outcomeLabel, percentInput, statusLabel, timeLabel } from './labels';
import { consentFacts, consentInputs } from './consentCards';
import { reportConcernSection } from './reportConcernSection';
import { meetingSummary, type MeetingSummary } from './meetingCards';

export const VERBS = {
  open: 'case.open',
  accept: 'case.accept',
  requestInfo: 'case.requestInfo',
  replyInfo: 'case.replyInfo',
  close: 'case.close',
  list: 'case.list',
  consentRecord: 'consent.record',
  consentWithdraw: 'consent.withdraw',
  insats: 'case.insats',
  reassign: 'case.reassign',
  staff: 'case.staff',
  reportMade: 'case.reportMade',
} as const;

/** The consent as a fact: "Nej – avidentifierad konsultation", "Ja", or where it stands. */
const consentLabel = (c: CaseFacts, t: Translate, expires?: string, withdrawnAt?: string): string => {
  if (c.anonymous) return t('case.consent.anonymous');
  if (c.consent === 'withdrawn' && withdrawnAt) return t('case.consent.withdrawn', { date: withdrawnAt.slice(0, 10) });
  if (c.consent === 'expired' && expires) return t('case.consent.expired', { date: expires });
  if (c.consent === 'valid' && expires) return t('case.consent.valid', { date: expires });
  return t('case.consent.given');
};

const factRows = (c: CaseFacts, schoolName: string, t: Translate, consent?: { expires?: string; withdrawnAt?: string }): Array<[string, string]> => [
  [t('case.fact.code'), c.code],
  [t('case.fact.kind'), t(c.anonymous ? 'case.kind.consultation' : 'case.kind.request')],
  [t('case.fact.school'), schoolName],
  [t('case.fact.grade'), gradeLabel(c.grade, t)],
  [t('case.fact.category'), categoryLabel(c.category, t)],
  [t('case.fact.absenceBand'), bandLabel(c.absenceBand, t)],
  [t('case.fact.consent'), consentLabel(c, t, consent?.expires, consent?.withdrawnAt)],
  [t('case.fact.status'), statusLabel(c.status, t)],
];

/** To the social worker, proactively: facts only, no summary (notification previews travel far). */
export function caseAssignedCard(m: { facts: CaseFacts; schoolName: string; via: 'primary' | 'backup' | 'groupLeader' | 'reassigned'; byName?: string; reportConcernUrl?: string }, t: Translate): AdaptiveCard {
  const reassigned = m.via === 'reassigned';
  return adaptiveCard(
    [
      heading(t(reassigned ? 'assigned.title.reassigned' : 'assigned.title', { code: m.facts.code })),
      paragraph(t(`assigned.via.${m.via}`, { name: m.byName ?? '' }), { size: 'Small' }),
      facts(factRows(m.facts, m.schoolName, t)),
      ...(m.facts.anonymous ? [paragraph(t('case.anonymousExplained'), { size: 'Small', isSubtle: true })] : []),
      ...relayInput(t),
    ],
    [
      ...(m.facts.status === 'new' ? [executeAction(t('case.action.accept'), VERBS.accept, { caseCode: m.facts.code }, { style: 'positive', associatedInputs: 'none' })] : []),
      executeAction(t('case.action.requestInfo'), VERBS.requestInfo, { caseCode: m.facts.code }, { associatedInputs: 'auto' }),
      executeAction(t('case.action.open'), VERBS.open, { caseCode: m.facts.code }, { associatedInputs: 'none' }),
    ],
  );
}

/**
 * To the group leader when nobody has taken a concern from the team's intake in time: its facts (no
 * summary), whom it was suggested to, and the choice of whom to give it to.
 */
export function escalationCard(m: { facts: CaseFacts; schoolName: string; since: string; assigneeName: string; choices: Array<{ id: string; name: string }> }, t: Translate): AdaptiveCard {
  return adaptiveCard(
    [
      heading(t('escalation.title', { code: m.facts.code })),
      paragraph(t('escalation.body', { since: m.since, name: m.assigneeName }), { size: 'Small' }),
      facts(factRows(m.facts, m.schoolName, t)),
      ...(m.choices.length > 0
        ? [{ type: 'Input.ChoiceSet', id: 'to', label: t('case.field.reassignTo'), style: 'compact', placeholder: t('form.choose'), isRequired: true, errorMessage: t('case.error.reassignInvalid'), choices: m.choices.map((p) => ({ title: p.name, value: p.id })) }]
        : []),
    ],
    [
      ...(m.choices.length > 0 ? [executeAction(t('case.action.reassignSave'), VERBS.reassign, { caseCode: m.facts.code, from: 'todo' }, { style: 'positive' })] : []),
      executeAction(t('case.action.open'), VERBS.open, { caseCode: m.facts.code }, { associatedInputs: 'none' }),
    ],
  );
}

const DELIVERY_COLOR: Record<DeliveryState, string> = { pending: 'Default', delivered: 'Good', held: 'Warning', failed: 'Attention' };

/**
 * The EHT member's confirmation after submitting; updated in place once the card to the social
 * worker was delivered (or is held), so it only ever says what has happened.
 */
export function concernReceivedCard(m: { code: string; contactName: string; anonymous: boolean; delivery: DeliveryState; reportConcernUrl?: string }, t: Translate): AdaptiveCard {
  return adaptiveCard(
    [
      heading(t('received.title', { code: m.code })),
      paragraph(t('received.body', { code: m.code, contact: m.contactName })),
      ...(m.anonymous ? [paragraph(t('case.anonymousExplained'), { size: 'Small' })] : []),
      paragraph(t(`received.${m.delivery}`, { contact: m.contactName }), { color: DELIVERY_COLOR[m.delivery] }),
      ...reportConcernSection(m.reportConcernUrl, t, 'link'),
    ],
    [executeAction(t('case.action.open'), VERBS.open, { caseCode: m.code })],
  );
}

export interface CaseListItem {
  facts: CaseFacts;
  schoolName: string;
  createdAt: string;
}

export function caseListCard(m: { items: CaseListItem[]; reportConcernUrl?: string }, t: Translate): AdaptiveCard {
  const rows: CardElement[] = m.items.map((item) => ({
    type: 'Container',
    separator: true,
    selectAction: selectAction(t('case.action.open'), VERBS.open, { caseCode: item.facts.code }),
    items: [
      { type: 'TextBlock', text: `**${item.facts.code}** · ${item.schoolName} · ${gradeLabel(item.facts.grade, t)}`, wrap: true },
      {
        type: 'TextBlock', size: 'Small', wrap: true, spacing: 'None',
        text: `${statusLabel(item.facts.status, t)} · ${categoryLabel(item.facts.category, t)} · ${t('next.label')}: ${t(`next.${nextStep({ status: item.facts.status } as Case)}`)}`,
      },
    ],
  }));
  return adaptiveCard([
    heading(t('list.title', { count: m.items.length })),
    ...(rows.length > 0 ? rows : [paragraph(t('list.empty'))]),
    ...reportConcernSection(m.reportConcernUrl, t, 'link'),
  ]);
}

/** A form of the case card shown open (it came back with problems, filled in as typed). */
export interface OpenCaseForm<F extends string> {
  values: Partial<Record<F, string>>;
  errors: Partial<Record<F, string>>;
}

/** The closing form's inputs (a request's; a consultation's is its note). */
export type CloseField = 'outcome' | AbsenceField | 'sameSchool';

/** What the viewer may do on the case beyond reading it (decided by the caller from need to know). */
export interface CaseAbilities {
  book?: boolean;
  consent?: boolean;
  insats?: boolean;
  reassign?: boolean;
  staff?: boolean;
  report?: boolean;
}

export interface CaseViewModel {
  case: Case;
  schoolName: string;
  contactName: string;
  timeline: Array<CaseEvent & { byName: string; toName?: string }>;
  /** The case's notifications and where each stands (levererat / väntar / nås inte). */
  deliveries?: Array<{ kind: string; toName: string; state: DeliveryState; deliveredAt?: string }>;
  as: CaseRole;
  /** Today (Stockholm): where the consent stands. */
  today: string;
  /** The school's own reference is shown to the school's EHT only, and only while the consent holds. */
  showSchoolRef: boolean;
  can?: CaseAbilities;
  /** Work with the family is not possible now (a consultation; consent withdrawn or expired). */
  blocked?: FamilyWorkProblem;
  /** Names for the consent's recorder and the school-side team members taking part. */
  consentByName?: string;
  staffNames?: string[];
  /** The team's school-side members (for the staff form) and the social workers a case can be given to. */
  staffChoices?: Array<{ id: string; name: string }>;
  reassignChoices?: Array<{ id: string; name: string }>;
  /** The municipality's rules for the forms. */
  latestConsentExpiry?: string;
  consentMaxMonths?: number;
  intensiveWeeks?: number;
  defaultIntensiveUntil?: string;
  consentForm?: OpenCaseForm<ConsentField | 'schoolRef'>;
  insatsForm?: OpenCaseForm<InsatsField>;
  /** The closing form, open after a refused submit (a request: outcome, absence, same school). */
  closeForm?: OpenCaseForm<CloseField>;
  /** The case's meetings, open ones first, each with the buttons the viewer may use. */
  meetings?: MeetingSummary[];
  notice?: Notice;
  reportConcernUrl?: string;
}

/** The case card shows the latest this many timeline events (and notifications), with how many there are. */
export const TIMELINE_SHOWN = 10;
export const DELIVERIES_SHOWN = 10;
/**
 * Teams refuses a message larger than about 100 KB, counted as UTF-16 (two bytes a character, which
 * is what a JavaScript string's length counts): a card's JSON stays under this many characters,
 * leaving room for the activity around it.
 */
export const MAX_CARD_CHARS = 40_000;

/** The size Teams counts a card at, in characters (UTF-16 code units) of its JSON. */
export const cardChars = (card: unknown): number => JSON.stringify(card).length;

/**
 * The case with its latest events and notifications ("showing the 10 latest of 70"): a long case
 * (dozens of relayed questions) would otherwise outgrow Teams' message size and could no longer be
 * sent or updated. If the latest ten are still too large (long messages), fewer are shown.
 */
export function caseCard(m: CaseViewModel, t: Translate): AdaptiveCard {
  let shown = Math.min(TIMELINE_SHOWN, m.timeline.length);
  for (;;) {
    const card = drawCaseCard(m, t, shown);
    if (shown <= 1 || cardChars(card) <= MAX_CARD_CHARS) return card;
    shown--;
  }
}

function drawCaseCard(m: CaseViewModel, t: Translate, timelineShown: number): AdaptiveCard {
  const c = m.case;
  const state = consentState(c, m.today);
  const anonymous = isAnonymous(c);
  const f: CaseFacts = {
    code: c.code, teamId: c.teamId, schoolId: c.schoolId, grade: c.grade, category: c.category, absenceBand: c.absenceBand, status: c.status, anonymous,
    ...(!anonymous && state !== 'none' ? { consent: state } : {}),
  };
  const rows = factRows(f, m.schoolName, t, { expires: c.consent?.expires, withdrawnAt: c.consent?.withdrawnAt });
  // The absence over time (intake, each review, closing) in place of the band; cases from before percentages keep their band.
  const series = absenceSeries(c.absence, t);
  if (series) rows.splice(rows.findIndex(([label]) => label === t('case.fact.absenceBand')), 1, [t('case.fact.absence'), series]);
  rows.push([t('case.fact.contact'), m.contactName]);
  if (c.insats) {
    rows.push([t('case.fact.insats'), `${t(`insats.form.${c.insats.form}`)} · ${t(`insats.kind.${c.insats.kind}`)}`]);
    rows.push([t('case.fact.intensive'), `${c.insats.start} – ${c.insats.intensiveUntil}`]);
  }
  if ((m.staffNames ?? []).length > 0) rows.push([t('case.fact.staff'), m.staffNames!.join(', ')]);
  if (c.outcome) rows.push([t('case.fact.outcome'), outcomeLabel(c.outcome, t)]);
  if (c.sameSchoolAtClose !== undefined) rows.push([t('case.fact.sameSchool'), t(c.sameSchoolAtClose ? 'case.sameSchool.yes' : 'case.sameSchool.no')]);
  // The school's reference, the summary and the child's own view only ever in the answer to the person
  // who opened the case, never in a stored message (see privateElement).
  const schoolRef = m.showSchoolRef && c.schoolRef ? [privateElement('schoolRef', { ...facts([[t('case.fact.schoolRef'), c.schoolRef]]), spacing: 'None' })] : [];
  const consentDetails = c.consent && !anonymous
    ? [
        consentFacts(c.consent, m.consentByName ?? c.consent.recordedBy, t, (iso) => iso.slice(0, 10)),
        ...(c.consent.childView?.note ? [privateElement('childViewNote', paragraph(c.consent.childView.note, { size: 'Small', spacing: 'None' }))] : []),
      ]
    : [];
  const limits: CardElement[] = anonymous
    ? [paragraph(t('case.consultationLimits'), { size: 'Small', isSubtle: true })]
    : state === 'withdrawn' || state === 'expired'
      ? [paragraph(t(`case.consentStopped.${state}`), { color: 'Warning', weight: 'Bolder' })]
      : [];

  const actions: CardElement[] = [];
  const open = c.status !== 'closed';
  const can = m.can ?? {};
  const sw = m.as === 'assignee' || m.as === 'groupLeader';
  if (open && sw && c.status === 'new') actions.push(executeAction(t('case.action.accept'), VERBS.accept, { caseCode: c.code }, { style: 'positive', associatedInputs: 'none' }));
  if (open && sw) actions.push(executeAction(t('case.action.requestInfo'), VERBS.requestInfo, { caseCode: c.code }, { associatedInputs: 'auto' }));
  if (open && m.as === 'eht') actions.push(executeAction(t('case.action.reply'), VERBS.replyInfo, { caseCode: c.code }, { associatedInputs: 'auto' }));
  if (open && (can.book ?? m.as === 'eht')) actions.push(executeAction(t('meeting.action.book'), 'meeting.form', { caseCode: c.code }, { associatedInputs: 'none' }));
  const closeOpen: CardElement[] = [];
  if (open && sw) {
    // Teams ignores `style: destructive`: closing takes a second, explicit click that says what happens.
    const form = m.closeForm;
    const v = form?.values ?? {};
    const e = form?.errors ?? {};
    const error = (id: CloseField): CardElement[] => (e[id] ? [{ type: 'TextBlock', id: `${id}Error`, text: e[id], color: 'Attention', wrap: true, size: 'Small', spacing: 'None' }] : []);
    const closeInputs: CardElement[] = anonymous
      ? [{ type: 'Input.Text', id: 'closingNote', label: t('case.field.closingNote'), isMultiline: true, maxLength: CLOSING_NOTE_MAX, isRequired: true, errorMessage: t('case.error.noteRequired'), placeholder: t('case.closingNote.placeholder') }]
      : [
          { type: 'Input.ChoiceSet', id: 'outcome', label: t('case.fact.outcome'), isRequired: true, errorMessage: t('case.error.chooseOutcome'), style: 'expanded', value: v.outcome, choices: OUTCOMES.map((o) => ({ title: outcomeLabel(o, t), value: o })) },
          ...error('outcome'),
          // How it went: the pupil's absence over the last month and whether they are still at the same school.
          { type: 'Input.ChoiceSet', id: 'sameSchool', label: t('case.field.sameSchool'), isRequired: true, errorMessage: t('form.error.invalidChoice'), style: 'expanded', value: v.sameSchool, choices: (['yes', 'no'] as const).map((x) => ({ title: t(`case.sameSchool.${x}`), value: x })) },
          ...error('sameSchool'),
          paragraph(t('case.close.absenceHint'), { size: 'Small', isSubtle: true }),
          ...ABSENCE_FIELDS.flatMap((id): CardElement[] => [{ ...percentInput(v[id], t('form.error.percent'), false), id, label: t(`concern.field.${id}`) }, ...error(id)]),
        ];
    const closeBody: CardElement[] = [
      ...closeInputs,
      ...((m.meetings ?? []).some((x) => x.meeting.status === 'proposed' || x.meeting.status === 'confirmed') ? [paragraph(t('case.closeCancelsMeetings'), { size: 'Small' })] : []),
      paragraph(t('case.close.confirmText', { code: c.code }), { weight: 'Bolder' }),
    ];
    const confirm = executeAction(t('case.action.confirmCloseNow', { code: c.code }), VERBS.close, { caseCode: c.code }, { style: 'destructive' });
    if (form && !anonymous) {
      closeOpen.push({ type: 'Container', separator: true, spacing: 'Medium', items: [{ type: 'TextBlock', text: t('case.action.close'), weight: 'Bolder', wrap: true }, ...noticeBlock(t('case.error.closeForm')), ...closeBody, { type: 'ActionSet', actions: [confirm] }] });
    } else {
      actions.push({ type: 'Action.ShowCard', title: t('case.action.close'), card: adaptiveCard(closeBody, [confirm]) });
    }
  }
  actions.push(executeAction(t('case.action.list'), VERBS.list, {}, { associatedInputs: 'none' }));

  const timeline = m.timeline.slice(m.timeline.length - timelineShown);
  const deliveries = m.deliveries ?? [];
  return adaptiveCard(
    [
      heading(t('case.title', { code: c.code })),
      ...noticeBlock(m.notice),
      ...limits,
      facts(rows),
      ...schoolRef,
      ...(c.closingNote ? [facts([[t('case.fact.closingNote'), c.closingNote]])] : []),
      privateElement('summary', {
        type: 'Container',
        items: [{ type: 'TextBlock', text: t('case.summary'), weight: 'Bolder', spacing: 'Medium' }, paragraph(c.summary)],
      }),
      ...consentSection(m, t, consentDetails, open),
      ...workSection(m, t, open),
      ...closeOpen,
      { type: 'TextBlock', text: t('case.meetings'), weight: 'Bolder', spacing: 'Medium' },
      ...((m.meetings ?? []).length > 0 ? m.meetings!.map((x) => meetingSummary(x, t)) : [paragraph(t('case.noMeetings'), { size: 'Small', isSubtle: true, spacing: 'None' })]),
      { type: 'TextBlock', text: t('case.timeline'), weight: 'Bolder', spacing: 'Medium' },
      ...latestOf(timeline.length, m.timeline.length, t),
      ...timeline.map((e) => paragraph(`${inStockholm(new Date(e.at)).toFormat('yyyy-MM-dd HH:mm')} · ${eventLine(e, t)}`, { size: 'Small', spacing: 'None' })),
      ...deliveryLines(deliveries.slice(Math.max(0, deliveries.length - DELIVERIES_SHOWN)), deliveries.length, t),
      ...(open && (sw || m.as === 'eht') ? relayInput(t) : []),
      ...reportConcernSection(m.reportConcernUrl, t, 'link'),
    ],
    actions,
  );
}

/**
 * "12 + 18 % (intag 3/9) → 8 + 10 % (uppföljning 15/10) → …": giltig + ogiltig frånvaro at each
 * measure, oldest first; dates with their year when the series spans more than one.
 */
export function absenceSeries(series: AbsenceMeasure[] | undefined, t: Translate): string | undefined {
  if (!series || series.length === 0) return undefined;
  const oneYear = series.every((x) => x.date.slice(0, 4) === series[0].date.slice(0, 4));
  const day = (iso: string) => (oneYear ? `${Number(iso.slice(8, 10))}/${Number(iso.slice(5, 7))}` : iso);
  return series.map((x) => t('absence.measure', { valid: x.valid, invalid: x.invalid, at: t(`absence.at.${x.at}`), date: day(x.date) })).join(' → ');
}

/** Events whose line carries a date from `ref` (the consent's expiry, the orosanmälan's date). */
const DATED: ReadonlySet<CaseEvent['kind']> = new Set(['consentRecorded', 'consentRenewed', 'converted', 'reportMade']);

/** One timeline line: what happened (with whom it was given to, or its date), by whom, and a relayed message. */
export function eventLine(e: CaseEvent & { byName: string; toName?: string }, t: Translate): string {
  const label = t(`event.${e.kind}`, { to: e.toName ?? e.to ?? '', date: DATED.has(e.kind) ? (e.ref ?? '') : '' });
  // "Tilldelad Sara Socionom" at intake is the team's doing, not the one who raised the concern.
  const by = e.kind === 'assigned' ? '' : ` · ${e.byName}`;
  return `${label}${by}${e.note ? `: ${e.note}` : ''}`;
}

/** The consent: its details, and the forms to record or renew it and to record its withdrawal. */
function consentSection(m: CaseViewModel, t: Translate, details: CardElement[], open: boolean): CardElement[] {
  const c = m.case;
  const anonymous = isAnonymous(c);
  const withdrawn = Boolean(c.consent?.withdrawnAt);
  const buttons: CardElement[] = [];
  const body: CardElement[] = [];
  if (open && m.can?.consent && m.latestConsentExpiry) {
    const form = m.consentForm;
    const inputs = [
      ...consentInputs({ values: form?.values ?? {}, errors: form?.errors ?? {}, today: m.today, latestExpiry: m.latestConsentExpiry, maxMonths: m.consentMaxMonths ?? 12, conditional: false }, t),
      ...(m.as === 'eht' ? [{ type: 'Input.Text', id: 'schoolRef', label: t('consent.label.schoolRef'), maxLength: 40, value: form?.values.schoolRef, placeholder: t('concern.schoolRef.placeholder') }] : []),
    ];
    const title = t(anonymous ? 'case.action.consentConvert' : 'case.action.consentRenew');
    const save = executeAction(t('case.action.consentSave'), VERBS.consentRecord, { caseCode: c.code }, { style: 'positive' });
    if (form) body.push({ type: 'Container', separator: true, spacing: 'Medium', items: [{ type: 'TextBlock', text: title, weight: 'Bolder', wrap: true }, ...noticeBlock(t('case.error.consentForm')), ...inputs, { type: 'ActionSet', actions: [save] }] });
    else buttons.push({ type: 'Action.ShowCard', title, card: adaptiveCard(inputs, [save]) });
    if (!anonymous && c.consent && !withdrawn) {
      buttons.push({
        type: 'Action.ShowCard',
        title: t('case.action.consentWithdraw'),
        card: adaptiveCard([paragraph(t('case.withdraw.confirmText'), { weight: 'Bolder' })], [executeAction(t('case.action.confirmWithdraw'), VERBS.consentWithdraw, { caseCode: c.code }, { style: 'destructive', associatedInputs: 'none' })]),
      });
    }
  }
  if (details.length === 0 && body.length === 0 && buttons.length === 0) return [];
  return [
    { type: 'TextBlock', text: t('case.section.consent'), weight: 'Bolder', spacing: 'Medium' },
    ...details,
    ...body,
    ...(buttons.length > 0 ? [{ type: 'ActionSet', actions: buttons }] : []),
  ];
}

/** The insats, the school-side team members, a new case worker, and that an orosanmälan was made. */
function workSection(m: CaseViewModel, t: Translate, open: boolean): CardElement[] {
  const c = m.case;
  const can = m.can ?? {};
  if (!open) return [];
  const buttons: CardElement[] = [];
  const body: CardElement[] = [];
  if (can.insats && !m.blocked) {
    const form = m.insatsForm;
    const v = form?.values ?? {};
    const e = form?.errors ?? {};
    const error = (id: InsatsField): CardElement[] => (e[id] ? [{ type: 'TextBlock', id: `${id}Error`, text: e[id], color: 'Attention', wrap: true, size: 'Small', spacing: 'None' }] : []);
    const inputs: CardElement[] = [
      paragraph(t('insats.hint', { weeks: m.intensiveWeeks ?? 12 }), { size: 'Small', isSubtle: true }),
      { type: 'Input.ChoiceSet', id: 'insatsForm', label: t('insats.field.form'), style: 'expanded', isRequired: true, errorMessage: t('form.error.invalidChoice'), value: v.insatsForm ?? c.insats?.form, choices: INSATS_FORMS.map((x) => ({ title: t(`insats.form.${x}`), value: x })) },
      ...error('insatsForm'),
      { type: 'Input.ChoiceSet', id: 'insatsKind', label: t('insats.field.kind'), style: 'compact', placeholder: t('form.choose'), isRequired: true, errorMessage: t('form.error.invalidChoice'), value: v.insatsKind ?? c.insats?.kind, choices: INSATS_KINDS.map((x) => ({ title: t(`insats.kind.${x}`), value: x })) },
      ...error('insatsKind'),
      { type: 'Input.Date', id: 'insatsStart', label: t('insats.field.start'), isRequired: true, errorMessage: t('form.error.invalidDate'), value: v.insatsStart ?? c.insats?.start ?? m.today },
      ...error('insatsStart'),
      { type: 'Input.Date', id: 'intensiveUntil', label: t('insats.field.until'), isRequired: true, errorMessage: t('form.error.invalidDate'), value: v.intensiveUntil ?? c.insats?.intensiveUntil ?? m.defaultIntensiveUntil },
      ...error('intensiveUntil'),
    ];
    const title = t(c.insats ? 'case.action.insatsChange' : 'case.action.insats');
    const save = executeAction(t('case.action.insatsSave'), VERBS.insats, { caseCode: c.code }, { style: 'positive' });
    if (form) body.push({ type: 'Container', separator: true, spacing: 'Medium', items: [{ type: 'TextBlock', text: title, weight: 'Bolder', wrap: true }, ...noticeBlock(t('case.error.insatsForm')), ...inputs, { type: 'ActionSet', actions: [save] }] });
    else buttons.push({ type: 'Action.ShowCard', title, card: adaptiveCard(inputs, [save]) });
  }
  if (can.staff && (m.staffChoices ?? []).length > 0) {
    buttons.push({
      type: 'Action.ShowCard',
      title: t('case.action.staff'),
      card: adaptiveCard(
        [
          paragraph(t('case.staff.hint'), { size: 'Small', isSubtle: true }),
          { type: 'Input.ChoiceSet', id: 'staff', label: t('case.field.staff'), style: 'expanded', isMultiSelect: true, value: (c.staff ?? []).join(','), choices: m.staffChoices!.map((p) => ({ title: p.name, value: p.id })) },
        ],
        [executeAction(t('case.action.staffSave'), VERBS.staff, { caseCode: c.code })],
      ),
    });
  }
  if (can.reassign && (m.reassignChoices ?? []).length > 0) {
    buttons.push({
      type: 'Action.ShowCard',
      title: t('case.action.reassign'),
      card: adaptiveCard(
        [
          { type: 'Input.ChoiceSet', id: 'to', label: t('case.field.reassignTo'), style: 'compact', placeholder: t('form.choose'), isRequired: true, errorMessage: t('case.error.reassignInvalid'), choices: m.reassignChoices!.map((p) => ({ title: p.name, value: p.id })) },
          paragraph(t('case.reassign.hint'), { size: 'Small' }),
        ],
        [executeAction(t('case.action.reassignSave'), VERBS.reassign, { caseCode: c.code }, { style: 'positive' })],
      ),
    });
  }
  if (can.report) {
    buttons.push({
      type: 'Action.ShowCard',
      title: t('case.action.reportMade'),
      card: adaptiveCard(
        [
          { type: 'Input.Date', id: 'reportDate', label: t('case.field.reportDate'), isRequired: true, errorMessage: t('case.error.reportDate'), max: m.today, value: m.today },
          paragraph(t('case.reportMade.hint'), { size: 'Small' }),
        ],
        [executeAction(t('case.action.reportMadeSave'), VERBS.reportMade, { caseCode: c.code })],
      ),
    });
  }
  if (body.length === 0 && buttons.length === 0) return [];
  return [
    { type: 'TextBlock', text: t('case.section.work'), weight: 'Bolder', spacing: 'Medium' },
    ...body,
    ...(buttons.length > 0 ? [{ type: 'ActionSet', actions: buttons }] : []),
  ];
}

/** "Visar de 10 senaste av 70." when not everything is shown. */
function latestOf(shown: number, total: number, t: Translate): CardElement[] {
  return shown < total ? [paragraph(t('case.showingLatest', { shown, total }), { size: 'Small', isSubtle: true, spacing: 'None' })] : [];
}

/** A relayed question or answer: shown as a card so no preview carries its text. */
export function relayCard(m: { kind: 'infoRequested' | 'infoReplied'; caseCode: string; fromName: string; message: string; canReply: boolean }, t: Translate): AdaptiveCard {
  return adaptiveCard(
    [heading(t(`relay.${m.kind}.title`, { code: m.caseCode, from: m.fromName })), paragraph(m.message), ...(m.canReply ? relayInput(t) : [])],
    [
      ...(m.canReply ? [executeAction(t('case.action.reply'), m.kind === 'infoRequested' ? VERBS.replyInfo : VERBS.requestInfo, { caseCode: m.caseCode }, { associatedInputs: 'auto' })] : []),
      executeAction(t('case.action.open'), VERBS.open, { caseCode: m.caseCode }, { associatedInputs: 'none' }),
    ],
  );
}

function deliveryLines(deliveries: NonNullable<CaseViewModel['deliveries']>, total: number, t: Translate): CardElement[] {
  if (deliveries.length === 0) return [];
  return [
    { type: 'TextBlock', text: t('delivery.title'), weight: 'Bolder', spacing: 'Medium' },
    ...latestOf(deliveries.length, total, t),
    ...deliveries.map((d) => {
      const kind = isMessageKey(`delivery.kind.${d.kind}`) ? t(`delivery.kind.${d.kind}` as MessageKey) : d.kind;
      const state = t(`delivery.state.${d.state}`, { time: d.deliveredAt ? timeLabel(d.deliveredAt, t) : '' });
      return paragraph(t('delivery.line', { kind, name: d.toName, state }), { size: 'Small', spacing: 'None', ...(d.state === 'held' || d.state === 'failed' ? { color: 'Warning' } : {}) });
    }),
  ];
}

function relayInput(t: Translate): CardElement[] {
  return [{ type: 'Input.Text', id: 'message', isMultiline: true, maxLength: RELAY_MAX, label: t('relay.input.label'), placeholder: t('relay.input.placeholder') }];
}

/** A short card: a notice on one line plus a way back to the case. */
export function noticeCard(m: { title: string; body?: string; caseCode?: string }, t: Translate): AdaptiveCard {
  return adaptiveCard(
    [heading(m.title), ...(m.body ? [paragraph(m.body)] : [])],
    m.caseCode ? [executeAction(t('case.action.open'), VERBS.open, { caseCode: m.caseCode })] : [],
  );
}
