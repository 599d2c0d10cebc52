import { DURATIONS, MEETING_TYPES, PLACES, type Meeting, type MeetingType, type Party } from '../../domain/meeting';
import type { MeetingNoteKind } from '../../domain/ports';
import type { Translate } from '../i18n';
import { executeAction } from './actions';
import { adaptiveCard, facts, heading, paragraph, type AdaptiveCard, type CardElement, noticeBlock, type Notice } from './adaptiveCard';
import { timeLabel } from './labels';
import { navButton } from './navigation';

export const MEETING_VERBS = {
  form: 'meeting.form',
  request: 'meeting.request',
  accept: 'meeting.accept',
  decline: 'meeting.decline',
  counter: 'meeting.counter',
  cancel: 'meeting.cancel',
  reschedule: 'meeting.reschedule',
  refresh: 'meeting.refresh',
  open: 'meeting.open',
} as const;

/** Input ids of the booking form (stable, used by tests). */
export const MEETING_FIELDS = ['caseCode', 'type', 'minutes', 'place', 'guardians', 'interpreter', 'slots', 'ownDate', 'ownTime'] as const;
export type MeetingField = (typeof MEETING_FIELDS)[number];
export type MeetingFormValues = Partial<Record<MeetingField | 'reason', string>>;
/** Problems shown beside the fields they are about (a refused time beside the times). */
export type MeetingFormErrors = Partial<Record<'caseCode' | 'type' | 'minutes' | 'place' | 'times' | 'reason', string>>;

/** Which card an answer was given from; its answer shows that card again (see AnsweredFrom). */
export type MeetingFrom = 'case' | 'todo' | 'meetings';

const slotChoices = (slots: Array<string | Date>, t: Translate) => slots.map((s) => ({ title: timeLabel(s, t), value: new Date(s).toISOString() }));

/** A problem beside its field, in the Attention colour. */
const fieldError = (text: string | undefined, id: string): CardElement[] =>
  text ? [{ type: 'TextBlock', id, text, color: 'Attention', wrap: true, size: 'Small', spacing: 'None' }] : [];

/** Up to three suggested times plus one typed time, as both the booking form and a counter-proposal use. */
function timeInputs(suggestions: Date[], values: MeetingFormValues, t: Translate, error?: string): CardElement[] {
  return [
    suggestions.length > 0
      ? { type: 'Input.ChoiceSet', id: 'slots', label: t('meeting.field.slots'), isMultiSelect: true, style: 'expanded', value: values.slots, choices: slotChoices(suggestions, t) }
      : paragraph(t('meeting.noSuggestions'), { isSubtle: true }),
    { type: 'TextBlock', text: t('meeting.field.own'), wrap: true, spacing: 'Medium' },
    {
      type: 'ColumnSet',
      columns: [
        { type: 'Column', width: 'stretch', items: [{ type: 'Input.Date', id: 'ownDate', value: values.ownDate, label: t('meeting.field.ownDate') }] },
        { type: 'Column', width: 'stretch', items: [{ type: 'Input.Time', id: 'ownTime', value: values.ownTime, label: t('meeting.field.ownTime'), min: '08:00', max: '17:00' }] },
      ],
    },
    ...fieldError(error, 'timesError'),
    paragraph(t('meeting.hours'), { size: 'Small', isSubtle: true, spacing: 'None' }),
  ];
}

export interface MeetingFormModel {
  cases: Array<{ code: string; label: string }>;
  caseCode?: string;
  /** Whom the meeting is with: the case's social worker (the school books) or the school's EHT member (the social worker books). */
  socialWorkerName?: string;
  bookedBy?: 'school' | 'socialWorker';
  /** The meeting types the case allows now (a consultation: consultation meetings only; no consent: none with the family). */
  types?: MeetingType[];
  suggestions: Date[];
  values: MeetingFormValues;
  errors?: MeetingFormErrors;
  notice?: Notice;
  /** The suggestions were drawn without Outlook (it did not answer in time). */
  outlookUnchecked?: boolean;
}

