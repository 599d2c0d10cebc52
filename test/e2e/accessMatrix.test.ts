import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { executeActivity, installActivity, messageActivity, type TeamsUser } from '../fixtures/activities';
import { alva, concernForm, erik, eva, goran, maja, olle, personalConversation, samir, sara, stina } from '../fixtures/people';
import { MARKERS, findAction, gunilla, seedWorld, slotSource, tableRows, writeTwoTeamRoster, type CaseWorld, type World } from '../helpers/accessWorld';
import { startHarness, type Harness } from '../helpers/botHarness';
import { COMMANDS, type CommandId } from '../../src/bot/commands';
import { VERBS } from '../../src/bot/cards/caseCards';
import { MEETING_VERBS } from '../../src/bot/cards/meetingCards';
import { PLAN_VERBS } from '../../src/bot/cards/planCards';
import { CONCERN_SUBMIT_VERB } from '../../src/bot/cards/concernFormCard';
import { ASSIGN_SCHOOL_VERB } from '../../src/bot/cards/assignSchoolCard';
import { REPORT_VERB } from '../../src/bot/cards/reportCard';
import { AUDIT_VERB } from '../../src/bot/cards/auditCard';
import { NAV_VERB } from '../../src/bot/cards/navigation';
import { NUDGE_VERB } from '../../src/bot/cards/reminderCards';
import { AWAY_VERB } from '../../src/bot/cards/awayCard';

/*
 * Every text command and every card verb, tried as every role, against a case the role may or may
 * not touch. The expected outcomes are written out below as need-to-know rules (DOMAIN.md,
 * src/domain/access.ts and the routes), independently of the code under test:
 *
 *   EHT: their own schools' cases (view, reply, book meetings, raise concerns for their schools; record,
 *     renew or withdraw consent; record that an orosanmälan was made);
 *   social worker: cases assigned to them (view, accept, ask, close, plans, book meetings too, consent,
 *     the insats, the school-side members taking part); marks themselves away (frånvaro);
 *   group leader: their team's cases (view, accept, ask, close, plans; consent, insats, staff; hands a
 *     case over to another social worker; digest; yearly report);
 *   the joint team's school-side member (schoolStaff): the cases they take part in (view, plans, that an
 *     orosanmälan was made), nothing else;
 *   meeting answers: only the meeting's two parties;
 *   admin: roster (assign school) and the report, no case content;
 *   manager (chef, styrgrupp): the report of every team, nothing else (no case, no case list content);
 *   unregistered: nothing but help.
 *
 * Verbs (src/bot): VERBS (case.*), MEETING_VERBS (meeting.*), PLAN_VERBS (plan.*), CONCERN_SUBMIT_VERB,
 * ASSIGN_SCHOOL_VERB, REPORT_VERB. Targets: R = SST-2026-0001 (Rydskolan, Eva/Sara) and B =
 * SST-2026-0002 (Bergaskolan, Erik/Samir), both in team sst-1; for roles of Rydskolan, B is the
 * tampered payload naming another school's case (and vice versa).
 */

type RoleName = 'ehtOwn' | 'ehtOther' | 'swAssigned' | 'swOther' | 'glTeam' | 'glOther' | 'staff' | 'admin' | 'manager' | 'unregistered';
const ROLE_NAMES: RoleName[] = ['ehtOwn', 'ehtOther', 'swAssigned', 'swOther', 'glTeam', 'glOther', 'staff', 'admin', 'manager', 'unregistered'];
const ROLES: Record<RoleName, { user: TeamsUser; personId?: string; eht?: boolean }> = {
  ehtOwn: { user: eva, personId: 'eht-1', eht: true }, // EHT of Rydskolan
  ehtOther: { user: erik, personId: 'eht-2', eht: true }, // EHT of Bergaskolan
  swAssigned: { user: sara, personId: 'sw-1' }, // assigned to R
  swOther: { user: samir, personId: 'sw-2' }, // assigned to B (backup of Rydskolan, not of R)
  glTeam: { user: goran, personId: 'gl-1' }, // group leader of sst-1 (R and B)
  glOther: { user: gunilla, personId: 'gl-2' }, // group leader of sst-2
  staff: { user: stina, personId: 'st-1' }, // the joint team's school-side member (schoolStaff), taking part in R only
  admin: { user: alva, personId: 'adm-1' },
  manager: { user: maja, personId: 'mgr-1' }, // chef / styrgrupp: figures of every team
  unregistered: { user: olle },
};
const REGISTERED = ROLE_NAMES.filter((r) => r !== 'unregistered');

