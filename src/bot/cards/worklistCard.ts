import type { WorkItem } from '../../domain/worklist';
import type { Translate } from '../i18n';
import { executeAction } from './actions';
import { adaptiveCard, heading, paragraph, type AdaptiveCard, type CardElement, noticeBlock, type Notice } from './adaptiveCard';
import { VERBS } from './caseCards';
import { bandLabel, categoryLabel, dateLabel, gradeLabel, timeLabel } from './labels';
import { MEETING_VERBS } from './meetingCards';
import { navButton } from './navigation';
import { PLAN_VERBS } from './planCards';
import { reportConcernSection } from './reportConcernSection';

export interface WorklistModel {
  items: WorkItem[];
  nameOf(personId: string): string;
  schoolName(schoolId: string): string;
  notice?: Notice;
  reportConcernUrl?: string;
}

/** A worklist shows this many items; the rest are counted ("… och 4 till"). */
export const WORKLIST_SHOWN = 15;

/**
 * "Att göra": each thing waiting for the person with the button that does it. Answers given from here
 * (taking a case, confirming a time) come back to this list, with what happened on top.
 */
export function worklistCard(m: WorklistModel, t: Translate): AdaptiveCard {
  const from = { from: 'todo' };
  const item = (i: WorkItem): CardElement => {
    let title: string;
    let detail: string;
    const buttons: CardElement[] = [];
    switch (i.kind) {
      case 'takeCase': {
        const c = i.case;
        title = t(i.mine ? 'todo.takeCase.mine' : 'todo.takeCase.team', { code: c.code });
        detail = `${m.schoolName(c.schoolId)} · ${gradeLabel(c.grade, t)} · ${categoryLabel(c.category, t)} · ${bandLabel(c.absenceBand, t)}${i.mine ? '' : ` · ${t('todo.takeCase.assignedTo', { name: m.nameOf(c.assignedTo) })}`}`;
        buttons.push(executeAction(t(i.mine ? 'case.action.accept' : 'todo.action.take'), VERBS.accept, { caseCode: c.code, ...from }, { style: 'positive', associatedInputs: 'none' }));
        if (i.mine) buttons.push(executeAction(t('case.action.open'), VERBS.open, { caseCode: c.code }, { associatedInputs: 'none' }));
        break;
      }
      case 'answerMeeting':
        title = t(i.countered ? 'todo.meeting.countered' : 'todo.meeting.requested', { type: t(`meeting.type.${i.meetingType}`), code: i.caseCode });
        detail = t('todo.meeting.from', { name: m.nameOf(i.fromId) });
        for (const p of i.proposals) {
          buttons.push(executeAction(t('meeting.action.confirmAt', { time: timeLabel(p, t) }), MEETING_VERBS.accept, { teamId: i.teamId, meetingId: i.meetingId, start: p, ...from }, { style: 'positive', associatedInputs: 'none' }));
        }
        buttons.push(executeAction(t('meeting.action.otherTimes'), MEETING_VERBS.open, { teamId: i.teamId, meetingId: i.meetingId }, { associatedInputs: 'none' }));
        break;
      case 'answerQuestion':
        title = t('todo.question', { code: i.caseCode, name: m.nameOf(i.fromId) });
        detail = t('todo.question.detail', { time: timeLabel(i.at, t) });
        buttons.push(executeAction(t('todo.action.answer'), VERBS.open, { caseCode: i.caseCode }, { associatedInputs: 'none' }));
        break;
      case 'review':
        title = t(i.overdue ? 'todo.review.overdue' : 'todo.review', { code: i.caseCode, date: dateLabel(i.date, t) });
        detail = t('todo.review.detail');
        buttons.push(executeAction(t('todo.action.review'), PLAN_VERBS.list, { caseCode: i.caseCode }, { associatedInputs: 'none' }));
        break;
      case 'consent':
        title = t(i.state === 'withdrawn' ? 'todo.consent.withdrawn' : i.state === 'expired' ? 'todo.consent.expired' : 'todo.consent', { code: i.caseCode, date: dateLabel(i.expires, t) });
        detail = t(i.state === 'withdrawn' ? 'todo.consent.withdrawnDetail' : 'todo.consent.detail');
        buttons.push(executeAction(t('case.action.open'), VERBS.open, { caseCode: i.caseCode }, { associatedInputs: 'none' }));
        break;
      case 'intensiveEnds':
        title = t('todo.intensive', { code: i.caseCode, date: dateLabel(i.date, t) });
        detail = t('todo.intensive.detail');
        buttons.push(i.planId ? executeAction(t('todo.action.plan'), PLAN_VERBS.list, { caseCode: i.caseCode }, { associatedInputs: 'none' }) : executeAction(t('case.action.open'), VERBS.open, { caseCode: i.caseCode }, { associatedInputs: 'none' }));
        break;
    }
    return {
      type: 'Container',
      separator: true,
      spacing: 'Medium',
      items: [
        { type: 'TextBlock', text: title, weight: 'Bolder', wrap: true },
        paragraph(detail, { size: 'Small', spacing: 'None' }),
        { type: 'ActionSet', actions: buttons },
      ],
    };
  };
  const shown = m.items.slice(0, WORKLIST_SHOWN);
  return adaptiveCard(
    [
      heading(m.items.length > 0 ? t('todo.title', { count: m.items.length }) : t('todo.titleEmpty')),
      ...noticeBlock(m.notice),
      ...(m.items.length > 0 ? shown.map(item) : [paragraph(t('todo.empty'))]),
      ...(m.items.length > shown.length ? [paragraph(t('digest.more', { n: m.items.length - shown.length }), { isSubtle: true, size: 'Small' })] : []),
      ...reportConcernSection(m.reportConcernUrl, t, 'link'),
    ],
    [navButton('myCases', t), navButton('meetings', t)],
  );
}
