// Azure Bot registration for the skolsocialt team bot: single tenant, Teams channel, EU data residency by default.
// A regional bot (location westeurope) keeps the Bot Service's processing and storage of conversation data in
// the EU; its channel service endpoints are the europe.* ones (e.g. https://europe.token.botframework.com).
// See https://learn.microsoft.com/azure/bot-service/bot-builder-concept-regionalization

@maxLength(64)
@description('Bot handle (globally unique).')
param botName string

@maxLength(42)
param botDisplayName string

@description('Client id of the bot\'s single-tenant Entra app registration.')
param botAadAppClientId string

@description('Entra tenant of the app registration.')
param botTenantId string

@description('Host name of the App Service that runs the bot; Teams sends activities to https://<host>/api/messages.')
param botAppDomain string

@allowed([
  'F0'
  'S1'
])
param botServiceSku string = 'F0'

@allowed([
  'europe'
  'global'
])
@description('europe = regional bot in the EU (location westeurope); global = the global Bot Service.')
param botDataResidency string = 'europe'

param tags object = {}

// Azure Bot accepts 'global' or a regional location; the EU region of the regional Bot Service is westeurope.
var botLocation = botDataResidency == 'europe' ? 'westeurope' : 'global'

resource botService 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botName
  location: botLocation
  tags: tags
  kind: 'azurebot'
  sku: {
    name: botServiceSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${botAppDomain}/api/messages'
    msaAppId: botAadAppClientId
    msaAppType: 'SingleTenant'
    msaAppTenantId: botTenantId
    publicNetworkAccess: 'Enabled'
    schemaTransformationVersion: '1.3'
  }
}

// Connect the bot to Microsoft Teams. The channel lives where the bot lives.
resource botServiceMsTeamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: botService
  name: 'MsTeamsChannel'
  location: botLocation
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

output botResourceId string = botService.id
output botLocation string = botLocation
