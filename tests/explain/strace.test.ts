import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  direntSize,
  GETDENTS_BUFFER,
  getdentsCalls,
  openFlags,
  quote,
  quotePath,
  result,
  signalName,
} from '../../src/explain/strace.js';
import { unquote } from '../helpers/strace-join.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

describe("strace's line format", () => {
  it('strings: C escapes, octal as short as the next byte allows, cut at 32 bytes with ... after the quote', () => {
    assert.equal(quote(b('812 (sleep) S 1 812 812 0 -1 4194304 0')), '"812 (sleep) S 1 812 812 0 -1 419"...');
    assert.equal(quote(b('a'.repeat(32))), `"${'a'.repeat(32)}"`);
    assert.equal(quote(b('a'.repeat(33))), `"${'a'.repeat(32)}"...`);
    assert.equal(quote(b('sleep\u00001000\u0000')), '"sleep\\0001000\\0"');
    assert.equal(quote(b('sh\u0000/x')), '"sh\\0/x"');
    assert.equal(quote(b('\t\n\v\f\r"\\')), '"\\t\\n\\v\\f\\r\\"\\\\"');
    assert.equal(quote(b('\u001b[0m\u00ff\u007f')), '"\\33[0m\\377\\177"');
    assert.equal(quote(b('')), '""');
  });
  it('property: any bytes give printable ASCII that reads back to the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const q = quote(bytes, Number.POSITIVE_INFINITY);
        assert.match(q, /^"[\x20-\x7e]*"$/);
        assert.deepEqual(Buffer.from(unquote(q.slice(1, -1)), 'latin1'), Buffer.from(bytes));
        const cut = quote(bytes);
        assert.equal(cut.endsWith('"...'), bytes.length > 32);
      }),
    );
  });
  it('paths as the real strace prints them: every byte 1-255, and octal digits after escapes', (t) => {
    if (spawnSync('strace', ['-V'], { stdio: 'ignore' }).status !== 0)
      return t.skip('strace is not installed');
    // Paths that do not exist (openat fails with ENOENT or ENAMETOOLONG): nothing is created, nothing signalled.
    const all = Buffer.from(Array.from({ length: 255 }, (_, i) => i + 1).filter((x) => x !== 0x2f));
    const paths = [
      Buffer.concat([b('/nonexistent-kts/'), all.subarray(0, 120)]),
      Buffer.concat([b('/nonexistent-kts/'), all.subarray(120)]),
      b('/nonexistent-kts/\x019\x017\x7f7\x1b]0;PWNED\x07\xc2\x9bdir\xff0'),
    ];
    for (const path of paths) {
      // The path goes in on stdin (argv would be re-encoded as UTF-8); bash hands it to cat as bytes.
      const r = spawnSync(
        'strace',
        ['-e', 'trace=openat', 'bash', '-c', 'IFS= read -r -d \'\' p; cat -- "$p"'],
        {
          input: Buffer.concat([path, b('\0')]),
          env: { LC_ALL: 'C.UTF-8', PATH: process.env.PATH },
        },
      );
      const want = `openat(AT_FDCWD, ${quotePath(path)}, O_RDONLY) = -1 `;
      const lines = r.stderr.toString('latin1').split('\n');
      assert.ok(
        lines.some((l) => l.startsWith(want)),
        `${want}\nnot in:\n${lines.filter((l) => l.includes('nonexistent-kts')).join('\n')}`,
      );
    }
  });
  it('signals by name as strace prints them on Linux', () => {
    assert.equal(signalName(15), 'SIGTERM');
    assert.equal(signalName(9), 'SIGKILL');
    assert.equal(signalName(29), 'SIGIO');
    assert.equal(signalName(32), 'SIGRTMIN');
    assert.equal(signalName(34), 'SIGRT_2');
    assert.equal(signalName(64), 'SIGRT_32');
    assert.equal(signalName(0), '0');
    assert.equal(signalName(65), '65');
    assert.equal(signalName(-1), '-1');
  });
  it('results, and the flags Node passes to openat', () => {
    assert.equal(result(3), '= 3');
    assert.equal(result('ENOENT'), '= -1 ENOENT (No such file or directory)');
    assert.equal(result('EPERM'), '= -1 EPERM (Operation not permitted)');
    assert.equal(openFlags(false), 'O_RDONLY|O_CLOEXEC');
    assert.equal(openFlags(true), 'O_RDONLY|O_CLOEXEC|O_DIRECTORY');
  });
  it('getdents64: record sizes and the split into 32 KiB buffers, ending with a call that returns 0', () => {
    assert.equal(direntSize(1), 24);
    assert.equal(direntSize(4), 24);
    assert.equal(direntSize(5), 32);
    assert.deepEqual(getdentsCalls(['.', '..']), [
      { entries: 2, bytes: 48 },
      { entries: 0, bytes: 0 },
    ]);
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[0-9]{1,10}$/), { maxLength: 3000 }), (names) => {
        const calls = getdentsCalls(names);
        assert.deepEqual(calls.at(-1), { entries: 0, bytes: 0 });
        for (const c of calls) assert.ok(c.bytes <= GETDENTS_BUFFER);
        const total = names.reduce((s, n) => s + direntSize(n.length), 0);
        assert.equal(
          calls.reduce((s, c) => s + c.bytes, 0),
          total,
        );
        assert.equal(
          calls.reduce((s, c) => s + c.entries, 0),
          names.length,
        );
      }),
    );
  });
});
