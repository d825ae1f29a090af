import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ageAllowed, parseTimeUnits, processAge } from '../../src/match/age.js';

describe('parseTimeUnits (psmisc -y/-o)', () => {
  it('takes an integer and one unit', () => {
    const ok: [string, number][] = [
      ['1s', 1],
      ['2m', 120],
      ['1h', 3600],
      ['1d', 86400],
      ['1w', 604800],
      ['1M', 2419200],
      ['1y', 29030400],
      ['1sec', 1],
      [' +5s', 5],
      ['99999999999999999999s', Number(9223372036854775807n)],
    ];
    for (const [t, v] of ok) assert.equal(parseTimeUnits(t), v, t);
  });
  it('refuses what psmisc calls an invalid time format', () => {
    for (const t of ['1.5h', '5', '0s', '-1s', '5x', 's', '0x10s', '1S', '1H', '', ' ']) {
      assert.equal(parseTimeUnits(t), undefined, t);
    }
  });
  it('computes ages and filters them like psmisc (strict, both ends pass at equality)', () => {
    assert.equal(processAge(100, 2500), 75);
    assert.equal(processAge(10, 2500), 0);
    assert.equal(ageAllowed(5, 5, 5), true);
    assert.equal(ageAllowed(5.1, 5), false);
    assert.equal(ageAllowed(4.9, undefined, 5), false);
  });
  it('property: never throws and never returns a non-positive value', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const v = parseTimeUnits(s);
        assert.ok(v === undefined || v > 0);
      }),
    );
  });
});
