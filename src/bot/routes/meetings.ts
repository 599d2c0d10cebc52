import { cardMessage } from '../cardMessage';
import type { Application } from '@microsoft/teams-ai';
import { DateTime } from 'luxon';
import { DURATIONS, MEETING_TYPES, PLACES, type MeetingType, type Place } from '../../domain/meeting';
import { DomainError } from '../../domain/errors';
import { CASE_CODE_PATTERN } from '../../domain/concern';
import { hasRole, schoolById, type Person } from '../../domain/roster';
import { ZONE } from '../../domain/time';
import { listMyCases } from '../../services/concerns';
import { SlotsRejected, answerMeeting, loadMeetingFor, requestMeeting, suggestTimes, type MeetingAnswer, type MeetingDeps } from '../../services/meetings';
import { actorOf, notRegisteredText } from '../actor';
import { actionRefOf, field, onCardAction } from '../cardActions';
import type { AdaptiveCard } from '../cards/adaptiveCard';
import { noticeCard } from '../cards/caseCards';
import { gradeLabel, timeLabel } from '../cards/labels';
import { MEETING_FIELDS, MEETING_VERBS, meetingFormCard, type MeetingFormValues } from '../cards/meetingCards';
import { isCommand } from '../commands';
import { translatorFor } from '../context';
import { refusedByRole } from '../refusals';
import type { BotDeps } from '../deps';
import { describeFailure } from '../failures';
import { isMessageKey, type MessageKey, type Translate } from '../i18n';
import { meetingCardFor, type MeetingViewDeps } from '../meetingPublisher';
import type { AppTurnState } from '../turnState';

export interface MeetingRouteDeps {
  meetings: MeetingDeps;
  view: MeetingViewDeps;
}

