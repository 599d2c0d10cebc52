import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { envSchema, loadConfig, type Env } from '../../src/config';
import { parseEnvFile } from '../../scripts/package-app';
import { CONFIGURATION_DOC, PRODUCTION_SAMPLE, configurationDoc, envKeys, productionRequiredKeys } from '../../scripts/env-table';
import { blocksOfType, literal, objectAt, objectEntries, objectLiterals, onlyBlock, parseBicep, type BicepFile } from './bicep';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (...p: string[]) => readFileSync(path.join(ROOT, ...p), 'utf8');

const bicep = parseBicep(read('infra', 'azure.bicep'));
const botBicep = parseBicep(read('infra', 'botRegistration', 'azurebot.bicep'));
const parametersFile = JSON.parse(read('infra', 'azure.parameters.json')) as { parameters: Record<string, { value: unknown }> };
const devEnv = parseEnvFile(read('env', '.env.dev'));
const localEnv = parseEnvFile(read('env', '.env.local'));
const teamsappYml = read('teamsapp.yml');
const teamsappLocalYml = read('teamsapp.local.yml');
const manifestText = read('appPackage', 'manifest.json');

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const TABLE_DATA_CONTRIBUTOR = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3';
const KEY_VAULT_SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';
const MONITORING_METRICS_PUBLISHER = '3913510d-42f4-4e42-8a64-420c390055eb';

/** App settings App Service or its build (Oryx) reads, not the bot. */
const PLATFORM_SETTINGS = [
  'WEBSITE_NODE_DEFAULT_VERSION',
  'SCM_DO_BUILD_DURING_DEPLOYMENT',
  'CUSTOM_BUILD_COMMAND',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
  'ApplicationInsightsAgent_EXTENSION_VERSION',
];
/** Variables that must never be set on the deployed bot. */
const LOCAL_ONLY = ['SST_NOW', 'BOT_LOCALE', 'PLAYGROUND', 'PLAYGROUND_PORT', 'DATA_DIR', 'TABLES_CONNECTION_STRING', 'PORT', 'HOST'];
/** Settings the issue asks for explicitly, on top of what loadConfig refuses to start without. */
const ALSO_REQUIRED = ['BOT_TYPE', 'PUBLIC_BASE_URL', 'LOG_LEVEL', 'ALLOWED_TENANTS', 'RETENTION_MONTHS', 'APPLICATIONINSIGHTS_CONNECTION_STRING', 'WEBSITE_NODE_DEFAULT_VERSION', 'SCM_DO_BUILD_DURING_DEPLOYMENT'];

/** The app settings of the web app: name → expression, and whether a condition (a ternary) guards it. */
function appSettingsOf(file: BicepFile): Map<string, { expr: string; conditional: boolean }> {
  const block = blocksOfType(file, 'Microsoft.Web/sites/config').find((b) => literal(objectEntries(b.body).get('name')) === 'appsettings');
  assert.ok(block, 'a Microsoft.Web/sites/config resource named appsettings');
  const props = objectEntries(block.body).get('properties')!;
  const args = props.startsWith('union(') ? props.slice('union('.length, -1).split(',').map((a) => a.trim()) : [props];
  const settings = new Map<string, { expr: string; conditional: boolean }>();
  for (const arg of args) {
    const expr = file.vars.get(arg) ?? arg;
    const conditional = !expr.startsWith('{');
    for (const obj of objectLiterals(expr)) {
      for (const [name, value] of objectEntries(obj)) settings.set(name, { expr: value, conditional });
    }
  }
  return settings;
}
const appSettings = appSettingsOf(bicep);
const unconditional = [...appSettings].filter(([, s]) => !s.conditional).map(([name]) => name);

