import type { TurnContext } from 'botbuilder';
import type { Language } from './i18n';

/** The text commands in Swedish and English (also the manifest's commandLists); ASCII spellings forgive missing å/ä/ö. */
export const COMMANDS = {
  help: { sv: ['hjälp', 'hjalp'], en: ['help', '?'] },
  newConcern: { sv: ['ny oro'], en: ['new concern'] },
  myCases: { sv: ['mina ärenden', 'mina arenden'], en: ['my cases'] },
  todo: { sv: ['att göra', 'att gora'], en: ['to do', 'todo'] },
  meetings: { sv: ['möten', 'moten'], en: ['meetings'] },
  bookMeeting: { sv: ['boka möte', 'boka mote'], en: ['book meeting'] },
  plans: { sv: ['planer'], en: ['plans'] },
  away: { sv: ['frånvaro', 'franvaro'], en: ['away'] },
  digest: { sv: ['sammanfattning'], en: ['digest'] },
  assignSchool: { sv: ['tilldela skola'], en: ['assign school'] },
  report: { sv: ['rapport'], en: ['report'] },
  audit: { sv: ['åtkomstlogg', 'logg'], en: ['audit log', 'audit'] },
} as const satisfies Record<string, Record<Language, readonly string[]>>;

export type CommandId = keyof typeof COMMANDS;

/**
 * Longest text that can still be a command: the longest command is 15 characters, and people add
 * a slash, spaces or "!" around it. Anything longer is not parsed at all (a pasted 250,000-character
 * message must not cost more than this check).
 */
export const MAX_COMMAND_TEXT = 100;

/** Lower-cased text without punctuation noise or a leading slash, as Teams users type commands ('' when too long to be one). */
export function normaliseCommandText(text: unknown): string {
  if (typeof text !== 'string' || text.length > MAX_COMMAND_TEXT) return '';
  const s = text.trim();
  return withoutTrailingPunctuation(s.startsWith('/') ? s.slice(1) : s).replace(/\s+/g, ' ').toLocaleLowerCase('sv-SE');
}

/** "hjälp!!" → "hjälp". By hand, in one pass from the end: the regex /[.!]+$/ is quadratic on a long run of dots followed by other text. */
export function withoutTrailingPunctuation(s: string): string {
  let end = s.length;
  while (end > 0 && (s[end - 1] === '.' || s[end - 1] === '!')) end--;
  return s.slice(0, end);
}

/** The command a text names, and the language it was typed in. */
export function parseCommand(text: unknown): { id: CommandId; lang: Language } | undefined {
  const normalised = normaliseCommandText(text);
  for (const id of Object.keys(COMMANDS) as CommandId[]) {
    for (const lang of ['sv', 'en'] as const) {
      if ((COMMANDS[id][lang] as readonly string[]).includes(normalised)) return { id, lang };
    }
  }
  return undefined;
}

export const commandOf = (text: unknown): CommandId | undefined => parseCommand(text)?.id;

/** A teams-ai route selector matching one command in any language. */
export const isCommand = (id: CommandId) => async (context: TurnContext) =>
  context.activity.type === 'message' && commandOf(context.activity.text) === id;
