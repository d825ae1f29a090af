import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseRealUid } from '../../src/procfs/status.js';

const status = (uidLine: string) =>
  Buffer.from(
    `Name:\tbash\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t42\nPid:\t42\nPPid:\t1\n${uidLine}\nGid:\t0\t0\t0\t0\n`,
  );

describe('parseRealUid', () => {
  it('takes the real uid (first field)', () => {
    assert.equal(parseRealUid(status('Uid:\t65534\t0\t0\t0')), 65534);
    assert.equal(parseRealUid(status('Uid:\t0\t0\t0\t0')), 0);
  });
  it('accepts what sscanf("Uid:\\t%d") accepts', () => {
    assert.equal(parseRealUid(Buffer.from('Uid:  7 1 1 1\n')), 7);
    assert.equal(parseRealUid(Buffer.from('Uid:7\n')), 7);
    assert.equal(parseRealUid(Buffer.from('Uid:\t+7\n')), 7);
  });
  it('is undefined without a Uid line', () => {
    assert.equal(parseRealUid(Buffer.from('Name:\tx\nGid:\t0\n')), undefined);
    assert.equal(parseRealUid(Buffer.from('uid:\t5\n')), undefined);
    assert.equal(parseRealUid(Buffer.from('Uid:\tx\n')), undefined);
    assert.equal(parseRealUid(Buffer.alloc(0)), undefined);
  });
  it('property: never throws, and finds the uid after any prefix lines', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[A-Za-z]{1,8}:\t[a-z0-9 ]{0,60}$/)),
        fc.nat(),
        (lines, uid) => {
          const pre = lines.filter((l) => !l.startsWith('Uid:'));
          const buf = Buffer.from(`${[...pre, `Uid:\t${uid}\t0\t0\t0`].join('\n')}\n`);
          assert.equal(parseRealUid(buf), uid >>> 0);
        },
      ),
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 500 }), (b) => void parseRealUid(Buffer.from(b))));
  });
});
