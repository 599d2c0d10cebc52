import type { TurnContext } from 'botbuilder';
import { translator, type Translate } from './i18n';

/** The language of this turn: the Teams client's locale, Swedish when unknown. */
export function translatorFor(context: TurnContext): Translate {
  return translator(context.activity.locale ?? (context.activity.entities?.find((e) => e.type === 'clientInfo') as { locale?: string } | undefined)?.locale);
}

/** True in a personal (1:1) chat; false in channels and group chats, where no case data is shown. */
export function isPersonalChat(context: TurnContext): boolean {
  const type = context.activity.conversation?.conversationType;
  return type === undefined || type === 'personal';
}