/** Step 1 without a case: pick one. Step 2 with a case: type, length, place, guardians, times. */
export function meetingFormCard(m: MeetingFormModel, t: Translate): AdaptiveCard {
  const v = m.values;
  const e = m.errors ?? {};
  if (!m.caseCode) {
    return adaptiveCard(
      [
        heading(t('meeting.form.title')),
        ...noticeBlock(m.notice),
        m.cases.length > 0
          ? { type: 'Input.ChoiceSet', id: 'caseCode', label: t('meeting.field.case'), isRequired: true, errorMessage: t('meeting.error.chooseCase'), style: 'compact', placeholder: t('form.choose'), choices: m.cases.map((c) => ({ title: c.label, value: c.code })) }
          : paragraph(t('meeting.noCases')),
        ...fieldError(e.caseCode, 'caseCodeError'),
      ],
      m.cases.length > 0 ? [executeAction(t('meeting.form.next'), MEETING_VERBS.form, {})] : [],
    );
  }
  const choice = (id: 'type' | 'minutes' | 'place', choices: Array<{ title: string; value: string }>, value: string) => [
    { type: 'Input.ChoiceSet', id, label: t(`meeting.field.${id}`), isRequired: true, errorMessage: t('form.error.invalidChoice'), style: 'compact', placeholder: t('form.choose'), value, choices },
    ...fieldError(e[id], `${id}Error`),
  ];
  const types = m.types ?? [...MEETING_TYPES];
  const consultation = types.length === 1 && types[0] === 'consultation';
  return adaptiveCard(
    [
      heading(t('meeting.form.titleFor', { code: m.caseCode })),
      paragraph(t(m.bookedBy === 'socialWorker' ? 'meeting.form.withSchool' : 'meeting.form.with', { name: m.socialWorkerName ?? '' }), { size: 'Small' }),
      ...noticeBlock(m.notice),
      ...(consultation ? [paragraph(t('meeting.consultationOnly'), { size: 'Small', isSubtle: true })] : []),
      ...(m.outlookUnchecked ? [outlookUncheckedBlock(t)] : []),
      ...choice('type', types.map((x) => ({ title: t(`meeting.type.${x}`), value: x })), v.type && types.includes(v.type as MeetingType) ? v.type : types[0]),
      ...choice('minutes', DURATIONS.map((d) => ({ title: t('meeting.minutes', { n: d }), value: String(d) })), v.minutes ?? '60'),
      ...choice('place', PLACES.filter((p) => !consultation || p !== 'home').map((p) => ({ title: t(`meeting.place.${p}`), value: p })), v.place ?? 'school'),
      ...(consultation ? [] : [{ type: 'Input.Toggle', id: 'guardians', title: t('meeting.field.guardians'), value: v.guardians ?? 'false', valueOn: 'true', valueOff: 'false' }]),
      { type: 'Input.Toggle', id: 'interpreter', title: t('meeting.field.interpreter'), value: v.interpreter ?? 'false', valueOn: 'true', valueOff: 'false' },
      ...timeInputs(m.suggestions, v, t, e.times),
      paragraph(t('meeting.noCaseContent'), { size: 'Small', isSubtle: true }),
    ],
    [executeAction(t('meeting.form.send'), MEETING_VERBS.request, { caseCode: m.caseCode }, { style: 'positive' })],
  );
}

/** A form of the meeting card to show open (after a refused answer: with what was typed and why). */
export interface OpenMeetingForm {
  kind: 'counter' | 'reschedule' | 'decline';
  values: MeetingFormValues;
  error?: string;
}

export interface MeetingCardModel {
  meeting: Meeting;
  /** Whose copy this is: buttons depend on whether it is their turn. */
  viewer: Party;
  ehtName: string;
  socialWorkerName: string;
  schoolName: string;
  /** Fresh free times for a counter-proposal (the awaited party only). */
  suggestions: Date[];
  /** Teams user ids (29:…) of both parties, so Teams refreshes the card for each of them. */
  refreshUserIds: string[];
  icsUrl?: string;
  note?: { kind: MeetingNoteKind; byName: string };
  notice?: Notice;
  /** Outlook could not be read in time: times were checked against the bot's own bookings only. */
  outlookUnchecked?: boolean;
  /** Shown open in the card instead of behind its button. */
  openForm?: OpenMeetingForm;
}

/** The line a card carries when Outlook's free/busy could not be read in time. */
export const outlookUncheckedBlock = (t: Translate): CardElement => paragraph(t('meeting.outlookUnchecked'), { size: 'Small', color: 'Warning' });