/** What an app setting's expression becomes in a deployment (fake values for the expressions that need Azure). */
const SAMPLE_VALUES: Record<string, string> = {
  botAadAppClientId: PRODUCTION_SAMPLE.BOT_ID!,
  botTenantId: PRODUCTION_SAMPLE.BOT_TENANT_ID!,
  // What the bot sees once App Service has resolved the Key Vault reference (unresolved, it refuses to start: below).
  botPasswordReference: 'the-client-secret-read-from-key-vault',
  'storage.properties.primaryEndpoints.table': 'https://stsstabc123.table.core.windows.net/',
  'empty(allowedTenants) ? botTenantId : allowedTenants': PRODUCTION_SAMPLE.BOT_TENANT_ID!,
  'string(int(retentionMonths))': '24',
  'string(min(max(int(instanceCount), 1), 10))': '2',
  'appInsights.properties.ConnectionString': 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://example.invalid/',
};
function sampleValue(expr: string): string {
  const lit = literal(expr);
  if (lit !== undefined) return lit.replace(/\$\{webApp\.properties\.defaultHostName\}/g, 'sst-abc123.azurewebsites.net');
  if (SAMPLE_VALUES[expr] !== undefined) return SAMPLE_VALUES[expr]!;
  const param = bicep.params.get(expr);
  if (param && literal(param.defaultValue) !== undefined) return literal(param.defaultValue)!;
  assert.fail(`no sample value for the app setting expression ${expr}: add one to SAMPLE_VALUES`);
}

/** `- uses: x` actions of one top-level stage (provision, deploy, publish) of a toolkit yml, in order. */
function actionsOf(yml: string, stage: string): string[] {
  const m = new RegExp(`^${stage}:\\n([\\s\\S]*?)(?=^\\S|$(?![\\s\\S]))`, 'm').exec(yml);
  return m ? [...m[1]!.matchAll(/^\s+- uses: (\S+)/gm)].map((a) => a[1]!) : [];
}
const placeholders = (text: string) => [...new Set([...text.matchAll(/\$\{\{\s*([A-Za-z_]\w*)\s*\}\}/g)].map((m) => m[1]!))];
/** Variables an action writes (writeToEnvironmentFile targets, ::set-teamsfx-env). */
const writtenVars = (yml: string) => [
  ...[...yml.matchAll(/writeToEnvironmentFile:\n((?:\s{6,}\S.*\n)+)/g)].flatMap((m) => [...m[1]!.matchAll(/^\s+\w+: (\w+)/gm)].map((x) => x[1]!)),
  ...[...yml.matchAll(/::set-teamsfx-env (\w+)=/g)].map((m) => m[1]!),
];
/** Variables the toolkit itself provides or asks for. */
const TOOLKIT_VARS = ['TEAMSFX_ENV', 'AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP_NAME', 'APP_NAME_SUFFIX', 'TEAMS_APP_TENANT_ID'];

