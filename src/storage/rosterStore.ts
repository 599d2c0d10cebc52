import { createHash } from 'node:crypto';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import type { CommitResult, RosterStore } from '../domain/ports';
import type { ActionResult, Effect } from '../domain/effects';
import type { AwayPeriod, Municipality, Person, Roster, School, Team } from '../domain/roster';
import type { Clock } from '../domain/clock';
import type { TableStore } from './tables';
import { submitWithOutbox, type CommitHooks } from './changeStore';
import { locationOf, outboxRowsFor } from './outbox';

export const ROSTER_TABLE = 'roster';
export const ROSTER_PARTITION = 'roster';
const PARTITION = ROSTER_PARTITION;

const rowSchema = z.object({ rowKey: z.string(), data: z.string(), fileHash: z.string().optional() });
const awaySchema = z.object({ from: z.string(), until: z.string(), setAt: z.string() }).nullable();

type Item = { kind: 'municipality'; value: Municipality } | { kind: 'team'; value: Team } | { kind: 'school'; value: School } | { kind: 'person'; value: Person };

const isRosterRow = (rowKey: string) => rowKey === 'municipality' || /^(team|school|person)\|/.test(rowKey);
const rowKeyOf = (item: Item) => (item.kind === 'municipality' ? 'municipality' : `${item.kind}|${item.value.id}`);
const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);

function itemsOf(roster: Roster): Item[] {
  return [
    { kind: 'municipality', value: roster.municipality },
    ...roster.teams.map((value): Item => ({ kind: 'team', value })),
    ...roster.schools.map((value): Item => ({ kind: 'school', value })),
    ...roster.people.map((value): Item => ({ kind: 'person', value })),
  ];
}

/**
 * The roster in one small partition, cached for `ttlMs` (every turn needs it; changes are rare).
 * Each row remembers the hash of the file entry it came from: a re-import of an unchanged file
 * keeps changes made from the bot (a reassigned school), a changed entry in the file wins.
 */
export function tableRosterStore(store: TableStore, clock: Clock, ttlMs = 30_000, hooks: CommitHooks = {}): RosterStore & { invalidate(): void } {
  let cached: { roster: Roster; at: number } | undefined;
  const table = () => store.ensureTable(ROSTER_TABLE);

  /** The roster's own rows (the partition also holds the outbox rows and marks of changes made from the bot). */
  async function readAll(): Promise<Map<string, z.infer<typeof rowSchema>>> {
    const rows = new Map<string, z.infer<typeof rowSchema>>();
    const filter = `PartitionKey eq '${PARTITION}'`;
    for await (const row of (await table()).listEntities({ queryOptions: { filter } })) {
      if (!isRosterRow(String(row.rowKey))) continue;
      const parsed = rowSchema.parse(row);
      rows.set(parsed.rowKey, parsed);
    }
    return rows;
  }

  /** Away periods people set from the bot (`away|<person>` rows: not in the file, so an import leaves them). */
  async function readAway(): Promise<Map<string, AwayPeriod>> {
    const away = new Map<string, AwayPeriod>();
    const filter = `PartitionKey eq '${PARTITION}' and RowKey ge 'away|' and RowKey lt 'away}'`;
    for await (const row of (await table()).listEntities({ queryOptions: { filter } })) {
      const parsed = awaySchema.safeParse(JSON.parse(String(row.data ?? 'null')));
      if (parsed.success && parsed.data) away.set(String(row.rowKey).slice('away|'.length), parsed.data);
    }
    return away;
  }

  /**
   * A change made from the bot (a school's social worker, an away period) with its effects, in one
   * transaction in the roster's partition; the cached roster is dropped before anyone is told.
   */
  async function commit(client: TableClient, rows: TransactionAction[], change: { action: { id: string; result: ActionResult }; effects: Effect[] }, teamId: string | undefined): Promise<CommitResult> {
    const location = locationOf(ROSTER_TABLE, PARTITION);
    const outbox = outboxRowsFor(location, change.action, change.effects, clock.now(), teamId);
    const dropCacheFirst: CommitHooks = {
      onCommitted(at, effects) {
        cached = undefined;
        hooks.onCommitted?.(at, effects);
      },
    };
    try {
      return await submitWithOutbox(client, location, rows, outbox, change.action, dropCacheFirst);
    } finally {
      cached = undefined;
    }
  }

  async function load(): Promise<Roster> {
    const roster: Roster = { municipality: { name: '', reportConcernUrl: '' }, teams: [], schools: [], people: [] };
    const [rows, away] = await Promise.all([readAll(), readAway()]);
    for (const [rowKey, row] of rows) {
      const value = JSON.parse(row.data);
      if (rowKey === 'municipality') roster.municipality = value;
      else if (rowKey.startsWith('team|')) roster.teams.push(value);
      else if (rowKey.startsWith('school|')) roster.schools.push(value);
      else if (rowKey.startsWith('person|')) roster.people.push(away.has(value.id) ? { ...value, away: away.get(value.id) } : value);
    }
    return roster;
  }

  return {
    invalidate() {
      cached = undefined;
    },
    async get() {
      const now = clock.now().getTime();
      if (!cached || now - cached.at > ttlMs || now < cached.at) {
        try {
          cached = { roster: await load(), at: now };
        } catch (err) {
          if (!cached) throw err;
          // The store is unreachable: the roster we have is better than failing every turn.
        }
      }
      return cached.roster;
    },
    async importFile(roster) {
      const existing = await readAll();
      const actions: TransactionAction[] = [];
      const wanted = new Set<string>();
      for (const item of itemsOf(roster)) {
        const rowKey = rowKeyOf(item);
        wanted.add(rowKey);
        const fileHash = hash(item.value);
        if (existing.get(rowKey)?.fileHash === fileHash) continue; // unchanged in the file: keep the stored row
        actions.push(['upsert', { partitionKey: PARTITION, rowKey, data: JSON.stringify(item.value), fileHash }, 'Replace']);
      }
      for (const rowKey of existing.keys()) {
        if (!wanted.has(rowKey)) actions.push(['delete', { partitionKey: PARTITION, rowKey }]);
      }
      const client = await table();
      for (let i = 0; i < actions.length; i += 100) await client.submitTransaction(actions.slice(i, i + 100));
      cached = undefined;
      return { changed: actions.length };
    },
    async saveSchool(school, change) {
      const client = await table();
      const rowKey = `school|${school.id}`;
      const current = await client.getEntity(PARTITION, rowKey);
      return commit(client, [['update', { partitionKey: PARTITION, rowKey, data: JSON.stringify(school) }, 'Merge', { etag: current.etag }]], change, school.team);
    },
    async setAway(personId, away, change) {
      // The person's own setting: the latest one wins (no one else writes it). Ended: stored as null.
      return commit(await table(), [['upsert', { partitionKey: PARTITION, rowKey: `away|${personId}`, data: JSON.stringify(away ?? null) }, 'Replace']], change, change.teamId);
    },
  };
}
