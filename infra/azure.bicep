// Skolsocialt team bot on Azure, in the EU.
//
//   App Service (Linux, Node 20 LTS) with a system-assigned managed identity
//   Storage account whose Table service is the bot's only store (Entra ID only: shared keys are off)
//   Key Vault holding the bot's client secret (the app reads it through a Key Vault reference)
//   Log Analytics workspace + workspace-based Application Insights
//   Azure Bot (single tenant, Teams channel, EU data residency by default): ./botRegistration/azurebot.bicep
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

@description('Comma-separated Entra tenant ids allowed to use the bot (ALLOWED_TENANTS). Empty = only botTenantId.')
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

@description('Tags put on every resource.')
param tags object = {
  application: 'skolsocialt-team-bot'
}

var suffix = take(uniqueString(resourceGroup().id, resourceBaseName), 6)
var baseName = toLower('${resourceBaseName}-${suffix}')
var compactName = toLower(replace('${resourceBaseName}${suffix}', '-', ''))
var webAppName = baseName
var storageAccountName = take('st${compactName}', 24)
var keyVaultName = take('kv-${baseName}', 24)
var botSecretName = 'bot-password'
var botPasswordReference = '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${botSecretName})'

// Built-in roles (ids are the same in every tenant).
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

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
    publicNetworkAccess: 'Enabled'
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
    publicNetworkAccess: 'Enabled'
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
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
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

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: webApp
  name: 'ftp'
  properties: {
    allow: false
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
  LOG_LEVEL: logLevel
  WEBSITE_NODE_DEFAULT_VERSION: '~20'
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'true'
  CUSTOM_BUILD_COMMAND: 'npm ci --omit=dev --no-audit --no-fund'
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  ApplicationInsightsAgent_EXTENSION_VERSION: '~3'
}

// Outlook calendars through Microsoft Graph (docs/graph-calendar.md), with the bot's own app registration.
var graphAppSettings = enableGraphCalendar ? {
  GRAPH_TENANT_ID: botTenantId
  GRAPH_CLIENT_ID: botAadAppClientId
  GRAPH_CLIENT_SECRET: botPasswordReference
} : {}

// Applied after the role assignments, so the Key Vault reference resolves on the first start.
resource appSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'appsettings'
  dependsOn: [
    tableDataRole
    secretReaderRole
  ]
  properties: union(botAppSettings, graphAppSettings)
}

resource webAppLogs 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'logs'
  properties: {
    applicationLogs: {
      fileSystem: {
        level: 'Information'
      }
    }
    httpLogs: {
      fileSystem: {
        enabled: true
        retentionInMb: 35
        retentionInDays: 7
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

// stdout of the bot (pino JSON lines) and HTTP logs into Log Analytics: AppServiceConsoleLogs, AppServiceHTTPLogs.
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
        category: 'AppServiceHTTPLogs'
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

// Who read or changed the tables (storage data-plane audit) into Log Analytics: StorageTableLogs.
resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: tableService
  properties: {
    workspaceId: logAnalytics.id
    logs: [
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
