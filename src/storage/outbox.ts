import { randomUUID } from 'node:crypto';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { EFFECT_LEASE_MS, caseOf, effectKey, recipientOf, type ActionResult, type Delivery, type Effect } from '../domain/effects';
import type { OutboxLocation, OutboxStore, StoredEffect, Versioned } from '../domain/ports';
import { isConflict, isNotFound, isPreconditionFailed, odataString, prefixEnd } from './tableErrors';
import { rowKeyFor } from './tableStorage';
import { guardedUpdates } from './guardedUpdates';
import type { TableStore } from './tables';

// Pending effects live beside the change they belong to, in its partition, so the change and its
// effects are one transaction: RowKey "o|<effect key>". A notification of a case also has a delivery
// record "n|<case>|<effect key>" (what the case view shows); an action's mark is "a|<action id>".
const OUTBOX = 'o|';
const outboxRow = (key: string) => `${OUTBOX}${rowKeyFor(key)}`;
const deliveryPrefix = (caseCode: string) => `n|${caseCode}|`;
const deliveryRow = (caseCode: string, key: string) => `${deliveryPrefix(caseCode)}${rowKeyFor(key)}`;
export const actionRow = (actionId: string) => `a|${actionId}`;



/** "cases/<team>" → the cases table, the team's partition; "roster/roster" → the roster table's partition. */
export function locationOf(table: string, partition: string): OutboxLocation {
  return `${table}/${partition}`;
}
export const parseLocationPartition = (location: OutboxLocation) => parseLocation(location).partition;

function parseLocation(location: OutboxLocation): { table: string; partition: string } {
  const i = location.indexOf('/');
  return { table: location.slice(0, i), partition: location.slice(i + 1) };
}

const rowSchema = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  etag: z.string(),
  key: z.string(),
  status: z.enum(['pending', 'claimed', 'held', 'failed']),
  at: z.string(),
  attempts: z.number().int(),
  nextAttemptAt: z.string().optional(),
  leaseUntil: z.string().optional(),
  claimedBy: z.string().optional(),
  mayRepeat: z.boolean().optional(),
  teamId: z.string().optional(),
  lastError: z.string().optional(),
  data: z.string(),
});

function entityOf(s: StoredEffect) {
  const { partition } = parseLocation(s.location);
  const e = s.effect;
  const columns = {
    partitionKey: partition,
    rowKey: outboxRow(s.key),
    type: 'effect',
    key: s.key,
    kind: e.kind,
    status: s.status,
    at: s.at,
    attempts: s.attempts,
    nextAttemptAt: s.nextAttemptAt,
    leaseUntil: s.leaseUntil,
    claimedBy: s.claimedBy,
    mayRepeat: s.mayRepeat,
    to: recipientOf(e),
    caseCode: caseOf(e),
    teamId: s.teamId,
    lastError: s.lastError,
    data: JSON.stringify(e),
  };
  return Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined)) as typeof columns;
}

function parseRow(location: OutboxLocation, row: unknown): Versioned<StoredEffect> {
  const r = rowSchema.parse(row);
  const { partitionKey: _p, rowKey: _r, etag, data, ...state } = r;
  return { value: { ...state, location, effect: JSON.parse(data) as Effect }, etag };
}

/** A notification of a case gets a delivery record beside it. */
/** A card to a person about a case (a notification, or a meeting's card sent to the other party) has a delivery record. */
function deliveryOf(key: string, e: Effect, at: string): (Delivery & { caseCode: string }) | undefined {
  const kind = e.kind === 'notify' ? e.notification.kind : e.kind === 'meetingCard' && !e.activityId ? 'meetingCard' : undefined;
  const caseCode = caseOf(e);
  return kind && caseCode && 'to' in e ? { key, caseCode, to: e.to, kind, at, state: 'pending' } : undefined;
}

function deliveryEntity(partition: string, d: Delivery & { caseCode: string }) {
  const { key, caseCode, ...rest } = d;
  return { partitionKey: partition, rowKey: deliveryRow(caseCode, key), type: 'delivery', caseCode, key, ...rest };
}

export interface OutboxRows {
  actions: TransactionAction[];
  /** The stored effects, for the dispatcher (their eTags are filled in from the transaction's answer). */
  effects: StoredEffect[];
}

/**
 * The rows an action adds to its partition's transaction: its effects (pending), delivery records,
 * and its mark (the mark makes a repeat of the action fail the whole transaction, so nothing doubles).
 */
export function outboxRowsFor(
  location: OutboxLocation,
  action: { id: string; result: ActionResult; caseCode?: string },
  effects: Effect[],
  at: Date,
  teamId?: string,
): OutboxRows & { commitId: string } {
  const { partition } = parseLocation(location);
  const iso = at.toISOString();
  const nextAttemptAt = new Date(at.getTime() + EFFECT_LEASE_MS).toISOString();
  const commitId = randomUUID();
  const stored = effects.map((effect, i): StoredEffect => ({ key: effectKey(action.id, i, effect), location, effect, status: 'pending', at: iso, attempts: 0, nextAttemptAt, teamId }));
  const actions: TransactionAction[] = [
    // The mark names this attempt (commitId): after a failed answer, finding our own mark means our write went through.
    ['create', { partitionKey: partition, rowKey: actionRow(action.id), type: 'action', ...(action.caseCode ? { caseCode: action.caseCode } : {}), result: JSON.stringify(action.result), commitId, at: iso }],
    ...stored.map((s): TransactionAction => ['create', entityOf(s)]),
  ];
  for (const s of stored) {
    const d = deliveryOf(s.key, s.effect, iso);
    if (d) actions.push(['create', deliveryEntity(partition, d)]);
  }
  return { actions, effects: stored, commitId };
}

