import { z } from 'zod';
import type { DueItem } from '../domain/reminders';
import type { DueItemStore, StoredDueItem, Versioned } from '../domain/ports';
import { escapeKey } from './tableStorage';
import { isConflict, isNotFound, isPreconditionFailed, odataString } from './tableErrors';
import type { TableStore } from './tables';
import { deletePartition, partitionsBefore } from './partitions';
import { guardedUpdates } from './guardedUpdates';

export const DUE_ITEMS_TABLE = 'dueItems';
const CURSOR = { partitionKey: 'cursor', rowKey: 'sweep' };

/** Partition = the UTC hour an item is due ("2026-03-02T07"): a sweep reads the open hours only. */
export const hourOf = (iso: string) => iso.slice(0, 13);

const rowSchema = z.object({
  etag: z.string(),
  data: z.string(),
  status: z.enum(['pending', 'claimed', 'done', 'unreachable', 'failed', 'skipped']),
  attempts: z.number().int(),
  nextAttemptAt: z.string().optional(),
  leaseUntil: z.string().optional(),
  claimedBy: z.string().optional(),
  interrupted: z.number().int().optional(),
  lastError: z.string().optional(),
});

function toStored(row: unknown): Versioned<StoredDueItem> {
  const r = rowSchema.parse(row);
  const item = JSON.parse(r.data) as DueItem;
  const { etag, data: _data, ...state } = r;
  return { value: { ...item, ...state }, etag };
}

/** The row a stored due item is written as (also used by the batched-claims benchmark proposal). */
export function dueItemEntity(i: StoredDueItem) {
  const { key, kind, dueAt, recipientId, teamId, caseCode, ref, ...state } = i;
  return {
    partitionKey: hourOf(dueAt),
    rowKey: escapeKey(key),
    data: JSON.stringify({ key, kind, dueAt, recipientId, teamId, caseCode, ref }),
    dueAt,
    ...Object.fromEntries(Object.entries(state).filter(([, v]) => v !== undefined)),
  };
}

/** Groups by due-hour partition, at most 100 per group (one transaction each). */
function byHour<T>(items: T[], dueAtOf: (t: T) => string = (t) => (t as Versioned<StoredDueItem>).value.dueAt): T[][] {
  const groups = new Map<string, T[]>();
  for (const t of items) {
    const hour = hourOf(dueAtOf(t));
    groups.set(hour, [...(groups.get(hour) ?? []), t]);
  }
  const out: T[][] = [];
  for (const list of groups.values()) for (let i = 0; i < list.length; i += 100) out.push(list.slice(i, i + 100));
  return out;
}

