import type { Application } from '@microsoft/teams-ai';
import { DateTime } from 'luxon';
import { DURATIONS, MEETING_TYPES, PLACES, meetingTypesFor, partyOf, type Meeting, type MeetingType, type Place } from '../../domain/meeting';
import { stockholmDate } from '../../domain/time';
import { DomainError } from '../../domain/errors';
import { CASE_CODE_PATTERN, type Case } from '../../domain/concern';
import { hasRole, personById, schoolById, type Person, type Roster } from '../../domain/roster';
import { ZONE } from '../../domain/time';
import { listMyCases } from '../../services/concerns';
import { SlotsRejected, answerMeeting, loadMeetingFor, requestMeeting, suggestTimes, type MeetingAnswer, type MeetingDeps } from '../../services/meetings';
import { actorOf, notRegisteredText } from '../actor';
import { actionRefOf, field, isAutomaticRefresh, onCardAction } from '../cardActions';
import { ok, type AdaptiveCard, type Notice } from '../cards/adaptiveCard';
import { noticeCard } from '../cards/caseCards';
import { gradeLabel, timeLabel } from '../cards/labels';
import { MEETING_FIELDS, MEETING_VERBS, meetingFormCard, type MeetingFormErrors, type MeetingFormValues, type MeetingFrom, type OpenMeetingForm } from '../cards/meetingCards';
import { translatorFor } from '../context';
import { refusedByRole } from '../refusals';
import type { BotDeps } from '../deps';
import { describeFailure } from '../failures';
import { isMessageKey, type MessageKey, type Translate } from '../i18n';
import { meetingCardFor, type MeetingViewDeps } from '../meetingPublisher';
import type { AppTurnState } from '../turnState';
import { caseView, meetingsView, worklistView, type CommandHandlers, type ViewDeps } from '../views';

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
  for (const f of [...MEETING_FIELDS, 'reason'] as const) {
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
    if (isMessageKey(key)) return t(key, { ...err.details, ...(typeof err.details.start === 'string' && err.details.start ? { start: timeLabel(err.details.start, t) } : {}) });
  }
  return describeFailure(err, t, deps.logger, opts);
}

/** Is this failure about the times given (shown beside the times), rather than about the meeting as a whole? */
const aboutTimes = (err: unknown) => err instanceof SlotsRejected || (err instanceof DomainError && ['meeting.noSlots', 'meeting.tooManySlots'].includes(err.code));

