import type { AccessLogEntry } from '../domain/ports';
import type { ExportLabels } from '../services/csv';
import { COMMANDS, type CommandId } from './commands';
import { translator } from './i18n';
import { gradeLabel, periodLabel } from './cards/labels';

/** What each access-log action means, in the words of a municipality's log review. */
const ACTIONS: Record<AccessLogEntry['action'], string> = {
  view: 'läste ärendet',
  viewSchoolRef: 'läste skolans referens',
  accept: 'tog emot ärendet',
  requestInfo: 'frågade skolan',
  replyInfo: 'svarade socialsekreteraren',
  close: 'avslutade ärendet',
  bookMeeting: 'bokade möte',
  answerMeeting: 'svarade på eller ändrade ett möte',
  recordPlan: 'upprättade plan eller uppföljning',
  nudge: 'påminde den ärendet väntar på',
  raise: 'lyfte en oro',
  list: 'såg ärendet i en lista',
  reassignSchool: 'bytte skolans socialsekreterare',
  recordConsent: 'registrerade eller förnyade samtycke',
  withdrawConsent: 'registrerade att samtycket återkallats',
  reassign: 'bytte ärendets handläggare',
  recordInsats: 'registrerade insats',
  recordReport: 'registrerade att orosanmälan gjorts',
  setStaff: 'ändrade skolsidan i teamet för ärendet',
  setAway: 'markerade frånvaro',
  purge: 'gallrade ärendet',
  export: 'tog ut en export',
};

/** Every card verb, as the button people pressed. */
const VERBS: Record<string, string> = {
  'case.open': 'Visa ärendet',
  'case.list': 'Mina ärenden',
  'case.accept': 'Ta emot ärendet',
  'case.requestInfo': 'Be skolan om mer information',
  'case.replyInfo': 'Svara',
  'case.close': 'Avsluta ärendet',
  'concern.submit': 'Skicka oro till skolsociala teamet',
  'meeting.form': 'Boka möte (formulär)',
  'meeting.request': 'Skicka mötesförfrågan',
  'meeting.accept': 'Bekräfta mötestid',
  'meeting.decline': 'Avböj möte',
  'meeting.counter': 'Föreslå andra tider',
  'meeting.cancel': 'Ställ in möte',
  'meeting.reschedule': 'Flytta möte',
  'meeting.refresh': 'Mötet uppdaterat i Teams',
  'meeting.open': 'Visa mötet',
  'plan.list': 'Visa planer',
  'plan.record': 'Spara plan',
  'plan.review': 'Spara uppföljning',
  'report.show': 'Visa uppföljningsrapport',
  'audit.export': 'Ta fram åtkomstlogg',
  'admin.assignSchool': 'Tilldela skola',
  'digest.nudge': 'Påminn (sammanfattningen)',
  'nav.open': 'Knapp',
  'consent.record': 'Registrera eller förnya samtycke',
  'consent.withdraw': 'Samtycket återkallas',
  'case.insats': 'Registrera insats',
  'case.reassign': 'Byt handläggare',
  'case.staff': 'Skolsidan i teamet',
  'case.reportMade': 'Orosanmälan gjord (datum)',
  'away.save': 'Frånvaro',
};

const SUFFIXES: Record<string, string> = { view: 'visning efteråt', retry: 'visning efter ett fel', form: 'formulärets uppgifter' };

const commandWord = (id: string) => (Object.prototype.hasOwnProperty.call(COMMANDS, id) ? COMMANDS[id as CommandId].sv[0] : id);

/** "command:myCases" → "kommandot mina ärenden", "card:meeting.counter:view" → "kortet: Föreslå andra tider (visning efteråt)", … */
export function viaLabel(via: string): string {
  const [kind, ...rest] = via.split(':');
  switch (kind) {
    case 'command':
      return `kommandot ${commandWord(rest[0] ?? '')}`;
    case 'card': {
      const [verb, extra] = rest;
      if (verb === 'nav.open') return `knappen ${commandWord(extra ?? '')}`;
      const name = VERBS[verb ?? ''] ?? verb ?? '';
      return `kortet: ${name}${extra ? ` (${SUFFIXES[extra] ?? extra})` : ''}`;
    }
    case 'scheduler':
      return rest[0] === 'digest' ? 'morgonens sammanfattning' : rest[0] === 'escalation' ? 'till gruppledaren: oro som ingen tagit' : `schemalagt: ${rest.join(':')}`;
    case 'http':
      return rest[0] === 'ics' ? 'kallelselänk (.ics)' : `webb: ${rest.join(':')}`;
    case 'audit':
      return `åtkomstlogg ${rest.join(':').replace('..', '–')}`;
    case 'report':
      return `uppföljningsrapport ${rest.join(':').replace('..', '–')}`;
    case 'download': {
      // download:<what>:<detail>:created-by:<id>
      const by = rest.indexOf('created-by');
      const what = `${rest[0] === 'report' ? 'uppföljningsrapport' : 'åtkomstlogg'} ${(rest[1] ?? '').replace('..', '–')}`;
      return `nedladdningslänk: ${what}${by >= 0 ? `, skapad av ${rest[by + 1] ?? ''}` : ''}`;
    }
    case 'retention':
      return `gallring efter ${(rest[0] ?? '').replace(/m$/, '')} månader`;
    default:
      return via;
  }
}

/** The exports' words: Swedish, whatever language the person who asked for the export uses (the log review is the municipality's). */
export function swedishExportLabels(): ExportLabels {
  const t = translator('sv');
  return {
    category: (c) => t(`category.${c}`),
    outcome: (o) => t(`outcome.${o}`),
    grade: (g) => gradeLabel(g, t),
    insatsForm: (f) => t(`insats.form.${f}`),
    insatsKind: (k) => t(`insats.kind.${k}`),
    attainment: (a) => t(`plan.attainment.${a}`),
    period: (p) => periodLabel(p, t),
    action: (a) => ACTIONS[a] ?? a,
    via: viaLabel,
    actor(id) {
      if (id === 'download-link') return 'nedladdningslänk';
      if (id === 'invitation-link') return 'kallelselänk';
      if (id === 'system:retention') return 'gallring (systemet)';
      if (id.startsWith('unregistered:')) return 'person utanför registret';
      return undefined;
    },
  };
}
