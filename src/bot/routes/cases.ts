import type { TurnContext } from 'botbuilder';
import type { Application } from '@microsoft/teams-ai';
import { OUTCOMES, type Outcome } from '../../domain/concern';
import { CONSENT_FIELDS, parseConsent, schoolRefProblem, type ConsentField } from '../../domain/consent';
import { INSATS_FIELDS, parseInsats, type InsatsField } from '../../domain/insats';
import { settingsOf } from '../../domain/settings';
import { stockholmDate } from '../../domain/time';
import { reassignCase, recordConsentOn, recordInsatsOn, recordReportMade, setCaseStaff, withdrawConsentOn, type CaseWorkDeps } from '../../services/caseWork';
import { hasRole, personById, schoolById, type Person, type Roster } from '../../domain/roster';
import { AccessDeniedError, FormProblems } from '../../domain/errors';
import { ABSENCE_FIELDS } from '../../domain/absence';
import { acceptCase, closeCase, listMyCases, replyInfo, requestInfo, factsOf, type CloseAnswers } from '../../services/concerns';
import { actorOf, notRegisteredText } from '../actor';
import { actionRefOf, field, onCardAction } from '../cardActions';
import type { AdaptiveCard } from '../cards/adaptiveCard';
import { caseListCard, noticeCard, VERBS } from '../cards/caseCards';
import { ok, type Notice } from '../cards/adaptiveCard';
import type { ActionRef } from '../../domain/effects';
import { translatorFor } from '../context';
import type { BotDeps } from '../deps';
import { describeFailure } from '../failures';
import { isMessageKey, type Translate } from '../i18n';
import type { AppTurnState } from '../turnState';
import { caseView, worklistView, type CaseForms, type CommandHandlers, type ViewDeps } from '../views';
import type { MessageKey } from '../i18n';

/** Where a case action came from and goes back to: the case (default) or the worklist. */
type Back = 'case' | 'todo';

/** One problem of the closing form in words. */
function closeProblemText(fieldId: string, problem: string, t: Translate): string {
  if (fieldId === 'outcome') return t('case.error.chooseOutcome');
  if (problem === 'sameSchoolMoved') return t('case.error.sameSchoolMoved');
  const key = `form.error.${problem}`;
  return isMessageKey(key) ? t(key) : t('form.error.invalidChoice');
}

