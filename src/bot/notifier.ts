import { cardMessage } from './cardMessage';
import type { ConversationReference } from 'botbuilder';
import { inConversation } from './proactive';
import type { SendLimits } from './sendLimits';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Clock } from '../domain/clock';
import type { Notification, Notifier, RosterStore } from '../domain/ports';
import { isAway, personById, schoolById, socialWorkersOf, type Person, type Roster } from '../domain/roster';
import type { Logger } from '../logger';
import type { ConversationRefStore, UnreachableReason } from '../storage/conversationRefs';
import type { AdaptiveCard } from './cards/adaptiveCard';
import { caseAssignedCard, concernReceivedCard, escalationCard, noticeCard, relayCard } from './cards/caseCards';
import { isMessageKey, personLanguage, translator, type MessageKey, type Translate } from './i18n';
import { stockholmDate } from '../domain/time';
import { digestCard, nudgeCard, reminderCard } from './cards/reminderCards';
import { statusOf } from '../storage/tableErrors';
import { RetryLaterError } from '../effects/dispatcher';
import { timeLabel } from './cards/labels';
import { realSleep, type Sleep } from '../services/timeBudget';
import { unreachableReasons } from './unreachable';
import type { MessageEdits } from './messageEdits';

export interface NotifierDeps {
  adapter: TeamsAdapter;
  botAppId: string;
  refs: ConversationRefStore;
  roster: RosterStore;
  logger: Logger;
  clock: Clock;
  /** Teams' send limits; shared with every other proactive sender of this instance. */
  limits?: SendLimits;
  /** Waits before a quick retry (tests inject one that does not really wait). */
  sleep?: Sleep;
  /** Jitter for retry waits, in [0, 1) (tests inject a fixed one). */
  random?: () => number;
  /**
   * Creates the personal chat with a roster member the bot has no conversation with (Teams:
   * personalChatCreator). Absent in local mode: each Agents Playground is one person, and a chat
   * created through another person's Playground would show up in theirs.
   */
  createChat?: (personId: string) => Promise<Reachable | undefined>;
  /** Orders this instance's edits of a message: an edit decided here supersedes a card action's answer not yet put into it. */
  edits?: MessageEdits;
  /** Local mode only (BOT_LOCALE): stands in for the client's locale, for proactive cards too. */
  localeOverride?: string;
}

/** A card that arrives this much later than meant says when it was meant. */
const LATE_AFTER_MS = 15 * 60_000;
/** A 429 without Retry-After: try again after this long. */
const DEFAULT_RETRY_AFTER_MS = 30_000;
/** What Teams asks bots to retry with backoff (Bot API error codes): besides 429, which waits for Retry-After. */
export const RETRIED_STATUSES: ReadonlySet<number> = new Set([412, 502, 503, 504]);
/** Network failures before an answer (no status): retried like a 502. */
const RETRIED_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EPIPE', 'REQUEST_SEND_ERROR']);
/** Retries inside one attempt of an effect; after them the dispatcher's own backoff takes over. */
export const QUICK_RETRIES = 2;
/** First wait of the quick retries (doubled each time, jittered between half and all of it). */
export const QUICK_BACKOFF_MS = 1_000;
/** A Retry-After up to this long is waited for here; a longer one is the dispatcher's (it stores the time and moves on). */
export const MAX_QUICK_RETRY_AFTER_MS = 5_000;

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

/** Where a send goes: a conversation, and (for logs and the digest) whose it is. */
export interface SendTarget {
  ref: Partial<ConversationReference>;
  person?: Pick<Person, 'id' | 'aadObjectId'>;
}

/**
 * Runs one send or update in a chat within Teams' send limits, answering for Teams' error codes:
 * 403/404 → 'unreachable' (with why, recorded for the digest: 403 ForbiddenOperationException is
 * "the app is not installed for them"), not retried; 412, 502, 503, 504 and network failures → up to
 * QUICK_RETRIES more tries after a jittered, doubling wait, then thrown for the dispatcher's backoff;
 * 429 → its Retry-After waited for here when short, else RetryLaterError with it (the dispatcher tries
 * again then); a send the limiter would hold back too long → RetryLaterError too. Anything else is
 * thrown. The connector client's own retry policy is removed (withoutHiddenRetries), so every wait
 * is one of these, bounded and visible.
 */
