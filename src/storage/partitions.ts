import type { TableClient, TransactionAction } from '@azure/data-tables';
import { odataString } from './tableErrors';

/** Deletes every row of one partition (100 per transaction); returns how many. */
export async function deletePartition(client: TableClient, partitionKey: string): Promise<number> {
  const keys: string[] = [];
  for await (const row of client.listEntities({ queryOptions: { filter: `PartitionKey eq ${odataString(partitionKey)}`, select: ['RowKey'] } })) keys.push(String(row.rowKey));
  for (let i = 0; i < keys.length; i += 100) {
    await client.submitTransaction(keys.slice(i, i + 100).map((rowKey): TransactionAction => ['delete', { partitionKey, rowKey }]));
  }
  return keys.length;
}

/** Partition keys of a time-partitioned table in the week before `cutoff`, for a nightly purge that also catches up a missed night. */
export function partitionsBefore(cutoff: Date, unit: 'hour' | 'day' | 'month', span: number): string[] {
  const keys = new Set<string>();
  const step = unit === 'hour' ? 3600_000 : 86_400_000;
  const width = unit === 'hour' ? 13 : unit === 'day' ? 10 : 7;
  for (let i = 1; i <= span; i++) keys.add(new Date(cutoff.getTime() - i * step).toISOString().slice(0, width));
  if (unit === 'month') keys.delete(cutoff.toISOString().slice(0, 7));
  return [...keys].sort();
}
