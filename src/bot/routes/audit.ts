import type { Application } from '@microsoft/teams-ai';
import { DateTime } from 'luxon';
import { AccessDeniedError, DomainError } from '../../domain/errors';
import { hasRole } from '../../domain/roster';
import { ZONE } from '../../domain/time';
import { createAuditExport, type AuditDeps } from '../../services/auditExport';
import { actorOf, notRegisteredText } from '../actor';
import { field, onCardAction } from '../cardActions';
import { AUDIT_VERB, auditCard } from '../cards/auditCard';
import { noticeCard } from '../cards/caseCards';
import type { CommandHandlers } from '../views';
import { translatorFor } from '../context';
import { refusedByRole } from '../refusals';
import type { BotDeps } from '../deps';
import { describeFailure } from '../failures';
import type { AppTurnState } from '../turnState';

export function registerAuditRoutes(app: Application<AppTurnState>, deps: BotDeps, audit: AuditDeps & { publicUrl(): string | undefined }, commands: CommandHandlers): void {
  // The monthly review looks at last month by default.
  const lastMonth = () => {
    const start = DateTime.fromJSDate(deps.clock.now(), { zone: ZONE }).minus({ months: 1 }).startOf('month');
    return { from: start.toISODate()!, to: start.endOf('month').toISODate()! };
  };

  commands.set('audit', async ({ person, t, via }) => {
    if (!hasRole(person, 'admin')) {
      await refusedByRole(deps, person, 'export', via);
      return t('audit.onlyAdmin');
    }
    return auditCard(lastMonth(), t);
  });

  onCardAction(app, AUDIT_VERB, deps.logger, async (context, _state, data) => {
    const t = translatorFor(context);
    const { person, roster } = await actorOf(context, deps);
    if (!person) return noticeCard({ title: notRegisteredText(roster, t) }, t);
    const range = { from: field(data, 'from', 10) || lastMonth().from, to: field(data, 'to', 10) || lastMonth().to };
    try {
      const { token, count } = await createAuditExport(audit, person, range.from, range.to);
      const base = audit.publicUrl();
      return auditCard({ ...range, result: { count, url: base ? `${base}/api/downloads/${token}.csv` : undefined } }, t);
    } catch (err) {
      if (err instanceof AccessDeniedError) return noticeCard({ title: t('audit.onlyAdmin') }, t);
      const notice = err instanceof DomainError && err.code.startsWith('audit.') ? t('audit.invalidRange') : describeFailure(err, t, deps.logger);
      return auditCard({ ...range, notice }, t);
    }
  });
}
