import { OUTCOMES, nextStep, type Case, type CaseEvent } from '../../domain/concern';
import type { CaseFacts } from '../../domain/ports';
import type { DeliveryState } from '../../domain/effects';
import { RELAY_MAX } from '../../services/concerns';
import { inStockholm } from '../../domain/time';
import { isMessageKey, type MessageKey, type Translate } from '../i18n';
import { executeAction, selectAction } from './actions';
import { adaptiveCard, facts, heading, paragraph, privateElement, type AdaptiveCard, type CardElement, noticeBlock, type Notice } from './adaptiveCard';
import { bandLabel, categoryLabel, gradeLabel, outcomeLabel, statusLabel, timeLabel } from './labels';
import { reportConcernSection } from './reportConcernSection';
import { meetingSummary, type MeetingSummary } from './meetingCards';

export const VERBS = {
  open: 'case.open',
  accept: 'case.accept',
  requestInfo: 'case.requestInfo',
  replyInfo: 'case.replyInfo',
  close: 'case.close',
  list: 'case.list',
} as const;

const factRows = (c: CaseFacts, schoolName: string, t: Translate): Array<[string, string]> => [
  [t('case.fact.code'), c.code],
  [t('case.fact.school'), schoolName],
  [t('case.fact.grade'), gradeLabel(c.grade, t)],
  [t('case.fact.category'), categoryLabel(c.category, t)],
  [t('case.fact.absenceBand'), bandLabel(c.absenceBand, t)],
  [t('case.fact.consent'), c.anonymous ? t('case.consent.anonymous') : t('case.consent.given')],
  [t('case.fact.status'), statusLabel(c.status, t)],
];

/** To the social worker, proactively: facts only, no summary (notification previews travel far). */
export function caseAssignedCard(m: { facts: CaseFacts; schoolName: string; via: 'primary' | 'backup' | 'groupLeader'; reportConcernUrl?: string }, t: Translate): AdaptiveCard {
  return adaptiveCard(
    [
      heading(t('assigned.title', { code: m.facts.code })),
      paragraph(t(`assigned.via.${m.via}`), { size: 'Small' }),
      facts(factRows(m.facts, m.schoolName, t)),
      ...(m.facts.anonymous ? [paragraph(t('case.anonymousExplained'), { size: 'Small', isSubtle: true })] : []),
      ...relayInput(t),
    ],
    [
      executeAction(t('case.action.accept'), VERBS.accept, { caseCode: m.facts.code }, { style: 'positive', associatedInputs: 'none' }),
      executeAction(t('case.action.requestInfo'), VERBS.requestInfo, { caseCode: m.facts.code }, { associatedInputs: 'auto' }),
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

export interface CaseViewModel {
  case: Case;
  schoolName: string;
  contactName: string;
  timeline: Array<CaseEvent & { byName: string }>;
  /** The case's notifications and where each stands (levererat / väntar / nås inte). */
  deliveries?: Array<{ kind: string; toName: string; state: DeliveryState; deliveredAt?: string }>;
  as: 'eht' | 'assignee' | 'groupLeader';
  /** The school's own reference is shown to the school's EHT only. */
  showSchoolRef: boolean;
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
  const f: CaseFacts = { code: c.code, teamId: c.teamId, schoolId: c.schoolId, grade: c.grade, category: c.category, absenceBand: c.absenceBand, status: c.status, anonymous: !c.consent };
  const rows = factRows(f, m.schoolName, t);
  rows.push([t('case.fact.contact'), m.contactName]);
  if (c.consent) rows.push([t('case.fact.consentScope'), c.consent.scope], [t('case.fact.consentExpires'), c.consent.expires]);
  if (c.outcome) rows.push([t('case.fact.outcome'), outcomeLabel(c.outcome, t)]);
  // The school's reference and the summary only ever in the answer to the person who opened the case,
  // never in a stored message (see privateElement).
  const schoolRef = m.showSchoolRef && c.schoolRef ? [privateElement('schoolRef', { ...facts([[t('case.fact.schoolRef'), c.schoolRef]]), spacing: 'None' })] : [];

  const actions: CardElement[] = [];
  const open = c.status !== 'closed';
  if (open && m.as !== 'eht' && c.status === 'new') actions.push(executeAction(t('case.action.accept'), VERBS.accept, { caseCode: c.code }, { style: 'positive', associatedInputs: 'none' }));
  if (open && m.as !== 'eht') actions.push(executeAction(t('case.action.requestInfo'), VERBS.requestInfo, { caseCode: c.code }, { associatedInputs: 'auto' }));
  if (open && m.as === 'eht') actions.push(executeAction(t('case.action.reply'), VERBS.replyInfo, { caseCode: c.code }, { associatedInputs: 'auto' }));
  if (open && m.as === 'eht') actions.push(executeAction(t('meeting.action.book'), 'meeting.form', { caseCode: c.code }, { associatedInputs: 'none' }));
  if (open && m.as !== 'eht') {
    // Teams ignores `style: destructive`: closing takes a second, explicit click that says what happens.
    actions.push({
      type: 'Action.ShowCard',
      title: t('case.action.close'),
      card: adaptiveCard(
        [
          { type: 'Input.ChoiceSet', id: 'outcome', label: t('case.fact.outcome'), isRequired: true, errorMessage: t('case.error.chooseOutcome'), style: 'expanded', choices: OUTCOMES.map((o) => ({ title: outcomeLabel(o, t), value: o })) },
          ...((m.meetings ?? []).some((x) => x.meeting.status === 'proposed' || x.meeting.status === 'confirmed') ? [paragraph(t('case.closeCancelsMeetings'), { size: 'Small' })] : []),
          paragraph(t('case.close.confirmText', { code: c.code }), { weight: 'Bolder' }),
        ],
        [executeAction(t('case.action.confirmCloseNow', { code: c.code }), VERBS.close, { caseCode: c.code }, { style: 'destructive' })],
      ),
    });
  }
  actions.push(executeAction(t('case.action.list'), VERBS.list, {}, { associatedInputs: 'none' }));

  const timeline = m.timeline.slice(m.timeline.length - timelineShown);
  const deliveries = m.deliveries ?? [];
  return adaptiveCard(
    [
      heading(t('case.title', { code: c.code })),
      ...noticeBlock(m.notice),
      facts(rows),
      ...schoolRef,
      privateElement('summary', {
        type: 'Container',
        items: [{ type: 'TextBlock', text: t('case.summary'), weight: 'Bolder', spacing: 'Medium' }, paragraph(c.summary)],
      }),
      { type: 'TextBlock', text: t('case.meetings'), weight: 'Bolder', spacing: 'Medium' },
      ...((m.meetings ?? []).length > 0 ? m.meetings!.map((x) => meetingSummary(x, t)) : [paragraph(t('case.noMeetings'), { size: 'Small', isSubtle: true, spacing: 'None' })]),
      { type: 'TextBlock', text: t('case.timeline'), weight: 'Bolder', spacing: 'Medium' },
      ...latestOf(timeline.length, m.timeline.length, t),
      ...timeline.map((e) => paragraph(`${inStockholm(new Date(e.at)).toFormat('yyyy-MM-dd HH:mm')} · ${t(`event.${e.kind}`)} · ${e.byName}${e.note ? `: ${e.note}` : ''}`, { size: 'Small', spacing: 'None' })),
      ...deliveryLines(deliveries.slice(Math.max(0, deliveries.length - DELIVERIES_SHOWN)), deliveries.length, t),
      ...(open ? relayInput(t) : []),
      ...reportConcernSection(m.reportConcernUrl, t, 'link'),
    ],
    actions,
  );
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
