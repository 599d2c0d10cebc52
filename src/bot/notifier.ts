import { CardFactory, MessageFactory } from 'botbuilder';
import { inConversation } from './proactive';
import type { SendLimits } from './sendLimits';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Notification, Notifier, RosterStore } from '../domain/ports';
import { personById, schoolById } from '../domain/roster';
import type { Logger } from '../logger';
import type { ConversationRefStore } from '../storage/conversationRefs';
import type { AdaptiveCard } from './cards/adaptiveCard';
import { caseAssignedCard, noticeCard, relayCard } from './cards/caseCards';
import { translator } from './i18n';
import { digestCard, reminderCard } from './cards/reminderCards';
import { statusOf } from '../storage/tableErrors';

export interface NotifierDeps {
  adapter: TeamsAdapter;
  botAppId: string;
  refs: ConversationRefStore;
  roster: RosterStore;
  logger: Logger;
  /** Waits `ms` before a retry (injected so tests do not sleep). */
  wait?: (ms: number) => Promise<void>;
  /** Teams' send limits; shared with every other proactive sender of this instance. */
  limits?: SendLimits;
}

const MAX_ATTEMPTS = 3;

/**
 * Proactive messages through the user's stored personal conversation. A user without a stored
 * reference, or who blocked/uninstalled the bot (403), is "unreachable". 429 and 5xx are retried by the
 * connector client's pipeline (which honours Retry-After); a 429 without Retry-After is retried here.
 */
export function teamsNotifier(deps: NotifierDeps): Notifier {
  const wait = deps.wait ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  return {
    async notify(personId, notification) {
      const roster = await deps.roster.get();
      const person = personById(roster, personId);
      const ref = person ? await deps.refs.get(person.aadObjectId) : undefined;
      if (!person || !ref) {
        deps.logger.info({ personId, kind: notification.kind }, 'recipient unreachable: no conversation reference');
        return 'unreachable';
      }
      const t = translator(ref.locale);
      const card = cardFor(notification, roster, t);
      for (let attempt = 1; ; attempt++) {
        try {
          await deps.limits?.acquire(ref.conversation?.tenantId ?? '', ref.conversation?.id ?? '');
          await inConversation(deps.adapter, deps.botAppId, ref, (context) => context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card))));
          return 'sent';
        } catch (err) {
          const status = statusOf(err);
          if (status === 403 || status === 404) {
            deps.logger.warn({ personId, kind: notification.kind, status }, 'recipient unreachable: bot blocked or removed');
            return 'unreachable';
          }
          // The connector client already retries 5xx and honours Retry-After on 429 itself (azure core
          // pipeline); a 429 without Retry-After reaches us and is retried here with backoff.
          if (status !== 429 || attempt >= MAX_ATTEMPTS) throw err;
          await wait(1000 * 2 ** (attempt - 1));
        }
      }
    },
  };
}

function cardFor(n: Notification, roster: Awaited<ReturnType<RosterStore['get']>>, t: ReturnType<typeof translator>): AdaptiveCard {
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
    case 'newContact': {
      const school = schoolById(roster, n.schoolId)?.name ?? n.schoolId;
      const name = nameOf(n.socialWorkerId);
      return noticeCard({ title: t('newContact.title', { school }), body: t('newContact.body', { name }) }, t);
    }
  }
}
