import type { IncomingMessage } from 'node:http';
import contentType from 'content-type';
import getRawBody from 'raw-body';

/** Largest activity accepted at the edge; Teams activities with cards are far below this. */
export const MAX_BODY_BYTES = 256 * 1024;

export interface Refusal {
  status: 400 | 401 | 413 | 415 | 503;
  /** A short, fixed text for the HTTP answer: never a library's message. */
  error: string;
  /** Why, for the one log line (stable codes, no request content). */
  reason: string;
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
};

/**
 * What the edge refuses from the headers alone, before a byte of the body is read:
 * - any Content-Encoding but identity (415): the bot never inflates anything, so a gzip bomb or a
 *   body that is not the gzip it claims costs nothing;
 * - any content type but application/json (415), with a charset only if it is UTF-8: a plain HTML
 *   form (application/x-www-form-urlencoded, multipart/form-data, text/plain) cannot drive the bot,
 *   since those are the types a browser sends cross-site without a CORS preflight;
 * - a declared Content-Length over the limit (413).
 */
export function refuseByHeaders(req: IncomingMessage): Refusal | undefined {
  const encoding = (header(req, 'content-encoding') ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity') {
    return { status: 415, error: 'Content-Encoding is not supported: send the activity uncompressed.', reason: 'content-encoding' };
  }
  const type = header(req, 'content-type');
  let parsed: { type: string; parameters: Record<string, string> } | undefined;
  try {
    parsed = type && type.length <= 200 ? contentType.parse(type) : undefined;
  } catch {
    parsed = undefined;
  }
  const charset = parsed?.parameters.charset?.toLowerCase();
  if (parsed?.type !== 'application/json' || (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')) {
    return { status: 415, error: 'Expected Content-Type: application/json.', reason: 'content-type' };
  }
  const length = header(req, 'content-length');
  if (length !== undefined && /^\d{1,15}$/.test(length) && Number(length) > MAX_BODY_BYTES) {
    return { status: 413, error: `The activity is larger than ${MAX_BODY_BYTES} bytes.`, reason: 'content-length' };
  }
  return undefined;
}

/** Reads the body (at most MAX_BODY_BYTES, never inflated) and parses it as JSON. */
export async function readJsonBody(req: IncomingMessage): Promise<{ body: unknown } | Refusal> {
  let text: string;
  try {
    text = await getRawBody(req, { limit: MAX_BODY_BYTES, length: header(req, 'content-length'), encoding: 'utf-8' });
  } catch (err) {
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.too.large' || e.status === 413) return { status: 413, error: `The activity is larger than ${MAX_BODY_BYTES} bytes.`, reason: 'body-too-large' };
    return { status: 400, error: 'The request body could not be read.', reason: e.type ?? 'body-unreadable' };
  }
  try {
    return { body: JSON.parse(text) };
  } catch {
    return { status: 400, error: 'The body is not valid JSON.', reason: 'json' };
  }
}
