import type { TurnContext } from 'botbuilder';

/** The text commands, in Swedish and English; also listed in the manifest's commandLists. */
export const COMMANDS = {
  help: ['hjälp', 'help', 'hjalp', '?'],
  newConcern: ['ny oro', 'new concern'],
  myCases: ['mina ärenden', 'my cases', 'mina arenden'],
  bookMeeting: ['boka möte', 'book meeting', 'boka mote'],
  plans: ['planer', 'plans'],
  digest: ['sammanfattning', 'digest'],
} as const;

export type CommandId = keyof typeof COMMANDS;

/** Lower-cased text without punctuation noise or a leading slash, as Teams users type commands. */
export function normaliseCommandText(text: string | undefined): string {
  return (text ?? '').trim().replace(/^\//, '').replace(/[.!]+$/, '').replace(/\s+/g, ' ').toLocaleLowerCase('sv-SE');
}

export function commandOf(text: string | undefined): CommandId | undefined {
  const normalised = normaliseCommandText(text);
  return (Object.keys(COMMANDS) as CommandId[]).find((id) => (COMMANDS[id] as readonly string[]).includes(normalised));
}

/** A teams-ai route selector matching one command in any language. */
export const isCommand = (id: CommandId) => async (context: TurnContext) =>
  context.activity.type === 'message' && commandOf(context.activity.text) === id;
