/** Published figures: cells of 1–4 are never shown (a cell that small can identify a child at a small school). */
export const SUPPRESSION_THRESHOLD = 5;
export const SUPPRESSED = '<5';
/** A total (or share) that would let a suppressed cell be worked out is withheld. */
export const WITHHELD = '–';

export type PublishedCell = number | typeof SUPPRESSED | typeof WITHHELD;

/** A count as it may be shown: 0 and 5 or more as they are, 1–4 as "<5". */
export const cell = (n: number): PublishedCell => (n > 0 && n < SUPPRESSION_THRESHOLD ? SUPPRESSED : n);

/**
 * The total of parts, unless it gives a suppressed part away. With k suppressed parts (each 1–4)
 * adding up to S = total − the parts shown, S tells nothing exact only when k ≥ 2 and k < S < 4k
 * (S = k means all are 1, S = 4k all are 4, and one part alone is S itself). A total of 1–4 is "<5".
 */
export function publishedTotal(parts: number[], sum = parts.reduce((a, b) => a + b, 0)): PublishedCell {
  const hidden = parts.filter((n) => n > 0 && n < SUPPRESSION_THRESHOLD);
  const k = hidden.length;
  const s = hidden.reduce((a, b) => a + b, 0);
  // A total of 1–4 is itself "<5": it tells no more than its hidden parts do.
  if (cell(sum) === SUPPRESSED) return SUPPRESSED;
  if (k > 0 && !(k >= 2 && s > k && s < 4 * k)) return WITHHELD;
  return cell(sum);
}

/** A breakdown (e.g. outcomes) published: each part a cell, the total only when it gives none away. */
export function publishParts<K extends string>(parts: Record<K, number>): { parts: Record<K, PublishedCell>; total: PublishedCell } {
  const keys = Object.keys(parts) as K[];
  return {
    parts: Object.fromEntries(keys.map((k) => [k, cell(parts[k])])) as Record<K, PublishedCell>,
    total: publishedTotal(keys.map((k) => parts[k])),
  };
}

/** A median (or other figure taken over cases) is shown only over at least five cases. */
export const shownOver = (value: number | undefined, basis: number): number | typeof WITHHELD =>
  value !== undefined && basis >= SUPPRESSION_THRESHOLD ? value : WITHHELD;

/**
 * The share `part` of `basis` in whole percent, shown only when neither the part nor the rest is a
 * suppressed cell (a share of a small basis, or one that leaves 1–4 outside, gives that number away).
 */
export function publishedShare(part: number, basis: number): number | typeof WITHHELD {
  if (basis < SUPPRESSION_THRESHOLD || cell(part) === SUPPRESSED || cell(basis - part) === SUPPRESSED) return WITHHELD;
  return Math.round((part / basis) * 100);
}

/** The median of whole numbers (one decimal when it falls between two). */
export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : Math.round(((s[mid - 1] + s[mid]) / 2) * 10) / 10;
}