/** Due items on Azure Tables; see DueItemStore for the guarantees. */
export function tableDueItemStore(store: TableStore, opts: { firstHour?: (now: Date) => string } = {}): DueItemStore & { cursor(): Promise<string | undefined> } {
  const table = () => store.ensureTable(DUE_ITEMS_TABLE);

  async function readCursor(): Promise<{ hour: string; etag?: string } | undefined> {
    try {
      const row = await (await table()).getEntity<{ hour: string }>(CURSOR.partitionKey, CURSOR.rowKey);
      return { hour: row.hour, etag: row.etag };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async function pullCursorBack(hour: string): Promise<void> {
    const client = await table();
    for (let attempt = 0; attempt < 10; attempt++) {
      const cursor = await readCursor();
      if (cursor && cursor.hour <= hour) return;
      try {
        if (cursor) await client.updateEntity({ ...CURSOR, hour }, 'Replace', { etag: cursor.etag });
        else await client.createEntity({ ...CURSOR, hour });
        return;
      } catch (err) {
        if (!isPreconditionFailed(err) && !isConflict(err)) throw err; // raced another instance: look again
      }
    }
  }

  /** Unfinished items due by `now` in the hours from `fromHour` to `toHour`: one range query, however long the bot was down. */
  async function openRows(fromHour: string, toHour: string, now: Date) {
    const filter = `PartitionKey ge ${odataString(fromHour)} and PartitionKey le ${odataString(toHour)} and status ne 'done' and status ne 'unreachable' and status ne 'failed' and status ne 'skipped' and dueAt le ${odataString(now.toISOString())}`;
    const rows: Array<Versioned<StoredDueItem>> = [];
    for await (const row of (await table()).listEntities({ queryOptions: { filter } })) rows.push(toStored(row));
    return rows;
  }

  return {
    async cursor() {
      return (await readCursor())?.hour;
    },
    async schedule(items) {
      const client = await table();
      for (const i of items) {
        try {
          await client.createEntity(dueItemEntity({ ...i, status: 'pending', attempts: 0 }));
        } catch (err) {
          if (!isConflict(err)) throw err; // already scheduled: same key, same hour
        }
      }
      // An item due before the sweep's cursor (scheduled late, or before any sweep) pulls the cursor back.
      const earliest = items.map((i) => hourOf(i.dueAt)).sort()[0];
      if (earliest) await pullCursorBack(earliest);
    },
    async due(now) {
      const current = hourOf(now.toISOString());
      const start = (await readCursor())?.hour ?? opts.firstHour?.(now) ?? current;
      const found = await openRows(start, current, now);
      return found.filter(({ value: v }) =>
        v.status === 'pending' ? !v.nextAttemptAt || v.nextAttemptAt <= now.toISOString() : !v.leaseUntil || v.leaseUntil < now.toISOString(),
      );
    },
    async claim(items, instanceId, now, leaseMs) {
      const client = await table();
      const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
      const claimedOf = (i: Versioned<StoredDueItem>): StoredDueItem => ({
        ...i.value,
        status: 'claimed',
        claimedBy: instanceId,
        leaseUntil,
        attempts: i.value.attempts + 1,
        // Still claimed with its lease run out: the instance delivering it stopped mid-way.
        interrupted: i.value.status === 'claimed' ? (i.value.interrupted ?? 0) + 1 : i.value.interrupted,
      });
      const won: Array<Versioned<StoredDueItem>> = [];
      for (const chunk of byHour(items)) {
        const claimed = chunk.map(claimedOf);
        const etags = await guardedUpdates(client, chunk.map((i, n) => ({ entity: dueItemEntity(claimed[n]), etag: i.etag })));
        etags.forEach((etag, n) => etag !== undefined && won.push({ value: claimed[n], etag }));
      }
      return won;
    },
    async finish(outcomes) {
      const client = await table();
      const rows = outcomes.map(({ item, outcome }) => ({ item, next: dueItemEntity({ ...item.value, ...outcome, leaseUntil: undefined }) }));
      // An item whose claim ran out and was taken over keeps the other instance's outcome.
      for (const chunk of byHour(rows, (r) => r.item.value.dueAt)) await guardedUpdates(client, chunk.map((r) => ({ entity: r.next, etag: r.item.etag })));
    },
    async advanceCursor(now) {
      const client = await table();
      const current = hourOf(now.toISOString());
      const cursor = await readCursor();
      const from = cursor?.hour ?? opts.firstHour?.(now) ?? current;
      // The cursor moves to the oldest hour that still has unfinished work, or to now.
      const open = from < current ? (await openRows(from, current, now)).map((r) => hourOf(r.value.dueAt)).sort() : [];
      const hour = open[0] ?? current;
      if (cursor?.hour === hour || hour < from) return;
      try {
        if (cursor) await client.updateEntity({ ...CURSOR, hour }, 'Replace', { etag: cursor.etag });
        else await client.createEntity({ ...CURSOR, hour });
      } catch (err) {
        if (!isPreconditionFailed(err) && !isConflict(err)) throw err; // another instance moved it
      }
    },
  };
}

/** Deletes due items of the week before `cutoff` (finished long ago; the cursor is far past them). */
export function purgeDueItemsBefore(store: TableStore) {
  return async (cutoff: Date): Promise<number> => {
    const client = await store.ensureTable(DUE_ITEMS_TABLE);
    let n = 0;
    for (const hour of partitionsBefore(cutoff, 'hour', 7 * 24)) n += await deletePartition(client, hour);
    return n;
  };
}
