import type { Application } from '@microsoft/teams-ai';
import { schoolById, type Person, type Roster } from '../../domain/roster';
import { inStockholm } from '../../domain/time';
import type { DeliveryDeps } from '../../services/deliverReminder';
import { createReportDownload, reportScope, yearReport, type DownloadStore } from '../../services/yearReport';
import { actorOf, notRegisteredText } from '../actor';
import { field, onCardAction } from '../cardActions';
import type { AdaptiveCard } from '../cards/adaptiveCard';
import { noticeCard } from '../cards/caseCards';
import { REPORT_VERB, reportCard } from '../cards/reportCard';
import type { CommandHandlers } from '../views';
import { translatorFor } from '../context';
import { refusedByRole } from '../refusals';
import type { BotDeps } from '../deps';
import type { Translate } from '../i18n';
import type { AppTurnState } from '../turnState';
import { AccessDeniedError } from '../../domain/errors';
import { describeFailure } from '../failures';

export interface ReportRouteDeps {
  delivery: DeliveryDeps & { downloads: DownloadStore };
  publicUrl(): string | undefined;
}

export function registerReportRoutes(app: Application<AppTurnState>, deps: BotDeps, r: ReportRouteDeps, commands: CommandHandlers): void {
  const card = async (person: Person, roster: Roster, year: number, t: Translate): Promise<AdaptiveCard> => {
    const scope = await reportScope(r.delivery, person);
    const report = await yearReport(r.delivery, scope, year);
    await deps.services.accessLog.record({ at: deps.clock.now().toISOString(), actorId: person.id, action: 'export', allowed: true, via: `report:${year}` });
    const base = r.publicUrl();
    const csvUrl = base ? `${base}/api/downloads/${await createReportDownload(r.delivery, person, year)}.csv` : undefined;
    return reportCard({ report, schoolName: (id) => schoolById(roster, id)?.name ?? id, csvUrl }, t);
  };
  // Before April the report being written is last year's (due 31 March).
  const defaultYear = () => {
    const now = inStockholm(deps.clock.now());
    return now.month <= 3 ? now.year - 1 : now.year;
  };
  // A refusal by role is logged (access log and log line); any other failure is worded as usual.
  const refused = async (err: unknown, t: Translate, person: Person, via: string) => {
    if (!(err instanceof AccessDeniedError)) return describeFailure(err, t, deps.logger);
    await refusedByRole(deps, person, 'export', via);
    return t('report.onlyLeaders');
  };

  commands.set('report', async ({ person, roster, t, via }) => {
    try {
      return await card(person, roster, defaultYear(), t);
    } catch (err) {
      return refused(err, t, person, via);
    }
  });

  onCardAction(app, REPORT_VERB, deps.logger, async (context, _state, data) => {
    const t = translatorFor(context);
    const { person, roster } = await actorOf(context, deps);
    if (!person) return noticeCard({ title: notRegisteredText(roster, t) }, t);
    const year = Number(field(data, 'year', 6));
    try {
      return await card(person, roster, Number.isInteger(year) && year >= 2019 && year <= 2100 ? year : defaultYear(), t);
    } catch (err) {
      return noticeCard({ title: await refused(err, t, person, `card:${REPORT_VERB}`) }, t);
    }
  });
}