describe('deployment (infra/, teamsapp*.yml, env/, docs/configuration.md)', () => {
  describe('infra/azure.bicep', () => {
    it('puts everything in Sweden Central by default (the bot registration in the EU, see below; private DNS zones are global)', () => {
      assert.equal(bicep.params.get('location')?.defaultValue, "'swedencentral'");
      const located = bicep.blocks.filter((b) => objectEntries(b.body).has('location'));
      assert.ok(located.length >= 6, located.map((b) => b.symbol).join());
      for (const b of located) {
        const expected = b.type.startsWith('Microsoft.Network/privateDnsZones') ? "'global'" : 'location';
        assert.equal(objectEntries(b.body).get('location'), expected, `${b.symbol} should use ${expected}`);
      }
    });

    it('runs the bot on App Service for Linux, Node 22 LTS, with a system-assigned managed identity', () => {
      const plan = onlyBlock(bicep, 'Microsoft.Web/serverfarms');
      assert.equal(objectEntries(plan.body).get('kind'), "'linux'");
      assert.equal(objectAt(plan.body, ['properties']).get('reserved'), 'true');
      assert.equal(objectAt(plan.body, ['sku']).get('name'), 'webAppSku');
      assert.equal(bicep.params.get('webAppSku')?.defaultValue, "'B1'");

      const site = onlyBlock(bicep, 'Microsoft.Web/sites');
      assert.equal(objectEntries(site.body).get('kind'), "'app,linux'");
      assert.equal(objectAt(site.body, ['identity']).get('type'), "'SystemAssigned'");
      const props = objectAt(site.body, ['properties']);
      assert.equal(props.get('httpsOnly'), 'true');
      assert.equal(props.get('clientAffinityEnabled'), 'false', 'no sticky sessions: any instance serves any request');
      const siteConfig = objectAt(site.body, ['properties', 'siteConfig']);
      assert.equal(siteConfig.get('linuxFxVersion'), "'NODE|22-lts'");
      assert.equal(siteConfig.get('ftpsState'), "'Disabled'");
      assert.equal(siteConfig.get('minTlsVersion'), "'1.2'");
      assert.equal(siteConfig.get('alwaysOn'), 'true');
      assert.equal(siteConfig.get('healthCheckPath'), "'/healthz'");
      assert.equal(siteConfig.get('appCommandLine'), "'npm start'");
    });

    it('keeps the tables in a storage account without shared keys, TLS 1.2, no public blobs', () => {
      const storage = onlyBlock(bicep, 'Microsoft.Storage/storageAccounts');
      assert.equal(objectEntries(storage.body).get('kind'), "'StorageV2'");
      assert.equal(bicep.params.get('storageSku')?.defaultValue, "'Standard_LRS'");
      const props = objectAt(storage.body, ['properties']);
      assert.equal(props.get('allowSharedKeyAccess'), 'false');
      assert.equal(props.get('minimumTlsVersion'), "'TLS1_2'");
      assert.equal(props.get('allowBlobPublicAccess'), 'false');
      assert.equal(props.get('supportsHttpsTrafficOnly'), 'true');
    });

    it('lets the web app\'s managed identity use the tables: Storage Table Data Contributor on the account', () => {
      const roleVar = [...bicep.vars].find(([, v]) => literal(v) === TABLE_DATA_CONTRIBUTOR)?.[0];
      assert.ok(roleVar, 'a variable holding the Storage Table Data Contributor role id');
      const storageSymbol = onlyBlock(bicep, 'Microsoft.Storage/storageAccounts').symbol;
      const webAppSymbol = onlyBlock(bicep, 'Microsoft.Web/sites').symbol;
      const grants = blocksOfType(bicep, 'Microsoft.Authorization/roleAssignments').filter((b) => objectEntries(b.body).get('scope') === storageSymbol);
      assert.equal(grants.length, 1, 'one role assignment on the storage account');
      const props = objectAt(grants[0]!.body, ['properties']);
      assert.equal(props.get('roleDefinitionId'), `subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ${roleVar})`);
      assert.equal(props.get('principalId'), `${webAppSymbol}.identity.principalId`);
      assert.equal(props.get('principalType'), "'ServicePrincipal'");
    });

    it('sets, as app settings, every variable a deployed bot needs (derived from src/config.ts)', () => {
      const required = productionRequiredKeys();
      for (const key of ['BOT_ID', 'BOT_TENANT_ID', 'BOT_PASSWORD', 'TABLES_ENDPOINT', 'ROSTER_FILE']) assert.ok(required.includes(key), `${key} should be required in production`);
      for (const key of [...required, ...ALSO_REQUIRED]) assert.ok(unconditional.includes(key), `app setting ${key} missing from infra/azure.bicep`);
      assert.equal(appSettings.get('TABLES_ENDPOINT')?.expr, `${onlyBlock(bicep, 'Microsoft.Storage/storageAccounts').symbol}.properties.primaryEndpoints.table`);
      assert.equal(literal(appSettings.get('BOT_TYPE')?.expr), 'SingleTenant');
    });

    it('and those settings make a valid production configuration, with the store by managed identity', () => {
      const env: Env = Object.fromEntries(unconditional.map((name) => [name, sampleValue(appSettings.get(name)!.expr)]));
      const config = loadConfig(env);
      assert.equal(config.localMode, false);
      assert.deepEqual(config.tables, { kind: 'endpoint', endpoint: 'https://stsstabc123.table.core.windows.net' });
      assert.equal(config.bot?.type, 'SingleTenant');
      assert.equal(config.publicUrl, 'https://sst-abc123.azurewebsites.net');
      assert.equal(config.host, '0.0.0.0');
      assert.equal(config.instanceCount, 2, 'INSTANCE_COUNT follows the instanceCount parameter (the tenant send budget is divided by it)');
    });

    it('sets nothing the bot does not read, and nothing local-only', () => {
      const known = new Set<string>([...envKeys(), ...PLATFORM_SETTINGS]);
      for (const name of appSettings.keys()) {
        assert.ok(known.has(name), `app setting ${name} is neither in envSchema nor a platform setting`);
        assert.ok(!LOCAL_ONLY.includes(name), `app setting ${name} must not be set on the deployed bot`);
      }
    });

    it('keeps secrets out: the client secret is a secure parameter kept in Key Vault, read through a Key Vault reference', () => {
      const secret = bicep.params.get('botAadAppClientSecret')!;
      assert.match(secret.decorators, /@secure\(\)/);
      assert.equal(secret.defaultValue, undefined);
      assert.equal(appSettings.get('BOT_PASSWORD')?.expr, 'botPasswordReference');
      const kvSecret = onlyBlock(bicep, 'Microsoft.KeyVault/vaults/secrets');
      // The versionless URI of the secret resource itself: the reference cannot name a secret this template does not write.
      assert.equal(literal(bicep.vars.get('botPasswordReference')), `@Microsoft.KeyVault(SecretUri=\${${kvSecret.symbol}.properties.secretUri})`);
      assert.equal(objectEntries(kvSecret.body).get('name'), 'botSecretName');
      assert.equal(objectAt(kvSecret.body, ['properties']).get('value'), 'botAadAppClientSecret');
      // botAadAppClientSecret is used nowhere else.
      assert.equal(bicep.text.match(/botAadAppClientSecret/g)!.length, 2);
      assert.equal(objectAt(onlyBlock(bicep, 'Microsoft.KeyVault/vaults').body, ['properties']).get('enableRbacAuthorization'), 'true');
      const readerVar = [...bicep.vars].find(([, v]) => literal(v) === KEY_VAULT_SECRETS_USER)?.[0];
      const kvGrant = blocksOfType(bicep, 'Microsoft.Authorization/roleAssignments').find((b) => objectEntries(b.body).get('scope') === 'keyVault');
      assert.ok(readerVar && kvGrant && objectAt(kvGrant.body, ['properties']).get('roleDefinitionId')!.includes(readerVar), 'Key Vault Secrets User for the web app');
      const settingsBlock = blocksOfType(bicep, 'Microsoft.Web/sites/config').find((b) => literal(objectEntries(b.body).get('name')) === 'appsettings')!;
      const dependsOn = objectEntries(settingsBlock.body).get('dependsOn') ?? '';
      assert.match(dependsOn, /secretReaderRole/);
      assert.match(dependsOn, /tableDataRole/);

      for (const text of [bicep.text, botBicep.text, read('infra', 'azure.parameters.json')]) {
        // No account key, no SAS, no secret or password given as a literal.
        assert.doesNotMatch(text, /AccountKey=|listKeys\(|SharedAccessSignature|[?&;]sig=|(secret|password)\w*:\s*'/i);
      }
      for (const [name, out] of bicep.outputs) {
        assert.doesNotMatch(name, /SECRET|PASSWORD|KEY$|CONNECTION/i);
        assert.doesNotMatch(out.value, /Secret|ConnectionString|listKeys/);
      }
    });

    it('contains no GUID but the ids of built-in roles', () => {
      const guids = [...bicep.text.matchAll(GUID), ...botBicep.text.matchAll(GUID)].map((m) => m[0].toLowerCase());
      assert.deepEqual([...new Set(guids)].sort(), [KEY_VAULT_SECRETS_USER, MONITORING_METRICS_PUBLISHER, TABLE_DATA_CONTRIBUTOR].sort());
    });

    it('sends logs and telemetry to a Log Analytics workspace (workspace-based Application Insights)', () => {
      const appInsights = onlyBlock(bicep, 'Microsoft.Insights/components');
      const workspace = onlyBlock(bicep, 'Microsoft.OperationalInsights/workspaces');
      assert.equal(objectAt(appInsights.body, ['properties']).get('WorkspaceResourceId'), `${workspace.symbol}.id`);
      assert.equal(appSettings.get('APPLICATIONINSIGHTS_CONNECTION_STRING')?.expr, `${appInsights.symbol}.properties.ConnectionString`);
      const diagnostics = blocksOfType(bicep, 'Microsoft.Insights/diagnosticSettings').find((b) => objectEntries(b.body).get('scope') === 'webApp');
      assert.ok(diagnostics && /AppServiceConsoleLogs/.test(diagnostics.body), 'the bot\'s stdout goes to the workspace');
    });

    it('outputs what teamsapp.yml and the manifest use', () => {
      for (const name of ['BOT_AZURE_APP_SERVICE_RESOURCE_ID', 'BOT_DOMAIN', 'BOT_ENDPOINT']) assert.ok(bicep.outputs.has(name), `output ${name}`);
      assert.equal(bicep.outputs.get('BOT_DOMAIN')!.value, 'webApp.properties.defaultHostName');
    });
  });

  describe('infra/botRegistration/azurebot.bicep', () => {
    const bot = onlyBlock(botBicep, 'Microsoft.BotService/botServices');

    it('is called by azure.bicep with every parameter it needs, and only those', () => {
      const module = bicep.blocks.find((b) => b.kind === 'module')!;
      assert.equal(module.type, './botRegistration/azurebot.bicep');
      const given = [...objectAt(module.body, ['params']).keys()].sort();
      const required = [...botBicep.params.values()].filter((p) => p.defaultValue === undefined).map((p) => p.name);
      for (const name of required) assert.ok(given.includes(name), `module parameter ${name} not given`);
      for (const name of given) assert.ok(botBicep.params.has(name), `azurebot.bicep has no parameter ${name}`);
    });

    it('registers a single-tenant Azure Bot whose messaging endpoint is the web app', () => {
      assert.equal(objectEntries(bot.body).get('kind'), "'azurebot'");
      const props = objectAt(bot.body, ['properties']);
      assert.equal(props.get('msaAppType'), "'SingleTenant'");
      assert.equal(props.get('msaAppId'), 'botAadAppClientId');
      assert.equal(props.get('msaAppTenantId'), 'botTenantId');
      assert.equal(props.get('endpoint'), "'https://${botAppDomain}/api/messages'");
      assert.equal(objectAt(bot.body, ['sku']).get('name'), 'botServiceSku');
      assert.match(botBicep.params.get('botServiceSku')!.decorators, /'F0'[\s\S]*'S1'/);
    });

    it('keeps the bot\'s data in the EU by default (regional bot, westeurope), global only on request', () => {
      assert.equal(objectEntries(bot.body).get('location'), 'botLocation');
      assert.equal(botBicep.vars.get('botLocation'), "botDataResidency == 'europe' ? 'westeurope' : 'global'");
      assert.equal(botBicep.params.get('botDataResidency')!.defaultValue, "'europe'");
      assert.equal(bicep.params.get('botDataResidency')!.defaultValue, "'europe'");
    });

    it('connects the Teams channel', () => {
      const channel = onlyBlock(botBicep, 'Microsoft.BotService/botServices/channels');
      assert.equal(objectEntries(channel.body).get('parent'), bot.symbol);
      assert.equal(literal(objectEntries(channel.body).get('name')), 'MsTeamsChannel');
      assert.equal(objectEntries(channel.body).get('location'), 'botLocation');
      assert.equal(objectAt(channel.body, ['properties']).get('channelName'), "'MsTeamsChannel'");
      assert.equal(objectAt(channel.body, ['properties', 'properties']).get('isEnabled'), 'true');
    });
  });

  describe('infra/azure.parameters.json', () => {
    const given = parametersFile.parameters;

    it('names only parameters of azure.bicep, and gives every one without a default', () => {
      for (const name of Object.keys(given)) assert.ok(bicep.params.has(name), `azure.bicep has no parameter ${name}`);
      for (const p of bicep.params.values()) if (p.defaultValue === undefined) assert.ok(p.name in given, `parameter ${p.name} has no value`);
    });

    it('takes ids and the secret from the environment (placeholders), never literally', () => {
      assert.equal(given.botAadAppClientId!.value, '${{BOT_ID}}');
      assert.equal(given.botAadAppClientSecret!.value, '${{SECRET_BOT_PASSWORD}}');
      assert.equal(given.botTenantId!.value, '${{BOT_TENANT_ID}}');
      assert.doesNotMatch(JSON.stringify(given), GUID);
    });

    it('uses only variables env/.env.dev declares (secrets: the git-ignored env/.env.dev.user)', () => {
      for (const name of placeholders(JSON.stringify(given))) {
        if (name.startsWith('SECRET_')) continue;
        assert.ok(name in devEnv, `\${{${name}}} is not declared in env/.env.dev`);
      }
    });
  });

  describe('teamsapp.yml and teamsapp.local.yml (Microsoft 365 Agents Toolkit)', () => {
    it('teamsapp.yml provisions, deploys and publishes as the toolkit templates do', () => {
      assert.deepEqual(actionsOf(teamsappYml, 'provision'), [
        'teamsApp/create',
        'aadApp/create',
        'script',
        'arm/deploy',
        'cli/runNpmCommand',
        'teamsApp/validateManifest',
        'teamsApp/zipAppPackage',
        'teamsApp/validateAppPackage',
        'teamsApp/update',
      ]);
      assert.deepEqual(actionsOf(teamsappYml, 'deploy'), ['cli/runNpmCommand', 'cli/runNpmCommand', 'azureAppService/zipDeploy']);
      assert.equal(actionsOf(teamsappYml, 'publish').at(-1), 'teamsApp/publishAppPackage');
      assert.match(teamsappYml, /- path: \.\/infra\/azure\.bicep\n\s+#[^\n]*\n\s+parameters: \.\/infra\/azure\.parameters\.json/);
      assert.match(teamsappYml, /args: run package -- --env \$\{\{TEAMSFX_ENV\}\}/);
    });

    it('teamsapp.yml deploys to the App Service that azure.bicep outputs, leaving node_modules and secrets out', () => {
      const resourceId = /resourceId: \$\{\{(\w+)\}\}/.exec(teamsappYml)?.[1];
      assert.ok(resourceId && bicep.outputs.has(resourceId), `zipDeploy resourceId ${resourceId} should be an output of azure.bicep`);
      const ignoreFile = /ignoreFile: (\S+)/.exec(teamsappYml)![1]!;
      const ignored = read(ignoreFile).split('\n');
      for (const pattern of ['node_modules/', '.localConfigs', 'env/', '*.user', '.data/']) assert.ok(ignored.includes(pattern), `${ignoreFile} should list ${pattern}`);
    });

    it('creates a single-tenant Entra app whose id is the manifest\'s bot id and the Bicep\'s msaAppId', () => {
      for (const yml of [teamsappYml, teamsappLocalYml]) {
        assert.match(yml, /- uses: aadApp\/create\n\s+with:\n(?:\s+\S.*\n)*?\s+signInAudience: AzureADMyOrg\n/);
        assert.match(yml, /clientId: BOT_ID\n\s+clientSecret: SECRET_BOT_PASSWORD\n/);
      }
      const manifest = JSON.parse(manifestText) as { bots: Array<{ botId: string }> };
      assert.equal(manifest.bots[0]!.botId, '${{BOT_ID}}');
      assert.equal(parametersFile.parameters.botAadAppClientId!.value, '${{BOT_ID}}');
    });

    it('teamsapp.local.yml registers the bot for the dev tunnel and writes the runtime settings to .localConfigs', () => {
      assert.deepEqual(actionsOf(teamsappLocalYml, 'provision').slice(0, 4), ['script', 'teamsApp/create', 'aadApp/create', 'botFramework/create']);
      assert.match(teamsappLocalYml, /messagingEndpoint: \$\{\{BOT_ENDPOINT\}\}\/api\/messages/);
      assert.match(teamsappLocalYml, /channels:\n\s+- name: msteams/);
      const envFile = /- uses: file\/createOrUpdateEnvironmentFile\n\s+with:\n\s+target: (\S+)\n\s+envs:\n((?:\s{8,}.*\n?)+)/.exec(teamsappLocalYml);
      assert.ok(envFile, 'file/createOrUpdateEnvironmentFile');
      assert.equal(envFile[1], './.localConfigs');
      const written = Object.fromEntries([...envFile[2]!.matchAll(/^\s+([A-Z_]+): (.*)$/gm)].map((m) => [m[1]!, m[2]!]));
      for (const key of Object.keys(written)) assert.ok(envKeys().includes(key as never), `.localConfigs gets ${key}, which the bot does not read`);
      // What the bot gets locally is a valid production configuration (BOT_ID set: no embedded store).
      const sample: Env = Object.fromEntries(Object.entries(written).map(([k, v]) => [k, v.includes('${{') ? (PRODUCTION_SAMPLE[k] ?? 'https://abc-3978.euw.devtunnels.ms') : v]));
      sample.ROSTER_FILE = localEnv.ROSTER_FILE;
      assert.equal(loadConfig(sample).tables.kind, 'connectionString');
    });

    for (const [file, yml, env] of [['teamsapp.yml', teamsappYml, devEnv], ['teamsapp.local.yml', teamsappLocalYml, localEnv]] as const) {
      it(`${file} uses only variables that are declared, written by an earlier action, or output by azure.bicep`, () => {
        const known = new Set([...Object.keys(env), ...writtenVars(yml), ...bicep.outputs.keys(), ...TOOLKIT_VARS]);
        for (const name of placeholders(yml)) {
          if (name.startsWith('SECRET_')) continue;
          assert.ok(known.has(name), `\${{${name}}} in ${file} comes from nowhere`);
        }
      });
    }
  });

  describe('committed environment files and the manifest', () => {
    it('the manifest\'s ids are placeholders filled per environment, never real ids', () => {
      const manifest = JSON.parse(manifestText) as { id: string; bots: Array<{ botId: string }>; validDomains: string[] };
      assert.equal(manifest.id, '${{TEAMS_APP_ID}}');
      assert.equal(manifest.bots[0]!.botId, '${{BOT_ID}}');
      assert.deepEqual(manifest.validDomains, ['${{BOT_DOMAIN}}']);
      assert.ok(bicep.outputs.has('BOT_DOMAIN'), 'provision fills BOT_DOMAIN');
      assert.doesNotMatch(manifestText, GUID);
    });

    it('env/.env.dev and env/.env.local hold no secrets; *.user files are git-ignored', () => {
      for (const vars of [devEnv, localEnv]) {
        for (const [key, value] of Object.entries(vars)) {
          assert.doesNotMatch(key, /PASSWORD|SECRET|KEY$|CONNECTION/i);
          assert.doesNotMatch(value, /AccountKey=|SharedAccessSignature|DefaultEndpointsProtocol/i);
        }
        for (const id of ['BOT_ID', 'TEAMS_APP_ID']) assert.ok(vars[id] === '' || /^0{8}-(0{4}-){3}0{12}$/.test(vars[id]!), `${id} must be empty or fake in a committed file`);
      }
      const gitignore = read('.gitignore').split('\n');
      assert.ok(gitignore.includes('env/.env.*.user') || gitignore.includes('*.user'), '.gitignore must ignore env/.env.*.user');
      assert.ok(existsSync(path.join(ROOT, 'infra', '.webappignore')));
    });
  });

  describe('docs/configuration.md', () => {
    const doc = read('docs', 'configuration.md');

    it('is what scripts/env-table.ts prints (regenerate: npx tsx scripts/env-table.ts --write)', () => {
      assert.equal(path.relative(ROOT, CONFIGURATION_DOC), path.join('docs', 'configuration.md'));
      assert.equal(doc, configurationDoc());
    });

    it('lists exactly the keys of envSchema, each with its description', () => {
      const listed = [...doc.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
      assert.deepEqual(listed, envKeys());
      for (const key of envKeys()) {
        const description = (envSchema.shape[key] as { description?: string }).description;
        assert.ok(description, `${key} has no .describe() in src/config.ts`);
      }
    });

    it('marks as required when deployed exactly what loadConfig refuses to start without', () => {
      const required = [...doc.matchAll(/^\| `([A-Z_]+)` \| [^|]* \| yes \|/gm)].map((m) => m[1]);
      assert.deepEqual(required.sort(), productionRequiredKeys().sort());
    });
  });
});
