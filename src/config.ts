import { z } from 'zod';

/** Raised when the environment cannot start the bot; the message lists every problem and its fix. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The bot cannot start, the configuration has ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
    this.name = 'ConfigError';
  }
}

const flag = (fix: string) =>
  z
    .enum(['0', '1', 'true', 'false'], { message: `use 1 or 0 (${fix})` })
    .optional()
    .transform((v) => (v === undefined ? undefined : v === '1' || v === 'true'));

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const isoInstant = optionalString.refine((v) => v === undefined || !Number.isNaN(Date.parse(v)), {
  message: 'must be an ISO 8601 time such as 2026-03-02T07:55:00+01:00',
});

/**
 * Every environment variable the bot reads, with its default and the fix for a bad value.
 * docs/configuration.md is generated from this schema (npx tsx scripts/env-table.ts) and a test keeps it in step.
 */
export const envSchema = z.object({
  PORT: z.coerce
    .number({ message: 'must be a port number, e.g. 3978' })
    .int()
    .min(0)
    .max(65535)
    .default(3978)
    .describe('Port to listen on. Azure App Service sets it for the app; do not set it there.'),
  HOST: optionalString.describe('Interface to listen on. Default 127.0.0.1 in local mode, 0.0.0.0 with BOT_ID.'),
  BOT_ID: optionalString.describe('Microsoft App ID of the bot registration. Unset = local mode (unsigned requests accepted).'),
  BOT_PASSWORD: optionalString.describe('Client secret of the bot registration (only with BOT_ID; secret, keep in *.user files or Key Vault).'),
  BOT_TENANT_ID: optionalString.describe('Entra tenant of a single-tenant bot registration.'),
  BOT_TYPE: z
    .enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI'], { message: 'use SingleTenant, MultiTenant or UserAssignedMSI' })
    .default('SingleTenant')
    .describe('Kind of bot registration.'),
  TABLES_CONNECTION_STRING: optionalString.describe(
    'Azure Table Storage (or external Azurite) connection string, for local/dev. Unset (and no TABLES_ENDPOINT) = embedded store. Secret.',
  ),
  TABLES_ENDPOINT: optionalString
    .refine((v) => v === undefined || /^https:\/\/[^/\s]+\/?$/.test(v), {
      message: 'must be the https Table service endpoint of a storage account, e.g. https://stsstbot.table.core.windows.net',
    })
    .transform((v) => v?.replace(/\/$/, ''))
    .describe(
      'Table service endpoint (https://<account>.table.core.windows.net) reached with the managed identity (DefaultAzureCredential); how the deployed bot finds its store.',
    ),
  DATA_DIR: z.string().default('.data').describe('Folder where the embedded store keeps its data.'),
  PLAYGROUND: flag('PLAYGROUND=0 starts no Agents Playground').describe('1 = start Microsoft 365 Agents Playground with npm start in local mode.'),
  PLAYGROUND_PORT: z.coerce
    .number({ message: 'must be a port number, e.g. 56150' })
    .int()
    .min(1)
    .max(65535)
    .default(56150)
    .describe('Local mode only: port of the Agents Playground.'),
  SST_NOW: isoInstant.describe('Local mode only: the bot clock starts at this instant (demos, acceptance tests).'),
  BOT_LOCALE: optionalString
    .refine((v) => v === undefined || /^[a-z]{2}(-[A-Z]{2})?$/.test(v), { message: 'must be a locale such as sv-SE or en-US' })
    .describe('Local mode only: stands in for the client\'s locale (the Agents Playground always sends en-US), for answers and proactive cards alike; a command someone types still sets their own language.'),
  PUBLIC_BASE_URL: optionalString
    .refine((v) => v === undefined || /^https?:\/\/[^/]+$/.test(v), { message: 'must be an origin such as https://sst-bot.azurewebsites.net (no path, no trailing slash)' })
    .describe('Public origin of the bot, for invitation (.ics) links. Local mode: the bot\'s own address.'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'use fatal, error, warn, info, debug, trace or silent' })
    .default('info')
    .describe('Log level; logs are JSON lines on stdout (App Service log stream, Log Analytics).'),
  ROSTER_FILE: optionalString.describe('JSON roster of municipality, teams, schools and people (see roster.example.json).'),
  ALLOWED_TENANTS: optionalString
    .refine((v) => v === undefined || v.split(',').every((id) => /^[0-9a-f-]{36}$/i.test(id.trim())), { message: 'must be comma-separated Entra tenant ids (GUIDs)' })
    .describe('Comma-separated Entra tenant ids whose users may use the bot; activities from other tenants are refused and logged. Required with BOT_ID.'),
  RETENTION_MONTHS: z.coerce
    .number({ message: 'must be a whole number of months, e.g. 24' })
    .int()
    .min(1)
    .max(240)
    .default(24)
    .describe("Months after closing that a case (with its meetings, plans, reminders and messages) is purged; from the municipality's dokumenthanteringsplan."),
  ACCESS_LOG_RETENTION_MONTHS: z.coerce
    .number({ message: 'must be a whole number of months, e.g. 36' })
    .int()
    .min(1)
    .max(240)
    .default(36)
    .describe('Months the access log is kept (its own period, independent of cases).'),
  SCHEDULER_INTERVAL_SECONDS: z.coerce
    .number({ message: 'must be a number of seconds, e.g. 60' })
    .int()
    .min(5)
    .max(3600)
    .default(60)
    .describe('How often the scheduler looks for due reminders and digests.'),
  INSTANCE_COUNT: z.coerce
    .number({ message: 'must be a whole number of instances, 1 to 10' })
    .int()
    .min(1)
    .max(10)
    .default(1)
    .describe(
      "Instances the web app runs on (infra: instanceCount). Teams allows an app 50 messages per second per tenant, counted over all instances: each instance sends at most 50 / INSTANCE_COUNT per second (docs/scale-out.md).",
    ),
  GRAPH_TENANT_ID: optionalString.describe('With GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET: use Outlook calendars through Microsoft Graph (see docs/graph-calendar.md).'),
  GRAPH_CLIENT_ID: optionalString.describe('App registration used for Microsoft Graph (Calendars.ReadWrite application permission).'),
  GRAPH_CLIENT_SECRET: optionalString.describe('Client secret for Microsoft Graph. Secret: Key Vault reference or *.user file.'),
  GRAPH_BASE_URL: optionalString.describe('Microsoft Graph base URL (default https://graph.microsoft.com/v1.0); tests point it at a local server.'),
});

