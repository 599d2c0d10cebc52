import type { Application } from '@microsoft/teams-ai';
import { ABSENCE_FIELDS } from '../../domain/absence';
import { AccessDeniedError, DomainError, FormProblems } from '../../domain/errors';
import { MAX_GOALS, REVIEW_OUTCOMES, RESPONSIBILITY_ROLES, attainmentField, type ReviewOutcome } from '../../domain/plan';
import { personById, schoolById, type Person, type Roster } from '../../domain/roster';
import { stockholmDate } from '../../domain/time';
import { listMyCases } from '../../services/concerns';
import { plansOfCase, recordPlan, recordReviewOutcome, suggestedReview, type PlanDeps, type ReviewAnswers } from '../../services/plans';
import { parsePlanForm, pickPlanValues, type PlanFieldErrors, type PlanFormValues } from '../../services/planForm';
import { actorOf, notRegisteredText } from '../actor';
import { actionRefOf, field, onCardAction } from '../cardActions';
import { ok, type Notice } from '../cards/adaptiveCard';
import type { AdaptiveCard } from '../cards/adaptiveCard';
import { noticeCard } from '../cards/caseCards';
import { gradeLabel } from '../cards/labels';
import { PLAN_VERBS, choosePlanCaseCard, plansCard, type OpenReviewForm } from '../cards/planCards';
import { translatorFor } from '../context';
import type { BotDeps } from '../deps';
import { describeFailure } from '../failures';
import { isMessageKey, translator, type MessageKey, type Translate } from '../i18n';
import type { AppTurnState } from '../turnState';
import type { CommandHandlers } from '../views';

export { splitResponsibility } from '../../services/planForm';

/** A role's words in both languages (an old plan card's free-text "who" may name it either way). */
const roleNames = (role: string): string[] => (['sv', 'en'] as const).map((lang) => translator(lang)(`plan.role.${role as (typeof RESPONSIBILITY_ROLES)[number]}`));

/** One problem of the review form in words: the next date's, an absence percentage's, a goal's. */
function reviewProblemText(fieldId: string, problem: string, t: Translate): string {
  if (fieldId === 'nextDate') return isMessageKey(`plan.error.${problem}`) ? t(`plan.error.${problem}` as MessageKey) : t('form.error.invalidDate');
  if ((ABSENCE_FIELDS as readonly string[]).includes(fieldId)) return isMessageKey(`form.error.${problem}`) ? t(`form.error.${problem}` as MessageKey) : t('form.error.percent');
  return t('plan.problem.attainment');
}

