import type { TurnContext } from 'botbuilder';
import { parseCommand } from './commands';
import { asLanguage, personLanguage, translator, type Language, type Translate } from './i18n';

const LOCALE_OVERRIDE = Symbol('sst.localeOverride');
const CHOSEN_LANGUAGE = Symbol('sst.chosenLanguage');

/** Local mode only: a fixed locale instead of the client's (the Agents Playground always says en-US). */
export function setLocaleOverride(context: TurnContext, locale: string | undefined): void {
  if (locale) context.turnState.set(LOCALE_OVERRIDE, locale);
}

/** The language this person chose earlier (remembered with their conversation), for this turn. */
export function setChosenLanguage(context: TurnContext, lang: Language | undefined): void {
  if (lang) context.turnState.set(CHOSEN_LANGUAGE, lang);
}

/** The language of a command typed in this turn (`hjälp` → sv, `help` → en), if it is one. */
export function typedLanguage(context: TurnContext): Language | undefined {
  return context.activity.type === 'message' ? parseCommand(context.activity.text)?.lang : undefined;
}

/** The language a card was drawn in (stamped into every action's data), for an action from it. */
export function cardLanguage(context: TurnContext): Language | undefined {
  const value = context.activity.value as { action?: { data?: { lang?: unknown } }; lang?: unknown } | undefined;
  if (!value || typeof value !== 'object') return undefined;
  const isExecute = context.activity.type === 'invoke';
  return asLanguage(isExecute ? value.action?.data?.lang : value.lang);
}

/** The Teams client's locale of this turn (BOT_LOCALE instead in local mode). */
function clientLocale(context: TurnContext): { override?: string; clientLocale?: string } {
  const override = context.turnState.get(LOCALE_OVERRIDE) as string | undefined;
  const entities: unknown[] = Array.isArray(context.activity.entities) ? context.activity.entities : [];
  const clientInfo = entities.find((e): e is { type: string; locale?: unknown } => typeof e === 'object' && e !== null && (e as { type?: unknown }).type === 'clientInfo');
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { override, clientLocale: text(context.activity.locale) ?? text(clientInfo?.locale) };
}

/**
 * The language of this turn. A typed command answers in its own language (`hjälp` → Swedish, `help`
 * → English); an action from a card answers in the card's language (a card keeps its language through
 * its actions); otherwise the language the person chose by typing a command earlier; otherwise the
 * Teams client's locale (BOT_LOCALE in local mode); Swedish when unknown.
 */
export function translatorFor(context: TurnContext): Translate {
  const typed = typedLanguage(context) ?? cardLanguage(context);
  if (typed) return translator(typed);
  const chosen = context.turnState.get(CHOSEN_LANGUAGE) as Language | undefined;
  return translator(personLanguage({ chosen, ...clientLocale(context) }));
}

/**
 * True in a personal (1:1) chat; false in channels, group chats and meeting chats, where no case data
 * is shown and no conversation is remembered as a person's. Personal means Teams says so and nothing
 * in the activity says otherwise (a team or channel in channelData, a group flag, a thread id "19:…");
 * without a conversation type (not Teams) only when nothing says otherwise.
 */
export function isPersonalChat(context: TurnContext): boolean {
  const a = context.activity;
  const type: unknown = a.conversation?.conversationType;
  if (type !== undefined && type !== 'personal') return false;
  const channelData: unknown = a.channelData;
  const inTeam = Boolean(channelData && typeof channelData === 'object' && ((channelData as { team?: unknown }).team || (channelData as { channel?: unknown }).channel));
  const conversationId: unknown = a.conversation?.id;
  const thread = typeof conversationId === 'string' && conversationId.startsWith('19:');
  return !inTeam && !thread && a.conversation?.isGroup !== true;
}
