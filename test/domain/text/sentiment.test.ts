import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import Sentiment from 'sentiment';
import { scoreSentiment } from '../../../src/domain/text/sentiment.ts';
import { prepareText } from '../../../src/domain/text/prepare-text.ts';

describe('scoreSentiment', () => {
  test('is tanh of the AFINN score over the word count, with a floor of five words', () => {
    // "terrible" −3, "awful" −3: −6 over 6 words; "bad" −3 alone is floored to 5 words.
    assert.equal(scoreSentiment('the food was terrible and awful'), Math.tanh(-6 / 6));
    assert.equal(scoreSentiment('bad'), Math.tanh(-3 / 5));
  });

  test('flips a word after a negator', () => {
    assert.ok(scoreSentiment("I don't like waiting, I don't love this") < 0);
    assert.ok(scoreSentiment('not bad at all') > 0);
    assert.ok(scoreSentiment("I don't hate it") > 0);
    assert.equal(scoreSentiment(prepareText('I don’t hate it')), scoreSentiment("I don't hate it"), 'typographic apostrophe');
  });

  test('treats service vocabulary as neutral', () => {
    for (const text of ['No.', 'I was charged twice', "I'd like to cancel", 'I lost my card', 'my card is blocked']) {
      assert.equal(scoreSentiment(text), 0, text);
    }
  });

  test('does not change the shared AFINN table for other users of the library', () => {
    scoreSentiment('no');
    assert.equal(new Sentiment().analyze('no').score, -1);
  });

  test('reads words separated by tabs and line breaks', () => {
    assert.equal(scoreSentiment('terrible\tawful\nservice'), scoreSentiment('terrible awful service'));
  });

  test('scores non-English text as neutral', () => {
    assert.equal(scoreSentiment('Das ist eine Katastrophe, ich bin sehr verärgert'), 0);
  });

  test('stays within [-1, 1]', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('hate', 'love', 'terrible', 'superb', 'not', 'bastard', '😡', 'x')), (words) => {
        const value = scoreSentiment(words.join(' '));
        assert.ok(value >= -1 && value <= 1);
      }),
    );
  });
});
