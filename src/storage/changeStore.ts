import type { TableClient, TableEntity, TransactionAction } from '@azure/data-tables';
import { CommitOutcomeUnknown, ConcurrencyError } from '../domain/errors';
import type { ChangeStore, CommitResult, OutboxLocation, StoredEffect, Versioned } from '../domain/ports';
import { CASES_TABLE, caseEntity, eventEntity } from './caseStore';
import { MEETING_DOCUMENTS } from './meetingStore';
import { committedEffects, locationOf, outboxRowsFor, parseLocationPartition, pendingOfAction, readActionMark, readDeliveries } from './outbox';
import { PLAN_DOCUMENTS } from './planStore';
import { isConflict, isPreconditionFailed } from './tableErrors';
import { documentEntity } from './teamDocuments';
import type { TableStore } from './tables';
import type { Clock } from '../domain/clock';

/** Azure Tables' limit on one transaction. */
export const MAX_TRANSACTION_ACTIONS = 100;

export interface CommitHooks {
  /**
   * The effects just written (with their eTags), for this instance to apply right away: they are
   * its own for EFFECT_LEASE_MS, before the sweep may take them.
   */
  onCommitted?(location: OutboxLocation, effects: Array<Versioned<StoredEffect>>): void;
}

/**
 * After a commit failed: was it stored after all? Our own mark (this attempt's commitId) means the
 * answer was lost but the write went through, and its effects are ours to dispatch; another mark
 * means an earlier application of the same action (a repeat). The store not answering: unknown.
 */
export async function afterFailedCommit(
  client: TableClient,
  location: OutboxLocation,
  action: { id: string },
  commitId: string,
  err: unknown,
  hooks: CommitHooks,
): Promise<CommitResult> {
  let mark;
  try {
    mark = await readActionMark(client, parseLocationPartition(location), action.id);
  } catch {
    // The store cannot tell us (a conflict may be the client's own retry of a write that went through):
    // say so rather than "nothing was saved".
    throw new CommitOutcomeUnknown(err);
  }
  if (mark?.commitId === commitId) {
    try {
      hooks.onCommitted?.(location, await pendingOfAction(client, location, action.id));
    } catch {
      // The sweep finishes them once this instance's hold on them has run out.
    }
    return { applied: true };
  }
  if (mark) return { applied: false, result: mark.result };
  // Not stored. A conflict means someone changed a row first (or a new row's key is taken).
  if (isConflict(err) || isPreconditionFailed(err)) throw new ConcurrencyError(`a row of action ${action.id}`);
  throw err;
}

/**
 * Submits an action's rows with its outbox rows in one transaction. Stored: its effects go to the
 * hooks; failed: afterFailedCommit finds out whether it went through after all.
 */
export async function submitWithOutbox(
  client: TableClient,
  location: OutboxLocation,
  rows: TransactionAction[],
  outbox: ReturnType<typeof outboxRowsFor>,
  action: { id: string },
  hooks: CommitHooks,
): Promise<CommitResult> {
  let response;
  try {
    response = await client.submitTransaction([...rows, ...outbox.actions]);
  } catch (err) {
    return afterFailedCommit(client, location, action, outbox.commitId, err, hooks);
  }
  hooks.onCommitted?.(location, committedEffects(outbox, response.subResponses));
  return { applied: true };
}

/**
 * Commits an action to its team's partition of the cases table: the case, meeting and plan rows it
 * changes, its timeline events, its pending effects and its mark, in one transaction.
 */
export function tableChangeStore(store: TableStore, clock: Clock, hooks: CommitHooks = {}): ChangeStore {
  const table = () => store.ensureTable(CASES_TABLE);
  const upsert = <T>(items: Array<{ value: T; etag?: string }> | undefined, entity: (v: T) => TableEntity): TransactionAction[] =>
    (items ?? []).map(({ value, etag }): TransactionAction => (etag ? ['update', entity(value), 'Replace', { etag }] : ['create', entity(value)]));

  return {
    async commit(change) {
      const location = locationOf(CASES_TABLE, change.teamId);
      const outbox = outboxRowsFor(location, change.action, change.effects, clock.now());
      const rows: TransactionAction[] = [
        ...upsert(change.cases, caseEntity),
        ...upsert(change.meetings, (m) => documentEntity(MEETING_DOCUMENTS, m)),
        ...upsert(change.plans, (p) => documentEntity(PLAN_DOCUMENTS, p)),
        ...(change.events ?? []).map((e, i): TransactionAction => ['create', eventEntity(change.teamId, e, i)]),
      ];
      const count = rows.length + outbox.actions.length;
      if (count > MAX_TRANSACTION_ACTIONS) {
        throw new Error(`An action with ${count} rows is too large for one transaction (max ${MAX_TRANSACTION_ACTIONS}); split it.`);
      }
      return submitWithOutbox(await table(), location, rows, outbox, change.action, hooks);
    },
    async actionResult(teamId, actionId) {
      return (await readActionMark(await table(), teamId, actionId))?.result;
    },
    async deliveries(teamId, caseCode) {
      return readDeliveries(await table(), teamId, caseCode);
    },
  };
}
