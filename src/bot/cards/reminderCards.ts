import { DIGEST_SHOWN_PER_SECTION, type Digest } from '../../domain/digest';
import type { Notification } from '../../domain/ports';
import type { Translate } from '../i18n';
import { executeAction, selectAction } from './actions';
import { adaptiveCard, heading, noticeBlock, paragraph, type AdaptiveCard, type CardElement, type Notice } from './adaptiveCard';
import { VERBS } from './caseCards';
import { chartBlock, horizontalBarChart, verticalBarChart } from './charts';
import { ageLabel, timeLabel } from './labels';

type ReminderNotification = Extract<Notification, { kind: 'reminder' }>;

/** A reminder: what is due and a way to the case; no case content. */
export function reminderCard(n: ReminderNotification, t: Translate): AdaptiveCard {
  const d = n.details;
  const vars: Record<string, string> = { code: n.caseCode ?? '', date: d.date ?? '', days: d.days ?? '', expires: d.expires ?? '', since: d.since ?? '', year: d.year ?? '', due: d.due ?? '' };
  if (d.start) vars.start = timeLabel(d.start, t);
  if (d.type) vars.type = t(`meeting.type.${d.type as 'startup'}`);
  const title = t(`reminder.${n.reminder}.title`, vars);
  const body = t(`reminder.${n.reminder}.body`, vars);
  return adaptiveCard([heading(title), paragraph(body)], n.caseCode ? [executeAction(t('case.action.open'), VERBS.open, { caseCode: n.caseCode })] : []);
}

export interface DigestNames {
  nameOf(personId: string): string;
  /** Why someone the bot cannot reach is unreachable, when the bot knows ("appNotInstalled": an admin must install the app). */
  reasonOf?(personId: string): string | undefined;
}

export const NUDGE_VERB = 'digest.nudge';

/**
 * The group leader's morning card: counts and case codes. Each listed case opens with one click;
 * what waits for someone (a concern not yet accepted, a meeting request, an overdue review) has a
 * "Påminn" button that reminds that person. Every count appears once, in its section's heading.
 */
export function digestCard(d: Digest, names: DigestNames, t: Translate, notice?: Notice): AdaptiveCard {
  type Line = { code: string; text: string; nudge?: Record<string, string> };
  const line = (l: Line): CardElement => ({
    type: 'ColumnSet',
    spacing: 'Small',
    columns: [
      {
        type: 'Column', width: 'stretch', verticalContentAlignment: 'Center',
        selectAction: selectAction(t('case.action.open'), VERBS.open, { caseCode: l.code }),
        items: [{ type: 'TextBlock', text: l.text, wrap: true, size: 'Small', color: 'Accent' }],
      },
      ...(l.nudge ? [{ type: 'Column', width: 'auto', items: [{ type: 'ActionSet', actions: [executeAction(t('digest.nudge'), NUDGE_VERB, { ...l.nudge, caseCode: l.code }, { associatedInputs: 'none' })] }] }] : []),
    ],
  });
  const section = (title: string, lines: Line[]): CardElement[] =>
    lines.length === 0
      ? [{ type: 'TextBlock', text: t('digest.section', { title, n: 0 }), spacing: 'Small', isSubtle: true, wrap: true }]
      : [
          { type: 'TextBlock', text: t('digest.section', { title, n: lines.length }), weight: 'Bolder', spacing: 'Medium', wrap: true },
          ...lines.slice(0, DIGEST_SHOWN_PER_SECTION).map(line),
          ...(lines.length > DIGEST_SHOWN_PER_SECTION ? [paragraph(t('digest.more', { n: lines.length - DIGEST_SHOWN_PER_SECTION }), { spacing: 'None', size: 'Small', isSubtle: true })] : []),
        ];
  const age = (days: number) => ageLabel(days, t);
  return adaptiveCard([
    heading(t('digest.title', { date: d.date })),
    paragraph(t('digest.open', { n: d.totals.open }), { spacing: 'None' }),
    ...noticeBlock(notice),
    paragraph(t('digest.clickHint'), { size: 'Small', isSubtle: true }),
    ...section(t('digest.newConcerns'), d.newConcerns.map((x) => ({ code: x.code, text: t('digest.line.new', { code: x.code, name: names.nameOf(x.assigneeId), age: age(x.ageDays) }), nudge: { about: 'accept' } }))),
    ...section(t('digest.meetingRequests'), d.meetingRequestsWaiting.map((x) => ({ code: x.code, text: t('digest.line.waiting', { code: x.code, name: names.nameOf(x.awaitingId), age: age(x.ageDays) }), nudge: { about: 'meeting', meetingId: x.meetingId } }))),
    ...section(t('digest.meetingsToday'), d.meetingsToday.map((x) => ({ code: x.code, text: `${x.code} · ${timeLabel(x.start, t)} · ${names.nameOf(x.socialWorkerId)}` }))),
    ...section(t('digest.reviewsDue'), d.reviewsDueThisWeek.map((x) => ({ code: x.code, text: `${x.code} · ${x.date} · ${names.nameOf(x.ownerId)}` }))),
    ...section(t('digest.reviewsOverdue'), d.reviewsOverdue.map((x) => ({ code: x.code, text: `${x.code} · ${x.date} · ${names.nameOf(x.ownerId)}`, nudge: { about: 'review', planId: x.planId } }))),
    ...section(t('digest.consents'), d.consentsExpiring.map((x) => ({ code: x.code, text: `${x.code} · ${x.expires}` }))),
    ...(d.unreachable.length === 0
      ? [{ type: 'TextBlock', text: t('digest.section', { title: t('digest.unreachable'), n: 0 }), spacing: 'Small', isSubtle: true, wrap: true }]
      : [
          { type: 'TextBlock', text: t('digest.section', { title: t('digest.unreachable'), n: d.unreachable.length }), weight: 'Bolder', spacing: 'Medium', wrap: true },
          ...d.unreachable.map((x) =>
            paragraph(t(names.reasonOf?.(x.personId) === 'appNotInstalled' ? 'digest.line.appNotInstalled' : 'digest.line.unreachable', { name: names.nameOf(x.personId), since: x.since.slice(0, 10) }), { spacing: 'None', size: 'Small' }),
          ),
        ]),
    ...((d.away ?? []).length > 0
      ? [
          { type: 'TextBlock', text: t('digest.section', { title: t('digest.away'), n: d.away!.length }), weight: 'Bolder', spacing: 'Medium', wrap: true },
          ...d.away!.map((x) => paragraph(x.until ? t('digest.line.away', { name: names.nameOf(x.personId), until: x.until }) : t('digest.line.awayOpen', { name: names.nameOf(x.personId) }), { spacing: 'None', size: 'Small' })),
        ]
      : []),
    ...digestCharts(d, names, t),
  ]);
}

