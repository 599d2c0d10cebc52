import type { Role } from '../../domain/roster';
import type { CommandId } from '../commands';
import type { MessageKey, Translate } from '../i18n';
import { adaptiveCard, facts, heading, paragraph, type AdaptiveCard, type CardElement } from './adaptiveCard';
import { navButton } from './navigation';
import { reportConcernSection } from './reportConcernSection';

export interface HelpCardModel {
  /** Personal chat shows the person's commands and buttons; a channel or group chat only says where cases live. */
  scope: 'personal' | 'shared';
  /** The person's roles, or not in the roster at all. */
  roles: Role[] | 'unregistered';
  /** Whom an unregistered person asks to be added (the roster's admins). */
  admins?: string;
  /** How many things wait for the person (the worklist), if known. */
  waiting?: number;
  /** The welcome on install (a greeting first), else help. */
  welcome?: boolean;
  reportConcernUrl?: string;
}

/** Every command with its Swedish and English spelling as listed, and what it does. */
const LISTED: Record<CommandId, [sv: string, en: string, what: MessageKey]> = {
  help: ['hjälp', 'help', 'help.command.help'],
  todo: ['att göra', 'to do', 'help.command.todo'],
  newConcern: ['ny oro', 'new concern', 'help.command.newConcern'],
  myCases: ['mina ärenden', 'my cases', 'help.command.myCases'],
  bookMeeting: ['boka möte', 'book meeting', 'help.command.bookMeeting'],
  meetings: ['möten', 'meetings', 'help.command.meetings'],
  plans: ['planer', 'plans', 'help.command.plans'],
  away: ['frånvaro', 'away', 'help.command.away'],
  digest: ['sammanfattning', 'digest', 'help.command.digest'],
  report: ['rapport', 'report', 'help.command.report'],
  audit: ['åtkomstlogg', 'audit log', 'help.command.audit'],
  assignSchool: ['tilldela skola', 'assign school', 'help.command.assignSchool'],
};

/** What each role does with the bot: its commands (listed) and its buttons (the first things it needs), in order. */
const BY_ROLE: Record<Role, { commands: CommandId[]; buttons: CommandId[] }> = {
  eht: { commands: ['todo', 'newConcern', 'myCases', 'bookMeeting', 'meetings', 'plans'], buttons: ['newConcern', 'myCases', 'bookMeeting', 'todo'] },
  socialWorker: { commands: ['todo', 'myCases', 'bookMeeting', 'meetings', 'plans', 'away'], buttons: ['todo', 'myCases', 'plans', 'away'] },
  // The joint team's school-side members: the cases they take part in and their plans.
  schoolStaff: { commands: ['todo', 'myCases', 'meetings', 'plans'], buttons: ['todo', 'myCases', 'plans'] },
  groupLeader: { commands: ['todo', 'myCases', 'plans', 'digest', 'report'], buttons: ['todo', 'myCases', 'plans', 'digest', 'report'] },
  admin: { commands: ['assignSchool', 'audit', 'report'], buttons: ['assignSchool', 'audit', 'report'] },
  // Chef and styrgrupp: the figures, nothing else.
  manager: { commands: ['report'], buttons: ['report'] },
};

/** Teams shows at most six buttons in a row of actions. */
const MAX_BUTTONS = 6;

export function commandsFor(roles: Role[]): CommandId[] {
  return [...new Set(['help' as CommandId, ...roles.flatMap((r) => BY_ROLE[r].commands)])];
}

/**
 * Help and welcome, for this person: what they can do (their role's commands only), buttons for the
 * first things they need, how much waits for them, and the Orosanmälan section in full. Someone not
 * in the roster is told at once whom to ask, and nothing else but the Orosanmälan way.
 */
export function helpCard(m: HelpCardModel, t: Translate): AdaptiveCard {
  const body: CardElement[] = [heading(t(m.welcome ? 'welcome.title' : 'help.title')), paragraph(t('help.intro'))];
  const actions: CardElement[] = [];
  if (m.scope === 'shared') {
    body.push(paragraph(t('help.channelNote'), { weight: 'Bolder' }));
    body.push(facts([[t.lang === 'en' ? LISTED.help[1] : LISTED.help[0], t(LISTED.help[2])]]));
  } else if (m.roles === 'unregistered') {
    body.push(paragraph(t('roster.notRegistered', { admins: m.admins ?? t('roster.noAdmins') }), { weight: 'Bolder' }));
  } else {
    if (m.waiting !== undefined && commandsFor(m.roles).includes('todo')) {
      body.push({
        type: 'Container',
        spacing: 'Medium',
        items: [
          paragraph(m.waiting === 0 ? t('help.nothingWaiting') : t(m.waiting === 1 ? 'help.oneWaiting' : 'help.waiting', { n: m.waiting }), { weight: 'Bolder' }),
          ...(m.waiting > 0 ? [{ type: 'ActionSet', actions: [navButton('todo', t, { style: 'positive' })] }] : []),
        ],
      });
    }
    const commands = commandsFor(m.roles);
    body.push({ type: 'TextBlock', text: t('help.commandsTitle'), weight: 'Bolder', spacing: 'Medium', wrap: true });
    body.push(facts(commands.map((id) => [t.lang === 'en' ? LISTED[id][1] : LISTED[id][0], t(LISTED[id][2])])));
    if (m.welcome) body.push(paragraph(t('welcome.body'), { size: 'Small' }));
    const buttons = [...new Set(m.roles.flatMap((r) => BY_ROLE[r].buttons))].slice(0, MAX_BUTTONS);
    actions.push(...buttons.map((id) => navButton(id, t)));
  }
  body.push(...reportConcernSection(m.reportConcernUrl, t, 'full'));
  return adaptiveCard(body, actions);
}
