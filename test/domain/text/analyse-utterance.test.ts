import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Value } from '../../../src/typebox.ts';
import { analyseUtterance, UtteranceAnalysisSchema } from '../../../src/domain/text/analyse-utterance.ts';
import { DEFAULT_MODEL_CONFIG } from '../../../src/domain/burnout/index.ts';
import { SEVERITY_MILD, SEVERITY_NONE, SEVERITY_STRONG, severityOfScore } from '../../../src/domain/burnout/load.ts';
import { MAX_UTTERANCE_TEXT } from '../../../src/domain/signals.ts';
import { ABUSIVE_TARGETED, ABUSIVE_UNTARGETED, CIVIL } from './utterance-corpus.ts';

describe('sentiment of an utterance', () => {
  test('a polite thank-you is positive', () => {
    assert.ok(analyseUtterance('Thank you so much, that was really helpful!').sentiment > 0.3);
  });

  test('a neutral request scores zero', () => {
    assert.equal(analyseUtterance('I need to update the address on my account.').sentiment, 0);
  });

  test('a frustrated complaint is mildly negative to the model (its default thresholds), not abuse', () => {
    const { sentiment, abusive } = analyseUtterance("I'm disappointed and frustrated, this is the third time I've called.");
    assert.equal(severityOfScore(sentiment, DEFAULT_MODEL_CONFIG), SEVERITY_MILD);
    assert.equal(abusive, false, 'frustration is negative sentiment, not abuse');
  });

  test('a slight disappointment scores negative but below the model\'s mild band', () => {
    const { sentiment } = analyseUtterance("I'm a bit disappointed, this is the third time I've called.");
    assert.ok(sentiment < 0);
    assert.equal(severityOfScore(sentiment, DEFAULT_MODEL_CONFIG), SEVERITY_NONE);
  });

  test('a strongly negative outburst is strongly negative to the model', () => {
    const { sentiment } = analyseUtterance('This is absolutely terrible, the worst service ever, I hate it.');
    assert.equal(severityOfScore(sentiment, DEFAULT_MODEL_CONFIG), SEVERITY_STRONG);
  });

  test('the empty string is neutral and not abusive', () => {
    assert.deepEqual(analyseUtterance(''), { sentiment: 0, abusive: false, targeted: false });
    assert.deepEqual(analyseUtterance('   \n\t '), { sentiment: 0, abusive: false, targeted: false });
  });
});

