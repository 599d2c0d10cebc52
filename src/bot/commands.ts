import type { TurnContext } from 'botbuilder';
import type { Language } from './i18n';

/** The text commands in Swedish and English (also the manifest's commandLists); ASCII spellings forgive missing å/ä/ö. */
export const COMMANDS = {
  help: { sv: ['hjälp', 'hjalp'], en: ['help', '?'] },
  newConcern: { sv: ['ny oro'], en: ['new concern'] },
  myCases: { sv: ['mina ärenden', 'mina arenden'], en: ['my cases'] },
  bookMeeting: { sv: ['boka möte', 'boka mote'], en: ['book meeting'] },
  plans: { sv: ['planer'], en: ['plans'] },
  digest: { sv: ['sammanfattning'], en: ['digest'] },
  assignSchool: { sv: ['tilldela skola'], en: ['assign school'] },
  report: { sv: ['rapport'], en: ['report'] },
  audit: { sv: ['åtkomstlogg', 'logg'], en: ['audit log', 'audit'] },
} as const satisfies Record<string, Record<Language, readonly string[]>>;

export type CommandId = keyof typeof COMMANDS;

/** Lower-cased text without punctuation noise or a leading slash, as Teams users type commands. */
export function normaliseCommandText(text: unknown): string {
  return (typeof text === 'string' ? text : '').trim().replace(/^\//, '').replace(/[.!]+$/, '').replace(/\s+/g, ' ').toLocaleLowerCase('sv-SE');
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
