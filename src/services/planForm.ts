import { DomainError } from '../domain/errors';
import {
  GOAL_MAX, MAX_GOALS, MAX_RESPONSIBILITIES, PLAN_TYPES, RESPONSIBILITY_MAX, RESPONSIBILITY_ROLES,
  checkGoals, checkResponsibilities, type PlanType, type Responsibility,
} from '../domain/plan';
import { parseCalendarDate } from '../domain/time';
import { identityProblem } from '../domain/concern';
import type { Person } from '../domain/roster';

/** The plan form's input ids: type, goals, one who/what pair per responsibility line, the first review. */
export const RESPONSIBILITY_LINES = Array.from({ length: MAX_RESPONSIBILITIES }, (_, i) => i + 1);
export const whoField = (line: number) => `resp${line}Who` as const;
export const whatField = (line: number) => `resp${line}What` as const;
export type PlanField = 'type' | 'goals' | 'reviewDate' | 'intensiveUntil' | `resp${number}Who` | `resp${number}What`;

/** What the user typed, as the card sends it (strings only; a rejected form comes back filled in with these). */
export type PlanFormValues = Partial<Record<PlanField, string>>;

export type PlanFieldProblem =
  | 'required' | 'tooLong' | 'personnummer' | 'tooManyGoals' | 'invalidChoice' | 'invalidDate' | 'dateNotAfterToday' | 'chooseWho' | 'sayWhat';
export type PlanFieldErrors = Partial<Record<PlanField, PlanFieldProblem>>;

/** A "who" choice: a roster member or one of the fixed roles. */
export const personChoice = (id: string) => `person:${id}`;
export const roleChoice = (role: string) => `role:${role}`;

const MAX_CHARS = 1200;

/**
 * Keeps only the form's own fields, trimmed and bounded. A plan card from before the fixed lists
 * sends its responsibilities as free text ("mentor – följer upp"), one per line: each line becomes a
 * who/what pair, its "who" chosen only when it names a role or one of `people` exactly; otherwise
 * the whole line stays in "what" and the form asks who (nothing typed is lost, no name is stored).
 */
export function pickPlanValues(data: Record<string, unknown>, people: Array<Pick<Person, 'id' | 'name'>>, roleNames: (role: string) => string[]): PlanFormValues {
  const str = (k: string, max = MAX_CHARS) => (typeof data[k] === 'string' ? (data[k] as string).trim().slice(0, max) : undefined);
  const values: PlanFormValues = {};
  for (const k of ['type', 'goals', 'reviewDate', 'intensiveUntil'] as const) {
    const v = str(k, k === 'reviewDate' || k === 'intensiveUntil' ? 20 : MAX_CHARS);
    if (v) values[k] = v;
  }
  for (const line of RESPONSIBILITY_LINES) {
    const who = str(whoField(line), 100);
    const what = str(whatField(line), RESPONSIBILITY_MAX + 50);
    if (who) values[whoField(line)] = who;
    if (what) values[whatField(line)] = what;
  }
  const legacy = str('responsible');
  if (legacy && RESPONSIBILITY_LINES.every((l) => !values[whoField(l)] && !values[whatField(l)])) {
    const lines = legacy.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, MAX_RESPONSIBILITIES);
    lines.forEach((text, i) => {
      const [who, ...rest] = splitResponsibility(text);
      const named = who.trim().toLocaleLowerCase('sv');
      const role = RESPONSIBILITY_ROLES.find((r) => r === who.trim() || roleNames(r).some((n) => n.toLocaleLowerCase('sv') === named));
      const person = people.find((p) => p.name.toLocaleLowerCase('sv') === named);
      const chosen = rest.length > 0 && (role || person) ? (role ? roleChoice(role) : personChoice(person!.id)) : undefined;
      if (chosen) values[whoField(i + 1)] = chosen;
      values[whatField(i + 1)] = (chosen ? rest.join(' – ') : text).trim().slice(0, RESPONSIBILITY_MAX + 50);
    });
  }
  return values;
}

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

export interface PlanFormInput {
  type: PlanType;
  goals: string[];
  responsibilities: Responsibility[];
  reviewDate: string;
}

const GOAL_PROBLEMS: Record<string, PlanFieldProblem> = { 'plan.goalsRequired': 'required', 'plan.tooManyGoals': 'tooManyGoals', 'plan.goalTooLong': 'tooLong', 'plan.personnummer': 'personnummer' };

/**
 * Validates a submitted plan form for a case whose responsibilities may name `people` (ids), on
 * `today` (Stockholm). Every problem at once, each beside its field; never throws for user input.
 */
export function parsePlanForm(values: PlanFormValues, people: string[], today: string): { ok: true; input: PlanFormInput } | { ok: false; errors: PlanFieldErrors } {
  const errors: PlanFieldErrors = {};
  const type = values.type ?? 'implementation';
  if (!(PLAN_TYPES as readonly string[]).includes(type)) errors.type = 'invalidChoice';

  let goals: string[] = [];
  try {
    goals = checkGoals((values.goals ?? '').split('\n'));
  } catch (err) {
    errors.goals = (err instanceof DomainError && GOAL_PROBLEMS[err.code]) || 'invalidChoice';
  }

  const responsibilities: Responsibility[] = [];
  for (const line of RESPONSIBILITY_LINES) {
    const who = values[whoField(line)] ?? '';
    const what = values[whatField(line)] ?? '';
    if (!who && !what) continue;
    // Who and what are judged apart, so both problems of a line show at once.
    const [kind, id] = [who.slice(0, who.indexOf(':')), who.slice(who.indexOf(':') + 1)];
    const candidate: Responsibility = kind === 'person' ? { personId: id, what: what || '-' } : kind === 'role' ? { role: id, what: what || '-' } : { what: what || '-' };
    let whoOk = false;
    if (!who) errors[whoField(line)] = 'chooseWho';
    else {
      try {
        checkResponsibilities([candidate], people);
        whoOk = true;
      } catch (err) {
        const code = err instanceof DomainError ? err.code : '';
        if (code === 'plan.unknownPerson' || code === 'plan.unknownRole' || code === 'plan.responsibleWho') errors[whoField(line)] = 'invalidChoice';
        else whoOk = true;
      }
    }
    const whatProblem: PlanFieldProblem | undefined = !what ? 'sayWhat' : what.length > RESPONSIBILITY_MAX ? 'tooLong' : identityProblem(what) ? 'personnummer' : undefined;
    if (whatProblem) errors[whatField(line)] = whatProblem;
    if (whoOk && !whatProblem) responsibilities.push(...checkResponsibilities([{ ...candidate, what }], people));
  }

  const reviewDate = values.reviewDate ?? '';
  if (!reviewDate) errors.reviewDate = 'required';
  else if (!parseCalendarDate(reviewDate)) errors.reviewDate = 'invalidDate';
  else if (reviewDate <= today) errors.reviewDate = 'dateNotAfterToday';

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  // The intensive phase is the case's insats now (an older plan card may still send a date here: it is not stored anew).
  return { ok: true, input: { type: type as PlanType, goals, responsibilities, reviewDate } };
}

export { GOAL_MAX, MAX_GOALS };
