import { cardMessage } from './cardMessage';
import type { ConversationReference } from 'botbuilder';
import { inConversation } from './proactive';
import type { SendLimits } from './sendLimits';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Clock } from '../domain/clock';
import type { Notification, Notifier, RosterStore } from '../domain/ports';
import { personById, schoolById, type Person, type Roster } from '../domain/roster';
import type { Logger } from '../logger';
import type { ConversationRefStore } from '../storage/conversationRefs';
import type { AdaptiveCard } from './cards/adaptiveCard';
import { caseAssignedCard, concernReceivedCard, noticeCard, relayCard } from './cards/caseCards';
import { personLanguage, translator, type Translate } from './i18n';
import { digestCard, nudgeCard, reminderCard } from './cards/reminderCards';
import { statusOf } from '../storage/tableErrors';
import { RetryLaterError } from '../effects/dispatcher';
import { timeLabel } from './cards/labels';

export interface NotifierDeps {
  adapter: TeamsAdapter;
  botAppId: string;
  refs: ConversationRefStore;
  roster: RosterStore;
  logger: Logger;
  clock: Clock;
  /** Teams' send limits; shared with every other proactive sender of this instance. */
  limits?: SendLimits;
  /** Local mode only (BOT_LOCALE): stands in for the client's locale, for proactive cards too. */
  localeOverride?: string;
}

/** A card that arrives this much later than meant says when it was meant. */
const LATE_AFTER_MS = 15 * 60_000;
/** A 429 without Retry-After: try again after this long. */
const DEFAULT_RETRY_AFTER_MS = 30_000;

/** Someone the bot can write to now: in the roster, with a stored personal conversation. */
export interface Reachable {
  person: Person;
  ref: Partial<ConversationReference>;
  roster: Roster;
  t: Translate;
}

/**
 * The person and their conversation, or undefined when the bot has no chat with them. Their
 * translator is in their own language (see personLanguage): what they chose by typing, else their
 * client's locale (BOT_LOCALE in local mode), never the language of whoever acted.
 */
export async function reach(deps: Pick<NotifierDeps, 'roster' | 'refs' | 'localeOverride'>, personId: string): Promise<Reachable | undefined> {
  const roster = await deps.roster.get();
  const person = personById(roster, personId);
  const stored = person ? await deps.refs.lookup(person.aadObjectId) : undefined;
  if (!person || !stored) return undefined;
  const lang = personLanguage({ chosen: stored.lang, override: deps.localeOverride, clientLocale: stored.ref.locale });
  return { person, ref: stored.ref, roster, t: translator(lang) };
}

/**
 * Runs one send or update in the person's chat within Teams' send limits. 403/404 (the bot was
 * blocked or removed) → 'unreachable'; a 429 that got past the connector client's own retries →
 * RetryLaterError with its Retry-After; anything else is thrown for the dispatcher's backoff.
 */
export async function sendWithin(deps: Pick<NotifierDeps, 'adapter' | 'botAppId' | 'limits' | 'logger'>, to: Reachable, what: string, send: Parameters<typeof inConversation>[3]): Promise<'sent' | 'unreachable'> {
  try {
    await deps.limits?.acquire(to.ref.conversation?.tenantId ?? '', to.ref.conversation?.id ?? '');
    await inConversation(deps.adapter, deps.botAppId, to.ref, send);
    return 'sent';
  } catch (err) {
    const status = statusOf(err);
    if (status === 403 || status === 404) {
      deps.logger.warn({ personId: to.person.id, what, status }, 'recipient unreachable: bot blocked or removed');
      return 'unreachable';
    }
    if (status === 429) {
      const header = (err as { response?: { headers?: { get?(name: string): string | undefined } } }).response?.headers?.get?.('retry-after');
      const seconds = Number(header);
      throw new RetryLaterError('Teams asked the bot to slow down (429)', Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_RETRY_AFTER_MS);
    }
    throw err;
  }
}

/**
 * Proactive cards through the person's stored personal conversation. A person without one (never
 * opened the bot), or who blocked or removed it, is 'unreachable': the caller holds the message and
 * `hold` marks them, so it goes out on their next turn. 5xx and Retry-After waits are the connector
 * client's own retries; what still fails is thrown for the dispatcher's backoff.
 */
