import { cardMessage } from '../cardMessage';
import type { TurnContext } from 'botbuilder';
import type { Application } from '@microsoft/teams-ai';
import { helpCard } from '../cards/helpCard';
import { welcomeCard } from '../cards/welcomeCard';
import { isCommand } from '../commands';
import { reportConcernSection } from '../cards/reportConcernSection';
import { isPersonalChat, translatorFor } from '../context';
import type { AppTurnState } from '../turnState';
import type { BotDeps } from '../deps';

export function registerHelpRoutes(app: Application<AppTurnState>, deps: BotDeps): void {
  app.conversationUpdate('membersAdded', async (context, state) => {
    const botAdded = (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient.id);
    if (!botAdded) return;
    const t = translatorFor(context);
    const footer = reportConcernSection((await deps.services.roster.get()).municipality.reportConcernUrl, t);
    await context.sendActivity(cardMessage(welcomeCard({ footer }, t), t.lang));
    state.conversation.welcomedAt = deps.clock.now().toISOString();
  });

  app.message(isCommand('help'), async (context) => sendHelp(context, deps));
}

export async function sendHelp(context: TurnContext, deps: BotDeps): Promise<void> {
  const t = translatorFor(context);
  const footer = reportConcernSection((await deps.services.roster.get()).municipality.reportConcernUrl, t);
  const card = helpCard({ scope: isPersonalChat(context) ? 'personal' : 'shared', footer }, t);
  await context.sendActivity(cardMessage(card, t.lang));
}
