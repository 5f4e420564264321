import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { capLength, prepareText } from '../../../src/domain/text/prepare-text.ts';
import { MAX_UTTERANCE_TEXT } from '../../../src/domain/signals.ts';

// Any UTF-16 code unit, lone surrogates included (cheaper to set up than fast-check's 'binary' unit).
const utf16CodeUnit = fc.nat(0xffff).map((code) => String.fromCharCode(code));

describe('prepareText', () => {
  test('joins four or more spaced-out letters into one word', () => {
    assert.equal(prepareText('f u c k this'), 'fuck this');
    assert.equal(prepareText('s.h.i.t'), 'shit');
    assert.equal(prepareText('a-s-s-h-o-l-e'), 'asshole');
  });

  test('leaves short runs of single letters alone so "r u a" keeps its "u"', () => {
    assert.equal(prepareText('r u a moron'), 'r u a moron');
    assert.equal(prepareText('plan B is fine'), 'plan B is fine');
  });

  test('turns typographic apostrophes into plain ones and full-width letters into ASCII', () => {
    assert.equal(prepareText('you’re'), "you're");
    assert.equal(prepareText('ｉｄｉｏｔ'), 'idiot');
  });

  test('reads "!" after a word as punctuation but keeps it inside a word', () => {
    assert.equal(prepareText('idiot!!'), 'idiot..');
    assert.equal(prepareText('sh!t'), 'sh!t');
  });

  test('never returns more than the maximum utterance length, even when NFKC expands the text', () => {
    assert.equal(prepareText('x'.repeat(MAX_UTTERANCE_TEXT * 2)).length, MAX_UTTERANCE_TEXT);
    assert.ok(prepareText('\ufdfa'.repeat(MAX_UTTERANCE_TEXT)).length <= MAX_UTTERANCE_TEXT); // ﷺ → 18 chars
  });
});

describe('capLength', () => {
  test('does not cut a surrogate pair in half', () => {
    const text = 'a' + '😡'.repeat(10); // the emoji's halves sit at odd/even positions 1,2 / 3,4 …
    assert.equal(capLength(text, 4), 'a😡');
    assert.equal(capLength(text, 5), 'a😡😡');
  });

  test('returns a prefix no longer than the limit', () => {
    fc.assert(
      fc.property(fc.string({ unit: utf16CodeUnit }), fc.integer({ min: 1, max: 50 }), (text, max) => {
        const capped = capLength(text, max);
        assert.ok(capped.length <= max && text.startsWith(capped));
        assert.ok(capped.length >= Math.min(text.length, max) - 1);
      }),
    );
  });
});
