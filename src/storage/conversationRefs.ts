import type { ConversationReference } from 'botbuilder';
import { z } from 'zod';
import { isNotFound, isPreconditionFailed } from './tableErrors';
import type { TableStore } from './tables';

export const CONVERSATION_REFS_TABLE = 'conversationRefs';

const entitySchema = z.object({ etag: z.string(), ref: z.string().optional(), refAt: z.string().optional(), held: z.boolean().optional() });

/**
 * Personal-chat conversation references by AAD object id, for proactive messages; the same row
 * remembers that messages wait for the person (held until they next reach the bot).
 */
export interface ConversationRefStore {
  /**
   * Called on each of the person's turns in their personal chat: stores `ref` when it changed and
   * tells whether messages wait for them (`heldTag` clears that mark once they are delivered).
   */
  touch(aadObjectId: string, ref: Partial<ConversationReference>, at: Date): Promise<{ heldTag?: string }>;
  get(aadObjectId: string): Promise<Partial<ConversationReference> | undefined>;
  /** Marks that messages wait for this person; returns when their reference was last written (if ever). */
  markHeld(aadObjectId: string): Promise<{ refAt?: string }>;
  /** Clears the mark set before `heldTag` (a mark set again since stays). */
  clearHeld(aadObjectId: string, heldTag: string): Promise<void>;
}

export function tableConversationRefStore(store: TableStore): ConversationRefStore {
  const table = () => store.ensureTable(CONVERSATION_REFS_TABLE);
  const keyOf = (id: string) => id.toLowerCase(); // the roster matches AAD ids case-insensitively too
  const read = async (aadObjectId: string) => {
    try {
      return entitySchema.parse(await (await table()).getEntity(aadObjectId, 'personal'));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  return {
    async touch(id, ref, at) {
      const aadObjectId = keyOf(id);
      const json = JSON.stringify(ref);
      const row = await read(aadObjectId);
      if (row?.ref === json) return row.held ? { heldTag: row.etag } : {};
      // Merge keeps a held mark set meanwhile; the reference itself is replaced.
      const written = await (await table()).upsertEntity({ partitionKey: aadObjectId, rowKey: 'personal', ref: json, refAt: at.toISOString() }, 'Merge');
      return row?.held ? { heldTag: written.etag ?? row.etag } : {};
    },
    async get(id) {
      const row = await read(keyOf(id));
      return row?.ref ? (JSON.parse(row.ref) as Partial<ConversationReference>) : undefined;
    },
    async markHeld(id) {
      await (await table()).upsertEntity({ partitionKey: keyOf(id), rowKey: 'personal', held: true }, 'Merge');
      return { refAt: (await read(keyOf(id)))?.refAt };
    },
    async clearHeld(id, heldTag) {
      try {
        await (await table()).updateEntity({ partitionKey: keyOf(id), rowKey: 'personal', held: false }, 'Merge', { etag: heldTag });
      } catch (err) {
        if (!isPreconditionFailed(err) && !isNotFound(err)) throw err; // marked again meanwhile: the next turn releases it
      }
    },
  };
}
