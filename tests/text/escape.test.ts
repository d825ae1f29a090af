import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { escapeName, isPrintable, jsonText, shellWord } from '../../src/text/escape.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');
/** Bytes that must never reach a text stream raw: C0 but TAB and LF, DEL, C1 as UTF-8. */
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
/** Hostile byte strings: any bytes, and UTF-8 text with controls, C1 and broken sequences mixed in. */
const hostile = fc.oneof(
  fc.uint8Array({ maxLength: 48 }),
  fc
    .array(
      fc.oneof(
        fc.string({ unit: 'grapheme', maxLength: 4 }).map((s) => Buffer.from(s, 'utf8')),
        fc.constantFrom(b('\x1b]0;X\x07'), b('\x1b[2J'), b('\xc2\x9b'), b('\x7f'), b('\xff'), b('\xe2\x80')),
      ),
      { maxLength: 8 },
    )
    .map((parts) => Buffer.concat(parts)),
);

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
    assert.equal(escapeName(Buffer.from([0xc0, 0xaf])), '??', 'overlong /');
    assert.equal(escapeName(Buffer.from([0xf4, 0x90, 0x80, 0x80])), '????', 'past U+10FFFF');
  });
  it('property: output has no control character and never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (u) => {
        const s = escapeName(u);
        assert.doesNotMatch(s, /[\x00-\x1f\x7f-\x9f]/);
      }),
      { numRuns: 5000 },
    );
  });
  it('property: printable input comes back unchanged, and isPrintable says so', () => {
    fc.assert(
      fc.property(hostile, (u) => {
        const text = Buffer.from(u).toString('utf8');
        const printable = isPrintable(u);
        const controls = /[\x00-\x1f\x7f-\x9f]/.test(text);
        assert.equal(printable, Buffer.from(text, 'utf8').equals(Buffer.from(u)) && !controls);
        if (printable) assert.equal(escapeName(u), text);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('shellWord', () => {
  it('bare, single-quoted, or $-quoted with \\x escapes', () => {
    assert.equal(shellWord(b('a-b_c.1')), 'a-b_c.1');
    assert.equal(shellWord(b('')), "''");
    assert.equal(shellWord(b("it's x")), "'it'\\''s x'");
    assert.equal(shellWord(Buffer.from('zzräöü $(id)')), "'zzräöü $(id)'");
    assert.equal(shellWord(b('ev\x1b]0;PWNED\x07\xc2\x9bdir')), "$'ev\\x1b]0;PWNED\\x07\\xc2\\x9bdir'");
    assert.equal(shellWord(b("a'\\\n\xff")), "$'a\\'\\\\\\x0a\\xff'");
    assert.equal(shellWord(Buffer.from('é\x7f')), "$'é\\x7f'");
  });
  it('property: no control character ever, and only printable characters between the quotes', () => {
    fc.assert(
      fc.property(hostile, (u) => {
        assert.doesNotMatch(shellWord(u), UNSAFE);
      }),
      { numRuns: 3000 },
    );
  });
  for (const shell of ['bash', 'zsh']) {
    it(`${shell} reads every word back as exactly its bytes (500 hostile strings, one ${shell})`, (t) => {
      if (spawnSync(shell, ['-c', 'true']).status !== 0) return t.skip(`${shell} is not installed`);
      // argv cannot hold a NUL byte, and neither can a process name or a path.
      const words = fc
        .sample(hostile, { numRuns: 500, seed: 15 })
        .map((u) => Buffer.from(u.filter((x) => x !== 0)));
      const script = `printf '%s\\0' ${words.map((w) => shellWord(w)).join(' ')}\n`;
      // The script goes in on stdin, as bytes (argv would be re-encoded).
      const r = spawnSync(shell, ['-s'], {
        input: Buffer.from(script, 'utf8'),
        env: { LC_ALL: 'C.UTF-8', PATH: process.env.PATH },
      });
      assert.equal(r.status, 0, String(r.stderr));
      const back = r.stdout.toString('latin1').split('\0').slice(0, -1);
      assert.deepEqual(
        back,
        words.map((w) => w.toString('latin1')),
      );
    });
  }
});

describe('jsonText', () => {
  it('escapes C0, DEL, C1 and U+2028/U+2029; the text parses back to the same value', () => {
    const v = { s: 'a\x1b\x7f\x9b\u2028\u2029é\n' };
    const t = jsonText(v);
    assert.equal(t, '{"s":"a\\u001b\\u007f\\u009b\\u2028\\u2029é\\n"}');
    assert.deepEqual(JSON.parse(t), v);
  });
  it('property: no raw control character, and JSON.parse gives the value back', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const t = jsonText({ s });
        assert.doesNotMatch(t, /[\x00-\x1f\x7f-\x9f\u2028\u2029]/);
        assert.deepEqual(JSON.parse(t), { s });
      }),
      { numRuns: 3000 },
    );
  });
});
