import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { allDependencies, blocksOfType, directDependencies, literal, objectAt, objectEntries, objectLiterals, onlyBlock, parseBicep, stripComments, type BicepBlock } from './bicep';

/**
 * infra/azure.bicep's security and ordering, read with the parser in ./bicep.ts (no Bicep compiler is available
 * offline): private endpoints and default-deny rules, VNet integration, deploy credentials, logs, Application
 * Insights auth, the Key Vault name, and the order of the writes that change the running web app.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const read = (...p: string[]) => readFileSync(path.join(ROOT, ...p), 'utf8');
const source = read('infra', 'azure.bicep');
const bicep = parseBicep(source);

const props = (b: BicepBlock) => objectAt(b.body, ['properties']);
const entry = (b: BicepBlock, key: string) => objectEntries(b.body).get(key);
const storage = onlyBlock(bicep, 'Microsoft.Storage/storageAccounts');
const keyVault = onlyBlock(bicep, 'Microsoft.KeyVault/vaults');
const webApp = onlyBlock(bicep, 'Microsoft.Web/sites');
const vnet = onlyBlock(bicep, 'Microsoft.Network/virtualNetworks');
const appInsights = onlyBlock(bicep, 'Microsoft.Insights/components');
const workspace = onlyBlock(bicep, 'Microsoft.OperationalInsights/workspaces');
const siteConfig = (name: string) => blocksOfType(bicep, 'Microsoft.Web/sites/config').find((b) => literal(entry(b, 'name')) === name)!;
const diagnosticsOf = (symbol: string) => blocksOfType(bicep, 'Microsoft.Insights/diagnosticSettings').filter((b) => entry(b, 'scope') === symbol);
/** The log categories a diagnostic setting turns on (metrics left aside). */
const categories = (b: BicepBlock) => [...(props(b).get('logs') ?? '').matchAll(/category: '(\w+)'\s*\n\s*enabled: true/g)].map((m) => m[1]!);

/** The subnets declared in the virtual network: name → properties (as entries). */
function subnets(): Map<string, Map<string, string>> {
  const list = objectAt(vnet.body, ['properties']).get('subnets')!;
  return new Map(
    objectLiterals(list.slice(1, -1)).map((element) => {
      const e = objectEntries(element);
      return [literal(bicep.vars.get(e.get('name')!)) ?? literal(e.get('name'))!, objectEntries(e.get('properties')!.slice(1, -1))];
    }),
  );
}
/** `'${vnet.id}/subnets/${someVar}'` → the subnet name. */
function subnetNameOf(expr: string | undefined): string | undefined {
  const m = /^'\$\{(\w+)\.id\}\/subnets\/\$\{(\w+)\}'$/.exec(expr ?? '');
  return m && m[1] === vnet.symbol ? literal(bicep.vars.get(m[2]!)) : undefined;
}

