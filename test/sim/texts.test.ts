import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import Sentiment from 'sentiment';
import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from 'obscenity';
import { ABUSIVE_LINES, MILD_NEGATIVE_LINES, STRONG_NEGATIVE_LINES } from '../../src/sim/texts.ts';

// The lines must read as what they are meant to be to a lexicon-based analyser like the server's.
const sentiment = new Sentiment();

describe('customer lines for hard contacts', () => {
  test('score negative with a sentiment lexicon, strong lines more than mild ones on average', () => {
    const score = (t: string) => sentiment.analyze(t).comparative;
    for (const line of [...ABUSIVE_LINES, ...STRONG_NEGATIVE_LINES, ...MILD_NEGATIVE_LINES]) assert.ok(score(line) < 0, line);
    const mean = (xs: readonly string[]) => xs.reduce((a, t) => a + score(t), 0) / xs.length;
    assert.ok(mean(STRONG_NEGATIVE_LINES) < mean(MILD_NEGATIVE_LINES));
  });

  test('aim abuse at the agent and avoid profanity in merely negative lines', () => {
    const profanity = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
    assert.ok(ABUSIVE_LINES.every((l) => /\byou\b/i.test(l)));
    assert.ok([...STRONG_NEGATIVE_LINES, ...MILD_NEGATIVE_LINES].every((l) => !profanity.hasMatch(l)));
  });
});
