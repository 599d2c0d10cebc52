/** Swedish catalogue: the default language. Placeholders are {name}. */
export const sv = {
  'help.title': 'Det här kan jag hjälpa till med',
  'help.intro': 'Jag är skolsociala teamets bot. Här tar elevhälsan kontakt med socialtjänstens skolsociala team, bokar gemensamma möten och får påminnelser. Inga elevnamn eller personnummer hör hemma här: ärenden har koder.',
  'help.command.help': 'visar den här listan',
  'help.command.newConcern': 'aktualisera en oro för en elev hos skolsociala teamet',
  'help.command.myCases': 'dina ärenden med status och nästa steg',
  'help.command.bookMeeting': 'boka ett gemensamt möte med skolans socialsekreterare',
  'help.command.plans': 'planer och uppföljningar',
  'help.command.digest': 'dagens sammanfattning för gruppledare',
  'help.channelNote': 'Ärenden visas bara i ditt personliga chattfönster med boten, aldrig i en kanal eller gruppchatt.',
  'help.openPersonal': 'Öppna personlig chatt',
  'report.title': 'Misstänker du att ett barn far illa? Gör en orosanmälan',
  'report.duty': 'Anmälningsplikten är personlig och gäller omedelbart. En oro i den här boten ersätter aldrig en orosanmälan till socialnämnden.',
  'report.action': 'Gör en orosanmälan',
  'welcome.title': 'Välkommen till Skolsocialt team',
  'welcome.body': 'Skriv **hjälp** när som helst för att se vad jag kan göra.',
  'unknown.command': 'Jag förstod inte det. Skriv **hjälp** för att se vad jag kan göra.',
  'command.notYet': 'Funktionen "{command}" är inte tillgänglig ännu.',
  'channel.noCaseData': 'Av sekretesskäl visar jag inga ärenden här. Skriv till mig i den personliga chatten i stället.',
  'card.unknownAction': 'Den här knappen fungerar inte längre. Skriv **hjälp** för att börja om.',
  'error.generic': 'Något gick fel hos boten (felkod {correlationId}). Försök igen om en stund; kvarstår felet, kontakta systemförvaltaren och uppge felkoden.',
  'error.storeDown': 'Jag kommer inte åt lagringen just nu. Inget har sparats. Försök igen om en stund; dina uppgifter finns kvar i formuläret.',
} as const;

export type MessageKey = keyof typeof sv;
