import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executeActivity, installActivity, type TeamsUser } from '../fixtures/activities';
import { alva, concernForm, erik, eva, goran, olle, samir, sara } from '../fixtures/people';
import type { Harness } from './botHarness';
import { swedishHolidays } from '../../src/services/holidays';

/**
 * A world for access and robustness tests: the demo roster plus a second team (sst-2, led by
 * Gunilla, with Ekskolan and its social worker Sixten), and seeded data in team sst-1:
 *
 * - R = SST-2026-0001, Rydskolan, raised by Eva, assigned to Sara (accepted, with a plan and a
 *   proposed meeting Eva → Sara, awaiting Sara);
 * - B = SST-2026-0002, Bergaskolan, raised by Erik, assigned to Samir (accepted, with a plan and a
 *   proposed meeting Erik → Samir, awaiting Samir).
 */
export const gunilla: TeamsUser = { aadObjectId: '00000000-0000-0000-0000-00000000b002', name: 'Gunilla Gruppledare' }; // group leader of sst-2
export const sixten: TeamsUser = { aadObjectId: '00000000-0000-0000-0000-00000000a003', name: 'Sixten Socionom' }; // social worker of sst-2

export const MARKERS = {
  R: { summary: 'MARKER-SUM-R-4b1d', ref: 'MARKER-REF-R-77ce', goal: 'MARKER-GOAL-R-0a9f' },
  B: { summary: 'MARKER-SUM-B-c3e2', ref: 'MARKER-REF-B-5d04', goal: 'MARKER-GOAL-B-e81b' },
} as const;

/** Writes the two-team roster to a temp dir and returns its path (pass as ROSTER_FILE). */
export function writeTwoTeamRoster(): string {
  const roster = JSON.parse(readFileSync(join(__dirname, '../../roster.example.json'), 'utf8'));
  roster.teams.push({ id: 'sst-2', name: 'Skolsocialt team Öst', groupLeader: 'gl-2' });
  roster.schools.push({ id: 'ek', name: 'Ekskolan', team: 'sst-2', socialWorker: 'sw-3' });
  roster.people.push(
    { id: 'gl-2', aadObjectId: gunilla.aadObjectId, name: gunilla.name, roles: ['groupLeader'], team: 'sst-2' },
    { id: 'sw-3', aadObjectId: sixten.aadObjectId, name: sixten.name, roles: ['socialWorker'], team: 'sst-2' },
  );
  const dir = mkdtempSync(join(tmpdir(), 'sst-roster-'));
  const file = join(dir, 'roster.json');
  writeFileSync(file, JSON.stringify(roster, null, 2));
  return file;
}

/** Successive distinct valid meeting times (working days 09–15 Stockholm, from Tue 24 Nov 2026), so no two requests clash. */
export function slotSource(startDay = '2026-11-24'): () => string {
  let day = new Date(`${startDay}T12:00:00Z`);
  let hour = 9;
  const holiday = swedishHolidays();
  return () => {
    while (day.getUTCDay() === 0 || day.getUTCDay() === 6 || holiday(day.toISOString().slice(0, 10))) day = new Date(day.getTime() + 86_400_000);
    const local = `${day.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00:00+01:00`;
    hour += 1;
    if (hour > 15) {
      hour = 9;
      day = new Date(day.getTime() + 86_400_000);
    }
    return new Date(local).toISOString();
  };
}

export interface CaseWorld {
  code: string;
  teamId: string;
  schoolId: string;
  schoolName: string;
  eht: TeamsUser;
  socialWorker: TeamsUser;
  meetingId: string;
  planId: string;
  planReviewDate: string;
}

export interface World {
  R: CaseWorld;
  B: CaseWorld;
}

/** Finds the first Action.Execute (or its data) with `verb` anywhere in a card. */
export function findAction(card: unknown, verb: string): { verb: string; data: Record<string, any> } | undefined {
  let found: { verb: string; data: Record<string, any> } | undefined;
  const walk = (x: unknown): void => {
    if (found || !x || typeof x !== 'object') return;
    const o = x as Record<string, any>;
    if (o.type === 'Action.Execute' && o.verb === verb) {
      found = { verb, data: o.data ?? {} };
      return;
    }
    for (const v of Object.values(o)) walk(v);
  };
  walk(card);
  return found;
}

/** Installs everyone and seeds R and B as described above; returns their ids. */
export async function seedWorld(h: Harness, nextSlot: () => string): Promise<World> {
  const url = h.connector.url;
  for (const user of [eva, erik, sara, samir, goran, gunilla, sixten, alva, olle]) await h.post(installActivity(user, url));
  const card = async (user: TeamsUser, verb: string, data: Record<string, unknown>) => {
    const res = await h.post(executeActivity(user, url, verb, data));
    assert.equal(res.status, 200, `seed ${verb}: HTTP ${res.status}`);
    return res.body?.value;
  };
  const seedCase = async (eht: TeamsUser, sw: TeamsUser, schoolId: string, schoolName: string, m: { summary: string; ref: string; goal: string }): Promise<CaseWorld> => {
    const received = await card(eht, 'concern.submit', concernForm({ school: schoolId, summary: `Frånvaro ${m.summary}`, schoolRef: m.ref }));
    const code = /SST-2026-\d{4}/.exec(JSON.stringify(received))?.[0];
    assert.ok(code, `seed concern for ${schoolId}: ${JSON.stringify(received).slice(0, 300)}`);
    assert.match(JSON.stringify(await card(sw, 'case.accept', { caseCode: code })), /Du har tagit emot/);
    const planReviewDate = '2026-12-10';
    const plan = await card(sw, 'plan.record', { caseCode: code, type: 'implementation', goals: `Närvaro ${m.goal}`, responsible: 'mentor – följer upp närvaron', reviewDate: planReviewDate });
    assert.match(JSON.stringify(plan), /Planen är sparad/, `seed plan: ${JSON.stringify(plan).slice(0, 300)}`);
    const planId = findAction(plan, 'plan.review')?.data.planId;
    assert.ok(planId, 'seed plan id');
    const meeting = await card(eht, 'meeting.request', { caseCode: code, type: 'startup', minutes: '60', place: 'school', guardians: 'false', slots: nextSlot() });
    const meetingId = meeting?.refresh?.action?.data?.meetingId;
    assert.ok(meetingId, `seed meeting: ${JSON.stringify(meeting).slice(0, 300)}`);
    return { code, teamId: 'sst-1', schoolId, schoolName, eht, socialWorker: sw, meetingId, planId, planReviewDate };
  };
  const R = await seedCase(eva, sara, 'ryd', 'Rydskolan', MARKERS.R);
  const B = await seedCase(erik, samir, 'berga', 'Bergaskolan', MARKERS.B);
  assert.equal(R.code, 'SST-2026-0001');
  assert.equal(B.code, 'SST-2026-0002');
  return { R, B };
}

/** Every row of a table, as plain objects (for before/after comparisons). */
export async function tableRows(h: Harness, name: string): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = [];
  try {
    for await (const e of h.bot.store.table(name).listEntities()) rows.push(e as Record<string, unknown>);
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return rows; // the table was never created
    throw err;
  }
  return rows;
}
