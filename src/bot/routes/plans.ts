import { cardMessage } from '../cardMessage';
import type { Application } from '@microsoft/teams-ai';
import { DomainError } from '../../domain/errors';
import { PLAN_TYPES, REVIEW_OUTCOMES, type PlanType, type Responsibility, type ReviewOutcome } from '../../domain/plan';
import { personById, schoolById, type Person, type Roster } from '../../domain/roster';
import { listMyCases } from '../../services/concerns';
import { plansOfCase, recordPlan, recordReviewOutcome, suggestedReview, type PlanDeps } from '../../services/plans';
import { actorOf, notRegisteredText } from '../actor';
import { actionRefOf, field, onCardAction } from '../cardActions';
import { ok, type Notice } from '../cards/adaptiveCard';
import type { Plan } from '../../domain/plan';
import type { AdaptiveCard } from '../cards/adaptiveCard';
import { noticeCard } from '../cards/caseCards';
import { gradeLabel } from '../cards/labels';
import { PLAN_VERBS, choosePlanCaseCard, plansCard, type PlanFormValues } from '../cards/planCards';
import { isCommand } from '../commands';
import { translatorFor } from '../context';
import type { BotDeps } from '../deps';
import { describeFailure } from '../failures';
import { isMessageKey, type Translate } from '../i18n';
import type { AppTurnState } from '../turnState';

/**
 * "mentor – följer upp" / "mentor: följer upp" → ["mentor", "följer upp"]: splits at a dash with
 * space on both sides or at a colon. By hand, in one pass: the split regex it replaces backtracked
 * quadratically on long runs of spaces.
 */
export function splitResponsibility(line: string): string[] {
  const s = line.replace(/\s+/g, ' ');
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === ':') {
      parts.push(s.slice(from, i));
      from = s[i + 1] === ' ' ? i + 2 : i + 1;
    } else if ((s[i] === '-' || s[i] === '–') && i > from && s[i - 1] === ' ' && s[i + 1] === ' ') {
      parts.push(s.slice(from, i - 1));
      from = i + 2;
      i++;
    }
  }
  parts.push(s.slice(from));
  return parts;
}

/** "mentor – följer upp närvaron varje vecka" → a role or a roster member, and what they do. */
export function parseResponsibilities(text: string, roster: Roster): Responsibility[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [who, ...rest] = splitResponsibility(line);
      const what = rest.join(' – ').trim() || who;
      const person = roster.people.find((p) => p.name.toLocaleLowerCase('sv') === who.trim().toLocaleLowerCase('sv'));
      return person ? { personId: person.id, what } : { role: rest.length > 0 ? who.trim() : undefined, what };
    });
}

export function registerPlanRoutes(app: Application<AppTurnState>, deps: BotDeps, planDeps: PlanDeps): void {
  const problem = (err: unknown, t: Translate, change = false) => {
    if (err instanceof DomainError && err.code.startsWith('plan.')) {
      const key = `plan.error.${err.code.slice(5)}`;
      if (isMessageKey(key)) return t(key, err.details);
    }
    return describeFailure(err, t, deps.logger, { change });
  };

  const view = async (person: Person, roster: Roster, caseCode: string, t: Translate, values: PlanFormValues = {}, notice?: Notice): Promise<AdaptiveCard> => {
    const { plans, canEdit } = await plansOfCase(planDeps, person, caseCode);
    return plansCard({ caseCode, plans, nameOf: (id) => personById(roster, id)?.name ?? id, canEdit, suggestedReview: suggestedReview(planDeps), values, notice }, t);
  };

  app.message(isCommand('plans'), async (context) => {
    const t = translatorFor(context);
    const { person, roster } = await actorOf(context, deps);
    if (!person) return void (await context.sendActivity(notRegisteredText(roster, t)));
    const open = (await listMyCases(deps.services, person)).filter((c) => c.status !== 'closed');
    const card =
      open.length === 1
        ? await view(person, roster, open[0].code, t)
        : choosePlanCaseCard(open.map((c) => ({ code: c.code, label: `${c.code} · ${schoolById(roster, c.schoolId)?.name ?? c.schoolId} · ${gradeLabel(c.grade, t)}` })), t);
    await context.sendActivity(cardMessage(card, t.lang));
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
    const values: PlanFormValues = { type: field(data, 'type', 40), goals: field(data, 'goals', 1200), responsible: field(data, 'responsible', 1200), reviewDate: field(data, 'reviewDate', 20) };
    let recorded: Awaited<ReturnType<typeof recordPlan>>;
    try {
      const type = (PLAN_TYPES as readonly string[]).includes(values.type ?? '') ? (values.type as PlanType) : 'implementation';
      recorded = await recordPlan(
        planDeps,
        person,
        { caseCode, type, goals: (values.goals ?? '').split('\n'), responsibilities: parseResponsibilities(values.responsible ?? '', roster), reviewDate: values.reviewDate ?? '' },
        actionRefOf(context, PLAN_VERBS.record, data),
      );
    } catch (err) {
      const notice = problem(err, t, true);
      try {
        return await view(person, roster, caseCode, t, values, notice);
      } catch {
        return noticeCard({ title: notice }, t);
      }
    }
    deps.logger.info({ actorId: person.id, caseCode, planId: recorded.planId, status: recorded.status }, 'plan recorded');
    return savedView(person, roster, caseCode, t, (plans) => ok(t('plan.saved', { date: plans.find((p) => p.id === recorded.planId)?.reviews[0]?.date ?? '' })));
  }, { changes: true });

  onCardAction(app, PLAN_VERBS.review, deps.logger, async (context, _state, data) => {
    const t = translatorFor(context);
    const { person, roster } = await actorOf(context, deps);
    if (!person) return noticeCard({ title: notRegisteredText(roster, t) }, t);
    const outcome = field(data, 'outcome', 20);
    const ref = { teamId: field(data, 'teamId', 64), planId: field(data, 'planId', 64), date: field(data, 'date', 20) };
    let recorded: Awaited<ReturnType<typeof recordReviewOutcome>>;
    try {
      if (!(REVIEW_OUTCOMES as readonly string[]).includes(outcome)) throw new DomainError('plan.noSuchReview', 'Bad outcome');
      recorded = await recordReviewOutcome(planDeps, person, ref, outcome as ReviewOutcome, field(data, 'nextDate', 20) || undefined, actionRefOf(context, PLAN_VERBS.review, data));
    } catch (err) {
      return noticeCard({ title: problem(err, t, true) }, t);
    }
    return savedView(person, roster, recorded.caseCode, t, () => ok(t('plan.review.saved')));
  }, { changes: true });

  /** The plans after a stored change; if they cannot be shown now, the answer still says it is saved. */
  async function savedView(person: Person, roster: Roster, caseCode: string, t: Translate, notice: (plans: Plan[]) => Notice): Promise<AdaptiveCard> {
    try {
      const { plans, canEdit } = await plansOfCase(planDeps, person, caseCode);
      return plansCard({ caseCode, plans, nameOf: (id) => personById(roster, id)?.name ?? id, canEdit, suggestedReview: suggestedReview(planDeps), values: {}, notice: notice(plans) }, t);
    } catch (err) {
      deps.logger.warn({ err: { type: (err as Error)?.name } }, 'plan stored, but the plans could not be shown');
      return noticeCard({ title: t('error.savedCannotShow'), caseCode }, t);
    }
  }
}
