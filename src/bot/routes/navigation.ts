import type { Application } from '@microsoft/teams-ai';
import { cardMessage } from '../cardMessage';
import { actorOf, notRegisteredText } from '../actor';
import { field, onCardAction } from '../cardActions';
import { noticeCard } from '../cards/caseCards';
import { NAV_VERB } from '../cards/navigation';
import { COMMANDS, isCommand, type CommandId } from '../commands';
import { translatorFor } from '../context';
import type { BotDeps } from '../deps';
import { describeFailure } from '../failures';
import type { AppTurnState } from '../turnState';
import type { CommandHandlers } from '../views';

/**
 * Every command twice: typed (`mina ärenden`), answered with a new message, and as a button on the
 * welcome, help and list cards (`nav.open` with the command's id), answered in place with the same
 * card. Both run the same handler, with the same role checks and access logging; `via` tells them apart.
 */
export function registerCommandRoutes(app: Application<AppTurnState>, deps: BotDeps, handlers: CommandHandlers): void {
  for (const [id, handler] of handlers) {
    if (id === 'help') continue; // typed, help has its own route: it answers people outside the roster too
    app.message(isCommand(id), async (context) => {
      const t = translatorFor(context);
      const { person, roster } = await actorOf(context, deps);
      if (!person) return void (await context.sendActivity(notRegisteredText(roster, t)));
      const answer = await handler({ context, person, roster, t, via: `command:${id}` });
      await context.sendActivity(typeof answer === 'string' ? answer : cardMessage(answer, t.lang));
    });
  }

  onCardAction(app, NAV_VERB, deps.logger, async (context, _state, data) => {
    const t = translatorFor(context);
    const { person, roster } = await actorOf(context, deps);
    if (!person) return noticeCard({ title: notRegisteredText(roster, t) }, t);
    const id = field(data, 'command', 40);
    const handler = Object.prototype.hasOwnProperty.call(COMMANDS, id) ? handlers.get(id as CommandId) : undefined;
    if (!handler) return noticeCard({ title: t('card.unknownAction') }, t);
    try {
      const answer = await handler({ context, person, roster, t, via: `card:${NAV_VERB}:${id}` });
      return typeof answer === 'string' ? noticeCard({ title: answer }, t) : answer;
    } catch (err) {
      return noticeCard({ title: describeFailure(err, t, deps.logger) }, t);
    }
  });
}
