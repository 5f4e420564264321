// Abuse and targeted-abuse detection on a prepared utterance. Profanity comes from obscenity's
// English dataset (minus clinical words), insults and threats from our own lexicon. One matcher holds
// both, built once at module load; it reads the text through obscenity's English transformers, which
// undo leet-speak, look-alike Unicode letters and stretched letters ("fuuuck", "sh1t", "ｆｕｃｋ").
import {
  DataSet,
  RegExpMatcher,
  englishDataset,
  englishRecommendedTransformers,
  parseRawPattern,
  type MatchPayload,
  type PhraseContainer,
} from 'obscenity';
import {
  ABUSE_LEXICON,
  CLINICAL_OR_DESCRIPTIVE_WORDS,
  EXTRA_WHITELIST,
  type AbuseEntry,
  type AbuseKind,
} from './abuse-lexicon.ts';
import { isNegator, splitWords, SUBJECT_CHANGERS, wordIndexAt, type Word } from './words.ts';

/**
 * "Within a few words": the abusive word and "you" at most this many words apart, in the same
 * clause, with nothing in between that changes the subject. Four covers "you are a useless idiot"
 * and "you are the most incompetent …" while leaving "you" in an earlier request unlinked.
 */
export const TARGET_WINDOW_WORDS = 4;

/** Profanity phrases carry obscenity's metadata, lexicon phrases our own entry. */
type PhraseMetadata = { readonly originalWord: string } | AbuseEntry;

const isClinical = (phrase: PhraseContainer<PhraseMetadata>): boolean =>
  phrase.metadata !== undefined &&
  'originalWord' in phrase.metadata &&
  CLINICAL_OR_DESCRIPTIVE_WORDS.has(phrase.metadata.originalWord);

const addEntry = (set: DataSet<PhraseMetadata>, entry: AbuseEntry): DataSet<PhraseMetadata> =>
  set.addPhrase((phrase) =>
    entry.patterns.reduce((builder, source) => builder.addPattern(parseRawPattern(source)), phrase.setMetadata(entry)),
  );

// One dataset and one matcher: obscenity's cost is dominated by transforming the text character by
// character (for the blacklist and again for the whitelist), so a second matcher would double it.
const dataset = ABUSE_LEXICON.reduce(
  addEntry,
  new DataSet<PhraseMetadata>().addAll(englishDataset).removePhrasesIf(isClinical),
);
const built = dataset.build();
const matcher = new RegExpMatcher({
  ...built,
  whitelistedTerms: [...(built.whitelistedTerms ?? []), ...EXTRA_WHITELIST],
  ...englishRecommendedTransformers,
});

interface Hit {
  readonly kind: AbuseKind;
  readonly addressesListener: boolean;
  /** Inclusive character span, as obscenity reports it. */
  readonly start: number;
  readonly end: number;
}

function toHit(match: MatchPayload): Hit {
  const metadata = dataset.getPayloadWithPhraseMetadata(match).phraseMetadata;
  const entry = metadata !== undefined && 'kind' in metadata ? metadata : undefined;
  return {
    kind: entry?.kind ?? 'profanity',
    addressesListener: entry?.addressesListener ?? false,
    start: match.startIndex,
    end: match.endIndex,
  };
}

/**
 * Is a second-person word inside the hit, or within the window before it (after it too, unless
 * the hit is contextual) in the same clause, with no subject change in between? A contextual word
 * needs the listener as a person ("you are useless", not "your app is useless": that is a complaint
 * about the app) and no negation in between ("you're not stupid").
 */
function aimedAtListener(words: readonly Word[], first: number, last: number, contextual: boolean): boolean {
  const addresses = (word: Word) => word.secondPerson && !(contextual && word.possessive);
  for (let i = first; i <= last; i++) if (addresses(words[i])) return true;
  const clause = words[first].clause;
  const scan = (from: number, step: 1 | -1): boolean => {
    for (let i = from, n = 0; n < TARGET_WINDOW_WORDS && i >= 0 && i < words.length; i += step, n++) {
      const word = words[i];
      if (word.clause !== clause) return false;
      if (addresses(word)) return true;
      if (SUBJECT_CHANGERS.has(word.text) || (contextual && isNegator(word.text))) return false;
    }
    return false;
  };
  // A contextual word must follow its "you" ("you are useless", "you stupid …"):
  // "stupid question, but can you …" is self-deprecation, not an insult.
  return scan(first - 1, -1) || (!contextual && scan(last + 1, 1));
}

const SELF: ReadonlySet<string> = new Set(['i', "i'm", 'im', "i've", "i'd", 'me', 'myself']);

/** "I'm such an idiot, I forgot my password": self-deprecation is not abuse. */
function selfDirected(words: readonly Word[], first: number): boolean {
  const clause = words[first].clause;
  for (let i = first - 1, n = 0; n < TARGET_WINDOW_WORDS && i >= 0 && words[i].clause === clause; i--, n++) {
    if (SELF.has(words[i].text)) return true;
  }
  return false;
}

export interface AbuseFinding {
  abusive: boolean;
  targeted: boolean;
}

/**
 * Abuse in a prepared utterance (see prepare-text.ts). Insults, threats and profanity are abuse
 * anywhere; contextual words only when aimed at the listener. Abuse is targeted when aimed at the
 * listener, or — during an interruption — when the utterance addresses the listener anywhere.
 */
export function detectAbuse(text: string, interruption: boolean): AbuseFinding {
  const hits = matcher.getAllMatches(text).map(toHit);
  if (hits.length === 0) return { abusive: false, targeted: false };
  const words = splitWords(text);
  const addressesListener = words.some((w) => w.secondPerson);
  let abusive = false;
  let targeted = false;
  for (const hit of hits) {
    const first = wordIndexAt(words, hit.start);
    const last = Math.min(wordIndexAt(words, hit.end), words.length - 1);
    const contextual = hit.kind === 'contextual';
    const aimed =
      hit.addressesListener || (first < words.length && first <= last && aimedAtListener(words, first, last, contextual));
    if (contextual && !aimed) continue;
    if (hit.kind === 'insult' && !aimed && selfDirected(words, first)) continue;
    abusive = true;
    if (aimed || (interruption && addressesListener)) targeted = true;
    if (targeted) break; // nothing further can change the answer
  }
  return { abusive, targeted };
}
