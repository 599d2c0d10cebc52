import { CATEGORIES, GRADES, type Category, type Grade } from './concern';

/**
 * A school term with its first and last day (läsårstider, as the municipality publishes them for
 * each läsår), Stockholm calendar dates.
 */
export interface Term {
  start: string;
  end: string;
}

/**
 * What differs between municipalities, from the roster file (`municipality.settings`). Every field
 * has a default matching Linköping's documents (seeds 000 and 003); see docs/roster.md.
 */
export interface MunicipalitySettings {
  /** What a school can lift a concern about (Stockholm's SST takes absence only). */
  categories: Category[];
  /** Which grades the SST serves (Linköping: årskurs 1–9; F and gymnasiet år 1–3 can be added). */
  grades: Grade[];
  /** Dated terms (läsårstider). Dates outside them fall back to approximate Swedish terms. */
  terms: Term[];
  /** How long a consent may run at most, in months from the day it is recorded. */
  consentMaxMonths: number;
  /** The default length of an insats' intensive phase, in weeks. */
  intensiveWeeks: number;
  /** How many working days a concern may wait in the team's intake before the group leader is told. */
  escalationWorkingDays: number;
  /** The yearly report: its period starts on this month-day (01-01: the calendar year) and is due by `deadline` after it ends. */
  report: { periodStart: string; deadline: string };
}

export type MunicipalitySettingsInput = Partial<Omit<MunicipalitySettings, 'report'>> & { report?: Partial<MunicipalitySettings['report']> };

/** Linköping: årskurs 1–9 (seed 003: "Verksamheten vänder sig till barn som går i årskurs 1-9"). */
export const DEFAULT_GRADES: Grade[] = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

export const DEFAULT_SETTINGS: MunicipalitySettings = {
  // Linköping: "helhetssyn på situationen vilket innebär såväl skol- fritids- och familjesituation" (seed 003).
  categories: [...CATEGORIES],
  grades: DEFAULT_GRADES,
  terms: [],
  // The seeds set no number; one year is the longest a consent runs here unless the municipality says otherwise.
  consentMaxMonths: 12,
  // "Intensivt stöd under en begränsad tid" (seeds 000, 003) gives no length: about a term's half.
  intensiveWeeks: 12,
  escalationWorkingDays: 1,
  // Linköping: "en gång per år, senast 31 mars" (seed 003): the calendar year, due 31 March.
  report: { periodStart: '01-01', deadline: '03-31' },
};

/** The municipality's settings with every default filled in (the roster may predate them, or leave some out). */
export function settingsOf(municipality: { settings?: MunicipalitySettingsInput } | undefined): MunicipalitySettings {
  const s = municipality?.settings ?? {};
  const ordered = <T extends string>(all: readonly T[], chosen: T[] | undefined, fallback: T[]) => (chosen && chosen.length > 0 ? all.filter((x) => chosen.includes(x)) : fallback);
  return {
    categories: ordered(CATEGORIES, s.categories, DEFAULT_SETTINGS.categories),
    grades: ordered(GRADES, s.grades, DEFAULT_SETTINGS.grades),
    terms: [...(s.terms ?? [])].sort((a, b) => a.start.localeCompare(b.start)),
    consentMaxMonths: s.consentMaxMonths ?? DEFAULT_SETTINGS.consentMaxMonths,
    intensiveWeeks: s.intensiveWeeks ?? DEFAULT_SETTINGS.intensiveWeeks,
    escalationWorkingDays: s.escalationWorkingDays ?? DEFAULT_SETTINGS.escalationWorkingDays,
    report: { ...DEFAULT_SETTINGS.report, ...(s.report ?? {}) },
  };
}

/** Problems with settings the schema cannot see (overlapping terms, a term ending before it starts). */
export function settingsProblems(s: MunicipalitySettingsInput | undefined): string[] {
  const problems: string[] = [];
  const terms = [...(s?.terms ?? [])].sort((a, b) => a.start.localeCompare(b.start));
  terms.forEach((term, i) => {
    if (term.end < term.start) problems.push(`municipality.settings.terms: the term ${term.start}–${term.end} ends before it starts.`);
    const next = terms[i + 1];
    if (next && next.start <= term.end) problems.push(`municipality.settings.terms: the terms ${term.start}–${term.end} and ${next.start}–${next.end} overlap.`);
  });
  return problems;
}
