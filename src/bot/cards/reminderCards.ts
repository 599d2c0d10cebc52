import { DIGEST_SHOWN_PER_SECTION, type Digest } from '../../domain/digest';
import type { Notification } from '../../domain/ports';
import type { Translate } from '../i18n';
import { executeAction } from './actions';
import { adaptiveCard, facts, heading, paragraph, type AdaptiveCard, type CardElement } from './adaptiveCard';
import { VERBS } from './caseCards';
import { timeLabel } from './labels';

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

/** The group leader's morning card: counts and case codes; each code opens the case. */
export function digestCard(d: Digest, names: DigestNames, t: Translate): AdaptiveCard {
  const section = (title: string, lines: string[]): CardElement[] =>
    lines.length === 0
      ? [{ type: 'TextBlock', text: `${title}: 0`, spacing: 'Small', isSubtle: true, wrap: true }]
      : [
          { type: 'TextBlock', text: `${title}: ${lines.length}`, weight: 'Bolder', spacing: 'Medium', wrap: true },
          ...lines.slice(0, DIGEST_SHOWN_PER_SECTION).map((l) => paragraph(l, { spacing: 'None', size: 'Small' })),
          ...(lines.length > DIGEST_SHOWN_PER_SECTION ? [paragraph(t('digest.more', { n: lines.length - DIGEST_SHOWN_PER_SECTION }), { spacing: 'None', size: 'Small', isSubtle: true })] : []),
        ];
  const codes = new Set<string>([...d.newConcerns, ...d.reviewsOverdue].map((x) => x.code));
  return adaptiveCard(
    [
      heading(t('digest.title', { date: d.date })),
      facts([
        [t('digest.open'), String(d.totals.open)],
        [t('digest.newConcerns'), String(d.newConcerns.length)],
        [t('digest.meetingsToday'), String(d.meetingsToday.length)],
        [t('digest.reviewsOverdue'), String(d.reviewsOverdue.length)],
      ]),
      ...section(t('digest.newConcerns'), d.newConcerns.map((x) => t('digest.line.age', { code: x.code, days: x.ageDays }))),
      ...section(t('digest.meetingRequests'), d.meetingRequestsWaiting.map((x) => t('digest.line.waiting', { code: x.code, days: x.ageDays, who: t(`digest.awaiting.${x.awaiting}`) }))),
      ...section(t('digest.meetingsToday'), d.meetingsToday.map((x) => `${x.code} · ${timeLabel(x.start, t)} · ${names.nameOf(x.socialWorkerId)}`)),
      ...section(t('digest.reviewsDue'), d.reviewsDueThisWeek.map((x) => `${x.code} · ${x.date} · ${names.nameOf(x.ownerId)}`)),
      ...section(t('digest.reviewsOverdue'), d.reviewsOverdue.map((x) => `${x.code} · ${x.date} · ${names.nameOf(x.ownerId)}`)),
      ...section(t('digest.consents'), d.consentsExpiring.map((x) => `${x.code} · ${x.expires}`)),
      ...section(
        t('digest.unreachable'),
        d.unreachable.map((x) =>
          t(names.reasonOf?.(x.personId) === 'appNotInstalled' ? 'digest.line.appNotInstalled' : 'digest.line.unreachable', { name: names.nameOf(x.personId), since: x.since.slice(0, 10) }),
        ),
      ),
      { type: 'TextBlock', text: t('digest.caseload'), weight: 'Bolder', spacing: 'Medium' },
      facts(d.caseload.map((x) => [names.nameOf(x.socialWorkerId), String(x.open)])),
    ],
    [...codes].slice(0, 5).map((code) => executeAction(code, VERBS.open, { caseCode: code })),
  );
}
