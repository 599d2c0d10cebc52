import { TurnContext, type ConversationParameters, type ConversationReference } from 'botbuilder';
import { personById } from '../domain/roster';
import { RetryLaterError } from '../effects/dispatcher';
import { statusOf } from '../storage/tableErrors';
import { translator } from './i18n';
import { retryAfterMs, unreachableReasonOf, type NotifierDeps, type Reachable } from './notifier';

export type PersonalChatDeps = Pick<NotifierDeps, 'adapter' | 'botAppId' | 'refs' | 'roster' | 'logger' | 'clock' | 'limits'> & {
  /** The tenant to create chats in when no stored conversation names one (BOT_TENANT_ID). */
  tenantId?: string;
  /**
   * The person is reachable now and messages were held for them (`heldTag` from the store): deliver
   * them (the dispatcher's release, as on their own next turn).
   */
  onReachable?: (personId: string, aadObjectId: string, heldTag: string) => void;
};

/**
 * The personal chat with a roster member the bot has no conversation with: Teams delivers the
 * `conversationUpdate` of an installation late or not at all (a setup-policy install arrives "at the
 * next cache refresh"), so the bot asks the Bot Connector to create the 1:1 chat (createConversation
 * with the tenant, the bot and the person's Entra object id), stores it like one the person opened
 * and returns it (messages held for them meanwhile are then delivered too: onReachable). Undefined when that is not possible: off (local mode), no service URL known yet
 * (nobody has ever reached the bot), or Teams says the app is not installed for them (403
 * ForbiddenOperationException, recorded as "appNotInstalled" for the digest and not retried: their
 * messages are held until they open the bot). 429, 412 and 5xx are thrown, for the dispatcher's retry.
 */
export function personalChatCreator(deps: PersonalChatDeps): (personId: string) => Promise<Reachable | undefined> {
  /** A stored reference to borrow the service URL, tenant and bot account from, once found. */
  let template: Partial<ConversationReference> | undefined;
  return async (personId) => {
    const roster = await deps.roster.get();
    const person = personById(roster, personId);
    if (!person) return undefined;
    template ??= await deps.refs.anyReference();
    const serviceUrl = template?.serviceUrl;
    const tenantId = template?.conversation?.tenantId ?? deps.tenantId;
    if (!serviceUrl || !tenantId) {
      deps.logger.info({ personId }, 'no personal chat created: no stored conversation gives the service URL and tenant yet');
      return undefined;
    }
    const params = {
      isGroup: false,
      bot: template?.bot,
      members: [{ id: person.aadObjectId, name: '' }],
      tenantId,
      channelData: { tenant: { id: tenantId } },
    } as ConversationParameters;
    let created: Partial<ConversationReference> | undefined;
    // The creation is a request like a send: it takes its place in the tenant's budget.
    try {
      await deps.limits?.acquire(tenantId, `create:${person.aadObjectId}`);
      // audience undefined: the Bot Connector's own scope (the type says string; an empty one would be used as is).
      await deps.adapter.createConversationAsync(deps.botAppId, template?.channelId ?? 'msteams', serviceUrl, undefined as unknown as string, params, async (context) => {
        created = TurnContext.getConversationReference(context.activity);
      });
    } catch (err) {
      if (err instanceof RetryLaterError) throw err;
      const status = statusOf(err);
      if (status === 403 || status === 404) {
        const reason = unreachableReasonOf(err);
        deps.logger.warn({ personId, status, reason }, 'personal chat not created: the app is not installed for this person (or the bot is blocked)');
        await deps.refs.noteUnreachable(person.aadObjectId, reason, deps.clock.now()).catch(() => undefined);
        return undefined;
      }
      if (status === 429) throw new RetryLaterError('Teams asked the bot to slow down (429) while creating a chat', retryAfterMs(err) ?? 30_000);
      if (status !== undefined && status >= 400 && status < 500 && status !== 412) {
        deps.logger.warn({ personId, status, code: (err as { code?: string }).code }, 'personal chat not created: refused by the Bot Connector');
        return undefined;
      }
      throw err;
    }
    if (!created?.conversation?.id) return undefined;
    delete created.activityId;
    created.conversation = { ...created.conversation, conversationType: 'personal', tenantId };
    const { heldTag } = await deps.refs.touch(person.aadObjectId, created, deps.clock.now());
    deps.logger.info({ personId }, 'personal chat created for a roster member the bot had no conversation with');
    if (heldTag) deps.onReachable?.(person.id, person.aadObjectId, heldTag);
    return { person, ref: created, roster, t: translator(created.locale) };
  };
}
