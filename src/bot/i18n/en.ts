import type { MessageKey } from './sv';

/** English catalogue, used when the Teams client's locale is English. */
export const en: Record<MessageKey, string> = {
  'help.title': 'Here is what I can help with',
  'help.intro': "I am the school social team's bot. Here the school's pupil health team contacts social services' school social team, books joint meetings and gets reminders. No pupil names or personal identity numbers belong here: cases have codes.",
  'help.command.help': 'shows this list',
  'help.command.newConcern': 'raise a concern about a pupil with the school social team',
  'help.command.myCases': 'your cases with status and next step',
  'help.command.bookMeeting': "book a joint meeting with the school's social worker",
  'help.command.plans': 'plans and reviews',
  'help.command.digest': "today's digest for group leaders",
  'help.channelNote': 'Cases are shown only in your personal chat with the bot, never in a channel or group chat.',
  'help.openPersonal': 'Open personal chat',
  'report.title': 'Do you suspect a child is being harmed? File a report of concern',
  'report.duty': 'The duty to report is personal and immediate. A concern raised in this bot never replaces a report of concern (orosanmälan) to the social welfare committee.',
  'report.action': 'File a report of concern (orosanmälan)',
  'welcome.title': 'Welcome to the school social team',
  'welcome.body': 'Type **help** at any time to see what I can do.',
  'unknown.command': 'I did not understand that. Type **help** to see what I can do.',
  'command.notYet': 'The "{command}" feature is not available yet.',
  'channel.noCaseData': 'For confidentiality I show no cases here. Write to me in the personal chat instead.',
  'card.unknownAction': 'This button no longer works. Type **help** to start again.',
  'error.generic': 'Something went wrong in the bot (error code {correlationId}). Try again in a moment; if it persists, contact your system administrator and give the error code.',
  'error.storeDown': 'I cannot reach the storage right now. Nothing was saved. Try again in a moment; what you entered is still in the form.',
};
