import { GOAL_MAX, PLAN_TYPES, nextReview, type Plan } from '../../domain/plan';
import type { Translate } from '../i18n';
import { executeAction } from './actions';
import { adaptiveCard, facts, heading, paragraph, type AdaptiveCard, type CardElement, noticeBlock, type Notice } from './adaptiveCard';
import { VERBS } from './caseCards';

export const PLAN_VERBS = { list: 'plan.list', record: 'plan.record', review: 'plan.review' } as const;

export interface PlanFormValues {
  type?: string;
  goals?: string;
  responsible?: string;
  reviewDate?: string;
}

export interface PlansModel {
  caseCode: string;
  plans: Plan[];
  nameOf(personId: string): string;
  /** Only the case's social worker or group leader records plans and reviews. */
  canEdit: boolean;
  suggestedReview: string;
  values: PlanFormValues;
  notice?: Notice;
}

function planForm(m: PlansModel, t: Translate): CardElement[] {
  const v = m.values;
  return [
    { type: 'Input.ChoiceSet', id: 'type', label: t('plan.field.type'), style: 'expanded', isRequired: true, value: v.type ?? 'implementation', choices: PLAN_TYPES.map((p) => ({ title: t(`plan.type.${p}`), value: p })) },
    { type: 'Input.Text', id: 'goals', label: t('plan.field.goals'), isMultiline: true, isRequired: true, maxLength: GOAL_MAX * 5 + 10, value: v.goals },
    { type: 'Input.Text', id: 'responsible', label: t('plan.field.responsible'), isMultiline: true, maxLength: 1000, value: v.responsible },
    paragraph(t('plan.responsible.hint'), { size: 'Small', isSubtle: true, spacing: 'None' }),
    { type: 'Input.Date', id: 'reviewDate', label: t('plan.field.reviewDate'), isRequired: true, value: v.reviewDate ?? m.suggestedReview },
    paragraph(t('plan.reviewHint'), { size: 'Small', isSubtle: true, spacing: 'None' }),
  ];
}

function reviewForm(plan: Plan, date: string, suggested: string, t: Translate): CardElement {
  return {
    type: 'Action.ShowCard',
    title: t('plan.review.title', { date }),
    card: adaptiveCard(
      [
        { type: 'Input.ChoiceSet', id: 'outcome', label: t('plan.review.outcome'), style: 'expanded', isRequired: true, value: 'done', choices: (['done', 'moved', 'ended'] as const).map((o) => ({ title: t(`plan.review.${o}`), value: o })) },
        { type: 'Input.Date', id: 'nextDate', label: t('plan.review.next'), value: suggested },
      ],
      [executeAction(t('plan.review.save'), PLAN_VERBS.review, { teamId: plan.teamId, planId: plan.id, date })],
    ),
  };
}

/** A case's plans with their reviews; the social worker also gets the forms to add a plan and record reviews. */
export function plansCard(m: PlansModel, t: Translate): AdaptiveCard {
  const body: CardElement[] = [heading(t('plan.title', { code: m.caseCode }))];
  body.push(...noticeBlock(m.notice));
  if (m.plans.length === 0) body.push(paragraph(t('plan.none')));
  const actions: CardElement[] = [];
  for (const plan of m.plans) {
    body.push(
      { type: 'TextBlock', text: `${t(`plan.type.${plan.type}`)} · ${t(`plan.status.${plan.status}`)}`, weight: 'Bolder', spacing: 'Medium', separator: true, wrap: true },
      ...plan.goals.map((g) => paragraph(`• ${g}`, { spacing: 'None' })),
      facts(plan.responsibilities.map((r) => [r.personId ? m.nameOf(r.personId) : r.role ?? '', r.what])),
      paragraph(`${t('plan.reviews')}: ${plan.reviews.map((r) => `${r.date} (${t(`plan.review.status.${r.status}`)})`).join(', ')}`, { size: 'Small' }),
    );
    const due = nextReview(plan);
    if (m.canEdit && due) actions.push(reviewForm(plan, due.date, m.suggestedReview, t));
  }
  if (m.canEdit) {
    actions.push({ type: 'Action.ShowCard', title: t('plan.new'), card: adaptiveCard(planForm(m, t), [executeAction(t('plan.save'), PLAN_VERBS.record, { caseCode: m.caseCode }, { style: 'positive' })]) });
  }
  actions.push(executeAction(t('case.action.open'), VERBS.open, { caseCode: m.caseCode }, { associatedInputs: 'none' }));
  return adaptiveCard(body, actions);
}

/** When the user has several cases: which one's plans? */
export function choosePlanCaseCard(cases: Array<{ code: string; label: string }>, t: Translate): AdaptiveCard {
  return adaptiveCard(
    [heading(t('plan.chooseCase')), cases.length > 0 ? { type: 'Input.ChoiceSet', id: 'caseCode', label: t('plan.field.case'), style: 'compact', placeholder: t('form.choose'), isRequired: true, choices: cases.map((c) => ({ title: c.label, value: c.code })) } : paragraph(t('list.empty'))],
    cases.length > 0 ? [executeAction(t('plan.show'), PLAN_VERBS.list, {})] : [],
  );
}
