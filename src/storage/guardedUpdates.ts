import type { TableClient, TableEntity, TransactionAction } from '@azure/data-tables';
import { isNotFound, isPreconditionFailed } from './tableErrors';

/**
 * Replaces rows of one partition, each only if it still has the eTag given: one transaction for up
 * to 100 of them, and if any was changed meanwhile (412, or 404: gone), one by one, so the others still
 * go through. Returns the new eTag of each row written, undefined for each one lost to another writer.
 */
export async function guardedUpdates(client: TableClient, rows: Array<{ entity: TableEntity; etag: string }>): Promise<Array<string | undefined>> {
  const out: Array<string | undefined> = [];
  for (let i = 0; i < rows.length; i += 100) {
    const chunk = rows.slice(i, i + 100);
    if (chunk.length > 1) {
      try {
        const res = await client.submitTransaction(chunk.map((r): TransactionAction => ['update', r.entity, 'Replace', { etag: r.etag }]));
        // Sub-responses come in the order of the actions (their RowKeys, when given, are URL-encoded).
        chunk.forEach((_, j) => out.push(res.subResponses[j]?.etag ?? ''));
        continue;
      } catch (err) {
        if (!isPreconditionFailed(err) && !isNotFound(err)) throw err;
      }
    }
    for (const r of chunk) {
      try {
        out.push((await client.updateEntity(r.entity, 'Replace', { etag: r.etag })).etag ?? '');
      } catch (err) {
        if (!isPreconditionFailed(err) && !isNotFound(err)) throw err;
        out.push(undefined);
      }
    }
  }
  return out;
}
