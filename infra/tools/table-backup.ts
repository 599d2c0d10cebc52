/**
 * Logical backup of the bot's Table store: every table to <dir>/<table>.ndjson, one entity per line with its
 * property types (Int32, Int64, DateTime, ...) kept, and back. Azure Table Storage has no point-in-time restore;
 * run this on a schedule (docs/operate.md, "Backups"). It signs in like the bot: TABLES_ENDPOINT with your
 * Entra identity (az login; needs "Storage Table Data Reader" to export, "... Contributor" to restore),
 * or TABLES_CONNECTION_STRING (Azurite, local/dev).
 *
 *   TABLES_ENDPOINT=https://<account>.table.core.windows.net npx tsx infra/tools/table-backup.ts export <dir>
 *   TABLES_ENDPOINT=https://<account>.table.core.windows.net npx tsx infra/tools/table-backup.ts import <dir>
 *
 * The files hold case codes, school ids, roster entries and the access log: store them like the account
 * itself (in Sweden, access-controlled, kept no longer than the retention rule allows).
 */
import { createWriteStream, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { TableClient, TableServiceClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import { DefaultAzureCredential } from '@azure/identity';

export interface TableAccount {
  service: TableServiceClient;
  table(name: string): TableClient;
}

/** The account from TABLES_ENDPOINT (Entra ID) or TABLES_CONNECTION_STRING, as the bot reads them. */
export function accountFromEnv(env: NodeJS.ProcessEnv = process.env): TableAccount {
  if (env.TABLES_ENDPOINT) {
    const endpoint = env.TABLES_ENDPOINT.replace(/\/$/, '');
    const credential = new DefaultAzureCredential();
    return { service: new TableServiceClient(endpoint, credential), table: (name) => new TableClient(endpoint, name, credential) };
  }
  if (env.TABLES_CONNECTION_STRING) {
    const cs = env.TABLES_CONNECTION_STRING;
    const options = { allowInsecureConnection: /TableEndpoint=http:\/\//i.test(cs) || /UseDevelopmentStorage=true/i.test(cs) };
    return { service: TableServiceClient.fromConnectionString(cs, options), table: (name) => TableClient.fromConnectionString(cs, name, options) };
  }
  throw new Error('Set TABLES_ENDPOINT (https://<account>.table.core.windows.net, after az login) or TABLES_CONNECTION_STRING.');
}

/** Writes every table (or `only`) to <dir>/<table>.ndjson; returns the number of entities per table. */
export async function exportTables(account: TableAccount, dir: string, only?: string[]): Promise<Record<string, number>> {
  mkdirSync(dir, { recursive: true });
  const counts: Record<string, number> = {};
  for await (const t of account.service.listTables()) {
    const name = t.name!;
    if (only && !only.includes(name)) continue;
    const out = createWriteStream(path.join(dir, `${name}.ndjson`), { encoding: 'utf8' });
    counts[name] = 0;
    // disableTypeConversion keeps every value as { value, type }, so Int64 and DateTime survive the round trip.
    for await (const entity of account.table(name).listEntities({ disableTypeConversion: true })) {
      const { etag: _etag, timestamp: _ts, ...rest } = entity as Record<string, unknown>;
      delete rest['odata.metadata'];
      if (!out.write(`${JSON.stringify(rest)}\n`)) await once(out, 'drain');
      counts[name]++;
    }
    out.end();
    await once(out, 'finish');
  }
  return counts;
}

/** Upserts (Replace) every entity of <dir>/*.ndjson into the table of the same name, creating missing tables. */
export async function importTables(account: TableAccount, dir: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ndjson')).sort()) {
    const name = file.slice(0, -'.ndjson'.length);
    const client = account.table(name);
    await client.createTable();
    const entities = readFileSync(path.join(dir, file), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    // A transaction holds at most 100 entities of one partition.
    const byPartition = new Map<string, TableEntity<Record<string, unknown>>[]>();
    // Keys are exported as { value, type: 'String' } like every other property.
    const key = (k: unknown) => String(typeof k === 'object' && k !== null && 'value' in k ? (k as { value: unknown }).value : k);
    for (const e of entities) {
      const pk = key(e.partitionKey);
      const entity: TableEntity<Record<string, unknown>> = { ...e, partitionKey: pk, rowKey: key(e.rowKey) };
      byPartition.set(pk, [...(byPartition.get(pk) ?? []), entity]);
    }
    for (const list of byPartition.values()) {
      for (let i = 0; i < list.length; i += 100) {
        await client.submitTransaction(list.slice(i, i + 100).map((e): TransactionAction => ['upsert', e, 'Replace']));
      }
    }
    counts[name] = entities.length;
  }
  return counts;
}

async function main(): Promise<void> {
  const [command, dir] = process.argv.slice(2);
  if ((command !== 'export' && command !== 'import') || !dir) {
    console.error('usage: npx tsx infra/tools/table-backup.ts export|import <dir>');
    process.exitCode = 2;
    return;
  }
  const account = accountFromEnv();
  const counts = command === 'export' ? await exportTables(account, dir) : await importTables(account, dir);
  for (const [table, n] of Object.entries(counts)) console.log(`${command === 'export' ? 'exported' : 'imported'} ${n} entities ${command === 'export' ? 'from' : 'into'} ${table}`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