export function teamsNotifier(deps: NotifierDeps): Notifier {
  return {
    async notify(personId, notification, opts = {}) {
      const to = await reach(deps, personId);
      if (!to) {
        deps.logger.info({ personId, kind: notification.kind }, 'recipient unreachable: no conversation with the bot yet');
        return 'unreachable';
      }
      const card = withDeliveryNotes(cardFor(notification, to.roster, to.t), to.t, { at: opts.at, now: deps.clock.now(), mayRepeat: opts.mayRepeat });
      return sendWithin(deps, to, notification.kind, (context) => context.sendActivity(cardMessage(card, to.t.lang)));
    },
    async updateReceipt(personId, activityId, receipt) {
      const to = await reach(deps, personId);
      if (!to) return 'unreachable';
      // The receipt is the actor's own card: it keeps the language it was drawn in.
      const t = receipt.locale ? translator(receipt.locale) : to.t;
      const contact = personById(to.roster, receipt.card.contactId)?.name ?? receipt.card.contactId;
      const card = concernReceivedCard({ code: receipt.card.code, contactName: contact, anonymous: receipt.card.anonymous, delivery: receipt.outcome, reportConcernUrl: to.roster.municipality.reportConcernUrl }, t);
      return sendWithin(deps, to, 'receipt', (context) => context.updateActivity({ ...cardMessage(card, t.lang), id: activityId }));
    },
    async hold(personId, attemptedAt) {
      const person = personById(await deps.roster.get(), personId);
      if (!person) return false;
      const { refAt } = await deps.refs.markHeld(person.aadObjectId);
      return refAt !== undefined && refAt > attemptedAt.toISOString();
    },
  };
}

/** A line on a card that arrives late (held, or after downtime), and on one that may be a repeat. */
function withDeliveryNotes(card: AdaptiveCard, t: Translate, opts: { at?: string; now: Date; mayRepeat?: boolean }): AdaptiveCard {
  const notes: string[] = [];
  if (opts.at && opts.now.getTime() - new Date(opts.at).getTime() > LATE_AFTER_MS) notes.push(t('proactive.late', { time: timeLabel(opts.at, t) }));
  if (opts.mayRepeat) notes.push(t('proactive.mayRepeat'));
  if (notes.length === 0) return card;
  return { ...card, body: [...(card.body ?? []), ...notes.map((text) => ({ type: 'TextBlock', text, wrap: true, size: 'Small', isSubtle: true }))] };
}

function cardFor(n: Notification, roster: Roster, t: Translate): AdaptiveCard {
  const nameOf = (id: string) => personById(roster, id)?.name ?? id;
  switch (n.kind) {
    case 'caseAssigned':
      return caseAssignedCard({ facts: n.case, schoolName: schoolById(roster, n.case.schoolId)?.name ?? n.case.schoolId, via: n.via, reportConcernUrl: roster.municipality.reportConcernUrl }, t);
    case 'caseAccepted':
      return noticeCard({ title: t('case.acceptedNotice', { code: n.caseCode, name: nameOf(n.by) }), caseCode: n.caseCode }, t);
    case 'infoRequested':
      return relayCard({ kind: 'infoRequested', caseCode: n.caseCode, fromName: nameOf(n.from), message: n.message, canReply: true }, t);
    case 'infoReplied':
      return relayCard({ kind: 'infoReplied', caseCode: n.caseCode, fromName: nameOf(n.from), message: n.message, canReply: true }, t);
    case 'reminder':
      return reminderCard(n, t);
    case 'digest':
      return digestCard(n.digest, { nameOf }, t);
    case 'nudge':
      return nudgeCard(n, { nameOf }, t);
    case 'newContact': {
      const school = schoolById(roster, n.schoolId)?.name ?? n.schoolId;
      const name = nameOf(n.socialWorkerId);
      return noticeCard({ title: t('newContact.title', { school }), body: t('newContact.body', { name }) }, t);
    }
  }
}
