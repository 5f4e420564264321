// One normalisation pass shared by sentiment and abuse detection, so both read the same words and
// all character positions refer to the same string. Work is bounded: the input is cut to the
// schema's maximum before anything else runs.
import { MAX_UTTERANCE_TEXT } from '../signals.ts';

/** Cut to `max` UTF-16 units without leaving half a surrogate pair at the end. */
export function capLength(text: string, max: number = MAX_UTTERANCE_TEXT): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  const end = last >= 0xd800 && last <= 0xdbff ? max - 1 : max;
  return text.slice(0, end);
}

// Typographic apostrophes would hide "don’t" from the negation rule and "you’re" from second person.
const APOSTROPHES = /[\u2018\u2019\u02bc\u0060\u00b4]/g;
// "idiot!" — obscenity reads "!" as leet-speak for "i" ("sh!t"), which would turn "idiot!" into
// "idioti" and defeat the word boundary. A "!" not followed by a letter or digit is punctuation.
const EXCLAMATION = /!(?![\p{L}\p{N}])/gu;
// Spaced-out letters ("f u c k", "s.h.i.t", "a-s-s-h-o-l-e"): four or more single characters with
// one or two separators between them are joined. Four, not three, so "r u a moron" keeps its "u".
const SPACED_LETTERS = /(?<![\p{L}\p{N}@$'])[\p{L}\p{N}@$](?:[ .\-_*]{1,2}[\p{L}\p{N}@$](?![\p{L}\p{N}@$'])){3,}/gu;
const SEPARATORS = /[ .\-_*]/g;

/**
 * Bounded, normalised copy of an utterance: capped length, NFKC (full-width and stylised letters
 * become plain ones), plain apostrophes, "!" as punctuation and spaced-out letters joined.
 */
export function prepareText(raw: string): string {
  const text = capLength(capLength(raw).normalize('NFKC')); // NFKC can lengthen text: cap again
  return text
    .replace(APOSTROPHES, "'")
    .replace(EXCLAMATION, '.')
    .replace(SPACED_LETTERS, (run) => run.replace(SEPARATORS, ''));
}
