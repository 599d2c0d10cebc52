import { randomUUID } from 'node:crypto';
import type { Application } from '@microsoft/teams-ai';
import { hasRole, knownSchoolId, personById, schoolById } from '../../domain/roster';
import { raiseConcern, type RaisedConcern } from '../../services/concerns';
import { isAnonymous } from '../../domain/concern';
import { latestConsentExpiry } from '../../domain/consent';
import { settingsOf } from '../../domain/settings';
import { stockholmDate } from '../../domain/time';
import type { Roster } from '../../domain/roster';
import { parseConcernForm, pickFormValues, type ConcernFormValues } from '../../services/concernForm';
import { actorOf, notRegisteredText } from '../actor';
import { actionRefOf, field, onCardAction } from '../cardActions';
import { concernFormCard, CONCERN_SUBMIT_VERB } from '../cards/concernFormCard';
import { concernReceivedCard, noticeCard } from '../cards/caseCards';
import type { CommandHandlers } from '../views';
import { translatorFor } from '../context';
import { refusedByRole } from '../refusals';
import type { BotDeps } from '../deps';
import { describeFailure } from '../failures';
import type { AppTurnState } from '../turnState';

/** What the form offers and allows: the municipality's grades, categories and longest consent, as of today. */
function formSettings(roster: Roster, now: Date) {
  const settings = settingsOf(roster.municipality);
  const today = stockholmDate(now);
  return { settings, card: { grades: settings.grades, categories: settings.categories, today, latestConsentExpiry: latestConsentExpiry(today, settings.consentMaxMonths), consentMaxMonths: settings.consentMaxMonths } };
}

export function registerConcernRoutes(app: Application<AppTurnState>, deps: BotDeps, commands: CommandHandlers): void {
  commands.set('newConcern', async ({ person, roster, t, via }) => {
    if (!hasRole(person, 'eht')) {
      await refusedByRole(deps, person, 'raise', via);
      return t('concern.onlyEht');
    }
    const schools = (person.schools ?? []).map((id) => ({ id, name: schoolById(roster, id)?.name ?? id }));
    return concernFormCard({ schools, values: {}, errors: {}, reportConcernUrl: roster.municipality.reportConcernUrl, formId: randomUUID(), ...formSettings(roster, deps.clock.now()).card }, t);
  });

  onCardAction(app, CONCERN_SUBMIT_VERB, deps.logger, async (context, _state, data) => {
    const t = translatorFor(context);
    const { person, roster } = await actorOf(context, deps);
    if (!person) return noticeCard({ title: notRegisteredText(roster, t) }, t);
    const values: ConcernFormValues = pickFormValues(data);
    const submitted = field(data, 'formId', 64);
    const validFormId = /^[0-9a-f-]{16,64}$/.test(submitted);
    const formId = validFormId ? submitted : randomUUID();
    const schools = (person.schools ?? []).map((id) => ({ id, name: schoolById(roster, id)?.name ?? id }));
    const current = formSettings(roster, deps.clock.now());
    const form = (errors: Parameters<typeof concernFormCard>[0]['errors'], notice?: string) =>
      concernFormCard({ schools, values, errors, notice, reportConcernUrl: roster.municipality.reportConcernUrl, formId, ...current.card }, t);
    if (!hasRole(person, 'eht')) {
      await refusedByRole(deps, person, 'raise', `card:${CONCERN_SUBMIT_VERB}`);
      return noticeCard({ title: t('concern.onlyEht') }, t);
    }

    const parsed = parseConcernForm(values, person.schools ?? [], deps.clock.now(), current.settings);
    if (!parsed.ok) {
      if (parsed.errors.school === 'notYourSchool') {
        // A school outside the user's own in the payload: refused and logged as an access attempt.
        await deps.services.accessLog.record({ at: deps.clock.now().toISOString(), actorId: person.id, action: 'raise', schoolId: knownSchoolId(roster, values.school), allowed: false, via: `card:${CONCERN_SUBMIT_VERB}` });
        deps.logger.warn({ actorId: person.id, verb: CONCERN_SUBMIT_VERB }, 'concern for a school outside the actor\'s own refused');
      }
      // Every problem at once, each beside its field; the form comes back with everything typed.
      return form(parsed.errors);
    }
    let result: RaisedConcern;
    try {
      result = await raiseConcern(deps.services, person, parsed.input, actionRefOf(context, CONCERN_SUBMIT_VERB, data, validFormId ? { formId } : undefined));
    } catch (err) {
      // Whatever failed, the user gets the form back filled in, with what is true and what to do next.
      return form({}, describeFailure(err, t, deps.logger, { change: true }));
    }
    deps.logger.info({ actorId: person.id, caseCode: result.duplicate ? result.caseCode : result.case.code, duplicate: result.duplicate }, 'concern raised');
    const reportConcernUrl = roster.municipality.reportConcernUrl;
    if (!result.duplicate) {
      return concernReceivedCard({ code: result.case.code, contactName: result.assignee.name, anonymous: isAnonymous(result.case), delivery: 'pending', reportConcernUrl }, t);
    }
    // The same form again: the concern it made, with how its card to the social worker went.
    try {
      const [found, deliveries] = await Promise.all([deps.services.cases.get(result.teamId, result.caseCode), deps.services.changes.deliveries(result.teamId, result.caseCode)]);
      if (!found) throw new Error('The case of an earlier submission is gone');
      const card = deliveries.find((d) => d.kind === 'caseAssigned');
      const contact = personById(roster, card?.to ?? found.value.assignedTo);
      return concernReceivedCard({ code: result.caseCode, contactName: contact?.name ?? '', anonymous: isAnonymous(found.value), delivery: card?.state ?? 'pending', reportConcernUrl }, t);
    } catch (err) {
      deps.logger.warn({ err: { type: (err as Error)?.name, status: (err as { statusCode?: number }).statusCode }, caseCode: result.caseCode }, 'a repeated concern could not be shown');
      return noticeCard({ title: t('received.title', { code: result.caseCode }), body: t('error.savedCannotShow'), caseCode: result.caseCode }, t);
    }
  }, { changes: true });
}