export function registerPlanRoutes(app: Application<AppTurnState>, deps: BotDeps, planDeps: PlanDeps, commands: CommandHandlers): void {
  const problem = (err: unknown, t: Translate, change = false) => {
    if (err instanceof DomainError && err.code.startsWith('plan.')) {
      const key = `plan.error.${err.code.slice(5)}`;
      if (isMessageKey(key)) return t(key, err.details);
    }
    return describeFailure(err, t, deps.logger, { change });
  };

  const today = () => stockholmDate(deps.clock.now());

  const view = async (
    person: Person,
    roster: Roster,
    caseCode: string,
    t: Translate,
    extra: { values?: PlanFormValues; errors?: PlanFieldErrors; reviewForm?: OpenReviewForm; notice?: Notice; via?: string } = {},
  ): Promise<AdaptiveCard> => {
    const { plans, canEdit, canAdd, blocked, people } = await plansOfCase(planDeps, person, caseCode, extra.via);
    return plansCard(
      {
        caseCode, plans, nameOf: (id) => personById(roster, id)?.name ?? id, canEdit, canAdd, blocked, people: people.map((p) => ({ id: p.id, name: p.name })),
        suggestedReview: await suggestedReview(planDeps), today: today(), values: extra.values ?? {}, errors: extra.errors, reviewForm: extra.reviewForm, notice: extra.notice,
      },
      t,
    );
  };

  commands.set('plans', async ({ person, roster, t, via }) => {
    const open = (await listMyCases(deps.services, person, { via })).filter((c) => c.status !== 'closed');
    return open.length === 1
      ? view(person, roster, open[0].code, t, { via })
      : choosePlanCaseCard(open.map((c) => ({ code: c.code, label: `${c.code} · ${schoolById(roster, c.schoolId)?.name ?? c.schoolId} · ${gradeLabel(c.grade, t)}` })), t);
  });

  onCardAction(app, PLAN_VERBS.list, deps.logger, async (context, _state, data) => {
    const t = translatorFor(context);
    const { person, roster } = await actorOf(context, deps);
    if (!person) return noticeCard({ title: notRegisteredText(roster, t) }, t);
    try {
      return await view(person, roster, field(data, 'caseCode', 40), t);
    } catch (err) {
      return noticeCard({ title: problem(err, t) }, t);
    }
  });

  onCardAction(app, PLAN_VERBS.record, deps.logger, async (context, _state, data) => {
    const t = translatorFor(context);
    const { person, roster } = await actorOf(context, deps);
    if (!person) return noticeCard({ title: notRegisteredText(roster, t) }, t);
    const caseCode = field(data, 'caseCode', 40);
    /** The plans again with the form open, filled in, every problem beside its field. */
    const again = async (values: PlanFormValues, errors: PlanFieldErrors, notice?: Notice) => {
      try {
        return await view(person, roster, caseCode, t, { values, errors, notice });
      } catch (err) {
        // The plans cannot be drawn again: one sentence, and Teams keeps the form as it was, filled in.
        return typeof notice === 'string' ? notice : problem(err, t, true);
      }
    };
    let people: Person[];
    try {
      people = (await plansOfCase(planDeps, person, caseCode, `card:${PLAN_VERBS.record}:form`)).people;
    } catch (err) {
      if (err instanceof AccessDeniedError) return noticeCard({ title: problem(err, t) }, t);
      // Nothing was changed yet: say so, and leave the form with what was typed (see onCardAction).
      return problem(err, t, true);
    }
    const values = pickPlanValues(data, people, roleNames);
    const parsed = parsePlanForm(values, people.map((p) => p.id), today());
    if (!parsed.ok) {
      const n = Object.keys(parsed.errors).length;
      // A form that is still folded shows its problems open; the count says how many to look at.
      return again(values, parsed.errors, t(n === 1 ? 'form.fixOne' : 'form.fixMany', { n }));
    }
    let recorded: Awaited<ReturnType<typeof recordPlan>>;
    try {
      recorded = await recordPlan(planDeps, person, { caseCode, ...parsed.input }, actionRefOf(context, PLAN_VERBS.record, data));
    } catch (err) {
      // Still open with everything typed: the failure on top, or beside the field it is about.
      const errors: PlanFieldErrors = err instanceof DomainError && err.code === 'plan.dateInPast' ? { reviewDate: 'dateNotAfterToday' } : {};
      return again(values, errors, problem(err, t, true));
    }
    deps.logger.info({ actorId: person.id, caseCode, planId: recorded.planId, status: recorded.status }, 'plan recorded');
    return savedView(person, roster, caseCode, t, ok(t('plan.saved', { date: parsed.input.reviewDate })));
  }, { changes: true });

  onCardAction(app, PLAN_VERBS.review, deps.logger, async (context, _state, data) => {
    const t = translatorFor(context);
    const { person, roster } = await actorOf(context, deps);
    if (!person) return noticeCard({ title: notRegisteredText(roster, t) }, t);
    const outcome = field(data, 'outcome', 20);
    const nextDate = field(data, 'nextDate', 20);
    // The absence percentages and each goal's attainment, as typed (a number input may send a number).
    const answers: ReviewAnswers = {};
    for (const name of [...ABSENCE_FIELDS, ...Array.from({ length: MAX_GOALS }, (_, i) => attainmentField(i + 1))]) {
      const v = typeof data[name] === 'number' && Number.isFinite(data[name]) ? String(data[name]) : field(data, name, 20);
      if (v) answers[name] = v;
    }
    const ref = { teamId: field(data, 'teamId', 64), planId: field(data, 'planId', 64), date: field(data, 'date', 20) };
    const reviewForm = (errors: OpenReviewForm['errors']): OpenReviewForm => ({ planId: ref.planId, date: ref.date, values: { outcome, nextDate, ...answers }, errors });
    let recorded: Awaited<ReturnType<typeof recordReviewOutcome>>;
    try {
      if (!(REVIEW_OUTCOMES as readonly string[]).includes(outcome)) throw new DomainError('plan.noSuchReview', 'Bad outcome');
      recorded = await recordReviewOutcome(planDeps, person, ref, outcome as ReviewOutcome, nextDate || undefined, actionRefOf(context, PLAN_VERBS.review, data), answers);
    } catch (err) {
      const plan = await planDeps.plans.get(ref.teamId, ref.planId).catch(() => undefined);
      // The form's problems (found under the case's access check): each beside its field, the review form open, filled in.
      if (plan && err instanceof FormProblems) {
        const errors = Object.fromEntries(Object.entries(err.problems).map(([f, p]) => [f, reviewProblemText(f, p, t)]));
        const n = Object.keys(errors).length;
        try {
          return await view(person, roster, plan.value.caseCode, t, { reviewForm: reviewForm(errors), notice: t(n === 1 ? 'form.fixOne' : 'form.fixMany', { n }) });
        } catch {
          return noticeCard({ title: Object.values(errors)[0] ?? t('case.notFound') }, t);
        }
      }
      const message = problem(err, t, true);
      // A problem with the next date is shown beside it, in the review form, still open.
      const aboutDate = err instanceof DomainError && ['plan.nextDateRequired', 'plan.dateInPast', 'plan.invalidDate', 'plan.duplicateReview'].includes(err.code);
      if (plan && aboutDate) {
        try {
          return await view(person, roster, plan.value.caseCode, t, { reviewForm: reviewForm({ nextDate: message }) });
        } catch {
          // fall through to the message alone
        }
      }
      return noticeCard({ title: message }, t);
    }
    return savedView(person, roster, recorded.caseCode, t, ok(t('plan.review.saved')));
  }, { changes: true });

  /** The plans after a stored change; if they cannot be shown now, the answer still says it is saved. */
  async function savedView(person: Person, roster: Roster, caseCode: string, t: Translate, notice: Notice): Promise<AdaptiveCard> {
    try {
      return await view(person, roster, caseCode, t, { notice });
    } catch (err) {
      deps.logger.warn({ err: { type: (err as Error)?.name } }, 'plan stored, but the plans could not be shown');
      return noticeCard({ title: t('error.savedCannotShow'), caseCode }, t);
    }
  }
}