type Target = 'R' | 'B';
/** Need to know, per target case. */
const READERS: Record<Target, RoleName[]> = { R: ['ehtOwn', 'swAssigned', 'glTeam', 'staff'], B: ['ehtOther', 'swOther', 'glTeam'] };
const OWNERS: Record<Target, RoleName[]> = { R: ['swAssigned', 'glTeam'], B: ['swOther', 'glTeam'] };
const SCHOOL_EHT: Record<Target, RoleName[]> = { R: ['ehtOwn'], B: ['ehtOther'] };
const PARTIES: Record<Target, RoleName[]> = { R: ['ehtOwn', 'swAssigned'], B: ['ehtOther', 'swOther'] };
const ADMIN: Record<Target, RoleName[]> = { R: ['admin'], B: ['admin'] };
/** Either side books: the school's EHT and the case's social worker. */
const BOOKERS: Record<Target, RoleName[]> = PARTIES;
/** Consent is recorded, renewed or withdrawn by the school's EHT, the case's social worker or the group leader. */
const CONSENT: Record<Target, RoleName[]> = { R: ['ehtOwn', 'swAssigned', 'glTeam'], B: ['ehtOther', 'swOther', 'glTeam'] };
/** That an orosanmälan was made: anyone working on the case, the school-side member taking part too. */
const REPORTERS: Record<Target, RoleName[]> = { R: ['ehtOwn', 'swAssigned', 'glTeam', 'staff'], B: ['ehtOther', 'swOther', 'glTeam'] };
/** Handläggarbyte: the team's group leader. */
const LEADER: Record<Target, RoleName[]> = { R: ['glTeam'], B: ['glTeam'] };

/** Messages that say "no" (Swedish, the default locale). */
const DENY = {
  notRegistered: /finns inte i skolsociala teamets register/,
  noAccess: /Ärendet finns inte, eller så har du inte behörighet till det|Det kan du inte göra i det här ärendet/,
  onlyEht: /Bara elevhälsoteamets medlemmar kan lyfta en oro/,
  notYourSchool: /Du kan bara lyfta en oro för dina egna skolor/,
  meetingOnlyEht: /Möten bokas av skolans elevhälsoteam/,
  onlyAdmin: /Bara systemförvaltare kan ändra tilldelningen/,
  onlyGroupLeader: /Sammanfattningen är till för gruppledare/,
  onlyLeaders: /Rapporten är till för gruppledare, chefer och styrgrupp samt systemförvaltare/,
  onlyAuditAdmin: /Åtkomstloggen kan bara tas ut av systemförvaltare/,
  onlyAway: /Frånvaro markeras av socialsekreterare/,
} as const;
type DenyKind = keyof typeof DENY;

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const text = (x: unknown) => JSON.stringify(x) ?? '';

/** Which cases' codes a role's "my cases" (and plans) list shows. */
const VISIBLE_CODES: Record<RoleName, Target[]> = {
  ehtOwn: ['R'], ehtOther: ['B'], swAssigned: ['R'], swOther: ['B'], glTeam: ['R', 'B'], glOther: [], staff: ['R'], admin: [], manager: [], unregistered: [],
};

interface Row {
  phase: number;
  role: RoleName;
  action: string; // command text or card verb
  target?: Target;
  allowed: boolean;
  /**
   * Names a case, meeting, plan or (for assignSchool and an EHT member's concern) a school, or asks a
   * registered user for the access log itself: a refusal must be in the access log with allowed=false —
   * also for someone outside the roster naming a case (their attempt on a case code is exactly what the
   * monthly review looks for).
   */
  touchesCase: boolean;
  expectAllowed: RegExp[];
  denyKind?: DenyKind;
  /** Text that must not appear in what this user got (besides the global privacy rule). */
  mustNotShow?: string[];
  /** Runs before the action (e.g. a fresh meeting awaiting this party); returns the card data. */
  prepare(): Promise<{ data?: Record<string, unknown> }>;
}