export async function sendWithin(
  deps: Pick<NotifierDeps, 'adapter' | 'botAppId' | 'limits' | 'logger' | 'sleep' | 'random' | 'refs' | 'clock'>,
  to: SendTarget,
  what: string,
  send: Parameters<typeof inConversation>[3],
): Promise<'sent' | 'unreachable'> {
  const sleep = deps.sleep ?? realSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      await deps.limits?.acquire(to.ref.conversation?.tenantId ?? '', to.ref.conversation?.id ?? '');
      await inConversation(deps.adapter, deps.botAppId, to.ref, send);
      return 'sent';
    } catch (err) {
      if (err instanceof RetryLaterError) throw err; // the limiter: not now
      // Only the Bot Connector's answers are Teams' to classify; a failure of anything else in `send` (the store) is its own.
      if (!fromConnector(err, to.ref)) throw err;
      const status = statusOf(err);
      if (status === 403 || status === 404) {
        const reason = unreachableReasonOf(err);
        deps.logger.warn({ personId: to.person?.id, what, status, reason }, 'recipient unreachable');
        if (to.person) await recordReason(deps, to.person.aadObjectId, reason);
        return 'unreachable';
      }
      if (status === 429) {
        const wait = retryAfterMs(err) ?? DEFAULT_RETRY_AFTER_MS;
        if (attempt < QUICK_RETRIES && wait <= MAX_QUICK_RETRY_AFTER_MS) {
          deps.logger.info({ personId: to.person?.id, what, waitMs: wait }, 'Teams asked to slow down (429): waiting for Retry-After');
          await sleep(wait);
          continue;
        }
        throw new RetryLaterError('Teams asked the bot to slow down (429)', wait);
      }
      if (isRetried(err) && attempt < QUICK_RETRIES) {
        const base = QUICK_BACKOFF_MS * 2 ** attempt;
        const wait = Math.round(base / 2 + (deps.random ?? Math.random)() * (base / 2));
        deps.logger.info({ personId: to.person?.id, what, status, code: (err as { code?: string }).code, waitMs: wait }, 'send failed; trying again shortly');
        await sleep(wait);
        continue;
      }
      throw err;
    }
  }
}

/** True when `err` is the answer (or the failure) of a request to this conversation's Bot Connector. */
export function fromConnector(err: unknown, ref: Partial<ConversationReference>): boolean {
  const url = (err as { request?: { url?: unknown } }).request?.url;
  if (typeof url !== 'string' || !ref.serviceUrl) return false;
  try {
    const service = new URL(ref.serviceUrl);
    const request = new URL(url);
    return request.origin === service.origin && request.pathname.startsWith(service.pathname.replace(/\/?$/, '/'));
  } catch {
    return false;
  }
}

function isRetried(err: unknown): boolean {
  const status = statusOf(err);
  if (status !== undefined) return RETRIED_STATUSES.has(status);
  return RETRIED_CODES.has((err as { code?: string }).code ?? '');
}

/** 403 ForbiddenOperationException: the app is not installed for them; another 403: blocked or disabled; 404: the chat is gone. */
export function unreachableReasonOf(err: unknown): UnreachableReason {
  if (statusOf(err) === 404) return 'conversationGone';
  const code = (err as { code?: unknown }).code;
  return code === 'ForbiddenOperationException' ? 'appNotInstalled' : 'blocked';
}

async function recordReason(deps: Pick<NotifierDeps, 'refs' | 'clock' | 'logger'>, aadObjectId: string, reason: UnreachableReason): Promise<void> {
  await deps.refs.noteUnreachable(aadObjectId, reason, deps.clock.now()).catch((err) =>
    deps.logger.warn({ err: { type: (err as Error)?.name, status: statusOf(err) } }, 'reason for an unreachable recipient not recorded'),
  );
}

/** Retry-After in milliseconds (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(err: unknown): number | undefined {
  const header = (err as { response?: { headers?: { get?(name: string): string | undefined } } }).response?.headers?.get?.('retry-after')?.trim();
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header)) return Math.round(Number(header) * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * Proactive cards through the person's personal conversation: the stored one, else one created for
 * them (createPersonalChat, in Teams). A person the bot cannot reach (the app not installed for them,
 * blocked, removed) is 'unreachable': the caller holds the message and `hold` marks them, so it goes
 * out on their next turn. Retries and waits: see sendWithin.
 */
