import type { Application } from '@microsoft/teams-ai';
import { AccessDeniedError, DomainError } from '../../domain/errors';
import { schoolById, teamById, type Person, type Roster } from '../../domain/roster';
import { choosePeriod, defaultReportPeriod, PERIOD_PRESETS, type ChosenPeriod, type PeriodPreset } from '../../domain/reportPeriod';
import { stockholmDate } from '../../domain/time';
import type { DeliveryDeps } from '../../services/deliverReminder';
import { createReportDownload, report, reportScope, type DownloadStore } from '../../services/report';
import { settingsOf } from '../../domain/settings';
import { actorOf, notRegisteredText } from '../actor';
import { field, onCardAction } from '../cardActions';
import type { AdaptiveCard } from '../cards/adaptiveCard';
import { noticeCard } from '../cards/caseCards';
import { REPORT_VERB, reportCard, type ReportCardModel } from '../cards/reportCard';
import type { CommandHandlers } from '../views';
import { translatorFor } from '../context';
import { refusedByRole } from '../refusals';
import type { BotDeps } from '../deps';
import type { Translate } from '../i18n';
import type { MessageKey } from '../i18n/sv';
import type { AppTurnState } from '../turnState';
import { describeFailure } from '../failures';

export interface ReportRouteDeps {
  delivery: DeliveryDeps & { downloads: DownloadStore };
  publicUrl(): string | undefined;
}

const DATE_MAX = 10;
const PERIOD_PROBLEMS: Record<string, MessageKey> = {
  'report.periodDates': 'report.problem.periodDates',
  'report.periodOrder': 'report.problem.periodOrder',
  'report.periodEarly': 'report.problem.periodEarly',
  'report.periodLong': 'report.problem.periodLong',
};

export function registerReportRoutes(app: Application<AppTurnState>, deps: BotDeps, r: ReportRouteDeps, commands: CommandHandlers): void {
  const card = async (person: Person, roster: Roster, period: ChosenPeriod, t: Translate, extra: Pick<ReportCardModel, 'chooser' | 'notice'> = {}): Promise<AdaptiveCard> => {
    const scope = await reportScope(r.delivery, person);
    const settings = settingsOf(roster.municipality);
    const figures = await report(r.delivery, scope, period);
    await deps.services.accessLog.record({ at: deps.clock.now().toISOString(), actorId: person.id, action: 'export', allowed: true, via: `report:${period.start}..${period.end}` });
    const base = r.publicUrl();
    const csvUrl = base ? `${base}/api/downloads/${await createReportDownload(r.delivery, person, period)}.csv` : undefined;
    const scopeName = scope.length === 1 ? (teamById(roster, scope[0])?.name ?? scope[0]) : t('report.allTeams');
    return reportCard({ report: figures, scopeName, schoolName: (id) => schoolById(roster, id)?.name ?? id, categories: settings.categories, grades: settings.grades, csvUrl, ...extra }, t);
  };
  const today = () => stockholmDate(deps.clock.now());
  // A refusal by role is logged (access log and log line); any other failure is worded as usual.
  const refused = async (err: unknown, t: Translate, person: Person, via: string) => {
    if (!(err instanceof AccessDeniedError)) return describeFailure(err, t, deps.logger);
    await refusedByRole(deps, person, 'export', via);
    return t('report.onlyLeaders');
  };

  commands.set('report', async ({ person, roster, t, via }) => {
    try {
      return await card(person, roster, defaultReportPeriod(today(), settingsOf(roster.municipality)), t);
    } catch (err) {
      return refused(err, t, person, via);
    }
  });

  onCardAction(app, REPORT_VERB, deps.logger, async (context, _state, data) => {
    const t = translatorFor(context);
    const { person, roster } = await actorOf(context, deps);
    if (!person) return noticeCard({ title: notRegisteredText(roster, t) }, t);
    const asked = field(data, 'preset', 10);
    const from = field(data, 'from', DATE_MAX);
    const to = field(data, 'to', DATE_MAX);
    // Dates changed with the period left as it was shown: the person means those dates.
    const shown = { preset: field(data, 'shownPreset', 10), from: field(data, 'shownFrom', DATE_MAX), to: field(data, 'shownTo', DATE_MAX) };
    const datesEdited = asked === shown.preset && (from !== shown.from || to !== shown.to) && from !== '' && to !== '';
    const preset: PeriodPreset = datesEdited ? 'custom' : ((PERIOD_PRESETS as readonly string[]).includes(asked) ? (asked as PeriodPreset) : 'year');
    try {
      const settings = settingsOf(roster.municipality);
      let period: ChosenPeriod;
      try {
        period = choosePeriod(preset, today(), settings, { from, to });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        // The period as typed comes back with what is wrong; the figures stay those of the default period.
        return await card(person, roster, defaultReportPeriod(today(), settings), t, { chooser: { preset: 'custom', from, to }, notice: t(PERIOD_PROBLEMS[err.code] ?? 'report.problem.periodDates', { ...err.details }) });
      }
      return await card(person, roster, period, t);
    } catch (err) {
      return noticeCard({ title: await refused(err, t, person, `card:${REPORT_VERB}`) }, t);
    }
  });
}
