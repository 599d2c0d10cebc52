import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';

/** Where the Bot Framework publishes the keys that sign channel tokens, and who issues them (public Azure cloud). */
export const BOT_FRAMEWORK_OPENID_METADATA_URL = 'https://login.botframework.com/v1/.well-known/openidconfiguration';
export const BOT_FRAMEWORK_TOKEN_ISSUER = 'https://api.botframework.com';

/** The algorithms the Bot Framework signs with (as botframework-connector allows). Never "none", never HMAC. */
export const ALLOWED_ALGORITHMS = ['RS256', 'RS384', 'RS512'];

/** Longest Authorization header looked at; a Bot Framework token is about 1.5 KB. */
export const MAX_AUTHORIZATION_CHARS = 8192;

/** `Bearer <header>.<payload>.<signature>` in base64url: each part a single character class, so the match is linear. */
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;

export type TokenVerdict =
  | { ok: true }
  /** The token is missing, malformed, forged, expired, not yet valid, or for someone else: 401. */
  | { ok: false; status: 401; reason: string }
  /** The signing keys could not be fetched: the token could not be checked now (503, the channel retries). */
  | { ok: false; status: 503; reason: string };

/** The token of a well-formed `Authorization: Bearer` header, or undefined (checked before any of the body is read). */
export function bearerToken(header: unknown): string | undefined {
  if (typeof header !== 'string' || header.length > MAX_AUTHORIZATION_CHARS) return undefined;
  return BEARER.exec(header)?.[1];
}

export interface BotTokenVerifierOptions {
  /** The bot's Microsoft App ID: the token's audience. */
  appId: string;
  openIdMetadataUrl?: string;
  issuer?: string;
  /** How long the OpenID document's jwks_uri is trusted before it is read again. */
  metadataMaxAgeMs?: number;
  now?: () => number;
}

const metadataSchema = z.object({ jwks_uri: z.string().url().max(2048) });

/**
 * Checks a Bot Framework channel token at the edge, before the activity is read: signature against
 * the published keys (only RS256/384/512), issuer, audience = our app id, expiry and not-before
 * (five minutes' leeway, as the Bot Framework SDK). botbuilder checks the token again, with the
 * channel endorsements and the serviceUrl claim, once the body is read; this first check means a
 * forged or missing token costs no body read, no parse, and no library error output.
 */
export function botTokenVerifier(options: BotTokenVerifierOptions): (authorization: unknown) => Promise<TokenVerdict> {
  const metadataUrl = options.openIdMetadataUrl ?? BOT_FRAMEWORK_OPENID_METADATA_URL;
  const issuer = options.issuer ?? BOT_FRAMEWORK_TOKEN_ISSUER;
  const maxAge = options.metadataMaxAgeMs ?? 24 * 3600_000;
  const now = options.now ?? Date.now;
  let keys: { getKey: JWTVerifyGetKey; fetchedAt: number } | undefined;
  let loading: Promise<JWTVerifyGetKey> | undefined;

  const keySet = async (): Promise<JWTVerifyGetKey> => {
    if (keys && now() - keys.fetchedAt < maxAge) return keys.getKey;
    loading ??= (async () => {
      try {
        const res = await fetch(metadataUrl, { signal: AbortSignal.timeout(5000) });
        if (!res.ok) throw new Error(`OpenID metadata answered ${res.status}`);
        const { jwks_uri } = metadataSchema.parse(await res.json());
        const getKey = createRemoteJWKSet(new URL(jwks_uri), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 3600_000 });
        keys = { getKey, fetchedAt: now() };
        return getKey;
      } finally {
        loading = undefined;
      }
    })();
    return loading;
  };

  return async (authorization) => {
    const token = bearerToken(authorization);
    if (!token) return { ok: false, status: 401, reason: 'no well-formed Bearer token' };
    // What can be refused without the keys is refused without fetching them: not a JWT, "none" or an
    // HMAC algorithm, no key id, another issuer.
    try {
      const header = decodeProtectedHeader(token);
      if (typeof header.alg !== 'string' || !ALLOWED_ALGORITHMS.includes(header.alg)) return { ok: false, status: 401, reason: 'algorithm not allowed' };
      if (typeof header.kid !== 'string') return { ok: false, status: 401, reason: 'no key id' };
      if (decodeJwt(token).iss !== issuer) return { ok: false, status: 401, reason: 'issuer' };
    } catch {
      return { ok: false, status: 401, reason: 'not a JWT' };
    }
    let getKey: JWTVerifyGetKey;
    try {
      getKey = await keySet();
    } catch (err) {
      return { ok: false, status: 503, reason: `signing keys unavailable (${(err as Error).name})` };
    }
    try {
      await jwtVerify(token, getKey, { algorithms: ALLOWED_ALGORITHMS, issuer, audience: options.appId, clockTolerance: 300, currentDate: new Date(now()) });
      return { ok: true };
    } catch (err) {
      const e = err as { code?: string; claim?: string; name?: string };
      if (e.code === 'ERR_JWKS_TIMEOUT' || (e.name === 'TypeError' && !e.code)) return { ok: false, status: 503, reason: `signing keys unavailable (${e.code ?? e.name})` };
      // A stable code (ERR_JWS_SIGNATURE_VERIFICATION_FAILED, ERR_JOSE_ALG_NOT_ALLOWED, ERR_JWT_CLAIM_VALIDATION_FAILED:nbf, …), never the library's text.
      return { ok: false, status: 401, reason: `${e.code ?? 'ERR_TOKEN'}${e.claim ? `:${e.claim}` : ''}` };
    }
  };
}