/** Chosen suggestions plus the typed own time, as ISO instants; `incomplete` when only half of the own time was given. */
export function chosenSlots(values: MeetingFormValues): { slots: string[]; incomplete: boolean } {
  const slots = (values.slots ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const date = (values.ownDate ?? '').trim();
  const time = (values.ownTime ?? '').trim();
  if (date && time) {
    const local = DateTime.fromISO(`${date}T${time}`, { zone: ZONE });
    slots.push(local.isValid ? local.toUTC().toISO()! : `${date}T${time}`);
  }
  return { slots, incomplete: Boolean(date) !== Boolean(time) };
}

function pickValues(data: Record<string, unknown>): MeetingFormValues {
  const values: MeetingFormValues = {};
  for (const f of MEETING_FIELDS) {
    const v = field(data, f, 400);
    if (v) values[f] = v;
  }
  return values;
}

/** The problem with a refused time or meeting change, in words. */
function meetingProblem(err: unknown, t: Translate, deps: BotDeps, opts: { change?: boolean } = {}): string {
  if (err instanceof SlotsRejected) return err.problems.map((p) => t(`meeting.slot.${p.problem}`, { slot: Number.isNaN(Date.parse(p.slot)) ? p.slot : timeLabel(p.slot, t) })).join(' ');
  if (err instanceof DomainError && err.code.startsWith('meeting.')) {
    const key = `meeting.error.${err.code.slice('meeting.'.length)}`;
    if (isMessageKey(key)) return t(key, err.details);
  }
  return describeFailure(err, t, deps.logger, opts);
}

export function registerMeetingRoutes(app: Application<AppTurnState>, deps: BotDeps, m: MeetingRouteDeps): void {
  const formFor = async (person: Person, caseCode: string | undefined, values: MeetingFormValues, t: Translate, notice?: string): Promise<AdaptiveCard> => {
    if (!caseCode) {
      const cases = (await listMyCases(deps.services, person)).filter((c) => c.status !== 'closed');
      const roster = await deps.services.roster.get();
      return meetingFormCard({ cases: cases.map((c) => ({ code: c.code, label: `${c.code} · ${schoolById(roster, c.schoolId)?.name ?? c.schoolId} · ${gradeLabel(c.grade, t)}` })), suggestions: [], values, notice }, t);
    }
    const minutes = Number(values.minutes ?? 60);
    const suggested = await suggestTimes(m.meetings, person, caseCode, (DURATIONS as readonly number[]).includes(minutes) ? minutes : 60);
    return meetingFormCard({ cases: [], caseCode, socialWorkerName: suggested.socialWorker.name, suggestions: suggested.slots, values, notice }, t);
  };

  app.message(isCommand('bookMeeting'), async (context) => {
    const t = translatorFor(context);
    const { person, roster } = await actorOf(context, deps);
    if (!person) return void (await context.sendActivity(notRegisteredText(roster, t)));
    if (!hasRole(person, 'eht')) {
      await refusedByRole(deps, person, 'bookMeeting', 'command:bookMeeting');
      return void (await context.sendActivity(t('meeting.onlyEht')));
    }
    const open = (await listMyCases(deps.services, person)).filter((c) => c.status !== 'closed');
    const card = await formFor(person, open.length === 1 ? open[0].code : undefined, {}, t);
    await context.sendActivity(cardMessage(card, t.lang));
  });

  onCardAction(app, MEETING_VERBS.form, deps.logger, async (context, _state, data) => {
    const t = translatorFor(context);
    const { person, roster } = await actorOf(context, deps);
    if (!person) return noticeCard({ title: notRegisteredText(roster, t) }, t);
    if (!hasRole(person, 'eht')) {
      const code = field(data, 'caseCode', 40);
      await deps.services.accessLog.record({ at: deps.clock.now().toISOString(), actorId: person.id, action: 'bookMeeting', caseCode: CASE_CODE_PATTERN.test(code) ? code : undefined, allowed: false, via: `card:${MEETING_VERBS.form}` });
      return noticeCard({ title: t('meeting.onlyEht') }, t);
    }
    try {
      return await formFor(person, field(data, 'caseCode', 40) || undefined, pickValues(data), t);
    } catch (err) {
      return noticeCard({ title: describeFailure(err, t, deps.logger) }, t);
    }
  });

  onCardAction(app, MEETING_VERBS.request, deps.logger, async (context, _state, data) => {
    const t = translatorFor(context);
    const { person, roster } = await actorOf(context, deps);
    if (!person) return noticeCard({ title: notRegisteredText(roster, t) }, t);
    const values = pickValues(data);
    const caseCode = field(data, 'caseCode', 40);
    const again = async (notice: string) => {
      try {
        return await formFor(person, caseCode, values, t, notice);
      } catch {
        return noticeCard({ title: notice }, t);
      }
    };
    const { slots, incomplete } = chosenSlots(values);
    if (incomplete) return again(t('meeting.error.ownTimeIncomplete'));
    const type = values.type as MeetingType;
    const place = values.place as Place;
    const minutes = Number(values.minutes);
    if (!(MEETING_TYPES as readonly string[]).includes(type) || !(PLACES as readonly string[]).includes(place) || !(DURATIONS as readonly number[]).includes(minutes)) {
      return again(t('meeting.error.invalidInput'));
    }
    let requested: Awaited<ReturnType<typeof requestMeeting>>;
    try {
      requested = await requestMeeting(m.meetings, person, { caseCode, type, place, minutes, guardiansAttending: values.guardians === 'true', slots }, actionRefOf(context, MEETING_VERBS.request, data));
    } catch (err) {
      return again(meetingProblem(err, t, deps, { change: true }));
    }
    deps.logger.info({ actorId: person.id, caseCode, meetingId: requested.meetingId, status: requested.status }, 'meeting requested');
    try {
      const meeting = (await m.meetings.meetings.get(requested.teamId, requested.meetingId))?.value;
      if (!meeting) throw new Error('The requested meeting is gone');
      return await meetingCardFor(m.view, meeting, 'eht', t);
    } catch (err) {
      deps.logger.warn({ err: { type: (err as Error)?.name }, meetingId: requested.meetingId }, 'meeting stored, but its card could not be drawn');
      return noticeCard({ title: t('error.savedCannotShow'), caseCode }, t);
    }
  }, { changes: true });

  const answer = (verb: string, build: (data: Record<string, unknown>) => MeetingAnswer | string) =>
    onCardAction(app, verb, deps.logger, async (context, _state, data) => {
      const t = translatorFor(context);
      const { person, roster } = await actorOf(context, deps);
      if (!person) return noticeCard({ title: notRegisteredText(roster, t) }, t);
      const teamId = field(data, 'teamId', 64);
      const meetingId = field(data, 'meetingId', 64);
      /** The meeting as it is now, for this party; `saved`: the answer is stored, so a failure here must not say otherwise. */
      const current = async (notice?: string, saved = false) => {
        try {
          const loaded = await loadMeetingFor(m.meetings, person, teamId, meetingId, `card:${verb}:view`);
          return await meetingCardFor(m.view, loaded.value, loaded.party, t, { notice });
        } catch (err) {
          return noticeCard({ title: saved ? t('error.savedCannotShow') : (notice ?? describeFailure(err, t, deps.logger)) }, t);
        }
      };
      const built = build(data);
      if (typeof built === 'string') return current(t(built as MessageKey));
      try {
        const next = await answerMeeting(m.meetings, person, teamId, meetingId, built, actionRefOf(context, verb, data));
        deps.logger.info({ actorId: person.id, meetingId, verb, status: next.status }, 'meeting answered');
      } catch (err) {
        return current(meetingProblem(err, t, deps, { change: true }));
      }
      return current(undefined, true);
    }, { changes: true });

  const timesFrom = (data: Record<string, unknown>): string[] | string => {
    const { slots, incomplete } = chosenSlots(pickValues(data));
    return incomplete ? 'meeting.error.ownTimeIncomplete' : slots;
  };
  answer(MEETING_VERBS.accept, (data) => ({ kind: 'accept', start: field(data, 'start', 40) }));
  answer(MEETING_VERBS.decline, (data) => ({ kind: 'decline', reason: field(data, 'reason', 300) }));
  answer(MEETING_VERBS.cancel, () => ({ kind: 'cancel' }));
  answer(MEETING_VERBS.counter, (data) => {
    const slots = timesFrom(data);
    return typeof slots === 'string' ? slots : { kind: 'counter', slots };
  });
  answer(MEETING_VERBS.reschedule, (data) => {
    const slots = timesFrom(data);
    return typeof slots === 'string' ? slots : { kind: 'reschedule', slots };
  });

  // Universal Actions refresh: Teams asks for the card as it is now, for this user.
  onCardAction(app, MEETING_VERBS.refresh, deps.logger, async (context, _state, data) => {
    const t = translatorFor(context);
    const { person, roster } = await actorOf(context, deps);
    if (!person) return noticeCard({ title: notRegisteredText(roster, t) }, t);
    try {
      const loaded = await loadMeetingFor(m.meetings, person, field(data, 'teamId', 64), field(data, 'meetingId', 64), `card:${MEETING_VERBS.refresh}`);
      return await meetingCardFor(m.view, loaded.value, loaded.party, t);
    } catch (err) {
      return noticeCard({ title: describeFailure(err, t, deps.logger) }, t);
    }
  });
}
