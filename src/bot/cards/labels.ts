import type { AbsenceBand, CaseStatus, Category, Grade, Outcome } from '../../domain/concern';
import type { Translate } from '../i18n';

export const gradeLabel = (g: Grade, t: Translate) => (g === 'gy1' ? t('grade.gy1') : t('grade.n', { n: g }));
export const categoryLabel = (c: Category, t: Translate) => t(`category.${c}`);
export const bandLabel = (b: AbsenceBand, t: Translate) => t(`band.${b}`);
export const statusLabel = (s: CaseStatus, t: Translate) => t(`status.${s}`);
export const outcomeLabel = (o: Outcome, t: Translate) => t(`outcome.${o}`);
