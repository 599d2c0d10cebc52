import { ABSENCE_FIELDS } from '../../domain/absence';
import { GOAL_ATTAINMENTS, GOAL_MAX, PLAN_TYPES, attainmentField, isGoalAttainment, RESPONSIBILITY_MAX, RESPONSIBILITY_ROLES, isResponsibilityRole, nextReview, type Plan, type Responsibility } from '../../domain/plan';
import { RESPONSIBILITY_LINES, personChoice, roleChoice, whatField, whoField, type PlanField, type PlanFieldErrors, type PlanFormValues } from '../../services/planForm';
import type { Translate } from '../i18n';
import { executeAction } from './actions';
import { adaptiveCard, facts, heading, paragraph, type AdaptiveCard, type CardElement, noticeBlock, type Notice } from './adaptiveCard';
import { VERBS } from './caseCards';
import { dateLabel, percentInput } from './labels';

export const PLAN_VERBS = { list: 'plan.list', record: 'plan.record', review: 'plan.review' } as const;

export type { PlanFormValues };

/** A review form that came back with problems: shown open, with what was typed. */
export interface OpenReviewForm {
  planId: string;
  date: string;
  /** outcome, nextDate, absenceValid, absenceInvalid, goal1…goal5, as typed. */
  values: Record<string, string | undefined>;
  /** Each problem in words, by field id. */
  errors: Record<string, string | undefined>;
}

export interface PlansModel {
  caseCode: string;
  plans: Plan[];
  nameOf(personId: string): string;
  /** Only the case's social worker or group leader records plans and reviews. */
  canEdit: boolean;
  /** A new plan can be made (not on a consultation, and only while the consent holds); reviews go on regardless. */
  canAdd?: boolean;
  /** Why not, when it cannot: a consultation, or consent withdrawn or expired. */
  blocked?: 'consultation' | 'consentWithdrawn' | 'consentExpired';
  /** The roster members a responsibility may name (the school's EHT, the team's social workers and group leader). */
  people: Array<{ id: string; name: string }>;
  suggestedReview: string;
  /** The Stockholm date today (no review date on or before it). */
  today: string;
  values: PlanFormValues;
  /** Problems of a submitted plan form, each shown beside its field; the form is then shown open. */
  errors?: PlanFieldErrors;
  reviewForm?: OpenReviewForm;
  notice?: Notice;
}

/** Who carries a responsibility, as shown: a roster member's name or the fixed role's words (older plans: the role as written). */
export function responsibleLabel(r: Responsibility, nameOf: (id: string) => string, t: Translate): string {
  if (r.personId) return nameOf(r.personId);
  return isResponsibilityRole(r.role) ? t(`plan.role.${r.role}`) : (r.role ?? '');
}

const fieldError = (text: string | undefined, id: string): CardElement[] =>
  text ? [{ type: 'TextBlock', id, text, color: 'Attention', wrap: true, size: 'Small', spacing: 'None' }] : [];

