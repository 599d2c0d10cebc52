import type { TransactionAction } from '@azure/data-tables';
import type { z } from 'zod';
import type { CaseEvent } from '../domain/concern';
import { ConcurrencyError } from '../domain/errors';
import type { Versioned } from '../domain/ports';
import { CASES_TABLE, eventEntity } from './caseStore';
import { isNotFound, isPreconditionFailed, odataString, prefixEnd } from './tableErrors';
import type { TableStore } from './tables';

interface TeamDocument {
  id: string;
  teamId: string;
  caseCode: string;
}

/** How one kind of document is stored beside its case: RowKey prefix, type column, schema, extra columns. */
export interface DocumentKind<T extends TeamDocument> {
  prefix: string;
  type: string;
  schema: z.ZodType;
  columns?: (doc: T) => Record<string, string>;
}

/** The row a document is written as. */
export function documentEntity<T extends TeamDocument>(kind: DocumentKind<T>, doc: T) {
  return { partitionKey: doc.teamId, rowKey: `${kind.prefix}|${doc.id}`, type: kind.type, caseCode: doc.caseCode, ...kind.columns?.(doc), data: JSON.stringify(doc) };
}

/**
 * Documents stored beside their case in the cases table (the team's partition, RowKey "<prefix>|<id>"),
 * so a document and its case-timeline events are written in one transaction. Meetings and plans use it.
 */
export function teamDocuments<T extends TeamDocument>(store: TableStore, kind: DocumentKind<T>) {
  const rowKey = (id: string) => `${kind.prefix}|${id}`;
  const table = () => store.ensureTable(CASES_TABLE);
  const parse = (data: unknown) => kind.schema.parse(JSON.parse(String(data))) as T;
  const entity = (doc: T) => documentEntity(kind, doc);
  const withEvents = (first: TransactionAction, doc: T, events: CaseEvent[]): TransactionAction[] => [first, ...events.map((e, i): TransactionAction => ['create', eventEntity(doc.teamId, e, i)])];

  return {
    /** The team's documents of this kind; `extra` adds OData conditions (" and status eq 'x'"). */
    async list(teamId: string, extra = ''): Promise<T[]> {
      const prefix = `${kind.prefix}|`;
      const filter = `PartitionKey eq ${odataString(teamId)} and RowKey ge ${odataString(prefix)} and RowKey lt ${odataString(prefixEnd(prefix))}${extra}`;
      const out: T[] = [];
      for await (const row of (await table()).listEntities({ queryOptions: { filter, select: ['data'] } })) out.push(parse(row.data));
      return out;
    },
    async get(teamId: string, id: string): Promise<Versioned<T> | undefined> {
      try {
        const row = await (await table()).getEntity(teamId, rowKey(id));
        return { value: parse(row.data), etag: String(row.etag) };
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async update(doc: T, etag: string, events: CaseEvent[]): Promise<string> {
      try {
        const response = await (await table()).submitTransaction(withEvents(['update', entity(doc), 'Replace', { etag }], doc, events));
        return response.subResponses[0]?.etag ?? '';
      } catch (err) {
        if (isPreconditionFailed(err)) throw new ConcurrencyError(`${kind.type} ${doc.id}`);
        throw err;
      }
    },
  };
}
