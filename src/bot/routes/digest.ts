import type { Application } from '@microsoft/teams-ai';
import { digestCodes } from '../../domain/digest';
import { hasRole, personById, type Person, type Roster } from '../../domain/roster';
import { stockholmDate } from '../../domain/time';
import { teamDigest, type DeliveryDeps } from '../../services/deliverReminder';
import { nudge, type NudgeTarget } from '../../services/nudges';
import { actorOf, notRegisteredText } from '../actor';
import { actionRefOf, field, onCardAction } from '../cardActions';
import { ok, type AdaptiveCard, type Notice } from '../cards/adaptiveCard';
import { noticeCard } from '../cards/caseCards';
import { NUDGE_VERB, digestCard } from '../cards/reminderCards';
import { translatorFor } from '../context';
import { refusedByRole } from '../refusals';
import type { BotDeps } from '../deps';
import { describeFailure } from '../failures';
import type { Translate } from '../i18n';
import type { AppTurnState } from '../turnState';
import { unreachableReasons } from '../unreachable';
import type { CommandHandlers } from '../views';

export function registerDigestRoutes(app: Application<AppTurnState>, deps: BotDeps, delivery: DeliveryDeps, commands: CommandHandlers): void {
  /** The team's digest as of now; every case code it shows is logged as read first. */
  const card = async (person: Person & { team: string }, roster: Roster, t: Translate, via: string, notice?: Notice): Promise<AdaptiveCard> => {
    const digest = await teamDigest(delivery, person.team);
    await deps.services.accessLog.recordMany(
      digestCodes(digest).map((code) => ({ at: deps.clock.now().toISOString(), actorId: person.id, action: 'list', caseCode: code, allowed: true, via })),
    );
    const reasons = await unreachableReasons({ refs: deps.conversationRefs, logger: deps.logger }, roster, digest);
    return digestCard(digest, { nameOf: (id) => personById(roster, id)?.name ?? id, reasonOf: (id) => reasons.get(id) }, t, notice);
  };
  const leads = (person: Person): person is Person & { team: string } => hasRole(person, 'groupLeader') && person.team !== undefined;

  commands.set('digest', async ({ person, roster, t, via }) => {
    if (!leads(person)) {
      await refusedByRole(deps, person, 'list', via);
      return t('digest.onlyGroupLeader');
    }
    return card(person, roster, t, via);
  });

  /**
   * "Påminn": the group leader reminds whoever an item waits for. At most once a day per item (a
   * second press, from this digest or tomorrow's copy of today's, changes nothing and says so).
   */
  onCardAction(app, NUDGE_VERB, deps.logger, async (context, _state, data) => {
    const t = translatorFor(context);
    const { person, roster } = await actorOf(context, deps);
    if (!person) return noticeCard({ title: notRegisteredText(roster, t) }, t);
    if (!leads(person)) {
      await refusedByRole(deps, person, 'nudge', `card:${NUDGE_VERB}`);
      return noticeCard({ title: t('digest.onlyGroupLeader') }, t);
    }
    const caseCode = field(data, 'caseCode', 40);
    const about = field(data, 'about', 10);
    const target: NudgeTarget | undefined =
      about === 'accept' ? { about, caseCode } : about === 'meeting' ? { about, caseCode, meetingId: field(data, 'meetingId', 20) } : about === 'review' ? { about, caseCode, planId: field(data, 'planId', 20) } : undefined;
    if (!target) return noticeCard({ title: t('card.unknownAction') }, t);
    const day = stockholmDate(deps.clock.now());
    let notice: Notice;
    try {
      const done = await nudge({ ...deps.services, meetings: delivery.meetings, plans: delivery.plans }, person, target, actionRefOf(context, NUDGE_VERB, data, { ...target, day }));
      const name = personById(roster, done.to ?? '')?.name ?? '';
      notice = done.status === 'unchanged' ? t('nudge.noLongerWaiting', { code: caseCode }) : done.status === 'repeat' ? ok(t('nudge.already', { name, code: caseCode })) : ok(t('nudge.saved', { name, code: caseCode }));
    } catch (err) {
      return noticeCard({ title: describeFailure(err, t, deps.logger, { change: true }) }, t);
    }
    try {
      return await card(person, roster, t, `card:${NUDGE_VERB}`, notice);
    } catch (err) {
      deps.logger.warn({ err: { type: (err as Error)?.name } }, 'nudge stored, but the digest could not be shown');
      return noticeCard({ title: typeof notice === 'string' ? notice : notice.text, body: t('error.savedCannotShow'), caseCode }, t);
    }
  }, { changes: true });
}