export function registerMeetingRoutes(app: Application<AppTurnState>, deps: BotDeps, m: MeetingRouteDeps, v: ViewDeps, commands: CommandHandlers): void {
  const formFor = async (person: Person, caseCode: string | undefined, values: MeetingFormValues, t: Translate, extra: { notice?: Notice; errors?: MeetingFormErrors } = {}, via = 'card:meeting.form', listed?: Case[]): Promise<AdaptiveCard> => {
    if (!caseCode) {
      const cases = listed ?? (await listMyCases(deps.services, person, { via })).filter((c) => c.status !== 'closed' && (hasRole(person, 'eht') ? (person.schools ?? []).includes(c.schoolId) : c.assignedTo === person.id));
      const roster = await deps.services.roster.get();
      return meetingFormCard({ cases: cases.map((c) => ({ code: c.code, label: `${c.code} · ${schoolById(roster, c.schoolId)?.name ?? c.schoolId} · ${gradeLabel(c.grade, t)}` })), suggestions: [], values, ...extra }, t);
    }
    const minutes = Number(values.minutes ?? 60);
    const suggested = await suggestTimes(m.meetings, person, caseCode, (DURATIONS as readonly number[]).includes(minutes) ? minutes : 60);
    return meetingFormCard(
      {
        cases: [], caseCode, socialWorkerName: suggested.with.name, bookedBy: suggested.as === 'eht' ? 'school' : 'socialWorker',
        types: meetingTypesFor(suggested.case, stockholmDate(deps.clock.now())), suggestions: suggested.slots, values, ...extra, outlookUnchecked: suggested.outlookUnchecked,
      },
      t,
    );
  };
  /** Either side books: the school's EHT, or the case's social worker (a group leader who has the case too). */
  const mayBook = (person: Person) => hasRole(person, 'eht') || hasRole(person, 'socialWorker') || hasRole(person, 'groupLeader');

  commands.set('bookMeeting', async ({ person, t, via }) => {
    if (!mayBook(person)) {
      await refusedByRole(deps, person, 'bookMeeting', via);
      return t('meeting.onlyEht');
    }
    // Only the cases they may book for: the school's for EHT, their own for a social worker.
    const open = (await listMyCases(deps.services, person, { via })).filter((c) => c.status !== 'closed' && (hasRole(person, 'eht') ? (person.schools ?? []).includes(c.schoolId) : c.assignedTo === person.id));
    return formFor(person, open.length === 1 ? open[0].code : undefined, {}, t, {}, via, open);
  });
  commands.set('meetings', async ({ person, roster, t, via }) => meetingsView(v, person, roster, t, via));

  onCardAction(app, MEETING_VERBS.form, deps.logger, async (context, _state, data) => {
    const t = translatorFor(context);
    const { person, roster } = await actorOf(context, deps);
    if (!person) return noticeCard({ title: notRegisteredText(roster, t) }, t);
    if (!mayBook(person)) {
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
    /** The form again, filled in, with every problem beside its field. */
    const again = async (errors: MeetingFormErrors, notice?: Notice) => {
      try {
        return await formFor(person, caseCode, values, t, { errors, notice });
      } catch {
        // The form cannot be drawn again (its free times need the store): one sentence, and Teams keeps the form as it was.
        return typeof notice === 'string' ? notice : Object.values(errors).join(' ');
      }
    };
    const errors: MeetingFormErrors = {};
    const { slots, incomplete } = chosenSlots(values);
    if (incomplete) errors.times = t('meeting.error.ownTimeIncomplete');
    else if (slots.length === 0) errors.times = t('meeting.error.noSlots');
    const type = values.type as MeetingType;
    const place = values.place as Place;
    const minutes = Number(values.minutes);
    if (!(MEETING_TYPES as readonly string[]).includes(type)) errors.type = t('form.error.invalidChoice');
    if (!(PLACES as readonly string[]).includes(place)) errors.place = t('form.error.invalidChoice');
    if (!(DURATIONS as readonly number[]).includes(minutes)) errors.minutes = t('form.error.invalidChoice');
    if (Object.keys(errors).length > 0) return again(errors, formProblems(errors, t));
    let requested: Awaited<ReturnType<typeof requestMeeting>>;
    try {
      requested = await requestMeeting(
        m.meetings,
        person,
        { caseCode, type, place, minutes, guardiansAttending: values.guardians === 'true', interpreterNeeded: values.interpreter === 'true', slots },
        actionRefOf(context, MEETING_VERBS.request, data),
      );
    } catch (err) {
      const problem = meetingProblem(err, t, deps, { change: true });
      return aboutTimes(err) ? again({ times: problem }, formProblems({ times: problem }, t)) : again({}, problem);
    }
    deps.logger.info({ actorId: person.id, caseCode, meetingId: requested.meetingId, status: requested.status }, 'meeting requested');
    try {
      const meeting = (await m.meetings.meetings.get(requested.teamId, requested.meetingId))?.value;
      if (!meeting) throw new Error('The requested meeting is gone');
      return await meetingCardFor(m.view, meeting, partyOf(meeting, person.id) ?? 'eht', t, { answering: true, outlookUnchecked: requested.outlookUnchecked });
    } catch (err) {
      deps.logger.warn({ err: { type: (err as Error)?.name }, meetingId: requested.meetingId }, 'meeting stored, but its card could not be drawn');
      return noticeCard({ title: t('error.savedCannotShow'), caseCode }, t);
    }
  }, { changes: true });

  /** The card an answer given from another card goes back to (the case, the worklist, the meetings list). */
  const backTo = async (from: MeetingFrom, person: Person, roster: Roster, caseCode: string, t: Translate, via: string, notice: Notice): Promise<AdaptiveCard> => {
    if (from === 'todo') return worklistView(v, person, roster, t, via, notice);
    if (from === 'meetings') return meetingsView(v, person, roster, t, via, notice);
    return caseView(v, person, roster, caseCode, t, via, notice);
  };
  const fromOf = (data: Record<string, unknown>): MeetingFrom | undefined => {
    const from = field(data, 'from', 10);
    return from === 'case' || from === 'todo' || from === 'meetings' ? from : undefined;
  };
  /** What happened, said on the card the answer was given from. */
  const done = (meeting: Meeting, answer: MeetingAnswer['kind'], roster: Roster, t: Translate, person: Person): Notice => {
    const other = personById(roster, meeting.ehtId === person.id ? meeting.socialWorkerId : meeting.ehtId)?.name ?? '';
    return ok(t(`meeting.done.${answer}`, { code: meeting.caseCode, time: meeting.start ? timeLabel(meeting.start, t) : '', name: other }));
  };

  const answer = (verb: string, kind: MeetingAnswer['kind'], build: (data: Record<string, unknown>) => MeetingAnswer | MessageKey, form?: OpenMeetingForm['kind']) =>
    onCardAction(app, verb, deps.logger, async (context, _state, data) => {
      const t = translatorFor(context);
      const { person, roster } = await actorOf(context, deps);
      if (!person) return noticeCard({ title: notRegisteredText(roster, t) }, t);
      const teamId = field(data, 'teamId', 64);
      const meetingId = field(data, 'meetingId', 64);
      const from = fromOf(data);
      const values = pickValues(data);
      /** The meeting card as it is now, for this party; `saved`: the answer is stored, so a failure here must not say otherwise. */
      const current = async (extra: { notice?: string; openForm?: OpenMeetingForm; outlookUnchecked?: boolean } = {}, saved = false) => {
        try {
          const loaded = await loadMeetingFor(m.meetings, person, teamId, meetingId, `card:${verb}:view`);
          return await meetingCardFor(m.view, loaded.value, loaded.party, t, { ...extra, answering: true });
        } catch (err) {
          return noticeCard({ title: saved ? t('error.savedCannotShow') : (extra.notice ?? extra.openForm?.error ?? describeFailure(err, t, deps.logger)) }, t);
        }
      };
      /** After a refusal: the card it came from again, the problem on it (a form that came back stays open with what was typed). */
      const refused = async (problem: string, err?: unknown) => {
        if (from) {
          try {
            const caseCode = (await m.meetings.meetings.get(teamId, meetingId).catch(() => undefined))?.value.caseCode ?? '';
            return await backTo(from, person, roster, caseCode, t, `card:${verb}:retry`, problem);
          } catch {
            return noticeCard({ title: problem }, t);
          }
        }
        if (form && (err === undefined || aboutTimes(err) || (err instanceof DomainError && err.code === 'meeting.personnummer'))) {
          // Kept as typed, except a personnummer: that is never sent back anywhere (the card is updated through the connector).
          const kept = err instanceof DomainError && err.code === 'meeting.personnummer' ? { ...values, reason: undefined } : values;
          return current({ openForm: { kind: form, values: kept, error: problem } });
        }
        return current({ notice: problem });
      };
      const built = build(data);
      if (typeof built === 'string') return refused(t(built));
      let answered: Awaited<ReturnType<typeof answerMeeting>>;
      try {
        answered = await answerMeeting(m.meetings, person, teamId, meetingId, built, actionRefOf(context, verb, data), { from: from ? 'otherCard' : 'meetingCard' });
        deps.logger.info({ actorId: person.id, meetingId, verb, status: answered.status }, 'meeting answered');
      } catch (err) {
        return refused(meetingProblem(err, t, deps, { change: true }), err);
      }
      if (!from) return current({ outlookUnchecked: answered.outlookUnchecked === true }, true);
      try {
        const meeting = (await m.meetings.meetings.get(teamId, meetingId))!.value;
        return await backTo(from, person, roster, answered.caseCode, t, `card:${verb}`, done(meeting, kind, roster, t, person));
      } catch (err) {
        deps.logger.warn({ err: { type: (err as Error)?.name }, meetingId, verb }, 'meeting answered, but the card it came from could not be drawn');
        return noticeCard({ title: t('error.savedCannotShow') }, t);
      }
    }, { changes: true });

  const timesFrom = (data: Record<string, unknown>): string[] | MessageKey => {
    const { slots, incomplete } = chosenSlots(pickValues(data));
    return incomplete ? 'meeting.error.ownTimeIncomplete' : slots.length === 0 ? 'meeting.error.noSlots' : slots;
  };
  answer(MEETING_VERBS.accept, 'accept', (data) => {
    const start = field(data, 'start', 40);
    return start ? { kind: 'accept', start } : 'meeting.error.pickTime';
  });
  answer(MEETING_VERBS.decline, 'decline', (data) => ({ kind: 'decline', reason: field(data, 'reason', 300) }), 'decline');
  answer(MEETING_VERBS.cancel, 'cancel', () => ({ kind: 'cancel' }));
  answer(MEETING_VERBS.counter, 'counter', (data) => {
    const slots = timesFrom(data);
    return typeof slots === 'string' ? slots : { kind: 'counter', slots };
  }, 'counter');
  answer(MEETING_VERBS.reschedule, 'reschedule', (data) => {
    const slots = timesFrom(data);
    return typeof slots === 'string' ? slots : { kind: 'reschedule', slots };
  }, 'reschedule');

  /** The meeting's own card for one of its parties: opened from the case view, the worklist or the meetings list, or refreshed by Teams. */
  const show = (verb: string) =>
    onCardAction(app, verb, deps.logger, async (context, _state, data) => {
      const t = translatorFor(context);
      const { person, roster } = await actorOf(context, deps);
      if (!person) return noticeCard({ title: notRegisteredText(roster, t) }, t);
      try {
        // An automatic refresh (Teams showing the card, or reacting to the bot's own edit of it) is answered
        // with the card only (onCardAction edits no message for it) and logged as automatic.
        const via = `card:${verb}${isAutomaticRefresh(context) ? ':automatic' : ''}`;
        const loaded = await loadMeetingFor(m.meetings, person, field(data, 'teamId', 64), field(data, 'meetingId', 64), via);
        return await meetingCardFor(m.view, loaded.value, loaded.party, t, { answering: true });
      } catch (err) {
        return noticeCard({ title: describeFailure(err, t, deps.logger) }, t);
      }
    });
  show(MEETING_VERBS.open);
  // Universal Actions refresh: Teams asks for the card as it is now, for this user.
  show(MEETING_VERBS.refresh);
}

/** One line on top of a form that came back: how many fields need a look. */
function formProblems(errors: MeetingFormErrors, t: Translate): string {
  const n = Object.keys(errors).length;
  return n === 1 ? t('form.fixOne') : t('form.fixMany', { n });
}
