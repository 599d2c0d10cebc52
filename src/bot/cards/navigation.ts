import type { CommandId } from '../commands';
import type { MessageKey, Translate } from '../i18n';
import { executeAction } from './actions';
import type { CardElement } from './adaptiveCard';

/**
 * A button that does what typing a command does (Ny oro, Mina ärenden, Att göra, …): the answer is
 * the card the command would send, with the same role checks and access logging.
 */
export const NAV_VERB = 'nav.open';

/** The button's words, per command (short, as on a button). */
export const NAV_TITLES: Record<CommandId, MessageKey> = {
  help: 'nav.help',
  newConcern: 'nav.newConcern',
  myCases: 'nav.myCases',
  bookMeeting: 'nav.bookMeeting',
  todo: 'nav.todo',
  meetings: 'nav.meetings',
  plans: 'nav.plans',
  away: 'nav.away',
  digest: 'nav.digest',
  report: 'nav.report',
  audit: 'nav.audit',
  assignSchool: 'nav.assignSchool',
};

export function navButton(command: CommandId, t: Translate, extra: CardElement = {}): CardElement {
  return executeAction(t(NAV_TITLES[command]), NAV_VERB, { command }, { associatedInputs: 'none', ...extra });
}
