import type { TurnContext } from 'botbuilder';
import type { Application } from '@microsoft/teams-ai';
import { OUTCOMES, type Outcome } from '../../domain/concern';
import { personById, schoolById, type Person, type Roster } from '../../domain/roster';
import { AccessDeniedError } from '../../domain/errors';
import { acceptCase, closeCase, listMyCases, replyInfo, requestInfo, factsOf } from '../../services/concerns';
import { actorOf, notRegisteredText } from '../actor';
import { actionRefOf, field, onCardAction } from '../cardActions';
import type { AdaptiveCard } from '../cards/adaptiveCard';
import { caseListCard, noticeCard, VERBS } from '../cards/caseCards';
import { ok, type Notice } from '../cards/adaptiveCard';
import type { ActionRef } from '../../domain/effects';
import { translatorFor } from '../context';
import type { BotDeps } from '../deps';
import { describeFailure } from '../failures';
import type { Translate } from '../i18n';
import type { AppTurnState } from '../turnState';
import { caseView, worklistView, type CommandHandlers, type ViewDeps } from '../views';

/** Where a case action came from and goes back to: the case (default) or the worklist. */
type Back = 'case' | 'todo';

export function registerCaseRoutes(app: Application<AppTurnState>, deps: BotDeps, v: ViewDeps, commands: CommandHandlers): void {
  const listCard = async (person: Person, roster: Roster, t: Translate, via: string): Promise<AdaptiveCard> => {
    const cases = await listMyCases(deps.services, person, { via });
    const items = cases.map((c) => ({ facts: factsOf(c), schoolName: schoolById(roster, c.schoolId)?.name ?? c.schoolId, createdAt: c.createdAt }));
    return caseListCard({ items, reportConcernUrl: roster.municipality.reportConcernUrl }, t);
  };

  commands.set('myCases', async ({ person, roster, t, via }) => listCard(person, roster, t, via));
  commands.set('todo', async ({ person, roster, t, via }) => worklistView(v, person, roster, t, via));

  const viewCard = (person: Person, roster: Roster, code: string, t: Translate, via: string, notice?: Notice) => caseView(v, person, roster, code, t, via, notice);
  const backTo = (data: Record<string, unknown>): Back => (field(data, 'from', 10) === 'todo' ? 'todo' : 'case');

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
        return shownAgain(person, roster, code, t, verb, 'case', err, describeFailure(err, t, deps.logger));
      }
    });

  /**
   * The case (or the worklist it was acted on from) again with what went wrong, when the actor may
   * still see it (then a refusal is about the action, not the case); otherwise only the message.
   */
  const shownAgain = async (person: Person, roster: Roster, code: string, t: Translate, verb: string, back: Back, err: unknown, message: string) => {
    // Shown beside a case the actor may see, a refusal is about the action, not the case.
    const notice = err instanceof AccessDeniedError ? t('case.actionNotAllowed') : message;
    try {
      if (back === 'todo') return await worklistView(v, person, roster, t, `card:${verb}:retry`, notice);
      return await viewCard(person, roster, code, t, `card:${verb}:retry`, notice);
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
      const back = backTo(data);
      let notice: Notice;
      try {
        notice = await change({ person, code, data, t, action: actionRefOf(context, verb, data) });
      } catch (err) {
        // Taking a concern from the worklist that someone else took a moment earlier: the list again, with
        // words that fit that and a refusal alike (neither who has it nor whether it exists is said).
        if (err instanceof AccessDeniedError && verb === VERBS.accept && back === 'todo') return shownAgain(person, roster, code, t, verb, back, undefined, t('case.takeFailed'));
        return shownAgain(person, roster, code, t, verb, back, err, describeFailure(err, t, deps.logger, { change: true }));
      }
      try {
        if (back === 'todo') return await worklistView(v, person, roster, t, `card:${verb}`, notice);
        return await viewCard(person, roster, code, t, `card:${verb}`, notice);
      } catch (err) {
        deps.logger.warn({ err: { type: (err as Error)?.name, status: (err as { statusCode?: number }).statusCode }, verb }, 'stored, but the case could not be shown');
        return noticeCard({ title: typeof notice === 'string' ? notice : notice.text, body: t('error.savedCannotShow'), caseCode: code }, t);
      }
    }, { changes: true });

  caseAction(VERBS.list, async ({ person, roster, t }) => listCard(person, roster, t, `card:${VERBS.list}`));
  caseAction(VERBS.open, async ({ person, roster, code, t }) => viewCard(person, roster, code, t, `card:${VERBS.open}`));

  changeAction(VERBS.accept, async ({ person, code, t, action }) => {
    const result = await acceptCase(deps.services, person, code, action);
    if (result.status === 'unchanged') return ok(t('case.alreadyAccepted', { code }));
    return ok(t(result.taken ? 'case.taken' : 'case.accepted', { code }));
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
    if (!(OUTCOMES as readonly string[]).includes(outcome)) return t('case.error.chooseOutcome');
    const closed = await closeCase({ ...deps.services, meetings: v.meetings.meetings }, person, code, outcome as Outcome, action);
    return ok(t(closed.meetingsCancelled > 0 ? 'case.closedWithMeetings' : 'case.closed', { code, n: closed.meetingsCancelled }));
  });
}
