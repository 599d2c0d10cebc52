import type { TurnContext } from 'botbuilder';
import { parseCommand } from './commands';
import { translator, type Translate } from './i18n';

const LOCALE_OVERRIDE = Symbol('sst.localeOverride');

/** Local mode only: a fixed locale instead of the client's (the Agents Playground always says en-US). */
export function setLocaleOverride(context: TurnContext, locale: string | undefined): void {
  if (locale) context.turnState.set(LOCALE_OVERRIDE, locale);
}

/**
 * The language of this turn: a typed command answers in its own language (`hjälp` → Swedish,
 * `help` → English); otherwise the Teams client's locale; Swedish when unknown.
 */
export function translatorFor(context: TurnContext): Translate {
  const typed = context.activity.type === 'message' ? parseCommand(context.activity.text) : undefined;
  if (typed) return translator(typed.lang === 'en' ? 'en' : 'sv');
  const override = context.turnState.get(LOCALE_OVERRIDE) as string | undefined;
  const entities: unknown[] = Array.isArray(context.activity.entities) ? context.activity.entities : [];
  const clientInfo = entities.find((e): e is { type: string; locale?: unknown } => typeof e === 'object' && e !== null && (e as { type?: unknown }).type === 'clientInfo');
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return translator(override ?? text(context.activity.locale) ?? text(clientInfo?.locale));
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
