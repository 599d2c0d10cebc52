import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ConfigError, envSchema, loadConfig, type Env } from '../src/config';

const TENANT = '11111111-2222-3333-4444-555555555555';
const APP_ID = '66666666-7777-8888-9999-000000000000';
const ENDPOINT = 'https://stsstbot.table.core.windows.net';

/** A complete production environment, as infra/azure.bicep sets it. */
const production = (overrides: Env = {}): Env => ({
  BOT_ID: APP_ID,
  BOT_PASSWORD: 'not-a-real-secret',
  BOT_TENANT_ID: TENANT,
  TABLES_ENDPOINT: ENDPOINT,
  ROSTER_FILE: '/home/data/roster.json',
  ALLOWED_TENANTS: TENANT,
  ...overrides,
});

/** The problems loadConfig reports for `env` (fails the test when it reports none). */
function problemsOf(env: Env): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    assert.match(err.message, new RegExp(`${err.problems.length} problem\\(s\\)`));
    return err.problems;
  }
  assert.fail(`expected a ConfigError for ${JSON.stringify(env)}`);
}

const hasProblem = (problems: string[], re: RegExp) => assert.ok(problems.some((p) => re.test(p)), `expected ${re} in ${JSON.stringify(problems)}`);

describe('loadConfig', () => {
  describe('local mode (no BOT_ID)', () => {
    it('defaults: embedded store in .data, loopback, demo roster, Playground in Swedish', () => {
      const c = loadConfig({});
      assert.equal(c.localMode, true);
      assert.equal(c.bot, undefined);
      assert.equal(c.port, 3978);
      assert.equal(c.host, '127.0.0.1');
      assert.deepEqual(c.tables, { kind: 'embedded', dataDir: '.data' });
      assert.deepEqual(c.playground, { enabled: true, port: 56150 });
      assert.equal(c.localeOverride, 'sv-SE');
      assert.equal(c.rosterFile, 'roster.example.json');
      assert.equal(c.logLevel, 'info');
    });

    it('PLAYGROUND=0 turns the Playground and its locale override off; BOT_LOCALE still wins', () => {
      assert.equal(loadConfig({ PLAYGROUND: '0' }).playground.enabled, false);
      assert.equal(loadConfig({ PLAYGROUND: 'false' }).localeOverride, undefined);
      assert.equal(loadConfig({ PLAYGROUND: '0', BOT_LOCALE: 'en-US' }).localeOverride, 'en-US');
    });

    it('treats blank values as unset', () => {
      const c = loadConfig({ BOT_ID: '  ', TABLES_CONNECTION_STRING: '', TABLES_ENDPOINT: ' ' });
      assert.equal(c.localMode, true);
      assert.equal(c.tables.kind, 'embedded');
    });

    it('SST_NOW starts the clock at an instant', () => {
      assert.equal(loadConfig({ SST_NOW: '2026-03-02T07:55:00+01:00' }).startClockAt?.toISOString(), '2026-03-02T06:55:00.000Z');
    });

    it('refuses BOT_PASSWORD or BOT_TENANT_ID without BOT_ID', () => {
      hasProblem(problemsOf({ BOT_PASSWORD: 'x' }), /^BOT_ID: BOT_PASSWORD or BOT_TENANT_ID is set but BOT_ID is not/);
      hasProblem(problemsOf({ BOT_TENANT_ID: TENANT }), /^BOT_ID:/);
    });
  });

  describe('values the schema refuses, each naming its variable', () => {
    const cases: Array<[Env, RegExp]> = [
      [{ PORT: 'abc' }, /^PORT: must be a port number/],
      [{ PORT: '70000' }, /^PORT:/],
      [{ PLAYGROUND_PORT: '0' }, /^PLAYGROUND_PORT:/],
      [{ BOT_TYPE: 'Whatever' }, /^BOT_TYPE: use SingleTenant, MultiTenant or UserAssignedMSI/],
      [{ PLAYGROUND: 'yes' }, /^PLAYGROUND: use 1 or 0/],
      [{ SST_NOW: 'tomorrow' }, /^SST_NOW: must be an ISO 8601 time/],
      [{ BOT_LOCALE: 'swedish' }, /^BOT_LOCALE: must be a locale/],
      [{ PUBLIC_BASE_URL: 'https://sst.example.org/' }, /^PUBLIC_BASE_URL: must be an origin/],
      [{ PUBLIC_BASE_URL: 'sst.example.org' }, /^PUBLIC_BASE_URL:/],
      [{ LOG_LEVEL: 'verbose' }, /^LOG_LEVEL: use fatal, error/],
      [{ TABLES_ENDPOINT: 'http://stsstbot.table.core.windows.net' }, /^TABLES_ENDPOINT: must be the https Table service endpoint/],
      [{ TABLES_ENDPOINT: 'https://stsstbot.table.core.windows.net/botState' }, /^TABLES_ENDPOINT:/],
      [{ TABLES_ENDPOINT: 'AccountName=x;AccountKey=y' }, /^TABLES_ENDPOINT:/],
    ];
    for (const [env, expected] of cases) {
      it(`${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')}`, () => hasProblem(problemsOf(env), expected));
    }

    it('lists every bad variable at once', () => {
      const problems = problemsOf({ PORT: 'abc', LOG_LEVEL: 'loud', BOT_TYPE: 'x' });
      for (const name of ['PORT', 'LOG_LEVEL', 'BOT_TYPE']) hasProblem(problems, new RegExp(`^${name}:`));
    });
  });

  describe('the Table store', () => {
    it('TABLES_ENDPOINT selects the account by managed identity (trailing slash dropped)', () => {
      assert.deepEqual(loadConfig({ TABLES_ENDPOINT: `${ENDPOINT}/` }).tables, { kind: 'endpoint', endpoint: ENDPOINT });
      assert.deepEqual(loadConfig(production()).tables, { kind: 'endpoint', endpoint: ENDPOINT });
    });

    it('TABLES_CONNECTION_STRING selects the account by connection string (local/dev)', () => {
      const connectionString = 'UseDevelopmentStorage=true';
      assert.deepEqual(loadConfig({ TABLES_CONNECTION_STRING: connectionString }).tables, { kind: 'connectionString', connectionString });
      const deployed = loadConfig(production({ TABLES_ENDPOINT: undefined, TABLES_CONNECTION_STRING: connectionString }));
      assert.equal(deployed.tables.kind, 'connectionString');
    });

    it('refuses both at once, naming both', () => {
      for (const env of [{ TABLES_ENDPOINT: ENDPOINT, TABLES_CONNECTION_STRING: 'UseDevelopmentStorage=true' }, production({ TABLES_CONNECTION_STRING: 'UseDevelopmentStorage=true' })]) {
        const problems = problemsOf(env);
        assert.equal(problems.length, 1, JSON.stringify(problems));
        assert.match(problems[0]!, /TABLES_ENDPOINT and TABLES_CONNECTION_STRING are both set/);
      }
    });

    it('refuses the embedded store with BOT_ID', () => {
      const problems = problemsOf(production({ TABLES_ENDPOINT: undefined, DATA_DIR: '/home/data' }));
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.match(problems[0]!, /^TABLES_ENDPOINT: .*set TABLES_ENDPOINT \(managed identity\) or TABLES_CONNECTION_STRING/);
    });
  });

  describe('deployed (BOT_ID set)', () => {
    it('accepts the production environment: bot registration, all interfaces, no Playground', () => {
      const c = loadConfig(production({ PUBLIC_BASE_URL: 'https://sst-bot.azurewebsites.net', LOG_LEVEL: 'warn', PORT: '8080' }));
      assert.equal(c.localMode, false);
      assert.deepEqual(c.bot, { appId: APP_ID, password: 'not-a-real-secret', tenantId: TENANT, type: 'SingleTenant' });
      assert.equal(c.host, '0.0.0.0');
      assert.equal(c.port, 8080);
      assert.equal(c.playground.enabled, false);
      assert.equal(c.localeOverride, undefined);
      assert.equal(c.rosterFile, '/home/data/roster.json');
      assert.equal(c.publicUrl, 'https://sst-bot.azurewebsites.net');
      assert.equal(c.logLevel, 'warn');
    });

    it('needs BOT_PASSWORD, unless the bot authenticates with a managed identity', () => {
      hasProblem(problemsOf(production({ BOT_PASSWORD: undefined })), /^BOT_PASSWORD: required with BOT_ID/);
      const msi = loadConfig(production({ BOT_PASSWORD: undefined, BOT_TYPE: 'UserAssignedMSI' }));
      assert.equal(msi.bot?.type, 'UserAssignedMSI');
      assert.equal(msi.bot?.password, undefined);
    });

    it('needs BOT_TENANT_ID, unless the registration is multi-tenant', () => {
      hasProblem(problemsOf(production({ BOT_TENANT_ID: undefined })), /^BOT_TENANT_ID: required for a SingleTenant bot registration/);
      hasProblem(problemsOf(production({ BOT_TENANT_ID: undefined, BOT_TYPE: 'UserAssignedMSI' })), /^BOT_TENANT_ID: required for a UserAssignedMSI/);
      assert.equal(loadConfig(production({ BOT_TENANT_ID: undefined, BOT_TYPE: 'MultiTenant' })).bot?.tenantId, undefined);
    });

    it('needs ROSTER_FILE (the demo roster is for local mode only)', () => {
      hasProblem(problemsOf(production({ ROSTER_FILE: undefined })), /^ROSTER_FILE: required with BOT_ID/);
    });

    it('refuses the local-only SST_NOW and BOT_LOCALE', () => {
      hasProblem(problemsOf(production({ SST_NOW: '2026-03-02T07:55:00+01:00' })), /^SST_NOW: only allowed in local mode/);
      hasProblem(problemsOf(production({ BOT_LOCALE: 'sv-SE' })), /^BOT_LOCALE: only allowed in local mode/);
    });

    describe('an unresolved Key Vault reference (App Service passes the reference text on when it cannot read the secret)', () => {
      const REFERENCES = [
        '@Microsoft.KeyVault(SecretUri=https://kv-sst-abc123.vault.azure.net/secrets/bot-password/)',
        '@Microsoft.KeyVault(VaultName=kv-sst-abc123;SecretName=bot-password)',
        '  @microsoft.keyvault(VaultName=kv-sst-abc123;SecretName=bot-password)',
      ];

      it('in BOT_PASSWORD stops the start, naming the reference and what the operator does next', () => {
        for (const reference of REFERENCES) {
          const problems = problemsOf(production({ BOT_PASSWORD: reference }));
          assert.equal(problems.length, 1, JSON.stringify(problems));
          assert.match(problems[0]!, /^BOT_PASSWORD: App Service did not resolve its Key Vault reference @Microsoft\.KeyVault\(/i);
          assert.ok(problems[0]!.includes(reference.trim()), 'names the reference');
          for (const step of [/docs\/deploy\.md/, /Key Vault Secrets User/, /private endpoint/, /az webapp restart/]) assert.match(problems[0]!, step);
        }
      });

      it('in any other variable too (GRAPH_CLIENT_SECRET is the same reference), reported with the other problems', () => {
        const problems = problemsOf(
          production({ GRAPH_TENANT_ID: TENANT, GRAPH_CLIENT_ID: APP_ID, GRAPH_CLIENT_SECRET: REFERENCES[0], BOT_PASSWORD: REFERENCES[1], ROSTER_FILE: undefined }),
        );
        hasProblem(problems, /^GRAPH_CLIENT_SECRET: App Service did not resolve its Key Vault reference/);
        hasProblem(problems, /^BOT_PASSWORD: App Service did not resolve/);
        hasProblem(problems, /^ROSTER_FILE: required with BOT_ID/);
        // A reference in a variable with a format is reported as a reference, not as a wrong format.
        const endpoint = problemsOf(production({ TABLES_ENDPOINT: '@Microsoft.KeyVault(VaultName=kv;SecretName=tables)' }));
        assert.deepEqual(endpoint.map((p) => p.slice(0, p.indexOf(':'))), ['TABLES_ENDPOINT']);
        assert.match(endpoint[0]!, /did not resolve its Key Vault reference/);
      });

      it('accepts a resolved secret (even one that happens to contain the text later on)', () => {
        assert.equal(loadConfig(production({ BOT_PASSWORD: 'abc~@Microsoft.KeyVault(x)' })).bot?.password, 'abc~@Microsoft.KeyVault(x)');
      });

      it('the bot process exits with code 2 and prints the problem before it listens', function () {
        this.timeout(30_000);
        const run = spawnSync(process.execPath, ['-r', 'tsx/cjs', 'src/index.ts'], {
          cwd: path.resolve(__dirname, '..'),
          env: { PATH: process.env.PATH, ...production({ BOT_PASSWORD: REFERENCES[0], PORT: '0' }) },
          encoding: 'utf8',
          timeout: 25_000,
        });
        assert.equal(run.status, 2, `exit ${run.status} ${run.signal ?? ''}\n${run.stdout}\n${run.stderr}`);
        assert.match(run.stderr, /The bot cannot start[\s\S]*BOT_PASSWORD: App Service did not resolve its Key Vault reference/);
        assert.doesNotMatch(run.stdout, /Bot: http/);
      });
    });

    it('reports every production problem at once', () => {
      const problems = problemsOf({ BOT_ID: APP_ID });
      for (const name of ['BOT_PASSWORD', 'BOT_TENANT_ID', 'ROSTER_FILE', 'TABLES_ENDPOINT']) hasProblem(problems, new RegExp(`^${name}:`));
    });
  });

  it('every variable has a description (docs/configuration.md is built from them)', () => {
    for (const [key, schema] of Object.entries(envSchema.shape)) {
      assert.ok((schema as { description?: string }).description, `${key} has no .describe()`);
    }
  });

  describe('tenants, retention, scheduler and Graph', () => {
    it('needs ALLOWED_TENANTS in production and parses it lower-cased', () => {
      assert.throws(() => loadConfig(production({ ALLOWED_TENANTS: undefined })), /ALLOWED_TENANTS: required with BOT_ID/);
      assert.deepEqual(loadConfig(production({ ALLOWED_TENANTS: `${TENANT.toUpperCase()}, 11111111-2222-3333-4444-555555555555` })).allowedTenants, [TENANT.toLowerCase(), '11111111-2222-3333-4444-555555555555']);
      assert.throws(() => loadConfig({ ALLOWED_TENANTS: 'contoso' }), /ALLOWED_TENANTS: must be comma-separated Entra tenant ids/);
    });
    it('defaults retention to 24 months for cases and 36 for the access log', () => {
      assert.deepEqual(loadConfig({}).retention, { caseMonths: 24, accessLogMonths: 36 });
      assert.throws(() => loadConfig({ RETENTION_MONTHS: 'two years' }), /RETENTION_MONTHS: must be a whole number of months/);
    });
    it('needs all three Graph settings or none', () => {
      assert.equal(loadConfig({}).graph, undefined);
      assert.throws(() => loadConfig({ GRAPH_TENANT_ID: TENANT }), /GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET/);
      assert.equal(loadConfig({ GRAPH_TENANT_ID: TENANT, GRAPH_CLIENT_ID: APP_ID, GRAPH_CLIENT_SECRET: 'x' }).graph?.clientId, APP_ID);
    });
  });
});