/** The meeting as one party sees it; the same card is redrawn for both after every change. */
export function meetingCard(m: MeetingCardModel, t: Translate): AdaptiveCard {
  const mt = m.meeting;
  const data = { teamId: mt.teamId, meetingId: mt.id, version: mt.version };
  const otherName = m.viewer === 'eht' ? m.socialWorkerName : m.ehtName;
  const rows: Array<[string, string]> = [
    [t('case.fact.code'), mt.caseCode],
    [t('meeting.field.type'), t(`meeting.type.${mt.type}`)],
    [t('meeting.field.minutes'), t('meeting.minutes', { n: mt.minutes })],
    [t('meeting.field.place'), mt.place === 'school' ? m.schoolName : t(`meeting.place.${mt.place}`)],
    [t('meeting.field.guardians'), mt.guardiansAttending ? t('meeting.yes') : t('meeting.no')],
    ...(mt.interpreterNeeded ? [[t('meeting.field.interpreter'), t('meeting.yes')] as [string, string]] : []),
    [t('meeting.with'), otherName],
    [t('case.fact.status'), t(`meeting.status.${mt.status}`)],
  ];
  if (mt.start) rows.push([t('meeting.time'), timeLabel(mt.start, t)]);
  if (mt.declineReason) rows.push([t('meeting.declineReason'), mt.declineReason]);

  const body: CardElement[] = [heading(t('meeting.title', { code: mt.caseCode, type: t(`meeting.type.${mt.type}`) }))];
  if (m.note) body.push(paragraph(t(`meeting.note.${m.note.kind}`, { name: m.note.byName }), { weight: 'Bolder' }));
  body.push(...noticeBlock(m.notice));
  if (m.outlookUnchecked) body.push(outlookUncheckedBlock(t));
  body.push(facts(rows));

  const actions: CardElement[] = [];
  /** A form behind its button, or open in the body when it came back with a problem. */
  const form = (kind: OpenMeetingForm['kind'], title: string, inner: (values: MeetingFormValues, error?: string) => { body: CardElement[]; action: CardElement }) => {
    const open = m.openForm?.kind === kind ? m.openForm : undefined;
    const built = inner(open?.values ?? {}, open?.error);
    if (open) {
      body.push({ type: 'Container', separator: true, spacing: 'Medium', items: [{ type: 'TextBlock', text: title, weight: 'Bolder', wrap: true }, ...built.body, { type: 'ActionSet', actions: [built.action] }] });
    } else {
      actions.push({ type: 'Action.ShowCard', title, card: adaptiveCard(built.body, [built.action]) });
    }
  };
  const myTurn = mt.status === 'proposed' && mt.awaiting === m.viewer;
  if (myTurn) {
    body.push({ type: 'Input.ChoiceSet', id: 'start', label: t('meeting.field.pick'), style: 'expanded', isRequired: true, errorMessage: t('meeting.error.pickTime'), value: mt.proposals[0], choices: slotChoices(mt.proposals, t) });
    actions.push(executeAction(t('meeting.action.accept'), MEETING_VERBS.accept, data, { style: 'positive' }));
    form('counter', t('meeting.action.counter'), (values, error) => ({
      body: timeInputs(m.suggestions, values, t, error),
      action: executeAction(t('meeting.action.sendCounter'), MEETING_VERBS.counter, data),
    }));
    form('decline', t('meeting.action.decline'), (values, error) => ({
      body: [
        { type: 'Input.Text', id: 'reason', label: t('meeting.field.reason'), maxLength: 300, isMultiline: true, value: values.reason, placeholder: t('meeting.reason.placeholder') },
        ...fieldError(error, 'reasonError'),
      ],
      action: executeAction(t('meeting.action.confirmDecline'), MEETING_VERBS.decline, data, { style: 'destructive' }),
    }));
  } else if (mt.status === 'proposed') {
    body.push(paragraph(t('meeting.waitingFor', { name: otherName })));
    body.push(...mt.proposals.map((p) => paragraph(`• ${timeLabel(p, t)}`, { spacing: 'None' })));
  }
  if (mt.status === 'confirmed') {
    if (mt.joinUrl) actions.push({ type: 'Action.OpenUrl', title: t('meeting.action.join'), url: mt.joinUrl });
    if (m.icsUrl) actions.push({ type: 'Action.OpenUrl', title: t('meeting.action.ics'), url: m.icsUrl });
    form('reschedule', t('meeting.action.reschedule'), (values, error) => ({
      body: timeInputs(m.suggestions, values, t, error),
      action: executeAction(t('meeting.action.sendCounter'), MEETING_VERBS.reschedule, data),
    }));
  }
  if (mt.status === 'confirmed' || mt.status === 'proposed') {
    // Teams ignores `style: destructive`: cancelling takes a second, explicit click that says what happens.
    actions.push({
      type: 'Action.ShowCard',
      title: t('meeting.action.cancel'),
      card: adaptiveCard(
        [paragraph(t('meeting.cancel.confirmText', { name: otherName }), { weight: 'Bolder' })],
        [executeAction(t('meeting.action.confirmCancel'), MEETING_VERBS.cancel, data, { style: 'destructive', associatedInputs: 'none' })],
      ),
    });
  }
  return adaptiveCard(body, actions, {
    refresh: { action: { type: 'Action.Execute', title: t('meeting.action.refresh'), verb: MEETING_VERBS.refresh, data }, userIds: m.refreshUserIds },
  });
}