export function teamsNotifier(deps: NotifierDeps): Notifier {
  return {
    async notify(personId, notification, opts = {}) {
      const to = (await reach(deps, personId)) ?? (await deps.createChat?.(personId));
      if (!to) {
        deps.logger.info({ personId, kind: notification.kind }, 'recipient unreachable: no conversation with the bot');
        return 'unreachable';
      }
      const reasons = notification.kind === 'digest' ? await unreachableReasons(deps, to.roster, notification.digest) : undefined;
      const card = withDeliveryNotes(cardFor(notification, to.roster, to.t, deps.clock.now(), reasons), to.t, { at: opts.at, now: deps.clock.now(), mayRepeat: opts.mayRepeat });
      return sendWithin(deps, to, notification.kind, (context) => context.sendActivity(cardMessage(card, to.t.lang)));
    },
    async updateReceipt(personId, activityId, receipt) {
      const to = await reach(deps, personId);
      if (!to) return 'unreachable';
      // The receipt is the actor's own card: it keeps the language it was drawn in.
      const t = receipt.locale ? translator(receipt.locale) : to.t;
      const contact = personById(to.roster, receipt.card.contactId)?.name ?? receipt.card.contactId;
      const card = concernReceivedCard({ code: receipt.card.code, contactName: contact, anonymous: receipt.card.anonymous, delivery: receipt.outcome, reportConcernUrl: to.roster.municipality.reportConcernUrl }, t);
      deps.edits?.next(to.ref.conversation?.id ?? '', activityId);
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

function cardFor(n: Notification, roster: Roster, t: Translate, now: Date, reasons?: Map<string, UnreachableReason>): AdaptiveCard {
  const nameOf = (id: string) => personById(roster, id)?.name ?? id;
  switch (n.kind) {
    case 'caseAssigned':
      return caseAssignedCard({ facts: n.case, schoolName: schoolById(roster, n.case.schoolId)?.name ?? n.case.schoolId, via: n.via, byName: n.by ? nameOf(n.by) : undefined, reportConcernUrl: roster.municipality.reportConcernUrl }, t);
    case 'escalation': {
      // Whom the group leader can give it to: the team's social workers who are not away today.
      const today = stockholmDate(now);
      const choices = socialWorkersOf(roster, n.case.teamId).filter((p) => !isAway(p, today)).map((p) => ({ id: p.id, name: p.name }));
      return escalationCard({ facts: n.case, schoolName: schoolById(roster, n.case.schoolId)?.name ?? n.case.schoolId, since: timeLabel(n.since, t), assigneeName: nameOf(n.assigneeId), choices }, t);
    }
    case 'caseClosed':
      return n.note
        ? noticeCard({ title: t('closed.title', { code: n.caseCode }), body: `${t('closed.bodyConsultation', { code: n.caseCode, name: nameOf(n.by) })}\n\n${n.note}`, caseCode: n.caseCode }, t)
        : noticeCard({ title: t('closed.title', { code: n.caseCode }), body: t('closed.body', { name: nameOf(n.by), outcome: isMessageKey(`outcome.${n.outcome}`) ? t(`outcome.${n.outcome}` as MessageKey) : n.outcome }), caseCode: n.caseCode }, t);
    case 'caseHandedOver':
      return noticeCard({ title: t('handedOver.title', { code: n.caseCode }), body: t('handedOver.body', { by: nameOf(n.by), name: nameOf(n.to) }) }, t);
    case 'newCaseContact':
      return noticeCard({ title: t('newCaseContact.title', { code: n.caseCode }), body: t('newCaseContact.body', { code: n.caseCode, name: nameOf(n.socialWorkerId) }), caseCode: n.caseCode }, t);
    case 'consentChanged':
      return noticeCard({ title: t(`consentChanged.${n.change}.title`, { code: n.caseCode }), body: t(`consentChanged.${n.change}.body`, { name: nameOf(n.by), expires: n.expires ?? '' }), caseCode: n.caseCode }, t);
    case 'staffAdded':
      return noticeCard({ title: t('staffAdded.title', { code: n.caseCode }), body: t('staffAdded.body', { name: nameOf(n.by) }), caseCode: n.caseCode }, t);
    case 'away':
      return n.until
        ? noticeCard({ title: t('away.noticeTitle', { name: nameOf(n.personId) }), body: t('away.noticeBody', { name: nameOf(n.personId), from: n.from ?? '', until: n.until }) }, t)
        : noticeCard({ title: t('away.backTitle', { name: nameOf(n.personId) }), body: t('away.backBody') }, t);
    case 'caseAccepted':
      return noticeCard({ title: t('case.acceptedNotice', { code: n.caseCode, name: nameOf(n.by) }), caseCode: n.caseCode }, t);
    case 'infoRequested':
      return relayCard({ kind: 'infoRequested', caseCode: n.caseCode, fromName: nameOf(n.from), message: n.message, canReply: true }, t);
    case 'infoReplied':
      return relayCard({ kind: 'infoReplied', caseCode: n.caseCode, fromName: nameOf(n.from), message: n.message, canReply: true }, t);
    case 'reminder':
      return reminderCard(n, t);
    case 'digest':
      return digestCard(n.digest, { nameOf, reasonOf: (id) => reasons?.get(id) }, t);
    case 'nudge':
      return nudgeCard(n, { nameOf }, t);
    case 'newContact': {
      const school = schoolById(roster, n.schoolId)?.name ?? n.schoolId;
      const name = nameOf(n.socialWorkerId);
      return noticeCard({ title: t('newContact.title', { school }), body: t('newContact.body', { name }) }, t);
    }
  }
}