describe('infra/azure.bicep: network, credentials, logs and order', () => {
  describe('private endpoints and default-deny network rules', () => {
    it('the storage account denies by default and is private unless operator IPs are given (none by default)', () => {
      const p = props(storage);
      assert.equal(p.get('publicNetworkAccess'), "empty(tableOperatorIpRanges) ? 'Disabled' : 'Enabled'");
      assert.equal(bicep.params.get('tableOperatorIpRanges')?.defaultValue, '[]');
      const acls = objectAt(storage.body, ['properties', 'networkAcls']);
      assert.equal(acls.get('defaultAction'), "'Deny'");
      assert.equal(acls.get('bypass'), "'None'");
      assert.match(acls.get('ipRules')!, /^\[for range in tableOperatorIpRanges: \{\s*value: range\s*action: 'Allow'\s*\}\]$/);
      assert.equal(acls.get('virtualNetworkRules'), '[]');
      assert.equal(props(storage).get('allowSharedKeyAccess'), 'false');
    });

    it('the Key Vault takes no public traffic at all', () => {
      const p = props(keyVault);
      assert.equal(p.get('publicNetworkAccess'), "'Disabled'");
      const acls = objectAt(keyVault.body, ['properties', 'networkAcls']);
      assert.equal(acls.get('defaultAction'), "'Deny'");
      assert.equal(acls.get('bypass'), "'None'");
      assert.equal(acls.get('ipRules'), '[]');
      assert.equal(acls.get('virtualNetworkRules'), '[]');
    });

    for (const [target, groupId, zone] of [
      [storage, 'table', "'privatelink.table.${environment().suffixes.storage}'"],
      [keyVault, 'vault', "'privatelink.vaultcore.azure.net'"],
    ] as const) {
      it(`${target.symbol} has a private endpoint (${groupId}) in the endpoint subnet, with its private DNS zone linked to the network`, () => {
        const endpoints = blocksOfType(bicep, 'Microsoft.Network/privateEndpoints').filter((b) => props(b).get('privateLinkServiceConnections')!.includes(`privateLinkServiceId: ${target.symbol}.id`));
        assert.equal(endpoints.length, 1, `one private endpoint for ${target.symbol}`);
        const pe = endpoints[0]!;
        assert.match(props(pe).get('privateLinkServiceConnections')!, new RegExp(`groupIds: \\[\\s*'${groupId}'\\s*\\]`));
        assert.equal(subnetNameOf(objectAt(pe.body, ['properties', 'subnet']).get('id')), 'private-endpoints');
        const group = blocksOfType(bicep, 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups').find((b) => entry(b, 'parent') === pe.symbol);
        assert.ok(group, `a privateDnsZoneGroup on ${pe.symbol}`);
        const zoneSymbol = /privateDnsZoneId: (\w+)\.id/.exec(group.body)?.[1];
        const zoneBlock = blocksOfType(bicep, 'Microsoft.Network/privateDnsZones').find((b) => b.symbol === zoneSymbol)!;
        assert.ok(zoneBlock, 'the group points at a private DNS zone of this template');
        const zoneName = entry(zoneBlock, 'name')!;
        assert.equal(bicep.vars.get(zoneName) ?? zoneName, zone);
        const link = blocksOfType(bicep, 'Microsoft.Network/privateDnsZones/virtualNetworkLinks').find((b) => entry(b, 'parent') === zoneSymbol);
        assert.ok(link, `${zoneSymbol} is linked to a network`);
        assert.equal(objectAt(link.body, ['properties', 'virtualNetwork']).get('id'), `${vnet.symbol}.id`);
        assert.equal(props(link).get('registrationEnabled'), 'false');
      });
    }

    it('the web app is integrated into the delegated app subnet and routes all outbound traffic through it, to the internet by the NAT gateway', () => {
      assert.equal(subnetNameOf(props(webApp).get('virtualNetworkSubnetId')), 'app');
      assert.equal(objectAt(webApp.body, ['properties', 'siteConfig']).get('vnetRouteAllEnabled'), 'true');
      const all = subnets();
      assert.deepEqual([...all.keys()].sort(), ['app', 'private-endpoints']);
      const app = all.get('app')!;
      assert.match(app.get('delegations')!, /serviceName: 'Microsoft\.Web\/serverFarms'/);
      const nat = onlyBlock(bicep, 'Microsoft.Network/natGateways');
      assert.match(app.get('natGateway')!, new RegExp(`id: ${nat.symbol}\\.id`));
      const ip = onlyBlock(bicep, 'Microsoft.Network/publicIPAddresses');
      assert.match(props(nat).get('publicIpAddresses')!, new RegExp(`id: ${ip.symbol}\\.id`));
      assert.equal(objectAt(ip.body, ['sku']).get('name'), "'Standard'");
      assert.equal(all.get('private-endpoints')!.get('privateEndpointNetworkPolicies'), "'Disabled'");
    });
  });

  describe('deployment credentials', () => {
    it('FTP and SCM basic auth are both off, and FTPS too', () => {
      const policies = blocksOfType(bicep, 'Microsoft.Web/sites/basicPublishingCredentialsPolicies');
      assert.deepEqual(policies.map((b) => literal(entry(b, 'name'))).sort(), ['ftp', 'scm']);
      for (const b of policies) {
        assert.equal(entry(b, 'parent'), webApp.symbol);
        assert.equal(props(b).get('allow'), 'false', `${literal(entry(b, 'name'))} basic auth`);
      }
      assert.equal(objectAt(webApp.body, ['properties', 'siteConfig']).get('ftpsState'), "'Disabled'");
    });
  });

  describe('Application Insights', () => {
    it('has local auth off: telemetry only with an Entra ID token', () => {
      assert.equal(props(appInsights).get('DisableLocalAuth'), 'true');
      assert.equal(props(appInsights).get('WorkspaceResourceId'), `${workspace.symbol}.id`);
    });

    it('the app sends telemetry only with request telemetry on, and then with its managed identity (Monitoring Metrics Publisher)', () => {
      assert.equal(bicep.params.get('enableRequestTelemetry')?.defaultValue, 'false');
      assert.equal(bicep.vars.get('telemetryAppSettings'), `enableRequestTelemetry ? {\n  ApplicationInsightsAgent_EXTENSION_VERSION: '~3'\n  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'\n} : {}`);
      for (const [name, value] of bicep.vars) {
        if (name !== 'telemetryAppSettings') assert.doesNotMatch(value, /ApplicationInsightsAgent_EXTENSION_VERSION|InstrumentationKey/, `${name} turns the agent on unconditionally`);
      }
      const role = blocksOfType(bicep, 'Microsoft.Authorization/roleAssignments').find((b) => entry(b, 'scope') === appInsights.symbol);
      assert.ok(role, 'a role assignment on Application Insights');
      assert.match(source, new RegExp(`resource ${role.symbol} '[^']+' = if \\(enableRequestTelemetry\\) \\{`));
      assert.equal(literal(bicep.vars.get(/roleDefinitions', (\w+)\)/.exec(props(role).get('roleDefinitionId')!)![1]!)), '3913510d-42f4-4e42-8a64-420c390055eb');
      assert.equal(props(role).get('principalId'), `${webApp.symbol}.identity.principalId`);
      // The bot itself has no telemetry SDK that could send with the key alone.
      const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
      for (const sdk of ['applicationinsights', '@azure/monitor-opentelemetry', '@azure/monitor-opentelemetry-exporter']) assert.ok(!(sdk in pkg.dependencies), `${sdk} in dependencies`);
    });
  });

  describe('logs', () => {
    it('Key Vault audit events go to the workspace', () => {
      const [d] = diagnosticsOf(keyVault.symbol);
      assert.ok(d, 'a diagnostic setting on the Key Vault');
      assert.equal(props(d).get('workspaceId'), `${workspace.symbol}.id`);
      assert.deepEqual(categories(d), ['AuditEvent']);
    });

    it('table reads, writes and deletes go to the workspace, as the comment above says', () => {
      const tableService = onlyBlock(bicep, 'Microsoft.Storage/storageAccounts/tableServices');
      const [d] = diagnosticsOf(tableService.symbol);
      assert.ok(d, 'a diagnostic setting on the table service');
      assert.equal(props(d).get('workspaceId'), `${workspace.symbol}.id`);
      assert.deepEqual(categories(d).sort(), ['StorageDelete', 'StorageRead', 'StorageWrite']);
      const comment = /((?:\/\/.*\n)+)resource \w+ 'Microsoft\.Insights\/diagnosticSettings@[^']+' = \{\n  name: '[^']+'\n  scope: tableService/.exec(source)?.[1] ?? '';
      assert.match(comment, /read/);
    });

    it('no HTTP logs anywhere (they record the token-bearing paths of the download and invitation links)', () => {
      const logs = siteConfig('logs');
      assert.equal(objectAt(logs.body, ['properties', 'httpLogs', 'fileSystem']).get('enabled'), 'false');
      for (const d of blocksOfType(bicep, 'Microsoft.Insights/diagnosticSettings')) assert.ok(!categories(d).includes('AppServiceHTTPLogs'), `${d.symbol} sends AppServiceHTTPLogs`);
      assert.deepEqual(categories(diagnosticsOf(webApp.symbol)[0]!).sort(), ['AppServiceConsoleLogs', 'AppServicePlatformLogs']);
      // The routes that carry a token in the path (src/server.ts): if they change, this reasoning must be redone.
      const server = read('src', 'server.ts');
      assert.match(server, /server\.get\('\/api\/downloads\/:file'/);
      assert.match(server, /server\.get\('\/api\/meetings\/:teamId\/:meetingId\/:file'/);
    });
  });

  describe('Key Vault name and re-provisioning', () => {
    it('is unique per environment (a seed parameter), so a purge-protected vault of a deleted resource group does not block the name', () => {
      assert.equal(props(keyVault).get('enablePurgeProtection'), 'true');
      assert.equal(entry(keyVault, 'name'), 'keyVaultName');
      const name = bicep.vars.get('keyVaultName')!;
      assert.match(name, /uniqueString\(resourceGroup\(\)\.id, keyVaultNameSeed\)/);
      const seed = bicep.params.get('keyVaultNameSeed')!;
      assert.equal(seed.defaultValue, undefined, 'no default: a default would be the same for every re-created resource group');
      assert.match(seed.decorators, /@minLength\(4\)/);
      const parameters = JSON.parse(read('infra', 'azure.parameters.json')) as { parameters: Record<string, { value: string }> };
      assert.equal(parameters.parameters.keyVaultNameSeed?.value, '${{KEY_VAULT_NAME_SEED}}');
    });

    it('the name fits Key Vault\'s rules for the longest base name (3–24 letters, digits and single hyphens)', () => {
      const longest = 'a'.repeat(Number(/@maxLength\((\d+)\)/.exec(bicep.params.get('resourceBaseName')!.decorators)![1]));
      for (const base of ['sst', 'sstdev', longest]) {
        const m = /^take\('kv-\$\{toLower\(resourceBaseName\)\}-\$\{uniqueString\(resourceGroup\(\)\.id, keyVaultNameSeed\)\}', (\d+)\)$/.exec(bicep.vars.get('keyVaultName')!);
        assert.ok(m, bicep.vars.get('keyVaultName'));
        const name = `kv-${base}-${'x1y2z3w4v5u6t'}`.slice(0, Number(m[1]));
        assert.match(name, /^[a-z][a-z0-9-]{1,22}[a-z0-9]$/);
        assert.doesNotMatch(name, /--/);
        assert.ok(name.length - `kv-${base}-`.length >= 8, `${name}: at least 8 characters of the unique part`);
      }
    });
  });

  describe('order of the writes', () => {
    it('the app settings wait for the secret, the roles and the private endpoints\' DNS, so the Key Vault reference resolves and the store is reachable at the first start', () => {
      const settings = siteConfig('appsettings');
      const deps = allDependencies(bicep, settings.symbol);
      for (const type of ['Microsoft.KeyVault/vaults/secrets', 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups', 'Microsoft.Network/privateDnsZones/virtualNetworkLinks', 'Microsoft.Authorization/roleAssignments']) {
        for (const b of blocksOfType(bicep, type)) assert.ok(deps.has(b.symbol), `appsettings should wait for ${b.symbol}`);
      }
      assert.match(objectEntries(settings.body).get('dependsOn')!, /botSecret/);
    });

    it('every write to the web app (config, publishing credentials) waits for the one before: no two run in parallel', () => {
      const writes = bicep.blocks.filter((b) => b.type.startsWith('Microsoft.Web/sites/') && entry(b, 'parent') === webApp.symbol);
      assert.ok(writes.length >= 4, writes.map((b) => b.symbol).join());
      for (const a of writes) {
        for (const b of writes) {
          if (a === b) continue;
          assert.ok(allDependencies(bicep, a.symbol).has(b.symbol) || allDependencies(bicep, b.symbol).has(a.symbol), `${a.symbol} and ${b.symbol} may run at the same time`);
        }
      }
      // The dependency reader itself: a block with no dependsOn still depends on what it names.
      assert.ok(directDependencies(bicep, onlyBlock(bicep, 'Microsoft.Web/serverfarms')).size === 0);
      assert.ok(directDependencies(bicep, webApp).has(vnet.symbol), 'the web app waits for the network it is integrated into');
    });
  });

  describe('Bicep syntax the pinned compiler (teamsapp.yml bicepCliVersion) understands', () => {
    it('no syntax newer than Bicep v0.9.1 in infra/', () => {
      const version = /bicepCliVersion: (v[\d.]+)/.exec(read('teamsapp.yml'))?.[1];
      assert.equal(version, 'v0.9.1', 'the pinned Bicep CLI changed: revisit the syntax list below');
      const files = ['azure.bicep', ...readdirSync(path.join(ROOT, 'infra', 'botRegistration')).map((f) => path.join('botRegistration', f))];
      for (const file of files.filter((f) => f.endsWith('.bicep'))) {
        const code = stripComments(read('infra', file)).replace(/'(?:[^'\\]|\\.)*'/g, "''");
        for (const [what, re] of [
          ['?? (null coalescing)', /\?\?/],
          ['.? (safe dereference)', /\.\?/],
          ['lambda (=>)', /=>/],
          ['user-defined type', /^type /m],
          ['user-defined function', /^func /m],
          ['import', /^import /m],
          ['nullable type or ! assertion', /\w!\./],
        ] as const) {
          assert.doesNotMatch(code, re, `${file} uses ${what}`);
        }
      }
    });
  });
});
