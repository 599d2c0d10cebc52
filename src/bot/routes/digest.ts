import { cardMessage } from '../cardMessage';
import type { Application } from '@microsoft/teams-ai';
import { digestCodes } from '../../domain/digest';
import { hasRole, personById } from '../../domain/roster';
import { teamDigest, type DeliveryDeps } from '../../services/deliverReminder';
import { actorOf, notRegisteredText } from '../actor';
import { digestCard } from '../cards/reminderCards';
import { isCommand } from '../commands';
import { translatorFor } from '../context';
import { refusedByRole } from '../refusals';
import type { BotDeps } from '../deps';
import type { AppTurnState } from '../turnState';

export function registerDigestRoutes(app: Application<AppTurnState>, deps: BotDeps, delivery: DeliveryDeps): void {
  app.message(isCommand('digest'), async (context) => {
    const t = translatorFor(context);
    const { person, roster } = await actorOf(context, deps);
    if (!person) return void (await context.sendActivity(notRegisteredText(roster, t)));
    if (!hasRole(person, 'groupLeader') || !person.team) {
      await refusedByRole(deps, person, 'list', 'command:digest');
      return void (await context.sendActivity(t('digest.onlyGroupLeader')));
    }
    const digest = await teamDigest(delivery, person.team);
    await deps.services.accessLog.recordMany(
      digestCodes(digest).map((code) => ({ at: deps.clock.now().toISOString(), actorId: person.id, action: 'list', caseCode: code, allowed: true, via: 'command:digest' })),
    );
    await context.sendActivity(cardMessage(digestCard(digest, { nameOf: (id) => personById(roster, id)?.name ?? id }, t), t.lang));
  });
}
