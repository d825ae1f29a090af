import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { escapeName } from '../../src/text/escape.js';

describe('escapeName', () => {
  it('keeps printable ASCII and valid UTF-8', () => {
    assert.equal(escapeName(Buffer.from('hx7 a (b)')), 'hx7 a (b)');
    assert.equal(escapeName(Buffer.from('zzräöü')), 'zzräöü');
  });
  it('turns controls and invalid bytes into ?', () => {
    assert.equal(escapeName(Buffer.from('zzr\x1b]0;X\x07')), 'zzr?]0;X?');
    assert.equal(escapeName(Buffer.from('a\nb')), 'a?b');
    assert.equal(escapeName(Buffer.from([0x7a, 0xc3])), 'z?');
    assert.equal(escapeName(Buffer.from([0xc2, 0x9b])), '?', 'C1 CSI');
    assert.equal(escapeName(Buffer.from([0xed, 0xa0, 0x80])), '???', 'surrogate');
  });
  it('property: output has no control character and never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        const s = escapeName(b);
        assert.doesNotMatch(s, /[\x00-\x1f\x7f-\x9f]/);
      }),
      { numRuns: 5000 },
    );
  });
});