/**
 * Pairs the stored effects with the eTags the transaction answered with. Sub-responses come in the
 * order of the actions (their RowKeys are URL-encoded, when given at all), and `rows.actions` were
 * the last actions of the transaction: the mark, then the effects.
 */
export function committedEffects(rows: OutboxRows, subResponses: Array<{ etag?: string }>): Array<Versioned<StoredEffect>> {
  const first = subResponses.length - rows.actions.length + 1;
  return rows.effects.map((value, i) => ({ value, etag: subResponses[first + i]?.etag ?? '' }));
}

/** The result an action left, if it was applied, and which commit attempt applied it. */
export async function readActionMark(client: TableClient, partition: string, actionId: string): Promise<{ result: ActionResult; commitId?: string } | undefined> {
  try {
    const row = await client.getEntity<{ result: string; commitId?: string }>(partition, actionRow(actionId));
    return { result: JSON.parse(row.result) as ActionResult, commitId: row.commitId };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** The rows one commit wrote that are still unfinished (to dispatch after a lost answer to the commit). */
export async function pendingOfAction(client: TableClient, location: OutboxLocation, actionId: string): Promise<Array<Versioned<StoredEffect>>> {
  const { partition } = parseLocation(location);
  const prefix = `${OUTBOX}${actionId}|`;
  const filter = `PartitionKey eq ${odataString(partition)} and RowKey ge ${odataString(prefix)} and RowKey lt ${odataString(prefixEnd(prefix))} and status eq 'pending'`;
  const out: Array<Versioned<StoredEffect>> = [];
  for await (const row of client.listEntities({ queryOptions: { filter } })) out.push(parseRow(location, row));
  return out.sort((a, b) => a.value.key.localeCompare(b.value.key));
}

/** A case's delivery records. */
export async function readDeliveries(client: TableClient, partition: string, caseCode: string): Promise<Delivery[]> {
  const prefix = deliveryPrefix(caseCode);
  const filter = `PartitionKey eq ${odataString(partition)} and RowKey ge ${odataString(prefix)} and RowKey lt ${odataString(prefixEnd(prefix))}`;
  const out: Delivery[] = [];
  for await (const row of client.listEntities<Delivery>({ queryOptions: { filter, select: ['key', 'to', 'kind', 'at', 'state', 'deliveredAt'] } })) {
    out.push({ key: row.key, to: row.to, kind: row.kind, at: row.at, state: row.state, ...(row.deliveredAt ? { deliveredAt: row.deliveredAt } : {}) });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at) || a.key.localeCompare(b.key));
}

/** The outbox on Azure Tables: rows in the partitions named by their locations. */
export function tableOutboxStore(store: TableStore): OutboxStore {
  const clientOf = (location: OutboxLocation) => store.ensureTable(parseLocation(location).table);

  async function query(location: OutboxLocation, extra: string, prefix = OUTBOX): Promise<Array<Versioned<StoredEffect>>> {
    const { partition } = parseLocation(location);
    const filter = `PartitionKey eq ${odataString(partition)} and RowKey ge ${odataString(prefix)} and RowKey lt ${odataString(prefixEnd(prefix))} and ${extra}`;
    const out: Array<Versioned<StoredEffect>> = [];
    for await (const row of (await clientOf(location)).listEntities({ queryOptions: { filter } })) out.push(parseRow(location, row));
    return out;
  }

  return {
    async due(locations, now) {
      const iso = odataString(now.toISOString());
      const found = await Promise.all(
        locations.map((l) => query(l, `((status eq 'pending' and nextAttemptAt le ${iso}) or (status eq 'claimed' and leaseUntil lt ${iso}))`)),
      );
      return found.flat().sort((a, b) => a.value.at.localeCompare(b.value.at) || a.value.key.localeCompare(b.value.key));
    },
    async heldFor(locations, personId) {
      const found = await Promise.all(locations.map((l) => query(l, `status eq 'held' and to eq ${odataString(personId)}`)));
      return found.flat().sort((a, b) => a.value.at.localeCompare(b.value.at) || a.value.key.localeCompare(b.value.key));
    },
    async heldRecipients(locations, teamId) {
      const found = (await Promise.all(locations.map((l) => query(l, `status eq 'held'`)))).flat();
      const since = new Map<string, string>();
      for (const { value } of found) {
        const to = recipientOf(value.effect);
        const team = value.teamId ?? parseLocation(value.location).partition;
        if (!to || team !== teamId) continue;
        if (!since.has(to) || value.at < since.get(to)!) since.set(to, value.at);
      }
      return [...since].map(([personId, s]) => ({ personId, since: s })).sort((a, b) => a.since.localeCompare(b.since));
    },
    async claim(given, instanceId, now, leaseMs) {
      const rows = [...given];
      const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
      const claimedOf = (r: Versioned<StoredEffect>): StoredEffect => ({
        ...r.value,
        status: 'claimed',
        claimedBy: instanceId,
        leaseUntil,
        attempts: r.value.attempts + 1,
        // Found claimed with its lease run out, or never attempted after its writer's hold ran out: the
        // instance that had it may have got as far as applying it.
        mayRepeat: r.value.mayRepeat || r.value.status === 'claimed' || (r.value.status === 'pending' && r.value.attempts === 0) || undefined,
      });
      const won: Array<Versioned<StoredEffect>> = [];
      const byLocation = new Map<OutboxLocation, Array<Versioned<StoredEffect>>>();
      // A row whose eTag a transaction did not report is read first: every claim is eTag-guarded.
      for (const [i, r] of rows.entries()) {
        if (r.etag) continue;
        try {
          rows[i] = parseRow(r.value.location, await (await clientOf(r.value.location)).getEntity(parseLocation(r.value.location).partition, outboxRow(r.value.key)));
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
      for (const r of rows.filter((x) => x.etag)) byLocation.set(r.value.location, [...(byLocation.get(r.value.location) ?? []), r]);
      for (const [location, group] of byLocation) {
        const claimed = group.map(claimedOf);
        const etags = await guardedUpdates(await clientOf(location), group.map((r, j) => ({ entity: entityOf(claimed[j]), etag: r.etag })));
        etags.forEach((etag, j) => etag !== undefined && won.push({ value: claimed[j], etag }));
      }
      // A claim whose eTag the transaction did not report is read back, so its finish is guarded too.
      for (const w of won.filter((r) => !r.etag)) {
        const row = await (await clientOf(w.value.location)).getEntity(parseLocation(w.value.location).partition, outboxRow(w.value.key));
        w.etag = String(row.etag);
      }
      return won;
    },
    async finish(row, outcome, at, followUps = []) {
      const { partition } = parseLocation(row.value.location);
      const iso = at.toISOString();
      const s = row.value;
      const base: StoredEffect = { ...s, leaseUntil: undefined, claimedBy: undefined };
      const actions: TransactionAction[] = [];
      switch (outcome.status) {
        case 'done':
        case 'delivered':
          // Applied: the row goes. (A transaction cannot delete conditionally; none is needed: whoever
          // else may hold it now would only apply it again, which removing it cannot make worse.)
          actions.push(['delete', { partitionKey: partition, rowKey: outboxRow(s.key) }]);
          break;
        case 'held':
          actions.push(['update', entityOf({ ...base, status: 'held', nextAttemptAt: undefined }), 'Replace', { etag: row.etag }]);
          break;
        case 'retry':
          actions.push(['update', entityOf({ ...base, status: 'pending', nextAttemptAt: outcome.nextAttemptAt, lastError: outcome.error }), 'Replace', { etag: row.etag }]);
          break;
        case 'failed':
          actions.push(['update', entityOf({ ...base, status: 'failed', lastError: outcome.error }), 'Replace', { etag: row.etag }]);
          break;
      }
      const delivery = deliveryOf(s.key, s.effect, s.at);
      if (delivery && outcome.status !== 'retry') {
        const state = outcome.status === 'done' || outcome.status === 'delivered' ? 'delivered' : outcome.status;
        actions.push(['upsert', deliveryEntity(partition, { ...delivery, state, ...(state === 'delivered' ? { deliveredAt: iso } : {}) }), 'Replace']);
      }
      // Follow-ups are held by this instance (it applies them next), like the rows of a commit.
      const next = followUps.map((effect, i): StoredEffect => ({
        key: `${s.key}|f${i}`, location: s.location, effect, status: 'pending', at: iso, attempts: 0,
        nextAttemptAt: new Date(at.getTime() + EFFECT_LEASE_MS).toISOString(), teamId: s.teamId,
      }));
      for (const f of next) actions.push(['create', entityOf(f)]);
      const client = await clientOf(row.value.location);
      try {
        const res = await client.submitTransaction(actions);
        // The follow-ups are the last actions; sub-responses come in the order of the actions.
        const first = actions.length - next.length;
        return next.map((value, i) => ({ value, etag: res.subResponses[first + i]?.etag ?? '' }));
      } catch (err) {
        // Our claim ran out and another instance took the row over: its outcome stands.
        if (isPreconditionFailed(err) || isNotFound(err)) return false;
        // A follow-up that already exists means this outcome was recorded before (a retried write).
        if (isConflict(err)) return false;
        throw err;
      }
    },
    async hold(location, key, effect, at) {
      const iso = at.toISOString();
      try {
        await (await clientOf(location)).createEntity(entityOf({ key, location, effect, status: 'held', at: iso, attempts: 1 }));
      } catch (err) {
        if (!isConflict(err)) throw err; // held already
      }
    },
  };
}

