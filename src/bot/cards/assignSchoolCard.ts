import type { Translate } from '../i18n';
import { executeAction } from './actions';
import { adaptiveCard, heading, paragraph, type AdaptiveCard, noticeBlock, type Notice } from './adaptiveCard';

export const ASSIGN_SCHOOL_VERB = 'admin.assignSchool';

export interface AssignSchoolModel {
  schools: Array<{ id: string; name: string; socialWorker?: string; backupSocialWorker?: string }>;
  socialWorkers: Array<{ id: string; name: string }>;
  values: { schoolId?: string; socialWorkerId?: string; backupSocialWorkerId?: string };
  notice?: Notice;
}

export function assignSchoolCard(m: AssignSchoolModel, t: Translate): AdaptiveCard {
  const people = m.socialWorkers.map((p) => ({ title: p.name, value: p.id }));
  const nameOf = (id?: string) => m.socialWorkers.find((p) => p.id === id)?.name ?? '–';
  return adaptiveCard(
    [
      heading(t('admin.title')),
      ...noticeBlock(m.notice),
      ...m.schools.map((s) => paragraph(`${s.name}: ${nameOf(s.socialWorker)} / ${nameOf(s.backupSocialWorker)}`, { size: 'Small', spacing: 'None' })),
      { type: 'Input.ChoiceSet', id: 'schoolId', label: t('admin.field.school'), isRequired: true, style: 'compact', placeholder: t('form.choose'), value: m.values.schoolId, choices: m.schools.map((s) => ({ title: s.name, value: s.id })) },
      { type: 'Input.ChoiceSet', id: 'socialWorkerId', label: t('admin.field.socialWorker'), isRequired: true, style: 'compact', placeholder: t('form.choose'), value: m.values.socialWorkerId, choices: people },
      { type: 'Input.ChoiceSet', id: 'backupSocialWorkerId', label: t('admin.field.backup'), style: 'compact', placeholder: t('form.choose'), value: m.values.backupSocialWorkerId, choices: people },
    ],
    [executeAction(t('admin.submit'), ASSIGN_SCHOOL_VERB, {}, { style: 'positive' })],
  );
}
