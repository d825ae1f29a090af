import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InvalidPidError, validatePgid, validatePid } from '../../src/signal/pid.js';

describe('validatePid', () => {
  it('refuses every value kill(2) would read as a group or everything', () => {
    for (const v of [
      0,
      -1,
      -0,
      Number.NaN,
      '',
      ' ',
      '123',
      false,
      [],
      null,
      undefined,
      1.5,
      2 ** 31,
      4194305,
      12n,
    ]) {
      assert.throws(() => validatePid(v), InvalidPidError, String(v));
    }
    assert.equal(validatePid(1), 1);
    assert.equal(validatePid(4194304), 4194304);
  });
  it('validatePgid refuses groups 0 and 1', () => {
    assert.throws(() => validatePgid(1), InvalidPidError);
    assert.throws(() => validatePgid(0), InvalidPidError);
    assert.equal(validatePgid(2), 2);
  });
  it('property: returns a positive safe integer or throws', () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        try {
          const r = validatePid(v);
          assert.ok(Number.isSafeInteger(r) && r > 0);
        } catch (e) {
          assert.ok(e instanceof InvalidPidError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
