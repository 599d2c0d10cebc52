import type { CommandId } from '../commands';
import type { MessageKey, Translate } from '../i18n';
import { adaptiveCard, facts, heading, paragraph, type AdaptiveCard, type CardElement } from './adaptiveCard';

export interface HelpCardModel {
  /** Personal chat shows every command; a channel or group chat only says where cases live. */
  scope: 'personal' | 'shared';
  /** Extra elements every help card carries, e.g. the always visible Orosanmälan section. */
  footer?: CardElement[];
}

const LISTED: Array<[CommandId, string, string, MessageKey]> = [
  ['help', 'hjälp', 'help', 'help.command.help'],
  ['newConcern', 'ny oro', 'new concern', 'help.command.newConcern'],
  ['myCases', 'mina ärenden', 'my cases', 'help.command.myCases'],
  ['bookMeeting', 'boka möte', 'book meeting', 'help.command.bookMeeting'],
  ['plans', 'planer', 'plans', 'help.command.plans'],
  ['digest', 'sammanfattning', 'digest', 'help.command.digest'],
  ['report', 'rapport', 'report', 'help.command.report'],
  ['audit', 'åtkomstlogg', 'audit log', 'help.command.audit'],
  ['assignSchool', 'tilldela skola', 'assign school', 'help.command.assignSchool'],
];

export function helpCard(model: HelpCardModel, t: Translate): AdaptiveCard {
  const commandFacts = facts(LISTED.map(([, sv, en, key]) => [t.lang === 'en' ? en : sv, t(key)]));
  const body: CardElement[] = [heading(t('help.title')), paragraph(t('help.intro')), commandFacts];
  if (model.scope === 'shared') body.push(paragraph(t('help.channelNote'), { weight: 'Bolder' }));
  return adaptiveCard([...body, ...(model.footer ?? [])]);
}
