// Skolsocialt team bot on Azure, in the EU.
//
//   App Service (Linux, Node 22 LTS) with a system-assigned managed identity, integrated into a virtual network
//     (all outbound traffic through it, to the internet through a NAT gateway)
//   Storage account whose Table service is the bot's only store (Entra ID only: shared keys are off), reached
//     through a private endpoint; its public endpoint denies everything by default
//   Key Vault holding the bot's client secret (the app reads it through a Key Vault reference), reached through a
//     private endpoint only
//   Log Analytics workspace + workspace-based Application Insights (local auth off: Entra ID only); Key Vault audit
//     events and table reads, writes and deletes go to the workspace
//   Azure Bot (single tenant, Teams channel, EU data residency by default): ./botRegistration/azurebot.bicep
//
// Written for the Bicep CLI version pinned in teamsapp.yml (bicepCliVersion, v0.9.1): no newer syntax
// (no ?? or .? operators, no lambdas, no user-defined types); test/infra/network.test.ts checks this.
//
// Deployed by `arm/deploy` in teamsapp.yml with infra/azure.parameters.json, or by hand:
//   az deployment group create -g <rg> -f infra/azure.bicep -p resourceBaseName=sst botAadAppClientId=<id> ...
// The app settings below are every variable src/config.ts needs when deployed; test/infra/deploy.test.ts keeps
// them in step with the config schema. Provision overwrites the app settings: change them here, not in the portal.

targetScope = 'resourceGroup'

@minLength(3)
@maxLength(12)
@description('Short lowercase name (letters and digits) used in every resource name, e.g. sst or sstdev. A suffix unique to the resource group is added.')
param resourceBaseName string

@description('Azure region of the app, its storage and its logs. Sweden Central keeps the data in Sweden (EU).')
param location string = 'swedencentral'

@description('App Service plan SKU. B1 suits one municipality; P0v3 or higher for zone redundancy and automatic scale-out.')
param webAppSku string = 'B1'

@description('Number of bot instances, 1 to 10 (a string so the toolkit can fill it from env/.env.<env>). They share the Table store and behave as one (docs/scale-out.md).')
param instanceCount string = '1'

@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
@description('Storage redundancy. Standard_ZRS (three zones in Sweden Central) is recommended for production; GRS/GZRS replicate to the paired region Sweden South.')
param storageSku string = 'Standard_LRS'

@minLength(4)
@maxLength(32)
@description('Random text chosen once per environment (KEY_VAULT_NAME_SEED, written by the first step of provision in teamsapp.yml) that makes the Key Vault name unique. Purge protection keeps a deleted vault\'s name taken for 90 days: after deleting the resource group, choose a new seed to provision again.')
param keyVaultNameSeed string

@description('Client (application) id of the bot\'s Entra app registration; aadApp/create in teamsapp.yml writes it to BOT_ID.')
param botAadAppClientId string

@secure()
@description('Client secret of the bot\'s Entra app registration. Stored in Key Vault; the app setting BOT_PASSWORD is a Key Vault reference, never the secret itself.')
param botAadAppClientSecret string

@description('Entra tenant of the single-tenant bot registration (the municipality\'s tenant).')
param botTenantId string = tenant().tenantId

@maxLength(42)
@description('Name of the bot shown in the Azure Bot resource.')
param botDisplayName string = 'Skolsocialt team'

@allowed([
  'F0'
  'S1'
])
@description('Azure Bot pricing tier. Teams is a standard channel: F0 is enough.')
param botServiceSku string = 'F0'

@allowed([
  'europe'
  'global'
])
@description('Data residency of the Azure Bot resource. europe = regional bot (location westeurope, channel service in Europe); global only if your tenant cannot use a regional bot.')
param botDataResidency string = 'europe'

@description('Path of the roster JSON on the App Service file system (/home persists across restarts and deployments). See docs/deploy.md "Load the roster".')
param rosterFile string = '/home/data/roster.json'

@description('Comma-separated Entra tenant ids allowed to use the bot (ALLOWED_TENANTS). Empty = only botTenantId. Set it in infra/azure.parameters.json only to add tenants (the toolkit refuses an empty placeholder).')
param allowedTenants string = ''

@description('Months a closed case is kept before it is purged (RETENTION_MONTHS), a whole number. Take it from the municipality\'s dokumenthanteringsplan.')
param retentionMonths string

@description('Read and write the social workers\' Outlook calendars through Microsoft Graph with the bot\'s app registration (needs the Calendars.ReadWrite application permission, docs/graph-calendar.md).')
param enableGraphCalendar bool = false

@allowed([
  'fatal'
  'error'
  'warn'
  'info'
  'debug'
  'trace'
  'silent'
])
param logLevel string = 'info'

@minValue(30)
@maxValue(730)
@description('Days the Log Analytics workspace keeps logs and telemetry.')
param logRetentionDays int = 30

