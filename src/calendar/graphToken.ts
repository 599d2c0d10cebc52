/**
 * App-only tokens for Microsoft Graph: the OAuth 2.0 client-credentials grant against the Microsoft
 * identity platform (v2.0 endpoint), scope https://graph.microsoft.com/.default, so the token carries
 * exactly the application permissions an admin consented to. A token is reused until 5 minutes
 * before it expires; concurrent callers share one request.
 *
 * Only a client secret is supported for now. A managed identity (or a federated credential) would
 * remove the secret altogether; that is a later change behind the same `() => Promise<string>`.
 */
export interface GraphTokenConfig {
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  /** Default https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token. */
  tokenUrl?: string;
  fetchImpl?: typeof fetch;
  /** Milliseconds since the epoch; tests move it. */
  now?: () => number;
}

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
/** A token is replaced this long before it expires. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;
const REQUEST_TIMEOUT_MS = 30_000;

export function graphTokenProvider(cfg: GraphTokenConfig): () => Promise<string> {
  if (!cfg.tenantId || !cfg.clientId) throw new Error('Graph calendar: GRAPH_TENANT_ID and GRAPH_CLIENT_ID are both required.');
  if (!cfg.clientSecret) {
    throw new Error('Graph calendar: GRAPH_CLIENT_SECRET is required (client-credentials flow); managed identity is not supported yet.');
  }
  const secret = cfg.clientSecret;
  const tokenUrl = cfg.tokenUrl ?? `https://login.microsoftonline.com/${encodeURIComponent(cfg.tenantId)}/oauth2/v2.0/token`;
  const fetchImpl = cfg.fetchImpl ?? fetch;
  const now = cfg.now ?? Date.now;
  let cached: { token: string; refreshAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    const form = new URLSearchParams({ client_id: cfg.clientId, client_secret: secret, scope: GRAPH_SCOPE, grant_type: 'client_credentials' });
    const requestedAt = now();
    let res: Response;
    try {
      res = await fetchImpl(tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (err) {
      throw new Error(`Graph token request to ${new URL(tokenUrl).origin} failed: ${err instanceof Error ? err.message : String(err)}. Check that the bot can reach the Microsoft identity platform.`);
    }
    const text = await res.text();
    let json: { access_token?: string; expires_in?: number | string; error?: string; error_description?: string; error_codes?: number[] } = {};
    try {
      json = JSON.parse(text);
    } catch {
      // leave empty: reported below
    }
    if (!res.ok || !json.access_token) {
      // error_description starts with "AADSTS…: what went wrong" and then trace/correlation ids.
      const what = json.error_description?.split(/\r?\n/)[0]?.slice(0, 300);
      throw new Error(
        `Graph token request failed with HTTP ${res.status} ${json.error ?? '(no error code)'}${what ? `: ${what}` : ''}. ` +
          'Check GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET (expired or wrong secret value, not its id?).',
      );
    }
    const seconds = Number(json.expires_in);
    const lifetimeMs = (Number.isFinite(seconds) && seconds > 0 ? seconds : 3600) * 1000;
    cached = { token: json.access_token, refreshAt: requestedAt + lifetimeMs - TOKEN_REFRESH_MARGIN_MS };
    return json.access_token;
  }

  return async () => {
    if (cached && now() < cached.refreshAt) return cached.token;
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}