/** One meeting in a list (the case view, the meetings list): what, when, where, with whom, and the buttons the viewer may use. */
export interface MeetingSummary {
  meeting: Meeting;
  /** The viewer's side of it, if they are one of its two parties (others see it without buttons). */
  viewer?: Party;
  otherName: string;
  placeName: string;
  icsUrl?: string;
  /** Where the buttons' answers come back to. */
  from: MeetingFrom;
  /** The case is open (a closed case's meetings have no buttons). */
  caseOpen: boolean;
  /** Show the case code in the heading (the meetings list; the case view has it already). */
  withCode?: boolean;
}

/** The meeting as a block of a larger card: every proposed time is one click to confirm, when it is the viewer's turn. */
export function meetingSummary(s: MeetingSummary, t: Translate): CardElement {
  const mt = s.meeting;
  const ids = { teamId: mt.teamId, meetingId: mt.id, version: mt.version, from: s.from };
  const title = `${t(`meeting.type.${mt.type}`)}${s.withCode ? ` – ${mt.caseCode}` : ''} · ${t(`meeting.status.${mt.status}`)}`;
  const rows: Array<[string, string]> = [];
  if (mt.start) rows.push([t('meeting.time'), `${timeLabel(mt.start, t)} (${t('meeting.minutes', { n: mt.minutes })})`]);
  if (mt.status === 'proposed') rows.push([t('meeting.proposed'), mt.proposals.map((p) => timeLabel(p, t)).join(', ')]);
  rows.push([t('meeting.field.place'), s.placeName], [t('meeting.with'), s.otherName]);
  const items: CardElement[] = [{ type: 'TextBlock', text: title, weight: 'Bolder', wrap: true }, facts(rows)];
  const buttons: CardElement[] = [];
  const open = s.caseOpen && (mt.status === 'proposed' || mt.status === 'confirmed');
  if (s.viewer && open) {
    const myTurn = mt.status === 'proposed' && mt.awaiting === s.viewer;
    if (myTurn) {
      for (const p of mt.proposals) buttons.push(executeAction(t('meeting.action.confirmAt', { time: timeLabel(p, t) }), MEETING_VERBS.accept, { ...ids, start: p }, { style: 'positive', associatedInputs: 'none' }));
      buttons.push(executeAction(t('meeting.action.otherTimes'), MEETING_VERBS.open, { teamId: mt.teamId, meetingId: mt.id }, { associatedInputs: 'none' }));
    } else if (mt.status === 'proposed') {
      items.push(paragraph(t('meeting.waitingForShort', { name: s.otherName }), { size: 'Small', spacing: 'None' }));
    }
    if (mt.status === 'confirmed') {
      if (mt.joinUrl) buttons.push({ type: 'Action.OpenUrl', title: t('meeting.action.join'), url: mt.joinUrl });
      if (s.icsUrl) buttons.push({ type: 'Action.OpenUrl', title: t('meeting.action.ics'), url: s.icsUrl });
      buttons.push(executeAction(t('meeting.action.reschedule'), MEETING_VERBS.open, { teamId: mt.teamId, meetingId: mt.id }, { associatedInputs: 'none' }));
    }
    buttons.push(executeAction(t('meeting.action.cancel'), MEETING_VERBS.cancel, ids, { style: 'destructive', associatedInputs: 'none' }));
  }
  if (buttons.length > 0) items.push({ type: 'ActionSet', actions: buttons });
  return { type: 'Container', separator: true, spacing: 'Medium', items };
}

/** "Möten": the person's meetings ahead and waiting for an answer. */
export function meetingsListCard(m: { items: MeetingSummary[]; notice?: Notice; reportConcernLine?: CardElement[] }, t: Translate): AdaptiveCard {
  return adaptiveCard(
    [
      heading(t('meetings.title', { count: m.items.length })),
      ...noticeBlock(m.notice),
      ...(m.items.length > 0 ? m.items.map((s) => meetingSummary(s, t)) : [paragraph(t('meetings.empty'))]),
      ...(m.reportConcernLine ?? []),
    ],
    [navButton('todo', t)],
  );
}
