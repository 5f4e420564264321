// Words of a prepared utterance with their character spans and clause numbers, and the small word
// classes the targeting rule needs (second person, words that change who is being talked about).

export interface Word {
  /** Lower-cased, surrounding apostrophes removed. */
  readonly text: string;
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
  /** Increments at . ? ; and line breaks: abuse and "you" in different sentences are not linked. */
  readonly clause: number;
  /** Addresses the listener ("you", "your", "u", …) — "thank you" excluded. */
  readonly secondPerson: boolean;
  /** "your", "yours": about the listener's things (company, app) as much as the listener. */
  readonly possessive: boolean;
}

const WORD_OR_BREAK = /[\p{L}\p{N}\p{M}'@$*!|]+|[.?;\n\r]/gu;
const TRIM_APOSTROPHES = /^'+|'+$/g;
const POSSESSIVE: ReadonlySet<string> = new Set(['your', 'yours']);

const SECOND_PERSON: ReadonlySet<string> = new Set([
  'you', 'your', 'yours', 'yourself', 'yourselves', "you're", 'youre', "you've", 'youve', "you'll",
  'youll', "you'd", 'youd', 'u', 'ur', 'ya', "y'all", 'yall',
]);

/**
 * Words that move the subject away from the listener: between "you" and an abusive word they mean
 * the abuse is about something else ("can you check, this f***ing printer", "you sent me a stupid
 * form" is still a complaint about the form, not an insult to the agent).
 */
export const SUBJECT_CHANGERS: ReadonlySet<string> = new Set([
  'i', "i'm", 'im', "i've", 'me', 'my', 'mine', 'myself', 'we', "we're", 'our', 'ours', 'us',
  'this', 'that', "that's", 'thats', 'it', "it's", 'its', 'these', 'those', 'he', 'she', 'they',
  "they're", 'his', 'her', 'their', 'them', 'him', 'but',
]);

/** Between "you" and a contextual word they cancel the insult ("you're not stupid"). */
export function isNegator(word: string): boolean {
  return word === 'not' || word === 'never' || word === 'no' || word.endsWith("n't");
}

export function splitWords(text: string): Word[] {
  const words: Word[] = [];
  let clause = 0;
  for (const match of text.matchAll(WORD_OR_BREAK)) {
    const raw = match[0];
    if (raw.length === 1 && '.?;\n\r'.includes(raw)) {
      clause += 1;
      continue;
    }
    const lower = raw.toLowerCase().replace(TRIM_APOSTROPHES, '');
    if (lower.length === 0) continue;
    const previous = words.at(-1);
    const afterThank = previous !== undefined && previous.clause === clause && previous.text === 'thank';
    words.push({
      text: lower,
      start: match.index,
      end: match.index + raw.length,
      clause,
      secondPerson: SECOND_PERSON.has(lower) && !afterThank,
      possessive: POSSESSIVE.has(lower),
    });
  }
  return words;
}

/** Index of the first word that ends after `charIndex` (words are sorted by position). */
export function wordIndexAt(words: readonly Word[], charIndex: number): number {
  let low = 0;
  let high = words.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (words[mid].end <= charIndex) low = mid + 1;
    else high = mid;
  }
  return low;
}
