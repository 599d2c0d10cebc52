import { cardMessage } from '../cardMessage';
import type { TurnContext } from 'botbuilder';
import type { Application } from '@microsoft/teams-ai';
import { hasRole, type Person, type Roster } from '../../domain/roster';
import { waitingCount } from '../../services/worklist';
import { helpCard } from '../cards/helpCard';
import { isCommand } from '../commands';
import { isPersonalChat, translatorFor } from '../context';
import { actorOf } from '../actor';
import type { Translate } from '../i18n';
import type { AppTurnState } from '../turnState';
import type { BotDeps } from '../deps';
import type { CommandHandlers, ViewDeps } from '../views';

/** Help or welcome for whoever this is: their role's commands and buttons, what waits for them; someone not in the roster learns whom to ask. */
async function helpFor(v: ViewDeps, person: Person | undefined, roster: Roster, t: Translate, scope: 'personal' | 'shared', welcome: boolean) {
  const admins = roster.people.filter((p) => hasRole(p, 'admin')).map((p) => p.name).join(', ') || undefined;
  // How much waits is counted, not shown: no case code is read out here (the list itself logs its reads).
  const waiting = person && scope === 'personal' ? await waitingCount({ ...v.meetings, plans: v.plans }, person).catch(() => undefined) : undefined;
  return helpCard({ scope, roles: person ? person.roles : 'unregistered', admins, waiting, welcome, reportConcernUrl: roster.municipality.reportConcernUrl }, t);
}

export function registerHelpRoutes(app: Application<AppTurnState>, deps: BotDeps, v: ViewDeps, commands: CommandHandlers): void {
  app.conversationUpdate('membersAdded', async (context, state) => {
    const botAdded = (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient.id);
    if (!botAdded) return;
    const t = translatorFor(context);
    const { person, roster } = await actorOf(context, deps);
    await context.sendActivity(cardMessage(await helpFor(v, person, roster, t, isPersonalChat(context) ? 'personal' : 'shared', true), t.lang));
    state.conversation.welcomedAt = deps.clock.now().toISOString();
  });

  app.message(isCommand('help'), async (context) => sendHelp(context, deps, v));
  commands.set('help', async ({ person, roster, t }) => helpFor(v, person, roster, t, 'personal', false));
}

export async function sendHelp(context: TurnContext, deps: BotDeps, v: ViewDeps): Promise<void> {
  const t = translatorFor(context);
  const personal = isPersonalChat(context);
  const { person, roster } = await actorOf(context, deps);
  await context.sendActivity(cardMessage(await helpFor(v, person, roster, t, personal ? 'personal' : 'shared', false), t.lang));
}
