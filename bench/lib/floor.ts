import { CASES_TABLE } from '../../src/storage/caseStore';
import { odataString, prefixEnd } from '../../src/storage/tableErrors';
import type { TableStore } from '../../src/storage/tables';
import { msSince, summarize, type Summary } from './stats';

/**
 * The store floor of a read a section times: the team partition's RowKey ranges (`c|`, `m|`, `p|`, …)
 * read at once with only the `data` column, entities counted but not parsed. Returns how many.
 */
export async function countRanges(store: TableStore, teamId: string, prefixes: string[]): Promise<number> {
  const client = store.table(CASES_TABLE);
  let n = 0;
  const range = async (prefix: string) => {
    const filter = `PartitionKey eq ${odataString(teamId)} and RowKey ge ${odataString(prefix)} and RowKey lt ${odataString(prefixEnd(prefix))}`;
    for await (const _ of client.listEntities({ queryOptions: { filter, select: ['data'] } })) n++;
  };
  await Promise.all(prefixes.map(range));
  return n;
}

/** What `timeTeamRead` measured: each part's summary over the rounds, and the size of the command's card. */
export interface TeamReadTimes {
  floor: Summary;
  read: Summary;
  command: Summary;
  build: Summary;
  cardBytes: number;
}

/**
 * Times a team read (the digest, the report) beside its store floor and the command turn that shows
 * it, `reps` rounds after one warm-up round; then the pure build alone on rows read once.
 */
export async function timeTeamRead(o: {
  reps: number;
  floor(): Promise<unknown>;
  read(): Promise<unknown>;
  /** The group leader's command over HTTP; its card is the connector's last message to them. */
  command(): Promise<{ status: number; ms: number }>;
  cardBytes(): number;
  /** Reads the rows once and returns the pure build over them. */
  prepareBuild(): Promise<() => unknown>;
}): Promise<TeamReadTimes> {
  const floorMs: number[] = [];
  const readMs: number[] = [];
  const commandMs: number[] = [];
  const buildMs: number[] = [];
  let cardBytes = 0;
  for (let r = 0; r < o.reps + 1; r++) {
    let s = process.hrtime.bigint();
    await o.floor();
    if (r > 0) floorMs.push(msSince(s));
    s = process.hrtime.bigint();
    await o.read();
    if (r > 0) readMs.push(msSince(s));
    const res = await o.command();
    if (res.status !== 200) throw new Error(`command: HTTP ${res.status}`);
    if (r > 0) commandMs.push(res.ms);
    cardBytes = o.cardBytes();
  }
  const build = await o.prepareBuild();
  for (let r = 0; r < o.reps + 1; r++) {
    const s = process.hrtime.bigint();
    build();
    if (r > 0) buildMs.push(msSince(s));
  }
  return { floor: summarize(floorMs), read: summarize(readMs), command: summarize(commandMs), build: summarize(buildMs), cardBytes };
}
