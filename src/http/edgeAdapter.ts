import { TeamsAdapter } from '@microsoft/teams-ai';
import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';

/** botbuilder refused the request's credentials (its own check, after the edge's). */
export class BotAuthenticationRefused extends Error {
  constructor(readonly reason: string) {
    super('Bot Framework authentication refused');
    this.name = 'BotAuthenticationRefused';
  }
}

/**
 * The Teams adapter, driven by the HTTP edge instead of by `process(req, res)`: the edge has already
 * read and checked the body, and answers the HTTP request itself. botbuilder's `process` prints
 * every failure with console.error (a stack trace outside the JSON log) and answers a forged
 * token with HTTP 500 and the library's error text; here an authentication failure is a
 * `BotAuthenticationRefused` (the edge answers 401) and anything else is the edge's to log once.
 */
export class EdgeAdapter extends TeamsAdapter {
  /** Authenticates (botbuilder's own check: signature, issuer, audience, endorsements, serviceUrl) and runs the turn. */
  async processChecked(authorization: string, body: Record<string, unknown>, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    const activity = withDates(body);
    let auth: Awaited<ReturnType<TeamsAdapter['botFrameworkAuthentication']['authenticateRequest']>>;
    try {
      auth = await this.botFrameworkAuthentication.authenticateRequest(activity, authorization);
    } catch (err) {
      const e = err as { name?: string; statusCode?: number };
      throw new BotAuthenticationRefused(`${e.name ?? 'Error'}${e.statusCode ? `:${e.statusCode}` : ''}`);
    }
    return this.processActivity(auth, activity, logic);
  }
}

/** What botbuilder's validateAndFixActivity does to a parsed body: ISO strings of the time fields become Dates. */
function withDates(body: Record<string, unknown>): Activity {
  const a = body as Record<string, unknown>;
  for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['expiration', 'rawExpiration'], ['localTimestamp', 'rawLocalTimestamp']] as const) {
    if (typeof a[field] === 'string') {
      a[raw] = a[field];
      a[field] = new Date(a[field] as string);
    }
  }
  return a as unknown as Activity;
}
