import { cardMessage } from '../cardMessage';
import type { TurnContext } from 'botbuilder';
import type { Application } from '@microsoft/teams-ai';
import { OUTCOMES, isAnonymous, type Outcome } from '../../domain/concern';
import { decide } from '../../domain/access';
import { personById, schoolById, type Person, type Roster } from '../../domain/roster';
import { AccessDeniedError } from '../../domain/errors';
import { acceptCase, closeCase, listMyCases, replyInfo, requestInfo, viewCase, factsOf } from '../../services/concerns';
import { actorOf, notRegisteredText } from '../actor';
import { actionRefOf, field, onCardAction } from '../cardActions';
import type { AdaptiveCard } from '../cards/adaptiveCard';
import { caseCard, caseListCard, noticeCard, VERBS } from '../cards/caseCards';
import { ok, type Notice } from '../cards/adaptiveCard';
import type { ActionRef } from '../../domain/effects';
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

  const viewCard = async (person: Person, roster: Roster, code: string, t: Translate, via: string, notice?: Notice): Promise<AdaptiveCard> => {
    const view = await viewCase(deps.services, person, code, via);
    const c = view.case;
    return caseCard(
      {
        case: c,
        schoolName: schoolById(roster, c.schoolId)?.name ?? c.schoolId,
        contactName: personById(roster, c.assignedTo)?.name ?? c.assignedTo,
        timeline: view.timeline.map((e) => ({ ...e, byName: personById(roster, e.by)?.name ?? e.by })),
        deliveries: view.deliveries.map((d) => ({ kind: d.kind, toName: personById(roster, d.to)?.name ?? d.to, state: d.state, deliveredAt: d.deliveredAt })),
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
    await context.sendActivity(cardMessage(await listCard(person, roster, t), t.lang));
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
        return shownAgain(person, roster, code, t, verb, err, describeFailure(err, t, deps.logger));
      }
    });

  /**
   * The case again with what went wrong, when the actor may still see it (then a refusal is about
   * the action, not the case); otherwise only the message.
   */
  const shownAgain = async (person: Person, roster: Roster, code: string, t: Translate, verb: string, err: unknown, message: string) => {
    try {
      return await viewCard(person, roster, code, t, `card:${verb}:retry`, err instanceof AccessDeniedError ? t('case.actionNotAllowed') : message);
    } catch {
      return noticeCard({ title: message }, t);
    }
  };

  /**
   * A case action that changes something: one transaction (see changeCase). A failure says what is
   * true ("nothing was saved", or "cannot tell: try again, it applies once"); once it is stored, the
   * answer never says otherwise, even if the case cannot be shown right now.
   */
  const changeAction = (verb: string, change: (a: { person: Person; code: string; data: Record<string, unknown>; t: Translate; action: ActionRef }) => Promise<Notice>) =>
    onCardAction(app, verb, deps.logger, async (context, _state, data) => {
      const t = translatorFor(context);
      const { person, roster } = await actorOf(context, deps);
      if (!person) return noticeCard({ title: notRegisteredText(roster, t) }, t);
      const code = field(data, 'caseCode', 40);
      let notice: Notice;
      try {
        notice = await change({ person, code, data, t, action: actionRefOf(context, verb, data) });
      } catch (err) {
        return shownAgain(person, roster, code, t, verb, err, describeFailure(err, t, deps.logger, { change: true }));
      }
      try {
        return await viewCard(person, roster, code, t, `card:${verb}`, notice);
      } catch (err) {
        deps.logger.warn({ err: { type: (err as Error)?.name, status: (err as { statusCode?: number }).statusCode }, verb }, 'stored, but the case could not be shown');
        return noticeCard({ title: typeof notice === 'string' ? notice : notice.text, body: t('error.savedCannotShow'), caseCode: code }, t);
      }
    }, { changes: true });

  caseAction(VERBS.list, async ({ person, roster, t }) => listCard(person, roster, t));
  caseAction(VERBS.open, async ({ person, roster, code, t }) => viewCard(person, roster, code, t, `card:${VERBS.open}`));

  changeAction(VERBS.accept, async ({ person, code, t, action }) => {
    const result = await acceptCase(deps.services, person, code, action);
    return ok(t(result.status === 'unchanged' ? 'case.alreadyAccepted' : 'case.accepted', { code }));
  });

  const relay = (verb: string, send: typeof requestInfo) =>
    changeAction(verb, async ({ person, code, data, t, action }) => {
      const result = await send(deps.services, person, code, field(data, 'message', 4000), action);
      const name = personById(await deps.services.roster.get(), result.recipientId)?.name ?? result.recipientId;
      return ok(t('case.relaySaved', { name }));
    });
  relay(VERBS.requestInfo, requestInfo);
  relay(VERBS.replyInfo, replyInfo);

  changeAction(VERBS.close, async ({ person, code, data, t, action }) => {
    const outcome = field(data, 'outcome', 40);
    if (!(OUTCOMES as readonly string[]).includes(outcome)) return t('form.error.invalidChoice');
    await closeCase(deps.services, person, code, outcome as Outcome, action);
    return ok(t('case.closed', { code }));
  });
}