const plusOneDay = (date: string) => new Date(Date.parse(`${date}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

function planForm(m: PlansModel, t: Translate): CardElement[] {
  const v = m.values;
  const e = m.errors ?? {};
  const problem = (f: PlanField) => (e[f] ? t(`plan.problem.${e[f]!}`) : undefined);
  const who = [
    ...m.people.map((p) => ({ title: p.name, value: personChoice(p.id) })),
    ...RESPONSIBILITY_ROLES.map((r) => ({ title: t(`plan.role.${r}`), value: roleChoice(r) })),
  ];
  const lines = RESPONSIBILITY_LINES.filter((line) => line <= 3 || v[whoField(line)] || v[whatField(line)] || e[whoField(line)] || e[whatField(line)]);
  return [
    { type: 'Input.ChoiceSet', id: 'type', label: t('plan.field.type'), style: 'expanded', isRequired: true, errorMessage: t('form.error.invalidChoice'), value: v.type ?? 'implementation', choices: PLAN_TYPES.map((p) => ({ title: t(`plan.type.${p}`), value: p })) },
    ...fieldError(problem('type'), 'typeError'),
    { type: 'Input.Text', id: 'goals', label: t('plan.field.goals'), isMultiline: true, isRequired: true, errorMessage: t('plan.problem.required'), maxLength: GOAL_MAX * 5 + 10, value: v.goals },
    ...fieldError(problem('goals'), 'goalsError'),
    { type: 'TextBlock', text: t('plan.field.responsible'), weight: 'Bolder', wrap: true, spacing: 'Medium' },
    paragraph(t('plan.responsible.hint'), { size: 'Small', isSubtle: true, spacing: 'None' }),
    ...lines.flatMap((line): CardElement[] => [
      {
        type: 'ColumnSet',
        spacing: 'Small',
        columns: [
          { type: 'Column', width: 2, items: [{ type: 'Input.ChoiceSet', id: whoField(line), label: t('plan.field.who', { n: line }), style: 'compact', placeholder: t('plan.who.placeholder'), value: v[whoField(line)], choices: who }] },
          { type: 'Column', width: 3, items: [{ type: 'Input.Text', id: whatField(line), label: t('plan.field.what'), maxLength: RESPONSIBILITY_MAX, value: v[whatField(line)], placeholder: t('plan.what.placeholder') }] },
        ],
      },
      ...fieldError(problem(whoField(line)), `${whoField(line)}Error`),
      ...fieldError(problem(whatField(line)), `${whatField(line)}Error`),
    ]),
    { type: 'Input.Date', id: 'reviewDate', label: t('plan.field.reviewDate'), isRequired: true, errorMessage: t('plan.problem.dateNotAfterToday'), min: plusOneDay(m.today), value: v.reviewDate ?? m.suggestedReview },
    ...fieldError(problem('reviewDate'), 'reviewDateError'),
    paragraph(t('plan.reviewHint'), { size: 'Small', isSubtle: true, spacing: 'None' }),
  ];
}

function reviewForm(plan: Plan, date: string, m: PlansModel, t: Translate): { body: CardElement[]; action: CardElement } {
  const open = m.reviewForm?.planId === plan.id && m.reviewForm.date === date ? m.reviewForm : undefined;
  return {
    body: [
      { type: 'Input.ChoiceSet', id: 'outcome', label: t('plan.review.outcome'), style: 'expanded', isRequired: true, errorMessage: t('form.error.invalidChoice'), value: open?.values.outcome ?? 'done', choices: (['done', 'moved', 'ended'] as const).map((o) => ({ title: t(`plan.review.${o}`), value: o })) },
      ...fieldError(open?.errors.outcome, 'outcomeError'),
      { type: 'Input.Date', id: 'nextDate', label: t('plan.review.next'), min: plusOneDay(m.today), value: open?.values.nextDate ?? m.suggestedReview },
      ...fieldError(open?.errors.nextDate, 'nextDateError'),
      // A review held (done, or the plan ends): the absence over the last month and how far each goal has come.
      paragraph(t('plan.review.followUpHint'), { size: 'Small', isSubtle: true, spacing: 'Medium' }),
      ...ABSENCE_FIELDS.flatMap((id): CardElement[] => [
        { ...percentInput(open?.values[id], t('form.error.percent'), false), id, label: t(`concern.field.${id}`) },
        ...fieldError(open?.errors[id], `${id}Error`),
      ]),
      ...plan.goals.flatMap((goal, i): CardElement[] => {
        const id = attainmentField(i + 1);
        return [
          {
            type: 'Input.ChoiceSet', id, label: t('plan.review.goal', { n: i + 1, goal }), style: 'compact', placeholder: t('form.choose'), errorMessage: t('plan.problem.attainment'),
            value: open?.values[id], choices: GOAL_ATTAINMENTS.map((a) => ({ title: t(`plan.attainment.${a}`), value: a })),
          },
          ...fieldError(open?.errors[id], `${id}Error`),
        ];
      }),
    ],
    action: executeAction(t('plan.review.save'), PLAN_VERBS.review, { teamId: plan.teamId, planId: plan.id, date }),
  };
}

/** " — Delvis uppnått (2026-12-10)": the goal's attainment at the latest review that recorded one. */
function latestAttainment(plan: Plan, goal: number, t: Translate): string {
  const review = [...plan.reviews].reverse().find((r) => r.goals?.[goal] !== undefined && isGoalAttainment(r.goals[goal]));
  return review ? ` — ${t('plan.attainment.latest', { attainment: t(`plan.attainment.${review.goals![goal]}`), date: review.date })}` : '';
}

/** A case's plans with their reviews; the social worker also gets the forms to add a plan and record reviews. */
export function plansCard(m: PlansModel, t: Translate): AdaptiveCard {
  const body: CardElement[] = [heading(t('plan.title', { code: m.caseCode }))];
  body.push(...noticeBlock(m.notice));
  if (m.plans.length === 0) body.push(paragraph(t('plan.none')));
  const actions: CardElement[] = [];
  /** A form behind its button, or open in the body when it came back with problems (it stays open, filled in). */
  const form = (title: string, open: boolean, built: { body: CardElement[]; action: CardElement }) => {
    if (open) body.push({ type: 'Container', separator: true, spacing: 'Medium', items: [{ type: 'TextBlock', text: title, weight: 'Bolder', wrap: true }, ...built.body, { type: 'ActionSet', actions: [built.action] }] });
    else actions.push({ type: 'Action.ShowCard', title, card: adaptiveCard(built.body, [built.action]) });
  };
  for (const plan of m.plans) {
    body.push(
      { type: 'TextBlock', text: `${t(`plan.type.${plan.type}`)} · ${t(`plan.status.${plan.status}`)}`, weight: 'Bolder', spacing: 'Medium', separator: true, wrap: true },
      ...plan.goals.map((g, i) => paragraph(`• ${g}${latestAttainment(plan, i, t)}`, { spacing: 'None' })),
      facts(plan.responsibilities.map((r) => [responsibleLabel(r, m.nameOf, t), r.what])),
      paragraph(`${t('plan.reviews')}: ${plan.reviews.map((r) => `${r.date} (${t(`plan.review.status.${r.status}`)})`).join(', ')}`, { size: 'Small' }),
      ...(plan.intensiveUntil ? [paragraph(t('plan.intensiveUntil', { date: dateLabel(plan.intensiveUntil, t) }), { size: 'Small', spacing: 'None' })] : []),
    );
    const due = nextReview(plan);
    if (m.canEdit && due) form(t('plan.review.title', { date: due.date }), m.reviewForm?.planId === plan.id, reviewForm(plan, due.date, m, t));
  }
  if (m.canEdit && m.blocked) body.push(paragraph(t(`case.error.${m.blocked}`), { color: 'Warning', size: 'Small' }));
  if (m.canEdit && (m.canAdd ?? true)) {
    const open = Object.keys(m.errors ?? {}).length > 0;
    form(t('plan.new'), open, { body: planForm(m, t), action: executeAction(t('plan.save'), PLAN_VERBS.record, { caseCode: m.caseCode }, { style: 'positive' }) });
  }
  actions.push(executeAction(t('case.action.open'), VERBS.open, { caseCode: m.caseCode }, { associatedInputs: 'none' }));
  return adaptiveCard(body, actions);
}

/** When the user has several cases: which one's plans? */
export function choosePlanCaseCard(cases: Array<{ code: string; label: string }>, t: Translate): AdaptiveCard {
  return adaptiveCard(
    [heading(t('plan.chooseCase')), cases.length > 0 ? { type: 'Input.ChoiceSet', id: 'caseCode', label: t('plan.field.case'), style: 'compact', placeholder: t('form.choose'), isRequired: true, errorMessage: t('meeting.error.chooseCase'), choices: cases.map((c) => ({ title: c.label, value: c.code })) } : paragraph(t('list.empty'))],
    cases.length > 0 ? [executeAction(t('plan.show'), PLAN_VERBS.list, {})] : [],
  );
}