@description('Address space of the virtual network the web app, the private endpoints and the NAT gateway use. Change it (and the two subnets) if it overlaps a network you peer with.')
param vnetAddressPrefix string = '10.240.0.0/24'

@description('Subnet the web app is integrated into (delegated to App Service; /26 leaves room for scale-out).')
param appSubnetPrefix string = '10.240.0.0/26'

@description('Subnet of the private endpoints of the storage account and the Key Vault.')
param privateEndpointSubnetPrefix string = '10.240.0.64/26'

@description('Public IP addresses or CIDR ranges allowed to reach the Table service from outside the virtual network, e.g. the machine that runs the backups (docs/operate.md). Empty = the private endpoint only (public network access disabled).')
param tableOperatorIpRanges array = []

@description('Application Insights request, dependency and exception telemetry from the App Service agent, sent with the web app\'s managed identity (Entra ID; local auth is off). Off by default: the agent records request URLs, and the download and invitation links carry their token in the path.')
param enableRequestTelemetry bool = false

@description('Tags put on every resource.')
param tags object = {
  application: 'skolsocialt-team-bot'
}

var suffix = take(uniqueString(resourceGroup().id, resourceBaseName), 6)
var baseName = toLower('${resourceBaseName}-${suffix}')
var compactName = toLower(replace('${resourceBaseName}${suffix}', '-', ''))
var webAppName = baseName
var storageAccountName = take('st${compactName}', 24)
// Unique per environment (keyVaultNameSeed), not only per resource group: a re-created resource group gets the
// same uniqueString(resourceGroup().id), and the name of a purge-protected vault stays taken for 90 days.
var keyVaultName = take('kv-${toLower(resourceBaseName)}-${uniqueString(resourceGroup().id, keyVaultNameSeed)}', 24)
var botSecretName = 'bot-password'
// The versionless secret URI: App Service picks up a new version of the secret within a day (or at a restart).
var botPasswordReference = '@Microsoft.KeyVault(SecretUri=${botSecret.properties.secretUri})'
var appSubnetName = 'app'
var privateEndpointSubnetName = 'private-endpoints'
var tablesPrivateDnsZoneName = 'privatelink.table.${environment().suffixes.storage}'
var vaultPrivateDnsZoneName = 'privatelink.vaultcore.azure.net'

// Built-in roles (ids are the same in every tenant).
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

// ---------------------------------------------------------------------------------------------------------------
// Monitoring

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${baseName}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${baseName}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    IngestionMode: 'LogAnalytics'
    DisableLocalAuth: true // telemetry only with an Entra ID token (the web app's managed identity), never the key alone
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Network: the web app reaches the store and the vault through private endpoints; neither is public.

resource natPublicIp 'Microsoft.Network/publicIPAddresses@2023-09-01' = {
  name: 'pip-nat-${baseName}'
  location: location
  tags: tags
  sku: {
    name: 'Standard'
  }
  properties: {
    publicIPAllocationMethod: 'Static'
    publicIPAddressVersion: 'IPv4'
  }
}

// With all outbound traffic routed into the virtual network (vnetRouteAllEnabled, which Key Vault references
// through a private endpoint need on Linux), the bot reaches Teams, Entra ID and npm through this gateway.
resource natGateway 'Microsoft.Network/natGateways@2023-09-01' = {
  name: 'ng-${baseName}'
  location: location
  tags: tags
  sku: {
    name: 'Standard'
  }
  properties: {
    idleTimeoutInMinutes: 4
    publicIpAddresses: [
      {
        id: natPublicIp.id
      }
    ]
  }
}

// Subnets declared inside the network (not as child resources), so that a re-deployment does not race them.
resource vnet 'Microsoft.Network/virtualNetworks@2023-09-01' = {
  name: 'vnet-${baseName}'
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        vnetAddressPrefix
      ]
    }
    subnets: [
      {
        name: appSubnetName
        properties: {
          addressPrefix: appSubnetPrefix
          natGateway: {
            id: natGateway.id
          }
          delegations: [
            {
              name: 'app-service'
              properties: {
                serviceName: 'Microsoft.Web/serverFarms'
              }
            }
          ]
        }
      }
      {
        name: privateEndpointSubnetName
        properties: {
          addressPrefix: privateEndpointSubnetPrefix
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }
}

resource tablesDnsZone 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: tablesPrivateDnsZoneName
  location: 'global'
  tags: tags
}

resource vaultDnsZone 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: vaultPrivateDnsZoneName
  location: 'global'
  tags: tags
}

resource tablesDnsLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {
  parent: tablesDnsZone
  name: 'link-${vnet.name}'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}

resource vaultDnsLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {
  parent: vaultDnsZone
  name: 'link-${vnet.name}'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}

