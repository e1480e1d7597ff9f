// Which PSA company names look like one of our account names (the unmapped list's suggestions): advisory only, for the
// MSP to map by hand in Synthesize. Pure: no I/O, the same answer for the same names.

/** Legal-form words dropped from the end of a name ("Acme Dental, Inc." and "ACME DENTAL" are one company). */
const LEGAL_SUFFIXES: ReadonlySet<string> = new Set([
  'inc',
  'incorporated',
  'llc',
  'llp',
  'lp',
  'ltd',
  'limited',
  'gmbh',
  'ag',
  'kg',
  'co',
  'company',
  'corp',
  'corporation',
  'plc',
  'pty',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'bv',
  'nv',
  'ab',
  'as',
  'oy',
  'pc',
  'pllc',
]);

/**
 * Two names are close from this share of shared words (Jaccard: 2 of 3 distinct words, not 2 of 4 — "Harbor Motors
 * Partners" and "Harbor Clinic Partners" are two companies), or …
 */
export const MIN_WORD_OVERLAP = 0.6;
/** … from this similarity of their letters (1 − edit distance / longer length), after normalisation. */
export const MIN_LETTER_SIMILARITY = 0.8;
export const MAX_SUGGESTIONS = 3;

/**
 * The words of a name, compared by: lower case, accents and punctuation gone ("&" reads "and"), legal suffixes
 * dropped from the end (not the only word: "Company" alone stays a name).
 */
export function nameWords(name: string): string[] {
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
  while (words.length > 1 && LEGAL_SUFFIXES.has(words[words.length - 1] as string)) words.pop();
  return words;
}

/** Levenshtein distance (insert, delete, substitute: 1 each). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitute = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min(substitute, (previous[j] as number) + 1, (row[j - 1] as number) + 1));
    }
    previous = row;
  }
  return previous[b.length] as number;
}

/**
 * How close two names are, 0…1: 1 when their normalised letters are equal (spaces ignored), else the larger of
 * the word overlap and the letter similarity when either reaches its threshold, else 0 (not close).
 */
export function nameCloseness(a: string, b: string): number {
  const wa = nameWords(a);
  const wb = nameWords(b);
  const la = wa.join('');
  const lb = wb.join('');
  if (la.length === 0 || lb.length === 0) return 0;
  if (la === lb) return 1;
  const sa = new Set(wa);
  const sb = new Set(wb);
  const shared = [...sa].filter((w) => sb.has(w)).length;
  const overlap = shared / new Set([...sa, ...sb]).size;
  const letters = 1 - editDistance(la, lb) / Math.max(la.length, lb.length);
  const close = overlap >= MIN_WORD_OVERLAP || letters >= MIN_LETTER_SIMILARITY;
  return close ? Math.max(overlap, letters) : 0;
}

/** Up to `max` of `companies` close to `name`, closest first (ties by name), each distinct name once. */
export function suggestCompanies(name: string, companies: readonly string[], max = MAX_SUGGESTIONS): string[] {
  return [...new Set(companies)]
    .map((company) => ({ company, score: nameCloseness(name, company) }))
    .filter((c) => c.score > 0)
    .sort((x, y) => y.score - x.score || (x.company < y.company ? -1 : x.company > y.company ? 1 : 0))
    .slice(0, max)
    .map((c) => c.company);
}
