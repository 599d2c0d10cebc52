import { settingsProblems, type MunicipalitySettingsInput } from './settings';

/**
 * Roles as the roster names them (see DOMAIN.md): elevhälsoteam, socialsekreterare, gruppledare,
 * systemförvaltare, and the joint team's school-side members (`schoolStaff`: lärare, specialpedagog,
 * speciallärare of the SST, who own the school situation in a case and parts of its plan), and
 * `manager` (chef, styrgrupp: the follow-up figures of every team, read only, never a case).
 */
export const ROLES = ['eht', 'socialWorker', 'groupLeader', 'admin', 'schoolStaff', 'manager'] as const;
export type Role = (typeof ROLES)[number];

export interface Municipality {
  name: string;
  reportConcernUrl: string;
  /** What differs between municipalities (categories, grades, läsårstider, consent, intensive phase, escalation, report); see ./settings. */
  settings?: MunicipalitySettingsInput;
}

/** A period a person is away (set from the bot with `frånvaro`): from and until, inclusive Stockholm dates. */
export interface AwayPeriod {
  from: string;
  until: string;
  setAt: string;
}

export interface Team {
  id: string;
  name: string;
  groupLeader: string;
}

export interface School {
  id: string;
  name: string;
  team: string;
  socialWorker?: string;
  backupSocialWorker?: string;
}

export interface Person {
  id: string;
  aadObjectId: string;
  name: string;
  roles: Role[];
  schools?: string[];
  team?: string;
  /** Marked absent in the roster file (long leave): new concerns go to the school's backup. */
  absent?: boolean;
  /** Away for a while, set by the person from the bot (`frånvaro`); not part of the file. */
  away?: AwayPeriod;
  /** Work e-mail, only needed for the Outlook calendar (free/busy and invitations through Graph). */
  email?: string;
}

export interface Roster {
  municipality: Municipality;
  teams: Team[];
  schools: School[];
  people: Person[];
}

export function hasRole(person: Person, role: Role): boolean {
  return person.roles.includes(role);
}

export function personByAad(roster: Roster, aadObjectId: string | undefined): Person | undefined {
  if (!aadObjectId) return undefined;
  const wanted = aadObjectId.toLowerCase();
  return roster.people.find((p) => p.aadObjectId.toLowerCase() === wanted);
}

export const personById = (roster: Roster, id: string | undefined) => roster.people.find((p) => p.id === id);
export const schoolById = (roster: Roster, id: string | undefined) => roster.schools.find((s) => s.id === id);
export const teamById = (roster: Roster, id: string | undefined) => roster.teams.find((t) => t.id === id);

/** What the access log may say about a school someone named: its id when the roster knows it, never the text they sent. */
export const UNKNOWN_ID = '(unknown)';
export const knownSchoolId = (roster: Roster, id: unknown): string => (typeof id === 'string' && schoolById(roster, id) ? id : UNKNOWN_ID);

export type AssignmentVia = 'primary' | 'backup' | 'groupLeader' | 'reassigned';

/** Is the person away on this Stockholm date (marked absent in the file, or an away period set from the bot covers it)? */
export function isAway(person: Pick<Person, 'absent' | 'away'>, today: string): boolean {
  if (person.absent) return true;
  return person.away !== undefined && person.away.from <= today && today <= person.away.until;
}

/**
 * Who is suggested as owner of a new concern for `schoolId` on `today` (the concern itself goes to
 * the team's intake, where any social worker of the team can take it): the school's social worker;
 * the backup when the primary is away or missing; the team's group leader when neither can.
 */
export function assigneeFor(roster: Roster, schoolId: string, today = ''): { person: Person; via: AssignmentVia } | undefined {
  const school = schoolById(roster, schoolId);
  if (!school) return undefined;
  const available = (id: string | undefined) => {
    const p = personById(roster, id);
    return p && !isAway(p, today) ? p : undefined;
  };
  const primary = available(school.socialWorker);
  if (primary) return { person: primary, via: 'primary' };
  const backup = available(school.backupSocialWorker);
  if (backup) return { person: backup, via: 'backup' };
  const leader = personById(roster, teamById(roster, school.team)?.groupLeader);
  return leader ? { person: leader, via: 'groupLeader' } : undefined;
}

/** The social workers of a team (who may take its unclaimed concerns, and whom a case can be handed to). */
export function socialWorkersOf(roster: Roster, teamId: string): Person[] {
  return roster.people.filter((p) => hasRole(p, 'socialWorker') && p.team === teamId);
}

/** The joint team's school-side members of a team (lärare, specialpedagog, speciallärare). */
export function schoolStaffOf(roster: Roster, teamId: string): Person[] {
  return roster.people.filter((p) => hasRole(p, 'schoolStaff') && p.team === teamId);
}

/** EHT members of a school (to tell them who their new contact is). */
export function ehtMembersOf(roster: Roster, schoolId: string): Person[] {
  return roster.people.filter((p) => hasRole(p, 'eht') && (p.schools ?? []).includes(schoolId));
}

/** The teams a person's cases can live in: their own team, or their schools' teams for EHT. */
export function teamsOf(roster: Roster, person: Person): string[] {
  const teams = new Set<string>();
  if (person.team) teams.add(person.team);
  for (const schoolId of person.schools ?? []) {
    const school = schoolById(roster, schoolId);
    if (school) teams.add(school.team);
  }
  return [...teams];
}

/** Cross-references that the schema cannot check; each problem says what to fix in the file. */
export function rosterProblems(roster: Roster): string[] {
  const problems: string[] = [...settingsProblems(roster.municipality.settings)];
  const dup = (kind: string, ids: string[]) => {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) problems.push(`${kind} id "${id}" appears more than once; ids must be unique.`);
      seen.add(id);
    }
  };
  dup('team', roster.teams.map((t) => t.id));
  dup('school', roster.schools.map((s) => s.id));
  dup('person', roster.people.map((p) => p.id));
  dup('person aadObjectId', roster.people.map((p) => p.aadObjectId.toLowerCase()));
  const needPerson = (where: string, id: string | undefined, role: Role) => {
    if (id === undefined) return;
    const p = personById(roster, id);
    if (!p) problems.push(`${where} names person "${id}", who is not in "people".`);
    else if (!hasRole(p, role)) problems.push(`${where} names "${id}", who lacks the role "${role}".`);
  };
  for (const team of roster.teams) needPerson(`team "${team.id}" groupLeader`, team.groupLeader, 'groupLeader');
  for (const school of roster.schools) {
    if (!teamById(roster, school.team)) problems.push(`school "${school.id}" names team "${school.team}", which is not in "teams".`);
    needPerson(`school "${school.id}" socialWorker`, school.socialWorker, 'socialWorker');
    needPerson(`school "${school.id}" backupSocialWorker`, school.backupSocialWorker, 'socialWorker');
  }
  for (const person of roster.people) {
    for (const schoolId of person.schools ?? []) {
      if (!schoolById(roster, schoolId)) problems.push(`person "${person.id}" names school "${schoolId}", which is not in "schools".`);
    }
    if (person.team !== undefined && !teamById(roster, person.team)) problems.push(`person "${person.id}" names team "${person.team}", which is not in "teams".`);
    if (hasRole(person, 'eht') && (person.schools ?? []).length === 0) problems.push(`person "${person.id}" has the role "eht" but no "schools".`);
    if ((hasRole(person, 'socialWorker') || hasRole(person, 'groupLeader') || hasRole(person, 'schoolStaff')) && !person.team) problems.push(`person "${person.id}" is a social worker, group leader or school-side team member but has no "team".`);
  }
  return problems;
}
