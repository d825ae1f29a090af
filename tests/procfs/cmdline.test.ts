import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { scanLongName } from '../../src/procfs/cmdline.js';

const longName = (args: string[], comm: string): string | undefined => {
  const data = Buffer.from(`${args.join('\0')}\0`, 'latin1');
  const r = scanLongName(data, data.length, Buffer.from(comm, 'latin1'), true);
  return r.kind === 'found' ? data.subarray(r.start, r.end).toString('latin1') : undefined;
};

describe('scanLongName', () => {
  it('finds the first argument whose basename starts with comm', () => {
    assert.equal(longName(['/tmp/hx7abcdefghijklmnop'], 'hx7abcdefghijkl'), 'hx7abcdefghijklmnop');
    assert.equal(
      longName(['/bin/sh', '/tmp/hx7longscriptname.sh'], 'hx7longscriptna'),
      'hx7longscriptname.sh',
    );
    assert.equal(longName(['fooarg0'], 'hx7abcdefghijkl'), undefined);
  });
  it('stops at an empty argument', () => {
    assert.equal(longName(['sh', '', 'hx7abcdefghijklmnop'], 'hx7abcdefghijkl'), undefined);
  });
  it('is none for empty cmdline (kernel threads, zombies)', () => {
    assert.deepEqual(scanLongName(Buffer.alloc(0), 0, Buffer.from('x'), true), { kind: 'none' });
  });
  it('takes a last argument without NUL at the end of data', () => {
    const d = Buffer.from('a\0/x/hx7abcdefghijklmn');
    const r = scanLongName(d, d.length, Buffer.from('hx7abcdefghijkl'), true);
    assert.equal(r.kind, 'found');
  });
  it('asks for more when an argument is cut off', () => {
    const d = Buffer.from('aa\0hx7abc');
    assert.deepEqual(scanLongName(d, d.length, Buffer.from('hx7abcdefghijkl'), false), {
      kind: 'more',
      resume: 3,
    });
  });
  it('property: chunked scanning agrees with one pass, and never throws', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.uint8Array({ minLength: 1, maxLength: 4 }),
        fc.nat(200),
        (d, comm, cut) => {
          const data = Buffer.from(d);
          const whole = scanLongName(data, data.length, comm, true);
          const k = Math.min(cut, data.length);
          const first = scanLongName(data, k, comm, false);
          const chunked =
            first.kind === 'more' ? scanLongName(data, data.length, comm, true, first.resume) : first;
          assert.deepEqual(chunked, whole);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
