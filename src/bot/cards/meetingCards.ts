import { DURATIONS, MEETING_TYPES, PLACES, type Meeting, type Party } from '../../domain/meeting';
import type { MeetingNoteKind } from '../../domain/ports';
import type { Translate } from '../i18n';
import { executeAction } from './actions';
import { adaptiveCard, facts, heading, paragraph, type AdaptiveCard, type CardElement, noticeBlock, type Notice } from './adaptiveCard';
import { timeLabel } from './labels';

export const MEETING_VERBS = {
  form: 'meeting.form',
  request: 'meeting.request',
  accept: 'meeting.accept',
  decline: 'meeting.decline',
  counter: 'meeting.counter',
  cancel: 'meeting.cancel',
  reschedule: 'meeting.reschedule',
  refresh: 'meeting.refresh',
} as const;

/** Input ids of the booking form (stable, used by tests). */
export const MEETING_FIELDS = ['caseCode', 'type', 'minutes', 'place', 'guardians', 'slots', 'ownDate', 'ownTime'] as const;
export type MeetingFormValues = Partial<Record<(typeof MEETING_FIELDS)[number], string>>;

const slotChoices = (slots: Array<string | Date>, t: Translate) => slots.map((s) => ({ title: timeLabel(s, t), value: new Date(s).toISOString() }));

/** Up to three suggested times plus one typed time, as both the booking form and a counter-proposal use. */
function timeInputs(suggestions: Date[], values: MeetingFormValues, t: Translate): CardElement[] {
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
    paragraph(t('meeting.hours'), { size: 'Small', isSubtle: true, spacing: 'None' }),
  ];
}

export interface MeetingFormModel {
  cases: Array<{ code: string; label: string }>;
  caseCode?: string;
  socialWorkerName?: string;
  suggestions: Date[];
  values: MeetingFormValues;
  notice?: Notice;
  /** The suggestions were drawn without Outlook (it did not answer in time). */
  outlookUnchecked?: boolean;
}

/** Step 1 without a case: pick one. Step 2 with a case: type, length, place, guardians, times. */
export function meetingFormCard(m: MeetingFormModel, t: Translate): AdaptiveCard {
  const v = m.values;
  if (!m.caseCode) {
    return adaptiveCard(
      [
        heading(t('meeting.form.title')),
        ...noticeBlock(m.notice),
        m.cases.length > 0
          ? { type: 'Input.ChoiceSet', id: 'caseCode', label: t('meeting.field.case'), isRequired: true, style: 'compact', placeholder: t('form.choose'), choices: m.cases.map((c) => ({ title: c.label, value: c.code })) }
          : paragraph(t('meeting.noCases')),
      ],
      m.cases.length > 0 ? [executeAction(t('meeting.form.next'), MEETING_VERBS.form, {})] : [],
    );
  }
  return adaptiveCard(
    [
      heading(t('meeting.form.titleFor', { code: m.caseCode })),
      paragraph(t('meeting.form.with', { name: m.socialWorkerName ?? '' }), { size: 'Small' }),
      ...noticeBlock(m.notice),
      ...(m.outlookUnchecked ? [outlookUncheckedBlock(t)] : []),
      { type: 'Input.ChoiceSet', id: 'type', label: t('meeting.field.type'), isRequired: true, style: 'compact', placeholder: t('form.choose'), value: v.type ?? 'startup', choices: MEETING_TYPES.map((x) => ({ title: t(`meeting.type.${x}`), value: x })) },
      { type: 'Input.ChoiceSet', id: 'minutes', label: t('meeting.field.minutes'), isRequired: true, style: 'compact', placeholder: t('form.choose'), value: v.minutes ?? '60', choices: DURATIONS.map((d) => ({ title: t('meeting.minutes', { n: d }), value: String(d) })) },
      { type: 'Input.ChoiceSet', id: 'place', label: t('meeting.field.place'), isRequired: true, style: 'compact', placeholder: t('form.choose'), value: v.place ?? 'school', choices: PLACES.map((p) => ({ title: t(`meeting.place.${p}`), value: p })) },
      { type: 'Input.Toggle', id: 'guardians', title: t('meeting.field.guardians'), value: v.guardians ?? 'false', valueOn: 'true', valueOff: 'false' },
      ...timeInputs(m.suggestions, v, t),
      paragraph(t('meeting.noCaseContent'), { size: 'Small', isSubtle: true }),
    ],
    [executeAction(t('meeting.form.send'), MEETING_VERBS.request, { caseCode: m.caseCode }, { style: 'positive' })],
  );
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
  const myTurn = mt.status === 'proposed' && mt.awaiting === m.viewer;
  if (myTurn) {
    body.push({ type: 'Input.ChoiceSet', id: 'start', label: t('meeting.field.pick'), style: 'expanded', isRequired: true, value: mt.proposals[0], choices: slotChoices(mt.proposals, t) });
    actions.push(executeAction(t('meeting.action.accept'), MEETING_VERBS.accept, data, { style: 'positive' }));
    actions.push({
      type: 'Action.ShowCard',
      title: t('meeting.action.counter'),
      card: adaptiveCard(timeInputs(m.suggestions, {}, t), [executeAction(t('meeting.action.sendCounter'), MEETING_VERBS.counter, data)]),
    });
    actions.push({
      type: 'Action.ShowCard',
      title: t('meeting.action.decline'),
      card: adaptiveCard(
        [{ type: 'Input.Text', id: 'reason', label: t('meeting.field.reason'), maxLength: 300, isMultiline: true, placeholder: t('meeting.reason.placeholder') }],
        [executeAction(t('meeting.action.confirmDecline'), MEETING_VERBS.decline, data, { style: 'destructive' })],
      ),
    });
  } else if (mt.status === 'proposed') {
    body.push(paragraph(t('meeting.waitingFor', { name: otherName })));
    body.push(...mt.proposals.map((p) => paragraph(`• ${timeLabel(p, t)}`, { spacing: 'None' })));
  }
  if (mt.status === 'confirmed') {
    if (mt.joinUrl) actions.push({ type: 'Action.OpenUrl', title: t('meeting.action.join'), url: mt.joinUrl });
    if (m.icsUrl) actions.push({ type: 'Action.OpenUrl', title: t('meeting.action.ics'), url: m.icsUrl });
    actions.push({
      type: 'Action.ShowCard',
      title: t('meeting.action.reschedule'),
      card: adaptiveCard(timeInputs(m.suggestions, {}, t), [executeAction(t('meeting.action.sendCounter'), MEETING_VERBS.reschedule, data)]),
    });
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