resource tablesPrivateEndpoint 'Microsoft.Network/privateEndpoints@2023-09-01' = {
  name: 'pe-table-${baseName}'
  location: location
  tags: tags
  properties: {
    subnet: {
      id: '${vnet.id}/subnets/${privateEndpointSubnetName}'
    }
    privateLinkServiceConnections: [
      {
        name: 'table'
        properties: {
          privateLinkServiceId: storage.id
          groupIds: [
            'table'
          ]
        }
      }
    ]
  }
}

resource tablesPrivateDns 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2023-09-01' = {
  parent: tablesPrivateEndpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: 'table'
        properties: {
          privateDnsZoneId: tablesDnsZone.id
        }
      }
    ]
  }
}

resource vaultPrivateEndpoint 'Microsoft.Network/privateEndpoints@2023-09-01' = {
  name: 'pe-vault-${baseName}'
  location: location
  tags: tags
  properties: {
    subnet: {
      id: '${vnet.id}/subnets/${privateEndpointSubnetName}'
    }
    privateLinkServiceConnections: [
      {
        name: 'vault'
        properties: {
          privateLinkServiceId: keyVault.id
          groupIds: [
            'vault'
          ]
        }
      }
    ]
  }
}

resource vaultPrivateDns 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2023-09-01' = {
  parent: vaultPrivateEndpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: 'vault'
        properties: {
          privateDnsZoneId: vaultDnsZone.id
        }
      }
    ]
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Table store: reached only with Entra ID (the web app's managed identity), never with an account key.

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: storageSku
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // The web app uses the private endpoint; the public endpoint is off, or open only to tableOperatorIpRanges.
    publicNetworkAccess: empty(tableOperatorIpRanges) ? 'Disabled' : 'Enabled'
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'None'
      ipRules: [for range in tableOperatorIpRanges: {
        value: range
        action: 'Allow'
      }]
      virtualNetworkRules: []
    }
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// ---------------------------------------------------------------------------------------------------------------
// Secret of the bot registration

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    // Only through the private endpoint. Writing the secret below is a control-plane (ARM) operation, which the
    // vault's network rules do not block.
    publicNetworkAccess: 'Disabled'
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'None'
      ipRules: []
      virtualNetworkRules: []
    }
  }
}

resource botSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: botSecretName
  properties: {
    value: botAadAppClientSecret
    contentType: 'Client secret of the bot Entra app ${botAadAppClientId}'
  }
}

// ---------------------------------------------------------------------------------------------------------------
// App Service

resource serverFarm 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: 'asp-${baseName}'
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: webAppSku
    capacity: min(max(int(instanceCount), 1), 10)
  }
  properties: {
    reserved: true // Linux
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: serverFarm.id
    httpsOnly: true
    clientAffinityEnabled: false // any instance answers any request: state lives in the Table store
    keyVaultReferenceIdentity: 'SystemAssigned'
    // Regional VNet integration: outbound traffic leaves through the app subnet (private endpoints, NAT gateway).
    virtualNetworkSubnetId: '${vnet.id}/subnets/${appSubnetName}'
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      vnetRouteAllEnabled: true
      appCommandLine: 'npm start'
      alwaysOn: true
      http20Enabled: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      healthCheckPath: '/healthz'
    }
  }
}

// The managed identity may read and write the tables (data plane only; it gets no account keys).
resource tableDataRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, webApp.id, storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    principalId: webApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

// ... and read the bot's secret for the Key Vault reference in BOT_PASSWORD.
resource secretReaderRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, webApp.id, keyVaultSecretsUser)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: webApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