export type Env = Record<string, string | undefined>;

export interface Config {
  port: number;
  host: string;
  localMode: boolean;
  bot?: { appId: string; password?: string; tenantId?: string; type: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI' };
  tables:
    | { kind: 'connectionString'; connectionString: string }
    | { kind: 'endpoint'; endpoint: string }
    | { kind: 'embedded'; dataDir: string };
  playground: { enabled: boolean; port: number };
  startClockAt?: Date;
  localeOverride?: string;
  publicUrl?: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  rosterFile?: string;
  /** Tenants whose activities are accepted; undefined in local mode without ALLOWED_TENANTS = any. */
  allowedTenants?: string[];
  retention: { caseMonths: number; accessLogMonths: number };
  schedulerIntervalSeconds: number;
  /** Instances sharing the tenant's send budget. */
  instanceCount: number;
  graph?: { tenantId: string; clientId: string; clientSecret: string; baseUrl?: string };
}

/**
 * App Service hands an app setting's Key Vault reference (`@Microsoft.KeyVault(...)`) to the app unchanged when it
 * cannot resolve it (no access, vault unreachable, secret missing, role not yet effective): the bot would then sign
 * its Bot Connector requests with the reference text as the password and fail on every send while /healthz is green.
 */
const KEY_VAULT_REFERENCE = /^\s*@Microsoft\.KeyVault\(/i;

/** One problem per variable of envSchema that still holds an unresolved Key Vault reference, with what to do. */
export function unresolvedKeyVaultReferences(env: Env): string[] {
  return Object.keys(envSchema.shape)
    .filter((key) => KEY_VAULT_REFERENCE.test(env[key] ?? ''))
    .map(
      (key) =>
        `${key}: App Service did not resolve its Key Vault reference ${(env[key] ?? '').trim().slice(0, 200)} and passed the reference text on. ` +
        'See its status (docs/deploy.md, "Check the Key Vault reference"): the web app\'s managed identity needs the role Key Vault Secrets User on the vault, ' +
        'the vault must be reachable from the web app\'s virtual network (private endpoint) and the secret must exist. Then restart the web app (az webapp restart).',
    );
}

/** Reads the configuration from `env` (process.env by default); throws ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const unresolved = unresolvedKeyVaultReferences(env);
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const unresolvedKeys = new Set(unresolved.map((p) => p.slice(0, p.indexOf(':'))));
    const issues = parsed.error.issues.filter((i) => !unresolvedKeys.has(String(i.path[0])));
    throw new ConfigError([...unresolved, ...issues.map((i) => `${String(i.path[0])}: ${i.message}`)]);
  }
  const e = parsed.data;
  const problems: string[] = [...unresolved];
  const localMode = e.BOT_ID === undefined;
  if (!localMode && e.SST_NOW !== undefined) {
    problems.push('SST_NOW: only allowed in local mode (without BOT_ID); remove it in a deployed environment.');
  }
  if (!localMode && e.BOT_LOCALE !== undefined) {
    problems.push('BOT_LOCALE: only allowed in local mode; in Teams the client\'s own locale is used.');
  }
  if (localMode && (e.BOT_PASSWORD !== undefined || e.BOT_TENANT_ID !== undefined)) {
    problems.push('BOT_ID: BOT_PASSWORD or BOT_TENANT_ID is set but BOT_ID is not; set BOT_ID too, or remove them for local mode.');
  }
  if (!localMode && e.BOT_TYPE !== 'UserAssignedMSI' && e.BOT_PASSWORD === undefined) {
    problems.push('BOT_PASSWORD: required with BOT_ID (or set BOT_TYPE=UserAssignedMSI to use a managed identity).');
  }
  if (!localMode && e.BOT_TYPE !== 'MultiTenant' && e.BOT_TENANT_ID === undefined) {
    problems.push(`BOT_TENANT_ID: required for a ${e.BOT_TYPE} bot registration; set it to your Entra tenant id.`);
  }
  if (!localMode && e.ROSTER_FILE === undefined) {
    problems.push('ROSTER_FILE: required with BOT_ID; point it to the municipality\'s roster JSON (see roster.example.json).');
  }
  if (e.TABLES_ENDPOINT !== undefined && e.TABLES_CONNECTION_STRING !== undefined) {
    problems.push('TABLES_ENDPOINT and TABLES_CONNECTION_STRING are both set; keep one (TABLES_ENDPOINT with the managed identity when deployed, the connection string only for local/dev).');
  }
  if (!localMode && e.TABLES_ENDPOINT === undefined && e.TABLES_CONNECTION_STRING === undefined) {
    problems.push('TABLES_ENDPOINT: the embedded store is for local mode only; with BOT_ID set TABLES_ENDPOINT (managed identity) or TABLES_CONNECTION_STRING.');
  }
  if (!localMode && e.ALLOWED_TENANTS === undefined) {
    problems.push('ALLOWED_TENANTS: required with BOT_ID, so that only your municipality\'s tenant can use the bot; set it to your Entra tenant id (comma-separate several).');
  }
  const graphSet = [e.GRAPH_TENANT_ID, e.GRAPH_CLIENT_ID, e.GRAPH_CLIENT_SECRET].filter((v) => v !== undefined).length;
  if (graphSet > 0 && graphSet < 3) {
    problems.push('GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET: set all three to use Outlook calendars, or none for the built-in calendar.');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    port: e.PORT,
    host: e.HOST ?? (localMode ? '127.0.0.1' : '0.0.0.0'),
    localMode,
    bot: localMode ? undefined : { appId: e.BOT_ID!, password: e.BOT_PASSWORD, tenantId: e.BOT_TENANT_ID, type: e.BOT_TYPE },
    tables: e.TABLES_ENDPOINT
      ? { kind: 'endpoint', endpoint: e.TABLES_ENDPOINT }
      : e.TABLES_CONNECTION_STRING
        ? { kind: 'connectionString', connectionString: e.TABLES_CONNECTION_STRING }
        : { kind: 'embedded', dataDir: e.DATA_DIR },
    playground: { enabled: localMode && e.PLAYGROUND !== false, port: e.PLAYGROUND_PORT },
    startClockAt: e.SST_NOW ? new Date(e.SST_NOW) : undefined,
    localeOverride: e.BOT_LOCALE ?? (localMode && e.PLAYGROUND !== false ? 'sv-SE' : undefined),
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_BASE_URL,
    rosterFile: e.ROSTER_FILE ?? (localMode ? 'roster.example.json' : undefined),
    allowedTenants: e.ALLOWED_TENANTS?.split(',').map((id) => id.trim().toLowerCase()),
    retention: { caseMonths: e.RETENTION_MONTHS, accessLogMonths: e.ACCESS_LOG_RETENTION_MONTHS },
    schedulerIntervalSeconds: e.SCHEDULER_INTERVAL_SECONDS,
    instanceCount: e.INSTANCE_COUNT,
    graph: graphSet === 3 ? { tenantId: e.GRAPH_TENANT_ID!, clientId: e.GRAPH_CLIENT_ID!, clientSecret: e.GRAPH_CLIENT_SECRET!, baseUrl: e.GRAPH_BASE_URL } : undefined,
  };
}