/**
 * The digest's two charts, each under its heading and with its figures as text for a client without
 * charts: open cases per social worker (staff names from the roster) and planned reviews per ISO week.
 * Counts and staff names only: never a case code.
 */
export function digestCharts(d: Pick<Digest, 'caseload' | 'reviewsByWeek'>, names: Pick<DigestNames, 'nameOf'>, t: Translate): CardElement[] {
  const caseload =
    d.caseload.length === 0
      ? [paragraph(t('digest.section', { title: t('digest.caseload'), n: 0 }), { isSubtle: true, spacing: 'Small' })]
      : chartBlock(horizontalBarChart({ title: t('digest.caseload'), yAxisTitle: t('digest.axis.openCases'), data: d.caseload.map((x) => ({ x: names.nameOf(x.socialWorkerId), y: x.open })) }, t));
  const weeks = d.reviewsByWeek ?? [];
  const reviews =
    weeks.length === 0
      ? []
      : chartBlock(
          verticalBarChart({ title: t('digest.reviewsByWeek'), xAxisTitle: t('digest.axis.week'), yAxisTitle: t('digest.axis.reviews'), data: weeks.map((w) => ({ x: t('digest.week', { n: w.week }), y: w.count })) }, t),
        );
  return [...caseload, ...reviews];
}

/** The group leader reminds someone: what waits for them, and the button that does it. */
export function nudgeCard(n: Extract<Notification, { kind: 'nudge' }>, names: DigestNames, t: Translate): AdaptiveCard {
  const from = names.nameOf(n.from);
  const button =
    n.about === 'accept'
      ? executeAction(t('case.action.accept'), VERBS.accept, { caseCode: n.caseCode }, { style: 'positive' })
      : n.about === 'meeting' && n.meetingId
        ? executeAction(t('nudge.action.meeting'), 'meeting.open', { teamId: n.teamId, meetingId: n.meetingId })
        : executeAction(t('todo.action.review'), 'plan.list', { caseCode: n.caseCode });
  return adaptiveCard(
    [heading(t('nudge.title', { name: from, code: n.caseCode })), paragraph(t(`nudge.body.${n.about}`, { code: n.caseCode, date: n.date ?? '' }))],
    [button, executeAction(t('case.action.open'), VERBS.open, { caseCode: n.caseCode })],
  );
}
