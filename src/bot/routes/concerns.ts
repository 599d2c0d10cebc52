import { randomUUID } from 'node:crypto';
import { CardFactory, MessageFactory } from 'botbuilder';
import type { Application } from '@microsoft/teams-ai';
import { hasRole, knownSchoolId, schoolById } from '../../domain/roster';
import { raiseConcern } from '../../services/concerns';
import { parseConcernForm, pickFormValues, type ConcernFormValues } from '../../services/concernForm';
import { actorOf, notRegisteredText } from '../actor';
import { field, onCardAction } from '../cardActions';
import { concernFormCard, CONCERN_SUBMIT_VERB } from '../cards/concernFormCard';
import { concernReceivedCard, noticeCard } from '../cards/caseCards';
import { isCommand } from '../commands';
import { translatorFor } from '../context';
import { refusedByRole } from '../refusals';
import type { BotDeps } from '../deps';
import { describeFailure } from '../failures';
import type { AppTurnState } from '../turnState';

export function registerConcernRoutes(app: Application<AppTurnState>, deps: BotDeps): void {
  app.message(isCommand('newConcern'), async (context) => {
    const t = translatorFor(context);
    const { person, roster } = await actorOf(context, deps);
    if (!person) return void (await context.sendActivity(notRegisteredText(roster, t)));
    if (!hasRole(person, 'eht')) {
      await refusedByRole(deps, person, 'raise', 'command:newConcern');
      return void (await context.sendActivity(t('concern.onlyEht')));
    }
    const schools = (person.schools ?? []).map((id) => ({ id, name: schoolById(roster, id)?.name ?? id }));
    const card = concernFormCard({ schools, values: {}, errors: {}, reportConcernUrl: roster.municipality.reportConcernUrl, formId: randomUUID() }, t);
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
  });

  onCardAction(app, CONCERN_SUBMIT_VERB, deps.logger, async (context, _state, data) => {
    const t = translatorFor(context);
    const { person, roster } = await actorOf(context, deps);
    if (!person) return noticeCard({ title: notRegisteredText(roster, t) }, t);
    const values: ConcernFormValues = pickFormValues(data);
    const submitted = field(data, 'formId', 64);
    const formId = /^[0-9a-f-]{16,64}$/.test(submitted) ? submitted : randomUUID();
    const schools = (person.schools ?? []).map((id) => ({ id, name: schoolById(roster, id)?.name ?? id }));
    const form = (errors: Parameters<typeof concernFormCard>[0]['errors'], notice?: string) =>
      concernFormCard({ schools, values, errors, notice, reportConcernUrl: roster.municipality.reportConcernUrl, formId }, t);
    if (!hasRole(person, 'eht')) {
      await refusedByRole(deps, person, 'raise', `card:${CONCERN_SUBMIT_VERB}`);
      return noticeCard({ title: t('concern.onlyEht') }, t);
    }

    const parsed = parseConcernForm(values, person.schools ?? [], deps.clock.now());
    if (!parsed.ok) {
      if (parsed.errors.school === 'notYourSchool') {
        // A school outside the user's own in the payload: refused and logged as an access attempt.
        await deps.services.accessLog.record({ at: deps.clock.now().toISOString(), actorId: person.id, action: 'raise', schoolId: knownSchoolId(roster, values.school), allowed: false, via: `card:${CONCERN_SUBMIT_VERB}` });
        deps.logger.warn({ actorId: person.id, verb: CONCERN_SUBMIT_VERB }, 'concern for a school outside the actor\'s own refused');
      }
      return form(parsed.errors, t('form.fixErrors'));
    }
    try {
      const result = await raiseConcern(deps.services, person, parsed.input, formId);
      deps.logger.info({ actorId: person.id, caseCode: result.case.code, assignee: result.assignee.id, via: result.via, delivered: result.delivered, duplicate: result.duplicate }, 'concern raised');
      return concernReceivedCard(
        { code: result.case.code, contactName: result.assignee.name, anonymous: !result.case.consent, delivered: result.delivered, reportConcernUrl: roster.municipality.reportConcernUrl },
        t,
      );
    } catch (err) {
      // Whatever failed, the user gets the form back filled in, with what to do next.
      return form({}, describeFailure(err, t, deps.logger));
    }
  });
}
