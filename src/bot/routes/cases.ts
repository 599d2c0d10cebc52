import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { Application } from '@microsoft/teams-ai';
import { OUTCOMES, isAnonymous, type Outcome } from '../../domain/concern';
import { decide } from '../../domain/access';
import { personById, schoolById, type Person, type Roster } from '../../domain/roster';
import { AccessDeniedError } from '../../domain/errors';
import { acceptCase, closeCase, listMyCases, replyInfo, requestInfo, viewCase, factsOf } from '../../services/concerns';
import { actorOf, notRegisteredText } from '../actor';
import { field, onCardAction } from '../cardActions';
import type { AdaptiveCard } from '../cards/adaptiveCard';
import { caseCard, caseListCard, noticeCard, VERBS } from '../cards/caseCards';
import { isCommand } from '../commands';
import { translatorFor } from '../context';
import type { BotDeps } from '../deps';
import { describeFailure } from '../failures';
import type { Translate } from '../i18n';
import type { AppTurnState } from '../turnState';

export function registerCaseRoutes(app: Application<AppTurnState>, deps: BotDeps): void {
  const listCard = async (person: Person, roster: Roster, t: Translate): Promise<AdaptiveCard> => {
    const cases = await listMyCases(deps.services, person);
    const items = cases.map((c) => ({ facts: factsOf(c), schoolName: schoolById(roster, c.schoolId)?.name ?? c.schoolId, createdAt: c.createdAt }));
    return caseListCard({ items, reportConcernUrl: roster.municipality.reportConcernUrl }, t);
  };

  const viewCard = async (person: Person, roster: Roster, code: string, t: Translate, via: string, notice?: string): Promise<AdaptiveCard> => {
    const view = await viewCase(deps.services, person, code, via);
    const c = view.case;
    return caseCard(
      {
        case: c,
        schoolName: schoolById(roster, c.schoolId)?.name ?? c.schoolId,
        contactName: personById(roster, c.assignedTo)?.name ?? c.assignedTo,
        timeline: view.timeline.map((e) => ({ ...e, byName: personById(roster, e.by)?.name ?? e.by })),
        as: view.as,
        showSchoolRef: decide(person, c, 'viewSchoolRef').allowed && !isAnonymous(c),
        notice,
        reportConcernUrl: roster.municipality.reportConcernUrl,
      },
      t,
    );
  };

  app.message(isCommand('myCases'), async (context) => {
    const t = translatorFor(context);
    const { person, roster } = await actorOf(context, deps);
    if (!person) return void (await context.sendActivity(notRegisteredText(roster, t)));
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(await listCard(person, roster, t))));
  });

  /** Every case action: resolve the actor, run the use case, answer with a card; failures become a notice. */
  const caseAction = (verb: string, run: (a: { context: TurnContext; person: Person; roster: Roster; code: string; data: Record<string, unknown>; t: Translate }) => Promise<AdaptiveCard>) =>
    onCardAction(app, verb, deps.logger, async (context, _state, data) => {
      const t = translatorFor(context);
      const { person, roster } = await actorOf(context, deps);
      if (!person) return noticeCard({ title: notRegisteredText(roster, t) }, t);
      const code = field(data, 'caseCode', 40);
      try {
        return await run({ context, person, roster, code, data, t });
      } catch (err) {
        const message = describeFailure(err, t, deps.logger);
        // Show the case again when the actor may still see it (then a refusal is about the action, not the case).
        try {
          return await viewCard(person, roster, code, t, `card:${verb}:retry`, err instanceof AccessDeniedError ? t('case.actionNotAllowed') : message);
        } catch {
          return noticeCard({ title: message }, t);
        }
      }
    });

  caseAction(VERBS.list, async ({ person, roster, t }) => listCard(person, roster, t));
  caseAction(VERBS.open, async ({ person, roster, code, t }) => viewCard(person, roster, code, t, `card:${VERBS.open}`));

  caseAction(VERBS.accept, async ({ person, roster, code, t }) => {
    const result = await acceptCase(deps.services, person, code);
    return viewCard(person, roster, code, t, `card:${VERBS.accept}`, t(result.alreadyAccepted ? 'case.alreadyAccepted' : 'case.accepted', { code }));
  });

  const relay = (verb: string, send: typeof requestInfo) =>
    caseAction(verb, async ({ person, roster, code, data, t }) => {
      const result = await send(deps.services, person, code, field(data, 'message', 4000));
      return viewCard(person, roster, code, t, `card:${verb}`, t(result.delivered ? 'case.relaySent' : 'case.relayNotDelivered'));
    });
  relay(VERBS.requestInfo, requestInfo);
  relay(VERBS.replyInfo, replyInfo);

  caseAction(VERBS.close, async ({ person, roster, code, data, t }) => {
    const outcome = field(data, 'outcome', 40);
    if (!(OUTCOMES as readonly string[]).includes(outcome)) return viewCard(person, roster, code, t, `card:${VERBS.close}`, t('form.error.invalidChoice'));
    await closeCase(deps.services, person, code, outcome as Outcome);
    return viewCard(person, roster, code, t, `card:${VERBS.close}`, t('case.closed', { code }));
  });
}
