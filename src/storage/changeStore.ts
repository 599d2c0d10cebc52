import type { TableEntity, TransactionAction } from '@azure/data-tables';
import { CommitOutcomeUnknown, ConcurrencyError } from '../domain/errors';
import type { ChangeStore, OutboxLocation, StoredEffect, Versioned } from '../domain/ports';
import { CASES_TABLE, caseEntity, eventEntity } from './caseStore';
import { MEETING_DOCUMENTS } from './meetingStore';
import { committedEffects, locationOf, outboxRowsFor, readActionResult, readDeliveries } from './outbox';
import { PLAN_DOCUMENTS } from './planStore';
import { isConflict, isPreconditionFailed } from './tableErrors';
import { documentEntity } from './teamDocuments';
import type { TableStore } from './tables';
import type { Clock } from '../domain/clock';

/** Azure Tables' limit on one transaction. */
export const MAX_TRANSACTION_ACTIONS = 100;

export interface CommitHooks {
  /** The effects just written (with their eTags), for the dispatcher to apply right away. */
  onCommitted?(location: OutboxLocation, effects: Array<Versioned<StoredEffect>>): void;
  /** An action found applied already (a repeat, or our own write whose answer was lost): finish what it left pending. */
  onRepeat?(location: OutboxLocation, actionId: string): void;
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
      const actions: TransactionAction[] = [
        ...upsert(change.cases, caseEntity),
        ...upsert(change.meetings, (m) => documentEntity(MEETING_DOCUMENTS, m)),
        ...upsert(change.plans, (p) => documentEntity(PLAN_DOCUMENTS, p)),
        ...(change.events ?? []).map((e, i): TransactionAction => ['create', eventEntity(change.teamId, e, i)]),
        ...outbox.actions,
      ];
      if (actions.length > MAX_TRANSACTION_ACTIONS) {
        throw new Error(`An action with ${actions.length} rows is too large for one transaction (max ${MAX_TRANSACTION_ACTIONS}); split it.`);
      }
      const client = await table();
      try {
        const response = await client.submitTransaction(actions);
        hooks.onCommitted?.(location, committedEffects(outbox, response.subResponses));
        return { applied: true };
      } catch (err) {
        // Did the action get stored after all (a repeat, or our own write whose answer was lost)?
        let earlier;
        try {
          earlier = await readActionResult(client, change.teamId, change.action.id);
        } catch {
          // The store cannot tell us (a conflict may be the client's own retry of a write that went through):
          // say so rather than "nothing was saved".
          throw new CommitOutcomeUnknown(err);
        }
        if (earlier) {
          hooks.onRepeat?.(location, change.action.id);
          return { applied: false, result: earlier };
        }
        // Not stored. A conflict means someone changed a row first (or a new row's key is taken).
        if (isConflict(err) || isPreconditionFailed(err)) throw new ConcurrencyError(`a row of action ${change.action.id}`);
        throw err;
      }
    },
    async actionResult(teamId, actionId) {
      return readActionResult(await table(), teamId, actionId);
    },
    async deliveries(teamId, caseCode) {
      return readDeliveries(await table(), teamId, caseCode);
    },
  };
}
