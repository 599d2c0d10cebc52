import type { TurnContext } from 'botbuilder';
import { decide } from '../domain/access';
import { familyWorkProblem, latestConsentExpiry, schoolRefVisible } from '../domain/consent';
import { defaultIntensiveEnd } from '../domain/insats';
import { settingsOf } from '../domain/settings';
import { stockholmDate } from '../domain/time';
import { isAway, schoolStaffOf, socialWorkersOf } from '../domain/roster';
import { partyOf, type Meeting } from '../domain/meeting';
import type { PlanStore } from '../domain/ports';
import { personById, schoolById, type Person, type Roster } from '../domain/roster';
import type { MeetingDeps } from '../services/meetings';
import { viewCase } from '../services/concerns';
import { myMeetings, worklist } from '../services/worklist';
import type { AdaptiveCard, Notice } from './cards/adaptiveCard';
import { caseCard, type CaseViewModel } from './cards/caseCards';
import type { MeetingFrom, MeetingSummary } from './cards/meetingCards';
import { meetingsListCard } from './cards/meetingCards';
import { reportConcernSection } from './cards/reportConcernSection';
import { worklistCard } from './cards/worklistCard';
import type { CommandId } from './commands';
import type { BotDeps } from './deps';
import type { Translate } from './i18n';
import { icsUrl, type MeetingViewDeps } from './meetingPublisher';

/** What the views that several routes answer with need: the case view, the worklist, the meetings list. */
export interface ViewDeps {
  bot: BotDeps;
  meetings: MeetingDeps;
  view: MeetingViewDeps;
  plans: PlanStore;
}

/** One meeting as a block of a list, for this viewer. */
export function summaryOf(v: ViewDeps, roster: Roster, viewer: Person, m: Meeting, from: MeetingFrom, opts: { caseOpen: boolean; withCode?: boolean }): MeetingSummary {
  const party = partyOf(m, viewer.id);
  const other = party === 'eht' ? m.socialWorkerId : party === 'socialWorker' ? m.ehtId : undefined;
  const nameOf = (id: string) => personById(roster, id)?.name ?? id;
  return {
    meeting: m,
    viewer: party,
    // A viewer who is neither party (the group leader) sees both.
    otherName: other ? nameOf(other) : `${nameOf(m.ehtId)}, ${nameOf(m.socialWorkerId)}`,
    placeName: m.place === 'school' ? (schoolById(roster, m.schoolId)?.name ?? m.schoolId) : '',
    icsUrl: icsUrl(v.view.publicUrl(), m),
    from,
    ...opts,
  };
}

const ORDER: Record<Meeting['status'], number> = { proposed: 0, confirmed: 1, declined: 2, cancelled: 3 };

/** Forms of the case card to show open, filled in as typed (after a refused submit). */
export type CaseForms = Pick<CaseViewModel, 'consentForm' | 'insatsForm' | 'closeForm'>;

/** The case as the person may see it (logged as a read), with its meetings and what they may do with them. */
export async function caseView(v: ViewDeps, person: Person, roster: Roster, code: string, t: Translate, via: string, notice?: Notice, forms: CaseForms = {}): Promise<AdaptiveCard> {
  const view = await viewCase(v.meetings, person, code, via);
  const c = view.case;
  const nameOf = (id: string) => personById(roster, id)?.name ?? id;
  const meetings = [...view.meetings].sort((a, b) => ORDER[a.status] - ORDER[b.status] || (b.start ?? b.updatedAt).localeCompare(a.start ?? a.updatedAt));
  const today = stockholmDate(v.bot.clock.now());
  const settings = settingsOf(roster.municipality);
  const may = (action: Parameters<typeof decide>[2]) => decide(person, c, action).allowed;
  const blocked = familyWorkProblem(c, today);
  return caseCard(
    {
      case: c,
      schoolName: schoolById(roster, c.schoolId)?.name ?? c.schoolId,
      contactName: nameOf(c.assignedTo),
      timeline: view.timeline.map((e) => ({ ...e, byName: nameOf(e.by), ...(e.to ? { toName: nameOf(e.to) } : {}) })),
      deliveries: view.deliveries.map((d) => ({ kind: d.kind, toName: nameOf(d.to), state: d.state, deliveredAt: d.deliveredAt })),
      as: view.as,
      today,
      // The school's reference: to its EHT only, and only while the consent holds (withdrawn or expired: hidden).
      showSchoolRef: may('viewSchoolRef') && schoolRefVisible(c, today),
      can: {
        book: may('bookMeeting'),
        consent: may('recordConsent'),
        insats: may('recordInsats'),
        reassign: may('reassign'),
        staff: may('setStaff'),
        report: may('recordReport'),
      },
      blocked,
      consentByName: c.consent ? nameOf(c.consent.recordedBy) : undefined,
      staffNames: (c.staff ?? []).map(nameOf),
      staffChoices: schoolStaffOf(roster, c.teamId).map((p) => ({ id: p.id, name: p.name })),
      reassignChoices: socialWorkersOf(roster, c.teamId).filter((p) => p.id !== c.assignedTo && !isAway(p, today)).map((p) => ({ id: p.id, name: p.name })),
      latestConsentExpiry: latestConsentExpiry(today, settings.consentMaxMonths),
      consentMaxMonths: settings.consentMaxMonths,
      intensiveWeeks: settings.intensiveWeeks,
      defaultIntensiveUntil: defaultIntensiveEnd(today, settings.intensiveWeeks),
      ...forms,
      meetings: meetings.map((m) => summaryOf(v, roster, person, m, 'case', { caseOpen: c.status !== 'closed' })),
      notice,
      reportConcernUrl: roster.municipality.reportConcernUrl,
    },
    t,
  );
}

/** "Att göra" for the person (each case code shown is logged as read). */
export async function worklistView(v: ViewDeps, person: Person, roster: Roster, t: Translate, via: string, notice?: Notice): Promise<AdaptiveCard> {
  const items = await worklist({ ...v.meetings, plans: v.plans }, person, via);
  return worklistCard(
    {
      items,
      nameOf: (id) => personById(roster, id)?.name ?? id,
      schoolName: (id) => schoolById(roster, id)?.name ?? id,
      notice,
      reportConcernUrl: roster.municipality.reportConcernUrl,
    },
    t,
  );
}

/** "Möten" for the person (each case code shown is logged as read). */
export async function meetingsView(v: ViewDeps, person: Person, roster: Roster, t: Translate, via: string, notice?: Notice): Promise<AdaptiveCard> {
  const found = await myMeetings({ ...v.meetings, plans: v.plans }, person, via);
  return meetingsListCard(
    {
      items: found.map((f) => summaryOf(v, roster, person, f.meeting, 'meetings', { caseOpen: true, withCode: true })),
      notice,
      reportConcernLine: reportConcernSection(roster.municipality.reportConcernUrl, t, 'link'),
    },
    t,
  );
}

/** What a command (typed, or its button) answers with: a card, or one sentence. */
export type CommandAnswer = AdaptiveCard | string;

export interface CommandRequest {
  context: TurnContext;
  /** Undefined only for help (everyone else is told whom to ask before a handler runs). */
  person?: Person;
  roster: Roster;
  t: Translate;
  /** How the access log names where it came from: "command:myCases" typed, "card:nav.open:myCases" from a button. */
  via: string;
}

/** The commands' answers by id, registered by the route files; typed commands and buttons both use them. */
export type CommandHandlers = Map<CommandId, (r: CommandRequest & { person: Person }) => Promise<CommandAnswer>>;
