import type { Application } from '@microsoft/teams-ai';
import { DomainError } from '../../domain/errors';
import { hasRole, personById, type Roster } from '../../domain/roster';
import { assignSchool } from '../../services/assignSchool';
import { actorOf, notRegisteredText } from '../actor';
import { actionRefOf, field, onCardAction } from '../cardActions';
import { ok } from '../cards/adaptiveCard';
import { assignSchoolCard, ASSIGN_SCHOOL_VERB, type AssignSchoolModel } from '../cards/assignSchoolCard';
import { noticeCard } from '../cards/caseCards';
import type { CommandHandlers } from '../views';
import { translatorFor } from '../context';
import { refusedByRole } from '../refusals';
import type { BotDeps } from '../deps';
import { describeFailure } from '../failures';
import type { AppTurnState } from '../turnState';

function model(roster: Roster, values: AssignSchoolModel['values'], notice?: AssignSchoolModel['notice']): AssignSchoolModel {
  return {
    schools: roster.schools.map((s) => ({ id: s.id, name: s.name, socialWorker: s.socialWorker, backupSocialWorker: s.backupSocialWorker })),
    socialWorkers: roster.people.filter((p) => hasRole(p, 'socialWorker')).map((p) => ({ id: p.id, name: p.name })),
    values,
    notice,
  };
}

export function registerAdminRoutes(app: Application<AppTurnState>, deps: BotDeps, commands: CommandHandlers): void {
  commands.set('assignSchool', async ({ person, roster, t, via }) => {
    if (!hasRole(person, 'admin')) {
      await refusedByRole(deps, person, 'reassignSchool', via);
      return t('admin.onlyAdmin');
    }
    return assignSchoolCard(model(roster, {}), t);
  });

  onCardAction(app, ASSIGN_SCHOOL_VERB, deps.logger, async (context, _state, data) => {
    const t = translatorFor(context);
    const { person, roster } = await actorOf(context, deps);
    if (!person) return noticeCard({ title: notRegisteredText(roster, t) }, t);
    if (!hasRole(person, 'admin')) {
      await refusedByRole(deps, person, 'reassignSchool', `card:${ASSIGN_SCHOOL_VERB}`);
      return noticeCard({ title: t('admin.onlyAdmin') }, t);
    }
    const values = { schoolId: field(data, 'schoolId', 64), socialWorkerId: field(data, 'socialWorkerId', 64), backupSocialWorkerId: field(data, 'backupSocialWorkerId', 64) || undefined };
    let result: Awaited<ReturnType<typeof assignSchool>>;
    try {
      result = await assignSchool(deps.services, person, values, actionRefOf(context, ASSIGN_SCHOOL_VERB, data));
    } catch (err) {
      const notice = err instanceof DomainError && err.code === 'assign.invalid' ? t('admin.invalid') : describeFailure(err, t, deps.logger, { change: true });
      return assignSchoolCard(model(roster, values, notice), t);
    }
    const fresh = await deps.services.roster.get().catch(() => roster);
    const saved = ok(t('admin.saved', { school: result.school.name, name: personById(fresh, values.socialWorkerId)?.name ?? values.socialWorkerId, count: result.told }));
    return assignSchoolCard(model(fresh, {}, saved), t);
  }, { changes: true });
}
