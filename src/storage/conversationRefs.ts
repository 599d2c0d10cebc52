import type { ConversationReference } from 'botbuilder';
import { z } from 'zod';
import { isNotFound, isPreconditionFailed } from './tableErrors';
import type { TableStore } from './tables';

export const CONVERSATION_REFS_TABLE = 'conversationRefs';

/** The two languages a person can choose by what they type (a Swedish or an English command). */
export type ChosenLanguage = 'sv' | 'en';

const entitySchema = z.object({
  etag: z.string(),
  ref: z.string().optional(),
  refAt: z.string().optional(),
  held: z.boolean().optional(),
  lang: z.enum(['sv', 'en']).optional(),
});

/** A person's personal chat with the bot, and the language they chose (if they ever typed a command). */
export interface StoredConversation {
  ref: Partial<ConversationReference>;
  lang?: ChosenLanguage;
}

/**
 * Personal-chat conversation references by AAD object id, for proactive messages; the same row
 * remembers that messages wait for the person (held until they next reach the bot) and the language
 * they last typed a command in, so every card to them, proactive or not, is in that language.
 */
export interface ConversationRefStore {
  /**
   * Called on each of the person's turns in their personal chat: stores `ref` (and `lang`, the
   * language of a command they typed) when it changed, tells whether messages wait for them
   * (`heldTag` clears that mark once they are delivered) and which language they chose, if any.
   */
  touch(aadObjectId: string, ref: Partial<ConversationReference>, at: Date, lang?: ChosenLanguage): Promise<{ heldTag?: string; lang?: ChosenLanguage }>;
  get(aadObjectId: string): Promise<Partial<ConversationReference> | undefined>;
  /** The conversation with the person's chosen language, in one read (for proactive cards). */
  lookup(aadObjectId: string): Promise<StoredConversation | undefined>;
  /** Marks that messages wait for this person; returns when their reference was last written (if ever). */
  markHeld(aadObjectId: string): Promise<{ refAt?: string }>;
  /** Clears the mark set before `heldTag` (a mark set again since stays). */
  clearHeld(aadObjectId: string, heldTag: string): Promise<void>;
  /** Any one stored reference (its service URL, tenant and bot), to create a chat with someone who has none. */
  anyReference(): Promise<Partial<ConversationReference> | undefined>;
  /** Records why the bot could not reach this person (shown in the digest while messages wait for them). */
  noteUnreachable(aadObjectId: string, reason: UnreachableReason, at: Date): Promise<void>;
  /** The last reason recorded, with when. */
  unreachableReason(aadObjectId: string): Promise<{ reason: UnreachableReason; at: string } | undefined>;
}

/**
 * Why a send did not reach someone: the Teams app is not installed for them (403
 * ForbiddenOperationException), they blocked the bot or an admin disabled it (another 403), or the
 * conversation is gone (404).
 */
export type UnreachableReason = 'appNotInstalled' | 'blocked' | 'conversationGone';
const REASONS = ['appNotInstalled', 'blocked', 'conversationGone'] as const;
const reasonSchema = z.object({ reason: z.enum(REASONS), at: z.string() });
/** The row beside a person's conversation that says why they were last unreachable. */
const UNREACHABLE_ROW = 'unreachable';

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
  const lookup = async (id: string): Promise<StoredConversation | undefined> => {
    const row = await read(keyOf(id));
    return row?.ref ? { ref: JSON.parse(row.ref) as Partial<ConversationReference>, lang: row.lang } : undefined;
  };
  return {
    async touch(id, ref, at, lang) {
      const aadObjectId = keyOf(id);
      const json = JSON.stringify(ref);
      const row = await read(aadObjectId);
      const chosen = lang ?? row?.lang;
      const language = chosen ? { lang: chosen } : {};
      if (row?.ref === json && chosen === row.lang) return row.held ? { heldTag: row.etag, ...language } : language;
      // Merge keeps a held mark set meanwhile; the reference itself is replaced.
      const written = await (await table()).upsertEntity(
        { partitionKey: aadObjectId, rowKey: 'personal', ref: json, refAt: row?.ref === json && row.refAt ? row.refAt : at.toISOString(), ...(chosen ? { lang: chosen } : {}) },
        'Merge',
      );
      return row?.held ? { heldTag: written.etag ?? row.etag, ...language } : language;
    },
    async get(id) {
      return (await lookup(id))?.ref;
    },
    lookup,
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
    async anyReference() {
      const client = await table();
      for await (const page of client.listEntities({ queryOptions: { filter: `RowKey eq 'personal'`, select: ['ref'] } }).byPage({ maxPageSize: 20 })) {
        for (const row of page) if (typeof row.ref === 'string') return JSON.parse(row.ref) as Partial<ConversationReference>;
      }
      return undefined;
    },
    async noteUnreachable(id, reason, at) {
      await (await table()).upsertEntity({ partitionKey: keyOf(id), rowKey: UNREACHABLE_ROW, reason, at: at.toISOString() }, 'Replace');
    },
    async unreachableReason(id) {
      try {
        const parsed = reasonSchema.safeParse(await (await table()).getEntity(keyOf(id), UNREACHABLE_ROW));
        return parsed.success ? parsed.data : undefined;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
  };
}
