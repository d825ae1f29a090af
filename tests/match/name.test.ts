import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { matchPlainName } from '../../src/match/name.js';

const b = (s: string) => Buffer.from(s, 'latin1');
const m = (name: string, comm: string, long?: string, icase = false) =>
  matchPlainName(b(name), b(comm), 0, comm.length, long === undefined ? undefined : b(long), icase);

describe('psmisc plain-name rule', () => {
  const comm = 'hx7abcdefghijkl';
  const long = 'hx7abcdefghijklmnop';
  it('matches the full long name', () => assert.equal(m(long, comm, long), true));
  it('does not match the 15-char truncation when the long name is known', () =>
    assert.equal(m(comm, comm, long), false));
  it('matches the truncation for a process without long name', () => assert.equal(m(comm, comm), true));
  it('does not match a 16-char prefix of a known long name', () =>
    assert.equal(m('hx7abcdefghijklm', comm, long), false));
  it('ignores NAME past 15 bytes when there is no long name', () =>
    assert.equal(m('hx7abcdefghijklmnopqrstuvwxyz', comm), true));
  it('is exact for short names', () => {
    assert.equal(m('hx7', 'hx7b'), false);
    assert.equal(m('hx7b', 'hx7b'), true);
    assert.equal(m('HX7B', 'hx7b'), false);
    assert.equal(m('HX7B', 'hx7b', undefined, true), true);
  });
  it('uses the 63-byte rule too', () => {
    const c63 = 'k'.repeat(63);
    assert.equal(m(`${c63}zz`, c63), true);
    assert.equal(m(c63.slice(1), c63), false);
  });
  it('compares bytes: a UTF-8 char cut at byte 15 still matches', () => {
    const full = Buffer.from('zzrXäöüßäöüß');
    const commBytes = full.subarray(0, 15);
    assert.equal(matchPlainName(full, commBytes, 0, 15, undefined, false), true);
    const framed = Buffer.concat([Buffer.from('xx'), commBytes, Buffer.from('\n')]);
    assert.equal(matchPlainName(full, framed, 2, 17, undefined, false), true, 'a view into a larger buffer');
  });
  it('property: a short comm matches exactly itself', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 14 }),
        fc.uint8Array({ maxLength: 20 }),
        (c, n) => {
          const comm = Buffer.from(c);
          assert.equal(matchPlainName(comm, comm, 0, comm.length, undefined, false), true);
          assert.equal(
            matchPlainName(Buffer.from(n), comm, 0, comm.length, undefined, false),
            Buffer.from(n).equals(comm),
          );
        },
      ),
    );
  });
});
