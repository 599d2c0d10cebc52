import type { ActionRef } from '../domain/effects';
import { nextReview } from '../domain/plan';
import type { MeetingStore, NudgeAbout, PlanStore } from '../domain/ports';
import type { Person } from '../domain/roster';
import { stockholmDate } from '../domain/time';
import { changeCase, type ChangeOutcome } from './concerns';
import type { ServiceDeps } from './deps';

export interface NudgeDeps extends ServiceDeps {
  meetings: MeetingStore;
  plans: PlanStore;
}

/** What the group leader reminds someone of, as named on the digest card (ids are checked, never trusted). */
export type NudgeTarget =
  | { about: 'accept'; caseCode: string }
  | { about: 'meeting'; caseCode: string; meetingId: string }
  | { about: 'review'; caseCode: string; planId: string };

const DOCUMENT_ID = /^[0-9a-f]{12}$/;

/**
 * "Påminn" on the digest: the team's group leader reminds the person an item waits for (the social
 * worker a concern is assigned to, the party a meeting request awaits, the owner of an overdue
 * review). Who that is comes from the case as stored, never from the card. The reminder is a card
 * to them through the outbox, with its access-log entry and a line in the case's timeline, in one
 * transaction. `unchanged`: it no longer waits (accepted, answered, recorded meanwhile).
 */
export async function nudge(deps: NudgeDeps, actor: Person, target: NudgeTarget, action: ActionRef): Promise<ChangeOutcome & { to?: string }> {
  const outcome = await changeCase(deps, actor, target.caseCode, 'nudge', 'card:digest.nudge', action, async (c, now) => {
    let to: string | undefined;
    let extra: { meetingId?: string; date?: string } = {};
    if (target.about === 'accept') {
      if (c.status === 'new') to = c.assignedTo;
    } else if (target.about === 'meeting') {
      const m = DOCUMENT_ID.test(target.meetingId) ? (await deps.meetings.get(c.teamId, target.meetingId))?.value : undefined;
      if (m && m.caseCode === c.code && m.status === 'proposed') {
        to = m.awaiting === 'eht' ? m.ehtId : m.socialWorkerId;
        extra = { meetingId: m.id };
      }
    } else {
      const p = DOCUMENT_ID.test(target.planId) ? (await deps.plans.get(c.teamId, target.planId))?.value : undefined;
      const review = p && p.caseCode === c.code ? nextReview(p) : undefined;
      if (p && review && review.date < stockholmDate(now)) {
        to = p.ownerId;
        extra = { date: review.date };
      }
    }
    if (!to || c.status === 'closed') return undefined;
    const about: NudgeAbout = target.about;
    const at = now.toISOString();
    return {
      events: [{ caseCode: c.code, at, kind: 'nudged', by: actor.id, to, ref: about }],
      effects: [{ kind: 'notify', to, notification: { kind: 'nudge', caseCode: c.code, teamId: c.teamId, from: actor.id, about, ...extra } }],
      result: { to },
    };
  });
  return { ...outcome, to: outcome.result.to };
}
