// Curated abuse vocabulary that a profanity list does not cover: insults, threats and contempt that
// contain no swear word. Source: hand-curated for Respite (judgement), guided by what the evidence
// counts as customer verbal aggression — personal insults, threats, condescension and swearing
// (Grandey et al. 2004; Dormann & Zapf 2004) — and by the most damaging form, aggression addressed to
// the agent with "you/your" (Walker et al. 2017; see MODEL-EVIDENCE.md §2). It is deliberately short:
// every entry costs one regular-expression pass per utterance, and every false positive multiplies an
// agent's load by ×6, so review additions against real transcripts before adding them.
//
// Pattern syntax is obscenity's (`|` = word boundary, `[x]` = optional). Patterns are matched after
// obscenity's English transformers (confusables, leet-speak, ASCII lower-case, collapsed repeats), so
// "1d10t" and "iiidiot" match `idiot`, and a pattern must itself be written with repeats collapsed
// except for b, e, o, l, s, g (which keep pairs): "bufoon", not "buffoon".
//
// Mild complaint words ("disappointed", "frustrated", "unacceptable") are deliberately absent: they
// are negative sentiment, not abuse.

/**
 * How an entry counts:
 * - `insult`, `threat`, `profanity`: abuse wherever they occur ("idiot", "I'll find you", "f*ck"),
 *   except an insult the speaker aims at themselves ("I'm such an idiot, I forgot my password").
 * - `contextual`: words customers also use about things ("this stupid form", "your app is useless").
 *   They count as abuse only when said of the listener as a person ("you are useless", "you
 *   stupid …"); otherwise they are left to sentiment.
 */
export type AbuseKind = 'insult' | 'threat' | 'profanity' | 'contextual';

export interface AbuseEntry {
  readonly word: string;
  readonly kind: AbuseKind;
  readonly patterns: readonly string[];
  /** Addressed to the listener by its form alone: imperatives ("shut up") and threats ("… you"). */
  readonly addressesListener: boolean;
}

const entry = (kind: AbuseKind, word: string, ...patterns: string[]): AbuseEntry => ({
  word,
  kind,
  patterns: patterns.length > 0 ? patterns : [`|${word}`],
  addressesListener: kind === 'threat',
});
const imperative = (word: string, ...patterns: string[]): AbuseEntry => ({
  ...entry('insult', word, ...patterns),
  addressesListener: true,
});

export const ABUSE_LEXICON: readonly AbuseEntry[] = [
  // Insults: nouns for a person, (almost) never used about an object.
  entry('insult', 'idiot'), // also idiots, idiotic
  entry('insult', 'moron'), // also moronic
  entry('insult', 'imbecile'),
  entry('insult', 'cretin'),
  entry('insult', 'dimwit'),
  entry('insult', 'halfwit', '|halfwit', '|half wit'),
  entry('insult', 'nitwit'),
  entry('insult', 'numbskull', '|numbskull', '|numskull'),
  entry('insult', 'dumbass', '|dumbass', '|dumb ass'),
  entry('insult', 'jackass'),
  entry('insult', 'scumbag', '|scumbag', '|scum|'),
  entry('insult', 'loser', '|loser[s]|'),
  entry('insult', 'buffoon', '|bufoon'),
  entry('insult', 'brain dead', '|brain dead|', '|braindead|', '|brain-dead|'),
  entry('insult', 'waste of space', '|waste of space|', '|waste of oxygen|', '|waste of skin|'),
  imperative('shut up', '|shut up|', '|shutup|', '|shut your mouth|', '|shut your face|', '|shut your trap|'),
  imperative('go to hell', '|go to hell|', '|rot in hell|', '|burn in hell|', '|drop dead|', '|go die|'),
  // Othering the agent as part of a despised group ("you people never …").
  imperative('you people', '|you people|'),

  // Threats against the agent (physical, or to their job).
  entry('threat', "i'll find you", "|i'll find you|", '|ill find you|', '|i will find you|', '|gonna find you|', '|going to find you|'),
  entry('threat', 'i know where you live', '|i know where you live|', '|know where you work|'),
  entry('threat', 'kill you', '|kill you|', '|kill u|', '|hurt you|', '|beat you up|', '|punch you|', '|strangle you|'),
  entry('threat', 'watch your back', '|watch your back|'),
  entry('threat', "you'll regret", "|you'll regret|", '|youll regret|', '|you will regret|', "|you'll be sorry|", '|you will be sorry|'),
  entry('threat', 'hope you die', '|hope you die|', '|hope you get cancer|'),
  entry('threat', 'get you fired', '|get you fired|', '|have you fired|', '|get you sacked|'),

  // Masked profanity in chat ("f**k", "sh*t"): obscenity's dataset does not read asterisks.
  // Repeated asterisks collapse to one before matching, so `f*ck` also covers "f**ck".
  entry('profanity', 'f*ck', '|f*ck', '|f*k|', '|f*king', '|f*cking'),
  entry('profanity', 'sh*t', '|sh*t', '|s*it'),
  entry('profanity', 'b*tch', '|b*tch'),
  entry('profanity', 'a*hole', '|a*hole', '|a*shole'),
  entry('profanity', 'c*nt', '|c*nt'),

  // Contextual: abusive when aimed at a person, ordinary complaint vocabulary otherwise.
  entry('contextual', 'useless'),
  entry('contextual', 'stupid'),
  entry('contextual', 'incompetent'),
  entry('contextual', 'pathetic'),
  entry('contextual', 'worthless'),
  entry('contextual', 'dumb', '|dumb|'),
  entry('contextual', 'ignorant'),
  entry('contextual', 'clueless'),
  entry('contextual', 'hopeless'),
  entry('contextual', 'brainless'),
  entry('contextual', 'lazy', '|lazy|'),
  entry('contextual', 'liar', '|liar[s]|', '|lying|'),
  entry('contextual', 'clown', '|clown[s]|'),
  entry('contextual', 'disgrace', '|disgrace|', '|disgraceful|'),
  entry('contextual', 'garbage', '|garbage|', '|trash|', '|rubbish|'),
  entry('contextual', 'piece of garbage', '|piece of garbage|', '|piece of trash|', '|piece of crap|', '|piece of junk|'),
];

/**
 * Words of obscenity's English dataset that are removed because a customer can use them in a
 * legitimate, non-abusive request: health and pharmacy lines (anatomy, side effects), insurance and
 * victim-support lines ("rape", "incest"), forms ("sex: female"), billing disputes ("porn channel").
 * Flagging those callers as abusive would be wrong and would itself harm them; sexual slurs and
 * harassment vocabulary (e.g. "slut", "whore", "pussy") stay in.
 */
export const CLINICAL_OR_DESCRIPTIVE_WORDS: ReadonlySet<string> = new Set([
  'anal',
  'anus',
  'penis',
  'vagina',
  'semen',
  'ejaculate',
  'orgasm',
  'sex',
  'rape',
  'incest',
  'porn',
  'scat',
  'masturbate',
]);

/** Ordinary words and phrases that obscenity's dataset would otherwise flag. */
export const EXTRA_WHITELIST: readonly string[] = ['shiitake', 'cum laude', 'retardant', 'cockpit'];
