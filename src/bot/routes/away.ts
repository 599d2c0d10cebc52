import type { Application } from '@microsoft/teams-ai';
import { hasRole, personById, type Person } from '../../domain/roster';
import { stockholmDate } from '../../domain/time';
import { parseAway, setAway } from '../../services/away';
import { actorOf, notRegisteredText } from '../actor';
import { actionRefOf, field, onCardAction } from '../cardActions';
import { ok } from '../cards/adaptiveCard';
import { AWAY_VERB, awayCard, type AwayModel } from '../cards/awayCard';
import { noticeCard } from '../cards/caseCards';
import { translatorFor } from '../context';
import type { BotDeps } from '../deps';
import { describeFailure } from '../failures';
import type { Translate } from '../i18n';
import { refusedByRole } from '../refusals';
import type { AppTurnState } from '../turnState';
import type { CommandHandlers } from '../views';

/** `frånvaro` / `away`: a social worker marks themselves away until a date, or back. */
export function registerAwayRoutes(app: Application<AppTurnState>, deps: BotDeps, commands: CommandHandlers): void {
  const card = async (person: Person, t: Translate, extra: Partial<AwayModel> = {}) => {
    const current = personById(await deps.services.roster.get(), person.id)?.away;
    const today = stockholmDate(deps.clock.now());
    // A period that is over is not "away" any more.
    return awayCard({ current: current && current.until >= today ? current : undefined, today, values: {}, errors: {}, ...extra }, t);
  };

  commands.set('away', async ({ person, t, via }) => {
    if (!hasRole(person, 'socialWorker')) {
      await refusedByRole(deps, person, 'setAway', via);
      return t('away.onlySocialWorker');
    }
    return card(person, t);
  });

  onCardAction(app, AWAY_VERB, deps.logger, async (context, _state, data) => {
    const t = translatorFor(context);
    const { person } = await actorOf(context, deps);
    if (!person) return noticeCard({ title: notRegisteredText((await actorOf(context, deps)).roster, t) }, t);
    if (!hasRole(person, 'socialWorker')) {
      await refusedByRole(deps, person, 'setAway', `card:${AWAY_VERB}`);
      return noticeCard({ title: t('away.onlySocialWorker') }, t);
    }
    const values = { awayFrom: field(data, 'awayFrom', 20), awayUntil: field(data, 'awayUntil', 20) };
    const ending = field(data, 'op', 10) === 'end';
    const parsed = ending ? undefined : parseAway(values, stockholmDate(deps.clock.now()));
    if (parsed && !parsed.ok) {
      const errors = Object.fromEntries(Object.entries(parsed.errors).map(([f, p]) => [f, t(`away.problem.${p}`)]));
      return card(person, t, { values, errors, notice: t(Object.keys(errors).length === 1 ? 'form.fixOne' : 'form.fixMany', { n: Object.keys(errors).length }) });
    }
    let done: Awaited<ReturnType<typeof setAway>>;
    try {
      done = await setAway(deps.services, person, parsed?.ok ? { from: parsed.from, until: parsed.until } : undefined, actionRefOf(context, AWAY_VERB, data));
    } catch (err) {
      // Nothing was changed (or it cannot be told): the form again with what was typed, and what is true.
      return card(person, t, { values, notice: describeFailure(err, t, deps.logger, { change: true }) }).catch(() => describeFailure(err, t, deps.logger, { change: true }));
    }
    const notice = done.status === 'unchanged' ? t('away.notAway') : parsed?.ok ? t('away.saved', { from: parsed.from, until: parsed.until }) : t('away.ended');
    try {
      return await card(person, t, { notice: ok(notice) });
    } catch {
      return noticeCard({ title: notice, body: t('error.savedCannotShow') }, t);
    }
  }, { changes: true });
}
