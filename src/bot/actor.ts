import type { TurnContext } from 'botbuilder';
import { hasRole, personByAad, type Person, type Roster } from '../domain/roster';
import type { BotDeps } from './deps';
import type { Translate } from './i18n';

/** The roster person behind this turn (by `from.aadObjectId`), with the roster they were found in. */
export async function actorOf(context: TurnContext, deps: BotDeps): Promise<{ person?: Person; roster: Roster }> {
  const roster = await deps.services.roster.get();
  return { person: personByAad(roster, context.activity.from?.aadObjectId), roster };
}

/** Polite words for someone not in the roster: no case data, and whom to ask. */
export function notRegisteredText(roster: Roster, t: Translate): string {
  const admins = roster.people.filter((p) => hasRole(p, 'admin')).map((p) => p.name);
  return t('roster.notRegistered', { admins: admins.length > 0 ? admins.join(', ') : t('roster.noAdmins') });
}