// ... and, with request telemetry on, send it to Application Insights with an Entra ID token (local auth is off).
resource telemetryPublisherRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (enableRequestTelemetry) {
  name: guid(appInsights.id, webApp.id, monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: webApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

// Every variable src/config.ts needs when deployed (BOT_ID set = deployed mode: the embedded store, SST_NOW and
// BOT_LOCALE are refused), and the platform's own settings. PORT is set by App Service itself.
var botAppSettings = {
  BOT_ID: botAadAppClientId
  BOT_TENANT_ID: botTenantId
  BOT_TYPE: 'SingleTenant'
  BOT_PASSWORD: botPasswordReference
  TABLES_ENDPOINT: storage.properties.primaryEndpoints.table
  ROSTER_FILE: rosterFile
  PUBLIC_BASE_URL: 'https://${webApp.properties.defaultHostName}'
  ALLOWED_TENANTS: empty(allowedTenants) ? botTenantId : allowedTenants
  RETENTION_MONTHS: string(int(retentionMonths)) // fails the deployment when it is not a number
  INSTANCE_COUNT: string(min(max(int(instanceCount), 1), 10)) // the tenant's send budget is shared by this many instances
  LOG_LEVEL: logLevel
  WEBSITE_NODE_DEFAULT_VERSION: '~22'
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'true'
  CUSTOM_BUILD_COMMAND: 'npm ci --omit=dev --no-audit --no-fund'
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
}

// The App Service agent (request, dependency and exception telemetry), signing in with the managed identity.
var telemetryAppSettings = enableRequestTelemetry ? {
  ApplicationInsightsAgent_EXTENSION_VERSION: '~3'
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
} : {}

// Outlook calendars through Microsoft Graph (docs/graph-calendar.md), with the bot's own app registration.
var graphAppSettings = enableGraphCalendar ? {
  GRAPH_TENANT_ID: botTenantId
  GRAPH_CLIENT_ID: botAadAppClientId
  GRAPH_CLIENT_SECRET: botPasswordReference
} : {}

// The settings that change the running app are written only once everything they point at exists: the secret
// (the reference names it), the roles to read it and the tables, and the private endpoints with their DNS records,
// so that the Key Vault reference can resolve and /healthz can reach the store at the first start.
// Writes to the same web app (app settings, logs, publishing credentials) go one after the other (dependsOn):
// in parallel they can fail with a conflict.
resource appSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'appsettings'
  dependsOn: [
    botSecret
    tableDataRole
    secretReaderRole
    telemetryPublisherRole
    tablesPrivateDns
    tablesDnsLink
    vaultPrivateDns
    vaultDnsLink
  ]
  properties: union(botAppSettings, graphAppSettings, telemetryAppSettings)
}

// No HTTP logs on the file system: App Service cannot leave paths out, and the download (/api/downloads/<token>.csv)
// and invitation (/api/meetings/.../<token>.ics) links carry their token in the path.
resource webAppLogs 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'logs'
  dependsOn: [
    appSettings
  ]
  properties: {
    applicationLogs: {
      fileSystem: {
        level: 'Information'
      }
    }
    httpLogs: {
      fileSystem: {
        enabled: false
      }
    }
    detailedErrorMessages: {
      enabled: false
    }
    failedRequestsTracing: {
      enabled: false
    }
  }
}

// Deployment only with Entra ID (atk deploy and az webapp deploy use a token): no FTP or SCM (Kudu) basic auth.
resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: webApp
  name: 'ftp'
  dependsOn: [
    webAppLogs
  ]
  properties: {
    allow: false
  }
}

resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: webApp
  name: 'scm'
  dependsOn: [
    ftpBasicAuth
  ]
  properties: {
    allow: false
  }
}

// stdout of the bot (pino JSON lines) and the platform's starts and restarts into Log Analytics:
// AppServiceConsoleLogs, AppServicePlatformLogs. Not AppServiceHTTPLogs, which record the token-bearing paths
// (see webAppLogs); request counts and failures are in the metrics (Http5xx, HealthCheckStatus).
resource webAppDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: webApp
  properties: {
    workspaceId: logAnalytics.id
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServicePlatformLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

// Who read, wrote or deleted table data (storage data-plane audit) into Log Analytics: StorageTableLogs.
resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: tableService
  properties: {
    workspaceId: logAnalytics.id
    logs: [
      {
        category: 'StorageRead'
        enabled: true
      }
      {
        category: 'StorageWrite'
        enabled: true
      }
      {
        category: 'StorageDelete'
        enabled: true
      }
    ]
  }
}

// Every access to the vault (who read the secret, from where, allowed or not) into Log Analytics: AzureDiagnostics,
// category AuditEvent.
resource keyVaultDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: keyVault
  properties: {
    workspaceId: logAnalytics.id
    logs: [
      {
        category: 'AuditEvent'
        enabled: true
      }
    ]
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Azure Bot registration with the Teams channel

module azureBotRegistration './botRegistration/azurebot.bicep' = {
  name: 'Azure-Bot-registration'
  params: {
    botName: baseName
    botDisplayName: botDisplayName
    botAadAppClientId: botAadAppClientId
    botTenantId: botTenantId
    botAppDomain: webApp.properties.defaultHostName
    botServiceSku: botServiceSku
    botDataResidency: botDataResidency
    tags: tags
  }
}

// The outputs are written to env/.env.<env> by arm/deploy (https://aka.ms/teamsfx-actions/arm-deploy). No secrets here.
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output BOT_AZURE_RESOURCE_ID string = azureBotRegistration.outputs.botResourceId
output AZURE_STORAGE_ACCOUNT_NAME string = storage.name
output AZURE_STORAGE_TABLE_ENDPOINT string = storage.properties.primaryEndpoints.table
output AZURE_KEY_VAULT_NAME string = keyVault.name
output AZURE_LOG_ANALYTICS_WORKSPACE_ID string = logAnalytics.id
output BOT_OUTBOUND_IP string = natPublicIp.properties.ipAddress
