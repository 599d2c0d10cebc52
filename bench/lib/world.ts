import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TurnContext } from 'botbuilder';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import type { Case } from '../../src/domain/concern';
import { caseCode } from '../../src/domain/concern';
import type { Meeting } from '../../src/domain/meeting';
import type { Plan } from '../../src/domain/plan';
import type { DueItem } from '../../src/domain/reminders';
import type { Person, Roster } from '../../src/domain/roster';
import { eventEntity } from '../../src/storage/caseStore';
import { hourOf } from '../../src/storage/dueItemStore';
import { escapeKey } from '../../src/storage/tableStorage';
import { messageActivity, type TeamsUser } from '../../test/fixtures/activities';

/** Runs `fn` over `items` with at most `n` at once. */
export async function parallel<T, R>(items: T[], n: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

export const aadOf = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
export const userOf = (p: Person): TeamsUser => ({ aadObjectId: p.aadObjectId, name: p.name });

export interface World {
  file: string;
  roster: Roster;
  /** EHT members per school id. */
  ehtBySchool: Map<string, Person[]>;
  socialWorkerOf: Map<string, Person>;
  groupLeaderOf: Map<string, Person>;
}

/**
 * A generated roster: per team `schools` schools, each with `ehtPerSchool` EHT members and its own
 * social worker (the next school's as backup), a group leader per team and one admin.
 */
export function makeRoster(teams: Array<{ id: string; schools: number; ehtPerSchool: number }>): World {
  let n = 1;
  const roster: Roster = { municipality: { name: 'Bänkskolans kommun', reportConcernUrl: 'https://example.org/orosanmalan' }, teams: [], schools: [], people: [] };
  const ehtBySchool = new Map<string, Person[]>();
  const socialWorkerOf = new Map<string, Person>();
  const groupLeaderOf = new Map<string, Person>();
  for (const team of teams) {
    const gl: Person = { id: `gl-${team.id}`, aadObjectId: aadOf(n++), name: `Gruppledare ${team.id}`, roles: ['groupLeader'], team: team.id };
    roster.people.push(gl);
    groupLeaderOf.set(team.id, gl);
    roster.teams.push({ id: team.id, name: `Team ${team.id}`, groupLeader: gl.id });
    for (let s = 0; s < team.schools; s++) {
      const schoolId = `${team.id}-s${s}`;
      const sw: Person = { id: `sw-${schoolId}`, aadObjectId: aadOf(n++), name: `Socionom ${schoolId}`, roles: ['socialWorker'], team: team.id };
      roster.people.push(sw);
      socialWorkerOf.set(schoolId, sw);
      const backup = `sw-${team.id}-s${(s + 1) % team.schools}`;
      roster.schools.push({ id: schoolId, name: `Skola ${schoolId}`, team: team.id, socialWorker: sw.id, backupSocialWorker: team.schools > 1 ? backup : undefined });
      const eht: Person[] = [];
      for (let e = 0; e < team.ehtPerSchool; e++) eht.push({ id: `eht-${schoolId}-${e}`, aadObjectId: aadOf(n++), name: `Kurator ${schoolId}-${e}`, roles: ['eht'], schools: [schoolId] });
      roster.people.push(...eht);
      ehtBySchool.set(schoolId, eht);
    }
  }
  roster.people.push({ id: 'adm-1', aadObjectId: aadOf(n++), name: 'Admin', roles: ['admin'] });
  const dir = mkdtempSync(join(tmpdir(), 'sst-bench-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'roster.json');
  writeFileSync(file, JSON.stringify(roster));
  return { file, roster, ehtBySchool, socialWorkerOf, groupLeaderOf };
}

/** Writes `actions` of one partition as transactions of up to 100, `concurrency` at a time. */
export async function submitInBatches(client: TableClient, actions: TransactionAction[], concurrency = 4): Promise<void> {
  const byPartition = new Map<string, TransactionAction[]>();
  for (const a of actions) {
    const pk = String((a[1] as { partitionKey: string }).partitionKey);
    const list = byPartition.get(pk) ?? [];
    list.push(a);
    byPartition.set(pk, list);
  }
  const batches: TransactionAction[][] = [];
  for (const list of byPartition.values()) for (let i = 0; i < list.length; i += 100) batches.push(list.slice(i, i + 100));
  await parallel(batches, concurrency, (b) => client.submitTransaction(b));
}

// Rows in the shapes the adapters write (src/storage/caseStore.ts, teamDocuments.ts, dueItemStore.ts);
// every seeding step is checked by reading back through the real adapters.
export const caseRow = (c: Case) => ({ partitionKey: c.teamId, rowKey: `c|${c.code}`, type: 'case', caseCode: c.code, data: JSON.stringify(c), status: c.status, schoolId: c.schoolId, assignedTo: c.assignedTo });
export const planRow = (p: Plan) => ({ partitionKey: p.teamId, rowKey: `p|${p.id}`, type: 'plan', caseCode: p.caseCode, status: p.status, data: JSON.stringify(p) });
export const meetingRow = (m: Meeting) => ({ partitionKey: m.teamId, rowKey: `m|${m.id}`, type: 'meeting', caseCode: m.caseCode, socialWorkerId: m.socialWorkerId, status: m.status, start: m.start ?? '', data: JSON.stringify(m) });
export const dueRow = (i: DueItem, status = 'pending') => ({
  partitionKey: hourOf(i.dueAt),
  rowKey: escapeKey(i.key),
  data: JSON.stringify({ key: i.key, kind: i.kind, dueAt: i.dueAt, recipientId: i.recipientId, teamId: i.teamId, caseCode: i.caseCode, ref: i.ref }),
  dueAt: i.dueAt,
  status,
  attempts: 0,
});

export function makeCase(seq: number, o: { teamId: string; schoolId: string; raisedBy: string; assignedTo: string; status?: Case['status']; createdAt: string; consentExpires?: string }): Case {
  const code = caseCode(2026, seq);
  return {
    code,
    teamId: o.teamId,
    schoolId: o.schoolId,
    grade: '7',
    category: 'absence',
    absenceBand: '20to50',
    absence: [{ at: 'intake', date: o.createdAt.slice(0, 10), valid: 12, invalid: 18, recordedBy: o.raisedBy, recordedAt: o.createdAt }],
    summary: 'Upprepad frånvaro sedan höstlovet, främst måndagar.',
    consent: o.consentExpires ? { scope: 'Samverkan skola–skolsociala teamet kring frånvaro', expires: o.consentExpires, recordedBy: o.raisedBy, recordedAt: o.createdAt } : undefined,
    schoolRef: o.consentExpires ? `PRN-${seq}` : undefined,
    status: o.status ?? 'accepted',
    raisedBy: o.raisedBy,
    assignedTo: o.assignedTo,
    createdAt: o.createdAt,
    updatedAt: o.createdAt,
    lastActivityAt: o.createdAt,
  };
}

/** A case row with its two timeline events (raised, assigned), as raiseConcern writes them. */
export function caseActions(c: Case): TransactionAction[] {
  return [
    ['create', caseRow(c)],
    ['create', eventEntity(c.teamId, { caseCode: c.code, at: c.createdAt, kind: 'raised', by: c.raisedBy }, 0)],
    ['create', eventEntity(c.teamId, { caseCode: c.code, at: c.createdAt, kind: 'assigned', by: c.raisedBy, to: c.assignedTo, ref: 'primary' }, 1)],
  ];
}

/** The case-code counter at `n`, so codes the bot allocates do not collide with seeded ones. */
export async function setCodeCounter(client: TableClient, n: number): Promise<void> {
  await client.upsertEntity({ partitionKey: 'caseCode', rowKey: '2026', n }, 'Replace');
}

/** A stored personal-conversation reference, as the bot saves it on a user's first turn. */
export function refRow(user: TeamsUser, serviceUrl: string) {
  const ref = TurnContext.getConversationReference(messageActivity(user, serviceUrl, 'x') as never);
  delete ref.activityId;
  return { partitionKey: user.aadObjectId.toLowerCase(), rowKey: 'personal', ref: JSON.stringify(ref) };
}
