import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { splitWords, wordIndexAt } from '../../../src/domain/text/words.ts';

describe('splitWords', () => {
  test('marks second-person words, but not the "you" of "thank you"', () => {
    const flags = splitWords("Thank you, but you're wrong and u know it").map((w) => [w.text, w.secondPerson]);
    assert.deepEqual(flags.filter(([, second]) => second).map(([text]) => text), ["you're", 'u']);
  });

  test('marks "your" as possessive and "you" as not', () => {
    const [you, your] = splitWords('you your');
    assert.deepEqual([you.possessive, your.possessive], [false, true]);
    assert.ok(you.secondPerson && your.secondPerson);
  });

  test('starts a new clause at sentence punctuation and line breaks, not at commas', () => {
    const clauses = splitWords('one, two. three? four; five\nsix').map((w) => w.clause);
    assert.deepEqual(clauses, [0, 0, 1, 2, 3, 4]);
  });

  test('records character spans that point back into the text', () => {
    const text = "  hello   'world' ";
    for (const word of splitWords(text)) assert.equal(text.slice(word.start, word.end).replaceAll("'", '').toLowerCase(), word.text);
  });
});

describe('wordIndexAt', () => {
  test('finds the word containing a character, or the next word after a gap', () => {
    const words = splitWords('ab cd  ef');
    assert.equal(wordIndexAt(words, 0), 0);
    assert.equal(wordIndexAt(words, 4), 1);
    assert.equal(wordIndexAt(words, 5), 2); // the gap before "ef"
    assert.equal(wordIndexAt(words, 99), words.length);
  });
});
