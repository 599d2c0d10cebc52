import { en } from './en';
import { sv, type MessageKey } from './sv';

export type { MessageKey };
export type Language = 'sv' | 'en';
export type Translate = ((key: MessageKey, vars?: Record<string, string | number>) => string) & { lang: Language };

const catalogues: Record<Language, Record<MessageKey, string>> = { sv, en };

/** Swedish unless the Teams client says English (en, en-US, en-GB, …). */
export function languageOf(locale: string | undefined): Language {
  return locale && /^en\b/i.test(locale) ? 'en' : 'sv';
}

export function translator(locale: string | undefined): Translate {
  const lang = languageOf(locale);
  const catalogue = catalogues[lang];
  const t = (key: MessageKey, vars: Record<string, string | number> = {}) =>
    catalogue[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
  return Object.assign(t, { lang });
}

/**
 * The language of everything the bot sends one person: the language they last typed a command in
 * (`hjälp` → Swedish, `help` → English) wins; otherwise their Teams client's locale (in local mode
 * BOT_LOCALE, which stands in for the client's); Swedish when nothing is known.
 */
export function personLanguage(p: { chosen?: Language; override?: string; clientLocale?: string }): Language {
  return p.chosen ?? languageOf(p.override ?? p.clientLocale);
}

/** 'sv' or 'en' from untrusted data (a card's stamp), else undefined. */
export function asLanguage(value: unknown): Language | undefined {
  return value === 'sv' || value === 'en' ? value : undefined;
}

/** For keys built at run time (e.g. from an error code): is there a message for it? */
export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(sv, key);
}