describe('access matrix: every command and card verb as every role (HTTP)', () => {
  let h: Harness;
  let world: World;
  let rosterFile = '';
  const nextSlot = slotSource();

  before(async function () {
    this.timeout(60_000);
    rosterFile = writeTwoTeamRoster();
    h = await startHarness({ env: { ROSTER_FILE: rosterFile }, now: '2026-11-23T09:00:00+01:00' });
    world = await seedWorld(h, nextSlot);
    // The joint team's school-side member takes part in R (her social worker adds her): she may read R, never B.
    await h.post(installActivity(stina, h.connector.url));
    const added = await h.post(executeActivity(sara, h.connector.url, 'case.staff', { caseCode: world.R.code, staff: 'st-1' }));
    assert.match(JSON.stringify(added.body), /Sparat/, 'setup: Stina takes part in R');
  });
  after(async () => {
    await h?.stop();
    rmSync(dirname(rosterFile), { recursive: true, force: true });
  });

  it('allows exactly what need to know allows, denies the rest without leaking, and logs every refusal', async function () {
    this.timeout(180_000);
    const url = h.connector.url;
    const post = async (user: TeamsUser, verb: string, data: Record<string, unknown>) => {
      const res = await h.post(executeActivity(user, url, verb, data));
      assert.equal(res.status, 200, `${verb} by ${user.name}: HTTP ${res.status}`);
      return res.body?.value;
    };
    const nameOf = (u: TeamsUser) => u.name;

    // ---- setups that give an allowed party something to act on -----------------------------------
    /** A new meeting on T; `awaiting` says whose turn it is. Returns ids and a start that may be accepted. */
    const freshMeeting = async (T: CaseWorld, awaiting: 'eht' | 'socialWorker') => {
      const first = nextSlot();
      const requested = await post(T.eht, 'meeting.request', { caseCode: T.code, type: 'startup', minutes: '60', place: 'school', guardians: 'false', slots: first });
      const ids = { teamId: requested?.refresh?.action?.data?.teamId, meetingId: requested?.refresh?.action?.data?.meetingId };
      assert.ok(ids.meetingId, `setup: meeting requested on ${T.code} at ${first}: ${(text(requested).match(/"color":"Attention"[^}]*/g) ?? []).join(" ")}`);
      if (awaiting === 'socialWorker') return { ...ids, start: first };
      const second = nextSlot();
      const countered = await post(T.socialWorker, 'meeting.counter', { ...ids, slots: second });
      assert.match(text(countered), new RegExp(`Väntar på svar från ${esc(nameOf(T.eht))}`), 'setup: counter-proposal');
      return { ...ids, start: second };
    };
    let planDay = 11;
    /** A new plan on T with one planned review. */
    const freshPlan = async (T: CaseWorld) => {
      const date = `2026-12-${String(planDay++).padStart(2, '0')}`;
      const card = await post(T.socialWorker, 'plan.record', { caseCode: T.code, type: 'implementation', goals: `Närvaro ${MARKERS[T === world.R ? 'R' : 'B'].goal}`, responsible: 'mentor – följer upp', reviewDate: date });
      const review = findAction(card, 'plan.review');
      assert.ok(review, `setup: plan recorded on ${T.code}: ${text(card).slice(0, 300)}`);
      return { teamId: review.data.teamId, planId: review.data.planId, date: review.data.date };
    };

    // ---- the table ----------------------------------------------------------------------------------
    const rows: Row[] = [];
    const deniedFor = (role: RoleName, action: string): DenyKind => {
      if (role === 'unregistered') return 'notRegistered';
      const isEht = ROLES[role].eht === true;
      switch (action) {
        case 'ny oro':
          return 'onlyEht';
        case 'concern.submit':
          return isEht ? 'notYourSchool' : 'onlyEht';
        case 'boka möte':
          return 'meetingOnlyEht';
        case 'meeting.form':
          // Either side books: someone who may book at all is refused this case; anyone else by role.
          return isEht || role.startsWith('sw') || role.startsWith('gl') ? 'noAccess' : 'meetingOnlyEht';
        case 'frånvaro':
        case AWAY_VERB:
          return 'onlyAway';
        case 'sammanfattning':
          return 'onlyGroupLeader';
        case NUDGE_VERB:
          // Another team's group leader may nudge, but not this team's cases.
          return role === 'glOther' ? 'noAccess' : 'onlyGroupLeader';
        case 'tilldela skola':
        case 'admin.assignSchool':
          return 'onlyAdmin';
        case 'rapport':
        case 'report.show':
          return 'onlyLeaders';
        case 'åtkomstlogg':
        case 'audit.export':
          return 'onlyAuditAdmin';
        default:
          return 'noAccess';
      }
    };

    // 1. Text commands (src/bot/commands.ts), Swedish spellings.
    const listMarkers = (role: RoleName) => {
      const codes = VISIBLE_CODES[role].map((t) => world[t].code);
      return [new RegExp(`Dina ärenden \\(${codes.length}\\)`), ...codes.map((c) => new RegExp(esc(c)))];
    };
    const planerMarkers = (role: RoleName): RegExp[] => {
      const codes = VISIBLE_CODES[role].map((t) => world[t].code);
      if (codes.length === 1) return [new RegExp(`Planer för ${esc(codes[0])}`), new RegExp(esc(MARKERS[VISIBLE_CODES[role][0]].goal))];
      if (codes.length === 0) return [/Välj ärende/, /Du har inga öppna ärenden/];
      return [/Välj ärende/, ...codes.map((c) => new RegExp(esc(c)))];
    };
    const bokaMarkers = (role: RoleName): RegExp[] => {
      // A group leader books for the cases they have themselves: none here.
      if (role === 'glTeam' || role === 'glOther') return [/Du har inga öppna ärenden att boka möte för/];
      const codes = VISIBLE_CODES[role].map((t) => world[t].code);
      return [new RegExp(`Boka möte för ${esc(codes[0] ?? '?')}`)];
    };
    const COMMAND_TABLE = {
      // Someone outside the roster gets help too, but only whom to ask (and the Orosanmälan way), not the commands.
      help: { text: 'hjälp', allowed: REGISTERED, markers: () => [/Det här kan du skriva/] },
      newConcern: { text: 'ny oro', allowed: ['ehtOwn', 'ehtOther'], markers: () => [/Ny oro till skolsociala teamet/] },
      myCases: { text: 'mina ärenden', allowed: REGISTERED, markers: listMarkers },
      todo: { text: 'att göra', allowed: REGISTERED, markers: () => [/Att göra/] },
      meetings: { text: 'möten', allowed: REGISTERED, markers: () => [/Dina möten \(\d+\)/] },
      bookMeeting: { text: 'boka möte', allowed: ['ehtOwn', 'ehtOther', 'swAssigned', 'swOther', 'glTeam', 'glOther'], markers: bokaMarkers },
      away: { text: 'frånvaro', allowed: ['swAssigned', 'swOther'], markers: () => [/Borta till och med/, /Du är inte markerad som borta/] },
      plans: { text: 'planer', allowed: REGISTERED, markers: planerMarkers },
      digest: { text: 'sammanfattning', allowed: ['glTeam', 'glOther'], markers: () => [/Dagens läge i teamet/] },
      assignSchool: { text: 'tilldela skola', allowed: ['admin'], markers: () => [/Tilldela skola/] },
      report: { text: 'rapport', allowed: ['glTeam', 'glOther', 'admin', 'manager'], markers: (r) => [r.startsWith('gl') ? /Uppföljning 2026: Skolsocialt team (Väst|Öst)/ : /Uppföljning 2026: alla team/] },
      audit: { text: 'åtkomstlogg', allowed: ['admin'], markers: () => [/Vem som läst eller ändrat vilket ärende/, /Ta fram loggen/] },
    } satisfies Record<CommandId, { text: string; allowed: RoleName[]; markers: (r: RoleName) => RegExp[] }>;
    // A command added to src/bot/commands.ts without a row here fails (and does not type-check).
    assert.deepEqual(Object.keys(COMMAND_TABLE).sort(), Object.keys(COMMANDS).sort(), 'every text command has a row');
    for (const [id, cmd] of Object.entries(COMMAND_TABLE)) assert.ok((COMMANDS[id as CommandId].sv as readonly string[]).includes(cmd.text), `"${cmd.text}" is a spelling of ${id}`);
    for (const cmd of Object.values(COMMAND_TABLE) as Array<{ text: string; allowed: RoleName[]; markers: (r: RoleName) => RegExp[] }>) {
      for (const role of ROLE_NAMES) {
        const allowed = cmd.allowed.includes(role);
        rows.push({ phase: 1, role, action: cmd.text, allowed, touchesCase: false, expectAllowed: cmd.markers(role), denyKind: allowed ? undefined : deniedFor(role, cmd.text), prepare: async () => ({}) });
      }
    }

    // 2. Card verbs without a target.
    for (const role of ROLE_NAMES) {
      const registered = role !== 'unregistered';
      rows.push({ phase: 2, role, action: 'case.list', allowed: registered, touchesCase: false, expectAllowed: listMarkers(role), denyKind: registered ? undefined : 'notRegistered', prepare: async () => ({ data: {} }) });
      // A button that does what a command does: the same answer and the same checks as typing it.
      rows.push({ phase: 2, role, action: NAV_VERB, allowed: registered, touchesCase: false, expectAllowed: listMarkers(role), denyKind: registered ? undefined : 'notRegistered', prepare: async () => ({ data: { command: 'myCases' } }) });
      const leader = ['glTeam', 'glOther', 'admin', 'manager'].includes(role);
      rows.push({ phase: 2, role, action: 'report.show', allowed: leader, touchesCase: false, expectAllowed: [/Uppföljning VT 2026: /], denyKind: leader ? undefined : deniedFor(role, 'report.show'), prepare: async () => ({ data: { preset: 'lastTerm' } }) });
      rows.push({ phase: 2, role, action: AUDIT_VERB, allowed: role === 'admin', touchesCase: role !== 'unregistered' && role !== 'admin', expectAllowed: [/\d+ händelser 2026-11-01–2026-11-30/], denyKind: role === 'admin' ? undefined : deniedFor(role, AUDIT_VERB), prepare: async () => ({ data: { from: '2026-11-01', to: '2026-11-30' } }) });
      // Frånvaro: a social worker's own; "back" when not away changes nothing (and says so).
      const awayOk = role === 'swAssigned' || role === 'swOther';
      rows.push({ phase: 2, role, action: AWAY_VERB, allowed: awayOk, touchesCase: false, expectAllowed: [/Du är inte markerad som borta/], denyKind: awayOk ? undefined : deniedFor(role, AWAY_VERB), prepare: async () => ({ data: { op: 'end' } }) });
      // PLAN_VERBS.choose has no route: every client gets the "button no longer works" answer (never a 5xx).
      rows.push({ phase: 2, role, action: 'plan.choose', allowed: false, touchesCase: false, expectAllowed: [], denyKind: undefined, mustNotShow: [], prepare: async () => ({ data: { caseCode: world.R.code } }) });
    }

    // 3. Card verbs naming R or B.
    interface VerbSpec {
      verb: string;
      phase: number;
      who: Record<Target, RoleName[]>;
      /** Success marker(s) for an allowed role. */
      ok(T: CaseWorld, role: RoleName): RegExp[];
      /** Card data; `allowed` lets a setup give the actor a fresh object of their own to act on. */
      data(T: CaseWorld, role: RoleName, allowed: boolean): Promise<Record<string, unknown>>;
    }
    const seededMeeting = (T: CaseWorld) => ({ teamId: T.teamId, meetingId: T.meetingId });
    const partyOf = (T: CaseWorld, role: RoleName): 'eht' | 'socialWorker' => (ROLES[role].user === T.eht ? 'eht' : 'socialWorker');
    const otherPartyName = (T: CaseWorld, role: RoleName) => nameOf(partyOf(T, role) === 'eht' ? T.socialWorker : T.eht);
    const answer = (verb: string, ok: (T: CaseWorld, role: RoleName) => RegExp[], extra: (start: string) => Record<string, unknown>, turn: boolean): VerbSpec => ({
      verb, phase: 3, who: PARTIES, ok,
      async data(T, role, allowed) {
        if (!allowed) return { ...seededMeeting(T), ...extra(nextSlot()) };
        const fresh = await freshMeeting(T, turn ? partyOf(T, role) : 'socialWorker');
        return { teamId: fresh.teamId, meetingId: fresh.meetingId, ...extra(fresh.start) };
      },
    });
    const VERB_SPECS: VerbSpec[] = [
      { verb: 'case.open', phase: 2, who: READERS, ok: (T) => [new RegExp(`Ärende ${esc(T.code)}`), new RegExp(esc(T === world.R ? MARKERS.R.summary : MARKERS.B.summary))], data: async (T) => ({ caseCode: T.code }) },
      { verb: 'plan.list', phase: 2, who: READERS, ok: (T) => [new RegExp(`Planer för ${esc(T.code)}`), new RegExp(esc(T === world.R ? MARKERS.R.goal : MARKERS.B.goal))], data: async (T) => ({ caseCode: T.code }) },
      { verb: 'meeting.form', phase: 2, who: BOOKERS, ok: (T) => [new RegExp(`Boka möte för ${esc(T.code)}`)], data: async (T) => ({ caseCode: T.code }) },
      { verb: 'meeting.refresh', phase: 2, who: PARTIES, ok: (T) => [new RegExp(`Uppstartsmöte – ${esc(T.code)}`)], data: async (T) => seededMeeting(T) },
      { verb: 'meeting.open', phase: 2, who: PARTIES, ok: (T) => [new RegExp(`Uppstartsmöte – ${esc(T.code)}`)], data: async (T) => seededMeeting(T) },
      // The digest's "Påminn": the team's group leader only; the seeded meeting waits for the case's social worker.
      { verb: NUDGE_VERB, phase: 3, who: { R: ['glTeam'], B: ['glTeam'] }, ok: (T) => [new RegExp(`Påminnelsen om ${esc(T.code)} är sparad|Du har redan påmint`)], data: async (T) => ({ about: 'meeting', caseCode: T.code, meetingId: T.meetingId }) },
      { verb: 'case.accept', phase: 3, who: OWNERS, ok: (T) => [new RegExp(`Du har tagit emot ${esc(T.code)}|${esc(T.code)} var redan mottaget`)], data: async (T) => ({ caseCode: T.code }) },
      { verb: 'case.requestInfo', phase: 3, who: OWNERS, ok: () => [/Meddelandet är skickat|Meddelandet är sparat i ärendet/], data: async (T) => ({ caseCode: T.code, message: 'Hur ser frånvaron ut på fredagar?' }) },
      { verb: 'case.replyInfo', phase: 3, who: SCHOOL_EHT, ok: () => [/Meddelandet är skickat|Meddelandet är sparat i ärendet/], data: async (T) => ({ caseCode: T.code, message: 'Fredagar är bättre.' }) },
      // Either side proposes; the answer waits for the other side.
      { verb: 'meeting.request', phase: 3, who: BOOKERS, ok: (T, role) => [new RegExp(`Väntar på svar från ${esc(nameOf(partyOf(T, role) === 'eht' ? T.socialWorker : T.eht))}`)], data: async (T) => ({ caseCode: T.code, type: 'startup', minutes: '60', place: 'school', guardians: 'false', interpreter: 'true', slots: nextSlot() }) },
      // The insats: form, kind and the intensive phase.
      { verb: 'case.insats', phase: 3, who: OWNERS, ok: () => [/Insatsen är sparad/], data: async (T) => ({ caseCode: T.code, insatsForm: 'service', insatsKind: 'family', insatsStart: '2026-11-23', intensiveUntil: '2027-02-14' }) },
      // Who of the school-side members takes part: the same as now (R: Stina; B: nobody), so nobody gains access by this row.
      { verb: 'case.staff', phase: 3, who: OWNERS, ok: () => [/Inget ändrades|Sparat/], data: async (T) => ({ caseCode: T.code, staff: T === world.R ? 'st-1' : '' }) },
      // Handläggarbyte: to the one who has it (changes nothing, so later rows still hold).
      { verb: 'case.reassign', phase: 3, who: LEADER, ok: (T) => [new RegExp(`${esc(T.code)} är redan ${esc(nameOf(T.socialWorker))}s`)], data: async (T) => ({ caseCode: T.code, to: T === world.R ? 'sw-1' : 'sw-2' }) },
      { verb: 'case.reportMade', phase: 3, who: REPORTERS, ok: () => [/Datumet för orosanmälan är sparat/], data: async (T) => ({ caseCode: T.code, reportDate: '2026-11-20' }) },
      answer('meeting.accept', () => [/Bekräftat/], (start) => ({ start }), true),
      answer('meeting.decline', () => [/Avböjt/], () => ({ reason: 'Utbildning hela veckan' }), true),
      answer('meeting.counter', (T, role) => [new RegExp(`Väntar på svar från ${esc(otherPartyName(T, role))}`)], () => ({ slots: nextSlot() }), true),
      answer('meeting.cancel', () => [/Inställt/], () => ({}), false),
      answer('meeting.reschedule', (T, role) => [new RegExp(`Väntar på svar från ${esc(otherPartyName(T, role))}`)], () => ({ slots: nextSlot() }), false),
      { verb: 'plan.record', phase: 3, who: OWNERS, ok: () => [/Planen är sparad/], data: async (T) => ({ caseCode: T.code, type: 'implementation', goals: `Trygg skolstart ${T === world.R ? MARKERS.R.goal : MARKERS.B.goal}`, responsible: 'mentor – följer upp', reviewDate: '2026-12-09' }) },
      {
        verb: 'plan.review', phase: 3, who: OWNERS, ok: () => [/Uppföljningen är registrerad/],
        async data(T, _role, allowed) {
          const ref = allowed ? await freshPlan(T) : { teamId: T.teamId, planId: T.planId, date: T.planReviewDate };
          return { ...ref, outcome: 'done', nextDate: '2027-01-20', absenceValid: '6', absenceInvalid: '3', goal1: 'partly', goal2: 'reached' };
        },
      },
      {
        verb: 'admin.assignSchool', phase: 3, who: ADMIN, ok: (T) => [new RegExp(`${esc(T.schoolName)} har nu ${esc(nameOf(T.socialWorker))} som socialsekreterare`)],
        // The current assignment again: an allowed save changes nothing.
        data: async (T) => (T === world.R ? { schoolId: 'ryd', socialWorkerId: 'sw-1', backupSocialWorkerId: 'sw-2' } : { schoolId: 'berga', socialWorkerId: 'sw-2', backupSocialWorkerId: 'sw-1' }),
      },
      // Withdrawing consent stops family work: after everything that needs it; then renewing it (a second allowed
      // withdrawal finds it withdrawn already, access granted).
      { verb: 'consent.withdraw', phase: 4, who: CONSENT, ok: (T) => [new RegExp(`Samtycket för ${esc(T.code)} är återkallat|Samtycket är redan återkallat`)], data: async (T) => ({ caseCode: T.code }) },
      {
        verb: 'consent.record', phase: 4, who: CONSENT, ok: () => [/Samtycket är sparat och gäller till och med 2027-06-01/],
        data: async (T) => ({ caseCode: T.code, custody: 'joint', vh1How: 'written', vh2How: 'oral', consentScope: 'Samverkan kring frånvaro', consentExpires: '2027-06-01', childView: 'asked' }),
      },
      // Raising a concern adds a case (changes later lists): after everything else but closing.
      { verb: 'concern.submit', phase: 4, who: SCHOOL_EHT, ok: () => [/Oron är mottagen: SST-2026-\d{4}/], data: async (T) => concernForm({ school: T.schoolId, summary: 'Upprepad frånvaro, främst måndagar.', schoolRef: '' }) },
      // Closing ends the case: last. A second allowed close finds it closed (access granted, transition refused).
      { verb: 'case.close', phase: 5, who: OWNERS, ok: (T) => [new RegExp(`${esc(T.code)} är avslutat|Det går inte i ärendets nuvarande läge`)], data: async (T) => ({ caseCode: T.code, outcome: 'other', sameSchool: 'yes', absenceValid: '4', absenceInvalid: '2' }) },
    ];
    for (const spec of VERB_SPECS) {
      for (const target of ['R', 'B'] as const) {
        for (const role of ROLE_NAMES) {
          const T = world[target];
          const allowed = spec.who[target].includes(role);
          rows.push({
            // A concern names a school, not a case: only an EHT member naming another school is a tampered
            // payload (logged as a refused "raise"); anyone else is refused by role.
            phase: spec.phase, role, action: spec.verb, target, allowed, touchesCase: spec.verb !== 'concern.submit' || ROLES[role].eht === true,
            expectAllowed: spec.ok(T, role),
            denyKind: allowed ? undefined : deniedFor(role, spec.verb),
            // A refusal shows nothing of a case the role may not see: not its code, school, summary,
            // reference or plan goals (a reader refused an action may still see the case, not the school's reference).
            mustNotShow: allowed ? [] : READERS[target].includes(role) ? (SCHOOL_EHT[target].includes(role) ? [] : [MARKERS[target].ref]) : [T.code, T.schoolName, MARKERS[target].summary, MARKERS[target].ref, MARKERS[target].goal],
            prepare: async () => ({ data: await spec.data(T, role, allowed) }),
          });
        }
      }
    }
    rows.sort((a, b) => a.phase - b.phase); // stable: keeps table order within a phase
    // A verb added in src/bot without a row here fails.
    const allVerbs = [...Object.values(VERBS), ...Object.values(MEETING_VERBS), ...Object.values(PLAN_VERBS), CONCERN_SUBMIT_VERB, ASSIGN_SCHOOL_VERB, REPORT_VERB, AUDIT_VERB, NAV_VERB, NUDGE_VERB, AWAY_VERB];
    const tried = new Set(rows.map((r) => r.action));
    assert.deepEqual(allVerbs.filter((v) => !tried.has(v)), [], 'every card verb has rows');

    // ---- run --------------------------------------------------------------------------------------
    const T0 = h.clock.now().getTime();
    const seen: Record<RoleName, string[]> = Object.fromEntries(ROLE_NAMES.map((r) => [r, []])) as unknown as Record<RoleName, string[]>;
    const problems: string[] = [];
    const missingLogs: string[] = [];
    const outcomes: Array<{ row: Row; at: string; ok: boolean }> = [];
    let casesRows = (await tableRows(h, 'cases')).length;

    for (const [i, row] of rows.entries()) {
      const { user } = ROLES[row.role];
      h.clock.set(new Date(T0 + i * 2000));
      const { data } = await row.prepare();
      const at = new Date(T0 + i * 2000 + 1000);
      h.clock.set(at);
      if (row.allowed === false) casesRows = (await tableRows(h, 'cases')).length;
      h.connector.clear();
      const isCommand = data === undefined;
      const res = await h.post(isCommand ? messageActivity(user, url, row.action) : executeActivity(user, url, row.action, data));
      const label = `${row.role} (${user.name}) ${isCommand ? `"${row.action}"` : row.action}${row.target ? ` → ${row.target}` : ''}`;
      const toUser = h.connector.sent.filter((s) => s.conversationId === personalConversation(user));
      const got = `${isCommand ? '' : text(res.body)}\n${text(toUser.map((s) => s.body))}`;
      seen[row.role].push(got);
      let ok = true;
      const fail = (msg: string) => {
        ok = false;
        problems.push(`${label}: ${msg}\n      got: ${got.replace(/\s+/g, ' ').slice(0, 400)}`);
      };
      if (res.status >= 500 || res.status < 200) fail(`HTTP ${res.status}`);
      if (row.action === 'plan.choose') {
        if (!/Den här knappen fungerar inte längre/.test(got)) fail('expected the "button no longer works" answer');
      } else if (row.allowed) {
        for (const marker of row.expectAllowed) if (!marker.test(got)) fail(`allowed, but no ${marker}`);
        for (const [kind, re] of Object.entries(DENY)) if (re.test(got)) fail(`allowed, but refused (${kind})`);
      } else {
        if (!DENY[row.denyKind!].test(got)) fail(`denied, but no "${row.denyKind}" message`);
        for (const marker of row.expectAllowed) if (marker.test(got)) fail(`denied, but shows the success marker ${marker}`);
        for (const secret of row.mustNotShow ?? []) if (got.includes(secret)) fail(`denied, but shows "${secret}" of the named case`);
        const elsewhere = h.connector.sent.filter((s) => s.conversationId !== personalConversation(user));
        if (elsewhere.length > 0) fail(`denied, but the bot sent ${elsewhere.length} message(s) to others: ${elsewhere.map((s) => s.conversationId).join(', ')}`);
        if (!isCommand) {
          const after = (await tableRows(h, 'cases')).length;
          if (after !== casesRows) fail(`denied, but the cases table changed (${casesRows} → ${after} rows)`);
        }
      }
      outcomes.push({ row, at: at.toISOString(), ok });
    }

    // ---- every refused card action on a case, meeting, plan or school is in the access log --------------
    const denied = new Map<string, Array<Record<string, unknown>>>();
    for (const e of await tableRows(h, 'accessLog')) {
      if (e.allowed !== false) continue;
      const list = denied.get(String(e.at)) ?? [];
      list.push(e);
      denied.set(String(e.at), list);
    }
    for (const { row, at } of outcomes) {
      if (row.allowed || !row.touchesCase) continue;
      const entries = denied.get(at) ?? [];
      const personId = ROLES[row.role].personId;
      // An unregistered user has no roster id: any refusal entry at that moment will do.
      const logged = entries.some((e) => personId === undefined || e.actorId === personId);
      if (!logged) missingLogs.push(`${row.role} (${ROLES[row.role].user.name}): ${row.action}→${row.target}`);
    }
    const missingByRole = [...new Set(missingLogs.map((m) => m.split(': ')[0]))].map((who) => `${who}: ${missingLogs.filter((m) => m.startsWith(`${who}: `)).map((m) => m.split(': ')[1]).join(', ')}`);

    // ---- over the whole run: nobody got what need to know keeps from them ---------------------------
    const leaks: string[] = [];
    for (const role of ROLE_NAMES) {
      const all = seen[role].join('\n');
      for (const target of ['R', 'B'] as const) {
        const secrets = READERS[target].includes(role) ? [] : [world[target].code, MARKERS[target].summary, MARKERS[target].goal];
        if (!SCHOOL_EHT[target].includes(role)) secrets.push(MARKERS[target].ref);
        for (const s of secrets) if (all.includes(s)) leaks.push(`${role} (${ROLES[role].user.name}) was shown "${s}" of ${target}`);
      }
    }

    // A compact picture of the run for the report: A = allowed as expected, D = denied as expected, ! = not as expected.
    const actions = [...new Set(outcomes.map((o) => `${o.row.action}${o.row.target ? `→${o.row.target}` : ''}`))];
    const matrix = [
      `${'action'.padEnd(26)} ${ROLE_NAMES.map((r) => r.slice(0, 6).padEnd(6)).join(' ')}`,
      ...actions.map((a) => `${a.padEnd(26)} ${ROLE_NAMES.map((r) => {
        const o = outcomes.find((x) => `${x.row.action}${x.row.target ? `→${x.row.target}` : ''}` === a && x.row.role === r)!;
        return (o.ok ? (o.row.allowed ? 'A' : 'D') : '!').padEnd(6);
      }).join(' ')}`),
    ].join('\n');
    if (process.env.ACCESS_MATRIX_PRINT) console.log(matrix);

    const report = [
      problems.length ? `${problems.length} row(s) not as expected:\n  ${problems.join('\n  ')}` : '',
      missingLogs.length ? `${missingLogs.length} refused card action(s) on a case without an access-log entry (allowed=false):\n  ${missingByRole.join('\n  ')}` : '',
      leaks.length ? `Leaks:\n  ${leaks.join('\n  ')}` : '',
    ].filter(Boolean).join('\n\n');
    assert.ok(outcomes.length >= 450, `the table has ${outcomes.length} rows`);
    if (report) assert.fail(`${outcomes.length} rows (${outcomes.filter((o) => o.row.allowed).length} allowed)\n${report}\n\n${matrix}`);
  });
});
