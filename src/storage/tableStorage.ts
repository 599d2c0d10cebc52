import { createHash } from 'node:crypto';
import type { TableClient, TableEntity, TableEntityResult } from '@azure/data-tables';
import type { Storage, StoreItems } from 'botbuilder';
import * as z from 'zod';

// Azure Table Storage limits and the choices made to stay inside them.
const ESCAPE = '!';
/** Escaped keys longer than this are hashed. Azure documents "1 KiB" (1024 bytes of UTF-16 = 512 chars, though
 * some pages say 1024 chars); Azurite rejects keys over 512 chars. */
const MAX_ROW_KEY_CHARS = 512;
const HASH_PREFIX = `${ESCAPE}sha256:`; // never produced by escapeKey: it always puts two hex digits after '!'
/** JSON is split over string properties d0..dN; Azure allows 64 KiB per property, i.e. 32K UTF-16 chars. */
const CHUNK_CHARS = 32_000;
const MAX_ENTITY_BYTES = 1024 * 1024;

// Forbidden by Table Storage: / \ # ? and U+0000–U+001F, U+007F–U+009F. We also escape ' and %, which
// are legal but have a history of breaking point operations in Azure and Azurite, and the escape char.
const MUST_ESCAPE = /[/\\#?%'!\u0000-\u001f\u007f-\u009f]/g;

/** Reversibly escapes a storage key into a legal RowKey/PartitionKey: each unsafe char becomes `!XX` (hex). */
export function escapeKey(key: string): string {
  return key.replace(MUST_ESCAPE, (c) => ESCAPE + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

/** Inverse of {@link escapeKey}. */
export function unescapeKey(escaped: string): string {
  return escaped.replace(/!([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The RowKey used for a storage key: the escaped key, or a sha256 of the key when the escaped form is too long. */
export function rowKeyFor(key: string): string {
  const escaped = escapeKey(key);
  return escaped.length <= MAX_ROW_KEY_CHARS ? escaped : HASH_PREFIX + createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Thrown by {@link TableStorage.write} when an item's eTag no longer matches the stored entity. */
export class StorageConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
    this.name = 'StorageConflictError';
  }
}

export interface TableStorageOptions {
  /** PartitionKey for every item (escaped like keys). Default 'state'. */
  partitionKey?: string;
}

type Entity = TableEntity<Record<string, unknown>>;

const keysSchema = z.array(z.string());
const changesSchema = z.record(z.string(), z.looseObject({ eTag: z.string().nullish() }));

/** HTTP status and service error code (e.g. 'TableNotFound') of a RestError from @azure/data-tables. */
function statusOf(err: unknown): { status?: number; code?: string } {
  const e = err as { statusCode?: number; details?: { errorCode?: string; odataError?: { code?: string } } };
  return { status: e?.statusCode, code: e?.details?.odataError?.code ?? e?.details?.errorCode };
}

/** Splits s into pieces of at most `size` UTF-16 units without cutting a surrogate pair in two. */
function chunk(s: string, size: number): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < s.length; ) {
    let end = Math.min(at + size, s.length);
    if (end < s.length && /[\uD800-\uDBFF]/.test(s[end - 1])) end--;
    pieces.push(s.slice(at, end));
    at = end;
  }
  return pieces;
}

/**
 * A botbuilder {@link Storage} backed by Azure Table Storage, one entity per key, modelled on BlobsStorage.
 *
 * - The table is created lazily on first use (a failed creation is retried on the next call).
 * - Keys are escaped reversibly ({@link escapeKey}); escaped keys over 512 chars are replaced by a sha256
 *   RowKey and the original key is kept in property `k`, so keys up to 32,000 chars work.
 * - Values are JSON split over string properties `d0..d{n-1}` (≤ 32,000 chars each, count in `n`). An
 *   entity over Azure's 1 MiB limit (strings count 2 bytes/char, so roughly 520K chars of JSON) is refused
 *   with a RangeError before any request is sent.
 * - eTags follow botbuilder: missing or `'*'` writes unconditionally; any other eTag must match or the write
 *   fails with {@link StorageConflictError} (also when the entity was deleted meanwhile).
 */
export class TableStorage implements Storage {
  private readonly partitionKey: string;
  private tableReady?: Promise<void>;

  /**
   * @param client A TableClient for the table to use; the table is created on first use if missing.
   * @param options Optional partition key (default 'state').
   */
  constructor(
    private readonly client: TableClient,
    options: TableStorageOptions = {},
  ) {
    const partitionKey = escapeKey(z.string().parse(options.partitionKey ?? 'state'));
    if (partitionKey.length > MAX_ROW_KEY_CHARS) throw new RangeError(`TableStorage: partitionKey is too long (max ${MAX_ROW_KEY_CHARS} chars escaped).`);
    this.partitionKey = partitionKey;
  }

  // Protects against JSON.stringify cycles and leaking the client's credentials into logs.
  private toJSON(): unknown {
    return { name: 'TableStorage' };
  }

  private ensureTable(): Promise<void> {
    this.tableReady ??= this.client.createTable().then(
      () => undefined,
      (err: unknown) => {
        const { status, code } = statusOf(err);
        if (status === 409 && code === 'TableAlreadyExists') return;
        this.tableReady = undefined; // let the next call try again
        throw err;
      },
    );
    return this.tableReady;
  }

  /**
   * Reads items by key. Keys that are not stored are left out of the result; each item found carries
   * the entity's `eTag`.
   */
  async read(keys: string[]): Promise<StoreItems> {
    keysSchema.parse(keys);
    await this.ensureTable();
    const found = await Promise.all(keys.map(async (key) => [key, await this.readOne(key)] as const));
    const items: StoreItems = {};
    for (const [key, item] of found) if (item) items[key] = item;
    return items;
  }

  /**
   * Writes items. An item whose `eTag` is missing or `'*'` is written unconditionally; otherwise the
   * write succeeds only if the stored entity still has that eTag, else it rejects with {@link StorageConflictError}.
   * The `eTag` field itself is never stored in the value.
   */
  async write(changes: StoreItems): Promise<void> {
    changesSchema.parse(changes);
    await this.ensureTable();
    await Promise.all(Object.entries(changes).map(([key, item]) => this.writeOne(key, item)));
  }

  /** Deletes items by key; deleting a key that is not stored is not an error. */
  async delete(keys: string[]): Promise<void> {
    keysSchema.parse(keys);
    await this.ensureTable();
    await Promise.all(
      keys.map(async (key) => {
        try {
          await this.client.deleteEntity(this.partitionKey, rowKeyFor(key));
        } catch (err) {
          if (statusOf(err).status !== 404) throw err;
        }
      }),
    );
  }

  private async readOne(key: string): Promise<Record<string, unknown> | undefined> {
    let entity: TableEntityResult<Record<string, unknown>>;
    try {
      entity = await this.client.getEntity(this.partitionKey, rowKeyFor(key));
    } catch (err) {
      if (statusOf(err).status === 404) return undefined;
      throw err;
    }
    if (entity.k !== undefined && entity.k !== key) return undefined; // sha256 RowKey of another key
    let json = '';
    for (let i = 0; i < Number(entity.n); i++) json += entity[`d${i}`] as string;
    const value = JSON.parse(json) as Record<string, unknown>;
    return { ...value, eTag: entity.etag };
  }

  private async writeOne(key: string, item: Record<string, unknown>): Promise<void> {
    const { eTag, ...value } = item;
    const entity = this.toEntity(key, value);
    if (typeof eTag !== 'string' || eTag === '' || eTag === '*') {
      await this.client.upsertEntity(entity, 'Replace');
      return;
    }
    try {
      await this.client.updateEntity(entity, 'Replace', { etag: eTag });
    } catch (err) {
      const { status, code } = statusOf(err);
      if (status === 412 || (status === 404 && code !== 'TableNotFound')) throw new StorageConflictError(key);
      throw err;
    }
  }

  private toEntity(key: string, value: Record<string, unknown>): Entity {
    const rowKey = rowKeyFor(key);
    const pieces = chunk(JSON.stringify(value), CHUNK_CHARS);
    const entity: Entity = { partitionKey: this.partitionKey, rowKey, n: pieces.length };
    // Azure's size rule: 4 + 2*len(PK+RK) + per property (8 + 2*len(name) + value size).
    let size = 4 + 2 * (this.partitionKey.length + rowKey.length) + (8 + 2 + 4);
    if (rowKey.startsWith(HASH_PREFIX)) {
      if (key.length > CHUNK_CHARS) throw new RangeError(`Storage: key is too long (${key.length} chars, limit ${CHUNK_CHARS}).`);
      entity.k = key;
      size += 8 + 2 + 4 + 2 * key.length;
    }
    pieces.forEach((piece, i) => {
      entity[`d${i}`] = piece;
      size += 8 + 2 * `d${i}`.length + 4 + 2 * piece.length;
    });
    if (size > MAX_ENTITY_BYTES) {
      throw new RangeError(
        `Storage: the value for key "${key}" is too large for Azure Table Storage (${size} bytes, limit 1 MiB = ${MAX_ENTITY_BYTES} bytes). Keep less in turn state.`,
      );
    }
    return entity;
  }
}
