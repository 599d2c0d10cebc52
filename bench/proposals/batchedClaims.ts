import type { TableClient, TransactionAction } from '@azure/data-tables';
import type { DueItemStore, StoredDueItem, Versioned } from '../../src/domain/ports';
import type { DueItem } from '../../src/domain/reminders';
import { DUE_ITEMS_TABLE, dueItemEntity, hourOf } from '../../src/storage/dueItemStore';
import type { TableStore } from '../../src/storage/tables';
import type { TickResult } from '../../src/scheduler/tick';

/**
 * PROPOSAL (not in src/): claim a sweep's due items with one eTag-conditional transaction per due hour
 * (≤ 100 updates each) instead of one round trip per item, and record outcomes the same way. A
 * transaction fails as a whole when any eTag moved (another instance claimed one): then this falls back
 * to the per-item claim for that chunk, so the exactly-one-claimer guarantee is unchanged.
 * Entity shape as in src/storage/dueItemStore.ts.
 */

function chunks<T>(items: T[], keyOf: (t: T) => string): T[][] {
  const by = new Map<string, T[]>();
  for (const t of items) by.set(keyOf(t), [...(by.get(keyOf(t)) ?? []), t]);
  const out: T[][] = [];
  for (const list of by.values()) for (let i = 0; i < list.length; i += 100) out.push(list.slice(i, i + 100));
  return out;
}

export async function runTickBatched(deps: { store: TableStore; dueItems: DueItemStore; deliver(item: DueItem): Promise<'sent' | 'unreachable' | 'skipped'>; now: Date; instanceId: string; leaseMs?: number }): Promise<TickResult> {
  const leaseMs = deps.leaseMs ?? 10 * 60_000;
  const client: TableClient = await deps.store.ensureTable(DUE_ITEMS_TABLE);
  const result: TickResult = { due: 0, sent: 0, unreachable: 0, skipped: 0, retried: 0, failed: 0, lostClaims: 0 };
  const due = await deps.dueItems.due(deps.now);
  result.due = due.length;
  const claimed: Array<Versioned<StoredDueItem>> = [];
  for (const chunk of chunks(due, (d) => hourOf(d.value.dueAt))) {
    const next = chunk.map((d) => ({ ...d.value, status: 'claimed' as const, claimedBy: deps.instanceId, leaseUntil: new Date(deps.now.getTime() + leaseMs).toISOString(), attempts: d.value.attempts + 1 }));
    try {
      const res = await client.submitTransaction(chunk.map((d, i): TransactionAction => ['update', dueItemEntity(next[i]), 'Replace', { etag: d.etag }]));
      res.subResponses.forEach((r, i) => claimed.push({ value: next[i], etag: r.etag ?? '' }));
    } catch {
      for (const d of chunk) {
        const c = await deps.dueItems.claim(d, deps.instanceId, deps.now, leaseMs);
        if (c) claimed.push(c);
        else result.lostClaims++;
      }
    }
  }
  const outcomes: Array<{ item: Versioned<StoredDueItem>; status: StoredDueItem['status'] }> = [];
  for (const item of claimed) {
    const outcome = await deps.deliver(item.value);
    outcomes.push({ item, status: outcome === 'sent' ? 'done' : outcome });
    result[outcome]++;
  }
  for (const chunk of chunks(outcomes, (o) => hourOf(o.item.value.dueAt))) {
    await client.submitTransaction(chunk.map((o): TransactionAction => ['update', dueItemEntity({ ...o.item.value, status: o.status, leaseUntil: undefined }), 'Replace', { etag: o.item.etag }]));
  }
  await deps.dueItems.advanceCursor(deps.now);
  return result;
}
