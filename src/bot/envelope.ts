import { z } from 'zod';

/** An id the bot may put in a URL, a header or a key: no control characters, no lone surrogates. */
const id = z
  .string()
  .min(1)
  .max(1024)
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v) && v.isWellFormed(), 'must not contain control characters or broken unicode');
const account = z.looseObject({ id, name: z.string().max(500).optional(), aadObjectId: z.string().max(100).optional() });

/** Fields a Teams activity must have, with the types the bot relies on: checked at the HTTP edge. */
const conversational = z.looseObject({
  type: z.string().min(1).max(64),
  id: id.optional(),
  channelId: z.string().min(1).max(64),
  serviceUrl: z.string().url().max(1024),
  from: account,
  recipient: account,
  // tenantId of any type: the tenant guard (bot/tenant.ts) refuses a malformed one silently (200), as Teams expects.
  conversation: z.looseObject({ id, conversationType: z.string().max(64).optional(), tenantId: z.unknown().optional() }),
  replyToId: id.optional(),
  locale: z.string().max(35).optional(),
  text: z.string().optional().nullable(),
  entities: z.array(z.looseObject({ type: z.string() })).optional(),
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
