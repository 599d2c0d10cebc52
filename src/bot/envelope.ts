import { z } from 'zod';

/**
 * An id the bot may put in a URL, a header or a key: printable ASCII without spaces, as every id
 * Teams sends is ("29:…", "a:…", "19:…@thread.tacv2", message ids). Anything else would fail later,
 * inside the SDK (a header it cannot write, a URL it cannot encode), after the turn had begun.
 */
const id = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');
const account = z.looseObject({ id, name: z.string().max(500).optional(), aadObjectId: z.string().max(100).optional() });

/** Fields a Teams activity must have, with the types the bot relies on: checked at the HTTP edge. */
const conversational = z.looseObject({
  type: z.string().min(1).max(64),
  id: id.optional(),
  channelId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a channel name such as msteams'),
  name: z.string().max(256).optional(),
  serviceUrl: z.string().url().max(1024),
  from: account,
  recipient: account,
  // tenantId of any type: the tenant guard (bot/tenant.ts) refuses a malformed one silently (200), as Teams expects.
  conversation: z.looseObject({ id, conversationType: z.string().max(64).optional(), tenantId: z.unknown().optional() }),
  replyToId: id.optional(),
  locale: z.string().max(35).optional(),
  text: z.string().optional().nullable(),
  // A mention names whom it mentions (the SDK reads mentioned.id to strip the bot's own).
  entities: z
    .array(z.looseObject({ type: z.string().max(64) }).refine((e) => e.type !== 'mention' || (typeof e.mentioned === 'object' && e.mentioned !== null && typeof (e.mentioned as { id?: unknown }).id === 'string'), 'a mention must name whom it mentions'))
    .max(50)
    .optional(),
  membersAdded: z.array(account).optional(),
  membersRemoved: z.array(account).optional(),
});

const bare = z.looseObject({ type: z.string().min(1).max(64) });

/** Undefined when the body is an activity the bot can handle; otherwise why not (for the 400 answer). */
export function envelopeProblem(body: unknown): string | undefined {
  const parsedType = bare.safeParse(body);
  if (!parsedType.success) return 'Expected a Bot Framework activity (a JSON object with a "type").';
  const parsed = conversational.safeParse(body);
  return parsed.success ? undefined : `Not a valid activity: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`;
}
