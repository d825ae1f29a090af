/** The baselines' byte notation maps back to exactly the bytes written down, whatever they are. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { plain, showBytes } from './render.js';

const END = '\n\\ (no newline at end)\n';

/** The inverse of showBytes, written from its documented notation. */
function readBytes(text: string): Buffer {
  const open = text.endsWith(END);
  const body = open ? text.slice(0, -END.length) : text;
  const out: Buffer[] = [];
  for (let i = 0; i < body.length; ) {
    if (body.startsWith('\\\\', i)) {
      out.push(Buffer.from([0x5c]));
      i += 2;
    } else if (/^\\x[0-9a-f]{2}/.test(body.slice(i, i + 4))) {
      out.push(Buffer.from([Number.parseInt(body.slice(i + 2, i + 4), 16)]));
      i += 4;
    } else {
      const ch = String.fromCodePoint(body.codePointAt(i)!);
      out.push(Buffer.from(ch, 'utf8'));
      i += ch.length;
    }
  }
  return Buffer.concat(out);
}

describe('golden notation of bytes', () => {
  it('reads back to the same bytes (any bytes, and bytes rich in the notation own characters)', () => {
    const special = fc.constantFrom(
      0x5c,
      0x78,
      0x20,
      0x0a,
      0x09,
      0x1b,
      0x30,
      0x66,
      0xc3,
      0xa9,
      0xe2,
      0x80,
      0xff,
    );
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc
        .array(fc.oneof(special, fc.integer({ min: 0, max: 255 })), { maxLength: 64 })
        .map((a) => Uint8Array.from(a)),
      fc.string({ unit: 'grapheme', maxLength: 16 }).map((s) => new Uint8Array(Buffer.from(s, 'utf8'))),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        assert.deepEqual(readBytes(showBytes(b)), Buffer.from(b));
      }),
      { numRuns: 2000 },
    );
  });
  it('keeps text readable: strace escapes, UTF-8, controls, trailing spaces, no final newline', () => {
    const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');
    const cases: [Buffer, string][] = [
      [latin1('read(3, "a\\nb"..., 4096) = 4\n'), 'read(3, "a\\nb"..., 4096) = 4\n'],
      [Buffer.from('Killed hx7é€(233)\n', 'utf8'), 'Killed hx7é€(233)\n'],
      [latin1('\x1b[31m\xff\n'), '\\x1b[31m\\xff\n'],
      [latin1('C:\\x\\\\y\n'), 'C:\\\\x\\\\\\y\n'],
      [latin1('Kill x(1) ? (y/N) '), 'Kill x(1) ? (y/N)\\x20\n\\ (no newline at end)\n'],
      [latin1('\\ (no newline at end)\n'), '\\\\ (no newline at end)\n'],
    ];
    for (const [bytes, shown] of cases) assert.equal(showBytes(bytes), shown, bytes.toString('latin1'));
  });
  it('library values: sorted keys, bytes in hex, undefined kept, errors as fields', () => {
    const e = Object.assign(new RangeError('bad'), { code: 'X' });
    assert.deepEqual(plain({ b: Buffer.from('hx7\n'), a: undefined, e }), {
      a: '(undefined)',
      b: 'hex 6878370a "hx7\\n"',
      e: { class: 'RangeError', message: 'bad', code: 'X' },
    });
  });
});