export function registerCaseRoutes(app: Application<AppTurnState>, deps: BotDeps, v: ViewDeps, commands: CommandHandlers): void {
  const listCard = async (person: Person, roster: Roster, t: Translate, via: string): Promise<AdaptiveCard> => {
    const cases = await listMyCases(deps.services, person, { via });
    const items = cases.map((c) => ({ facts: factsOf(c), schoolName: schoolById(roster, c.schoolId)?.name ?? c.schoolId, createdAt: c.createdAt }));
    return caseListCard({ items, reportConcernUrl: roster.municipality.reportConcernUrl }, t);
  };

  commands.set('myCases', async ({ person, roster, t, via }) => listCard(person, roster, t, via));
  commands.set('todo', async ({ person, roster, t, via }) => worklistView(v, person, roster, t, via));

  const viewCard = (person: Person, roster: Roster, code: string, t: Translate, via: string, notice?: Notice, forms?: CaseForms) => caseView(v, person, roster, code, t, via, notice, forms);
  const work: CaseWorkDeps = { ...deps.services, meetings: v.meetings.meetings, plans: v.plans };
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
  /**
   * What a changing action answers with: what happened (on the case, or the list it came from), or —
   * before anything was changed — the case again with a form still open, filled in, every problem beside its field.
   */
  type ChangeAnswer = Notice | { formAgain: CaseForms };
  const changeAction = (verb: string, change: (a: { person: Person; code: string; data: Record<string, unknown>; t: Translate; action: ActionRef }) => Promise<ChangeAnswer>) =>
    onCardAction(app, verb, deps.logger, async (context, _state, data) => {
      const t = translatorFor(context);
      const { person, roster } = await actorOf(context, deps);
      if (!person) return noticeCard({ title: notRegisteredText(roster, t) }, t);
      const code = field(data, 'caseCode', 40);
      const back = backTo(data);
      let notice: Notice;
      try {
        const answer = await change({ person, code, data, t, action: actionRefOf(context, verb, data) });
        if (typeof answer === 'object' && 'formAgain' in answer) {
          try {
            return await viewCard(person, roster, code, t, `card:${verb}:retry`, undefined, answer.formAgain);
          } catch (err) {
            // The case cannot be drawn again: one sentence, and Teams keeps the form as it was, filled in.
            return describeFailure(err, t, deps.logger, { change: true });
          }
        }
        notice = answer;
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
    const note = field(data, 'closingNote', 1000);
    // A request closes with an outcome, the absence and "still at the same school?"; a consultation with a
    // note (which of the two the case is, the service knows).
    const answers: CloseAnswers = {};
    for (const name of [...ABSENCE_FIELDS, 'sameSchool'] as const) {
      const x = typeof data[name] === 'number' && Number.isFinite(data[name]) ? String(data[name]) : field(data, name, 20);
      if (x) answers[name] = x;
    }
    try {
      const closed = await closeCase({ ...deps.services, meetings: v.meetings.meetings }, person, code, { outcome: (OUTCOMES as readonly string[]).includes(outcome) ? (outcome as Outcome) : undefined, note, answers }, action);
      return ok(t(closed.meetingsCancelled > 0 ? 'case.closedWithMeetings' : 'case.closed', { code, n: closed.meetingsCancelled }));
    } catch (err) {
      if (!(err instanceof FormProblems)) throw err;
      // Nothing was closed: the closing form again, open and filled in, every problem beside its field.
      const errors = Object.fromEntries(Object.entries(err.problems).map(([f, p]) => [f, closeProblemText(f, p, t)]));
      return { formAgain: { closeForm: { values: { ...(outcome ? { outcome } : {}), ...answers }, errors } } };
    }
  });

  const nameIn = async (id: string) => personById(await deps.services.roster.get(), id)?.name ?? id;
  const pick = <F extends string>(data: Record<string, unknown>, fields: readonly F[]) => Object.fromEntries(fields.map((f) => [f, field(data, f, 400)]).filter(([, x]) => x)) as Partial<Record<F, string>>;

  // Consent: recorded on a consultation (it becomes a request) or renewed; every problem beside its field, nothing typed lost.
  changeAction(VERBS.consentRecord, async ({ person, code, data, t, action }) => {
    const roster = await deps.services.roster.get();
    const { consentMaxMonths } = settingsOf(roster.municipality);
    const values = pick(data, [...CONSENT_FIELDS, 'schoolRef'] as const);
    const today = stockholmDate(deps.clock.now());
    const parsed = parseConsent(values, today, consentMaxMonths);
    const refProblem = values.schoolRef ? schoolRefProblem(values.schoolRef) : undefined;
    if (!parsed.ok || refProblem) {
      const problems: Partial<Record<ConsentField | 'schoolRef', string>> = { ...(parsed.ok ? {} : parsed.errors), ...(refProblem ? { schoolRef: refProblem } : {}) };
      const errors = Object.fromEntries(Object.entries(problems).map(([f, p]) => [f, t(`form.error.${p}` as MessageKey)]));
      // A personnummer is never sent back anywhere: that field comes back empty.
      const kept = Object.fromEntries(Object.entries(values).filter(([f]) => problems[f as ConsentField] !== 'personnummer'));
      return { formAgain: { consentForm: { values: kept, errors } } };
    }
    const saved = await recordConsentOn(work, person, code, { consent: parsed.consent, schoolRef: values.schoolRef }, action);
    const c = saved.case;
    // The other side is told: the social worker when the school recorded it, the school when the team did.
    const schoolSide = hasRole(person, 'eht') && (person.schools ?? []).includes(c.schoolId);
    const other = schoolSide ? c.assignedTo : c.raisedBy;
    const name = other === person.id ? undefined : await nameIn(other);
    const expires = c.consent?.expires ?? parsed.consent.expires;
    if (saved.converted) return ok(t('case.converted', { code, date: expires, name: name ?? '' }));
    return ok(name ? t('case.consentSaved', { date: expires, name }) : t('case.consentSavedNoOne', { date: expires }));
  });

  changeAction(VERBS.consentWithdraw, async ({ person, code, t, action }) => {
    const done = await withdrawConsentOn(work, person, code, action);
    return ok(t(done.meetingsCancelled > 0 ? 'case.consentWithdrawnWithMeetings' : 'case.consentWithdrawnSaved', { code, n: done.meetingsCancelled }));
  });

  changeAction(VERBS.insats, async ({ person, code, data, t, action }) => {
    const values = pick(data, INSATS_FIELDS);
    const parsed = parseInsats(values, stockholmDate(deps.clock.now()));
    if (!parsed.ok) {
      const errors = Object.fromEntries(Object.entries(parsed.errors).map(([f, p]) => [f, t(`insats.problem.${p}` as MessageKey)])) as Partial<Record<InsatsField, string>>;
      return { formAgain: { insatsForm: { values, errors } } };
    }
    await recordInsatsOn(work, person, code, parsed.insats, action);
    return ok(t('case.insatsSaved', { date: parsed.insats.intensiveUntil }));
  });

  changeAction(VERBS.reassign, async ({ person, code, data, t, action }) => {
    const to = field(data, 'to', 64);
    const done = await reassignCase(work, person, code, to, action);
    const name = await nameIn(done.to);
    return ok(t(done.status === 'unchanged' ? 'case.alreadyTheirs' : 'case.reassigned', { code, name }));
  });

  changeAction(VERBS.staff, async ({ person, code, data, t, action }) => {
    const ids = field(data, 'staff', 400).split(',').map((x) => x.trim()).filter(Boolean);
    const done = await setCaseStaff(work, person, code, ids, action);
    return ok(t(done.status === 'unchanged' ? 'case.staffUnchanged' : 'case.staffSaved'));
  });

  changeAction(VERBS.reportMade, async ({ person, code, data, t, action }) => {
    await recordReportMade(work, person, code, field(data, 'reportDate', 20), action);
    return ok(t('case.reportMadeSaved'));
  });
}