describe('abuse and targeting', () => {
  test('profanity about a thing is abusive but not targeted; a mild expletive is neither', () => {
    assert.deepEqual(pick(analyseUtterance('This fucking printer keeps jamming.')), { abusive: true, targeted: false });
    const damn = analyseUtterance('this damn printer');
    assert.deepEqual(pick(damn), { abusive: false, targeted: false });
    assert.ok(damn.sentiment < 0, '"damn" still counts as negative sentiment');
  });

  test('"you are a useless idiot" is targeted abuse and strongly negative', () => {
    const result = analyseUtterance('you are a useless idiot');
    assert.deepEqual(pick(result), { abusive: true, targeted: true });
    assert.equal(severityOfScore(result.sentiment, DEFAULT_MODEL_CONFIG), SEVERITY_STRONG);
  });

  test('spaced-out and leet-speak profanity is caught', () => {
    for (const text of ['f u c k', 'f.u.c.k this', 'this is sh1t', 'sh!t', 'f**k this', 'ｆｕｃｋ', 'fuuuuuck']) {
      assert.equal(analyseUtterance(text).abusive, true, text);
    }
    assert.deepEqual(pick(analyseUtterance('f u c k you')), { abusive: true, targeted: true });
  });

  test('words that merely contain an abusive substring are not abuse (Scunthorpe problem)', () => {
    for (const text of ['assessment', 'class', 'Dickens', 'Scunthorpe', 'cocktail', 'therapist', 'analysis', 'shiitake']) {
      assert.equal(analyseUtterance(text).abusive, false, text);
    }
  });

  test('an insult that is not profanity is abuse; a mild complaint word is not', () => {
    assert.equal(analyseUtterance('My neighbour is a complete moron.').abusive, true);
    assert.equal(analyseUtterance('I am frustrated and disappointed.').abusive, false);
  });

  test('an insult the speaker aims at themselves is not abuse, one aimed at the listener is', () => {
    assert.equal(analyseUtterance("I'm such an idiot, I forgot my password.").abusive, false);
    assert.equal(analyseUtterance('I feel like a moron.').abusive, false);
    assert.deepEqual(pick(analyseUtterance('I think you are an idiot.')), { abusive: true, targeted: true });
  });

  test('complaint words about things are abuse only when aimed at the listener', () => {
    assert.equal(analyseUtterance('The website is useless on my phone.').abusive, false);
    assert.equal(analyseUtterance('This stupid form keeps crashing.').abusive, false);
    assert.deepEqual(pick(analyseUtterance('You are useless.')), { abusive: true, targeted: true });
    assert.deepEqual(pick(analyseUtterance('Are you stupid or something?')), { abusive: true, targeted: true });
    assert.equal(analyseUtterance('Your app is useless.').abusive, false, '"your" + a thing is a complaint');
    assert.equal(analyseUtterance("You're not stupid, the system is confusing.").abusive, false);
    assert.equal(analyseUtterance('Sorry, stupid question, but can you tell me my balance?').abusive, false);
  });

  test('threats and "shut up" are aimed at the listener by their form', () => {
    assert.deepEqual(pick(analyseUtterance("I'll find you.")), { abusive: true, targeted: true });
    assert.deepEqual(pick(analyseUtterance('i’ll find you')), { abusive: true, targeted: true });
    assert.deepEqual(pick(analyseUtterance('Shut up and listen.')), { abusive: true, targeted: true });
  });

  test('"you" far from the abuse, in another sentence or before a change of subject does not target it', () => {
    assert.equal(analyseUtterance('Thank you. This fucking printer is broken.').targeted, false);
    assert.equal(analyseUtterance('Can you check if the account I opened last year is still shit').targeted, false);
    assert.equal(analyseUtterance('Can you check, this fucking thing will not print').targeted, false);
    assert.equal(analyseUtterance('thank you, fucking brilliant').targeted, false, '"thank you" addresses nobody');
  });

  test('during an interruption, second person anywhere plus abuse is targeted', () => {
    const text = 'Can you check, this fucking thing will not print';
    assert.equal(analyseUtterance(text, { interruption: true }).targeted, true);
    assert.equal(analyseUtterance('This fucking printer.', { interruption: true }).targeted, false, 'no second person');
    assert.equal(analyseUtterance('Can you check my bill?', { interruption: true }).targeted, false, 'no abuse');
  });

  test('labelled corpus: civil, untargeted and targeted utterances are classified as labelled', () => {
    const classify = (text: string) => pick(analyseUtterance(text));
    for (const text of CIVIL) assert.deepEqual(classify(text), { abusive: false, targeted: false }, text);
    for (const text of ABUSIVE_UNTARGETED) assert.deepEqual(classify(text), { abusive: true, targeted: false }, text);
    for (const text of ABUSIVE_TARGETED) assert.deepEqual(classify(text), { abusive: true, targeted: true }, text);
  });
});

describe('bounded work and robustness', () => {
  test('a very long utterance is analysed, and text beyond the maximum length is ignored', () => {
    const civil = 'I would like to check the status of my order, thank you. ';
    const long = civil.repeat(Math.ceil(MAX_UTTERANCE_TEXT / civil.length));
    assert.equal(analyseUtterance(long).abusive, false);
    assert.equal(analyseUtterance(long + ' you fucking idiot').abusive, false, 'abuse past the cap is not read');
    assert.equal(analyseUtterance(long.slice(0, 200) + ' you fucking idiot').targeted, true);
    assert.ok(analyseUtterance('you idiot '.repeat(50_000)).targeted);
  });

  test('sentiment stays within [-1, 1] and analysis never throws on arbitrary unicode', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), fc.boolean(), (text, interruption) => {
        const result = analyseUtterance(text, { interruption });
        assert.ok(Value.Check(UtteranceAnalysisSchema, result), JSON.stringify(result));
        assert.ok(!result.targeted || result.abusive, 'targeted implies abusive');
      }),
      { numRuns: 300 },
    );
  });

  test('never throws on lone surrogates, random UTF-16 and word soup built from abusive vocabulary', () => {
    const vocabulary = ['you', 'your', 'idiot', 'f u c k', 'sh1t', 'not', 'this', '.', '!', '\n', 'useless', '\ud800', '😡', 'ｆ'];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: fc.nat(0xffff).map((code) => String.fromCharCode(code)), maxLength: 400 }),
          fc.array(fc.constantFrom(...vocabulary), { maxLength: 60 }).map((words) => words.join(' ')),
        ),
        (text) => {
          const { sentiment } = analyseUtterance(text, { interruption: text.length % 2 === 0 });
          assert.ok(sentiment >= -1 && sentiment <= 1 && Number.isFinite(sentiment));
        },
      ),
      { numRuns: 300 },
    );
  });
});

function pick({ abusive, targeted }: { abusive: boolean; targeted: boolean }) {
  return { abusive, targeted };
}
