// Lexicon sentiment of a prepared utterance with the `sentiment` library (AFINN-165 plus its emoji
// table). English only: words of other languages are simply not in the lexicon, so non-English text
// scores near 0 (neutral) rather than wrong — an upstream score is the way to support other languages.
import { createRequire } from 'node:module';
import Sentiment from 'sentiment';

// What a score means to the model (mild, strong) is the org's model config alone
// (difficulty.*SentimentAtOrBelow, burnout/load.ts severityOfScore): no second set of thresholds here.

/**
 * A comparative score divides by the word count; short utterances get this floor instead, so a
 * bare "damn" or "sorry" is not −1 by itself. Five words is a short conversational turn.
 */
export const MIN_WORDS_FOR_COMPARATIVE = 5;

/**
 * AFINN words that describe the transaction in service calls rather than the caller's mood
 * ("I'd like to cancel", "I was charged twice", "I lost my card", "no, the other account"). Scored
 * as in AFINN they make whole queues (billing, collections, lost cards) look negative.
 */
const SERVICE_VOCABULARY: Readonly<Record<string, number>> = {
  no: 0,
  cancel: 0,
  cancelled: 0,
  charged: 0,
  charges: 0,
  pay: 0,
  debt: 0,
  lost: 0,
  block: 0,
  blocked: 0,
  like: 0, // "I would like to …"
  want: 0,
  help: 0, // "I need help with …"
};

// Registered once as its own language so AFINN's shared English table is never mutated
// (`analyze(…, { extras })` would merge into it for every later caller in the process).
const LANGUAGE = 'respite-en';
const english = createRequire(import.meta.url)('sentiment/languages/en/index.js') as Sentiment.LanguageModule;
const analyser = new Sentiment();
analyser.registerLanguage(LANGUAGE, {
  labels: { ...english.labels, ...SERVICE_VOCABULARY },
  scoringStrategy: english.scoringStrategy, // flips a word after "not", "don't", …
});

const WHITESPACE = /\s+/g;

/**
 * Sentiment in [−1, 1]: `tanh(AFINN score / max(words, 5))`. The ratio is the library's comparative
 * score (mean valence per word, AFINN words weigh −5…+5) with a floor for short turns; tanh keeps it
 * in range and is nearly linear where the thresholds sit. Examples: "I'm a bit disappointed" −0.38
 * (mild), "you are a useless idiot" −0.76 (strong), "thanks, that's great" +0.76. Long texts are
 * averaged, so one angry sentence in a long e-mail is diluted; abuse flags are not.
 */
export function scoreSentiment(text: string): number {
  // The library splits on single spaces only: fold tabs and line breaks first.
  const result = analyser.analyze(text.replace(WHITESPACE, ' '), { language: LANGUAGE });
  const value = Math.tanh(result.score / Math.max(result.tokens.length, MIN_WORDS_FOR_COMPARATIVE));
  return Number.isFinite(value) ? value : 0;
}
