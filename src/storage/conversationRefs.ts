import type { ConversationReference } from 'botbuilder';
import { z } from 'zod';
import type { TableStore } from './tables';

export const CONVERSATION_REFS_TABLE = 'conversationRefs';

const entitySchema = z.object({ partitionKey: z.string(), rowKey: z.string(), ref: z.string() });

/** Personal-chat conversation references by AAD object id, for proactive messages. */
export interface ConversationRefStore {
  /** Stores `ref` unless the same reference was already stored by this process (no write per turn). */
  save(aadObjectId: string, ref: Partial<ConversationReference>): Promise<void>;
  get(aadObjectId: string): Promise<Partial<ConversationReference> | undefined>;
}

export function tableConversationRefStore(store: TableStore): ConversationRefStore {
  const lastWritten = new Map<string, string>();
  return {
    async save(id, ref) {
      const aadObjectId = id.toLowerCase(); // the roster matches AAD ids case-insensitively too
      const json = JSON.stringify(ref);
      if (lastWritten.get(aadObjectId) === json) return;
      const table = await store.ensureTable(CONVERSATION_REFS_TABLE);
      await table.upsertEntity({ partitionKey: aadObjectId, rowKey: 'personal', ref: json }, 'Replace');
      lastWritten.set(aadObjectId, json);
    },
    async get(id) {
      const aadObjectId = id.toLowerCase();
      const table = await store.ensureTable(CONVERSATION_REFS_TABLE);
      try {
        const entity = entitySchema.parse(await table.getEntity(aadObjectId, 'personal'));
        return JSON.parse(entity.ref) as Partial<ConversationReference>;
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 404) return undefined;
        throw err;
      }
    },
  };
}
