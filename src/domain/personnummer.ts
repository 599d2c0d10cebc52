/**
 * Finds Swedish personnummer and samordningsnummer in free text, however they are written.
 *
 * People write them with whatever their keyboard or Word's autocorrect gives: hyphen, en or em
 * dash, minus sign, non-breaking hyphen, a space or a non-breaking space, dots or slashes between
 * the groups, the century form (ÅÅÅÅMMDD-NNNN), `+` for people over 100, fullwidth digits from an
 * Asian input method, zero-width characters pasted along from a web page. The text is normalised
 * first (Unicode NFKC, format characters removed), separators are folded, digit groups that are
 * written next to each other are joined, and a candidate counts when its date is a real date (the
 * day + 60 for a samordningsnummer) and its last ten digits pass the Luhn check. The Luhn check
 * keeps false alarms down: a phone number or a meeting time rarely passes both.
 *
 * Linear in the length of the text (no regular expression that can backtrack), so it is safe on
 * any input; callers still bound the length first.
 */

/** Characters folded into "a separator": whitespace, every dash, the minus sign, `+`, `.`, `/`, `\`, `_`, `·`. */
const isSeparator = (ch: string): boolean => /^[\s\p{Pd}\u2212+./\\_\u00b7]$/u.test(ch);

/** Longest run of separators that still joins two digit groups (" - " is three). */
const MAX_SEPARATOR_RUN = 5;

/** Text as the detector reads it: NFKC (fullwidth and other compatibility digits become 0–9), format characters (zero-width space/joiners, soft hyphen, BOM, bidi marks) removed. */
export function normaliseForIdentity(text: string): string {
  return text.normalize('NFKC').replace(/\p{Cf}/gu, '');
}

interface Group {
  digits: string;
}

/** Chains of digit groups joined by short separator runs, in order. */
function chains(text: string): Group[][] {
  const out: Group[][] = [];
  let chain: Group[] = [];
  let digits = '';
  let separatorRun = 0;
  let inSeparator = false;
  const endGroup = () => {
    if (digits) chain.push({ digits });
    digits = '';
  };
  const endChain = () => {
    endGroup();
    if (chain.length > 0) out.push(chain);
    chain = [];
  };
  for (const ch of text) {
    if (ch >= '0' && ch <= '9') {
      if (inSeparator && separatorRun > MAX_SEPARATOR_RUN) endChain();
      inSeparator = false;
      separatorRun = 0;
      digits += ch;
      // A very long digit run is no personnummer; keep only what a window can use.
      if (digits.length > 24) digits = digits.slice(-24);
    } else if (isSeparator(ch)) {
      if (!inSeparator) endGroup();
      inSeparator = true;
      separatorRun++;
    } else {
      endChain();
      inSeparator = false;
      separatorRun = 0;
    }
  }
  endChain();
  return out;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** MMDD is a date (DD + 60 for a samordningsnummer); with the full year, 29 February only in leap years. */
function validDate(month: number, day: number, fullYear?: number): boolean {
  if (month < 1 || month > 12) return false;
  const d = day > 60 ? day - 60 : day;
  const max = month === 2 && fullYear !== undefined && !isLeap(fullYear) ? 28 : DAYS_IN_MONTH[month - 1];
  return d >= 1 && d <= max;
}

/** The Luhn (mod 10) check over YYMMDDNNNN, as Skatteverket defines the control digit. */
export function luhnValid(tenDigits: string): boolean {
  if (!/^\d{10}$/.test(tenDigits)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let v = tenDigits.charCodeAt(i) - 48;
    if (i % 2 === 0) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  return sum % 10 === 0;
}

/** A 10- or 12-digit string that is a personnummer or samordningsnummer. */
export function isPersonnummerDigits(digits: string): boolean {
  if (digits.length === 12) {
    const century = Number(digits.slice(0, 2));
    if (century < 18 || century > 20) return false;
    const year = Number(digits.slice(0, 4));
    return validDate(Number(digits.slice(4, 6)), Number(digits.slice(6, 8)), year) && luhnValid(digits.slice(2));
  }
  if (digits.length === 10) return validDate(Number(digits.slice(2, 4)), Number(digits.slice(4, 6))) && luhnValid(digits);
  return false;
}

/**
 * Where groups may be split: between year, month and day of the date part. The four last digits
 * (the birth number and control digit) stay in one group, which is how they are written; a phone
 * number like 070-123 45 67 is split elsewhere and does not match.
 */
function plausibleSplit(lengths: number[], total: number): boolean {
  const dateLength = total - 4;
  if (lengths[lengths.length - 1] < 4) return false;
  const allowed = total === 12 ? [2, 4, 6, 8] : [2, 4, 6];
  let at = 0;
  for (let i = 0; i < lengths.length - 1; i++) {
    at += lengths[i];
    if (at > dateLength || !allowed.includes(at)) return false;
  }
  return true;
}

/** True when the text holds a personnummer or samordningsnummer in any common writing. */
export function containsPersonnummer(text: string): boolean {
  for (const chain of chains(normaliseForIdentity(text))) {
    for (let start = 0; start < chain.length; start++) {
      let joined = '';
      const lengths: number[] = [];
      for (let end = start; end < chain.length && joined.length < 12; end++) {
        joined += chain[end].digits;
        lengths.push(chain[end].digits.length);
        if ((joined.length === 10 || joined.length === 12) && plausibleSplit(lengths, joined.length) && isPersonnummerDigits(joined)) return true;
      }
    }
  }
  return false;
}
