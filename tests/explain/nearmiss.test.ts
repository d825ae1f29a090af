import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  basename,
  ereLiteral,
  nearMissByCmdline,
  nearMissByComm,
  nearMissByExe,
  splitCmdline,
} from '../../src/explain/nearmiss.js';
import { shellWord } from '../../src/text/escape.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('near misses from what the scan read', () => {
  it('equal ignoring ASCII case: -I', () => {
    const m = nearMissByComm(b('Firefox'), b('firefox'), undefined, false);
    assert.equal(m?.kind, 'case');
    assert.equal(m?.suggestion, 'killall -I Firefox');
    // A cut comm whose first 15 bytes differ only in case.
    assert.equal(
      nearMissByComm(b('MyVeryLongDaemonName'), b('myverylongdaemo'), undefined, false)?.kind,
      'case',
    );
  });
  it('truncation: under -e without a long name, or a long name that differs', () => {
    const e = nearMissByComm(b('myverylongdaemon1'), b('myverylongdaemo'), undefined, true);
    assert.equal(e?.kind, 'truncated');
    assert.equal(e?.suggestion, 'killall myverylongdaemon1, without -e,');
    const l = nearMissByComm(b('myverylongdaemon1'), b('myverylongdaemo'), b('myverylongdaemon2'), false);
    assert.equal(l?.kind, 'truncated');
    assert.equal(l?.suggestion, "killall -r '^myverylongdaemo'");
  });
  it('a shared prefix of at least 4 bytes and half the NAME', () => {
    const m = nearMissByComm(b('myserver'), b('myserv-w'), undefined, false);
    assert.equal(m?.kind, 'prefix');
    assert.equal(m?.suggestion, "killall -r '^myserv'");
    assert.equal(nearMissByComm(b('myserver'), b('mys'), undefined, false), null, '3 bytes');
    assert.equal(nearMissByComm(b('abcdefghij'), b('abcdxyz'), undefined, false), null, '4 of 10 bytes');
    assert.equal(nearMissByComm(b('bash'), b('sleep'), undefined, false), null);
  });
  it('a script: the NAME is the basename of a later cmdline argument; argument 0: a process that renamed itself', () => {
    const s = nearMissByCmdline(
      b('job.py'),
      b('python3'),
      splitCmdline(b('python3\0/srv/app/job.py\0--x\0')),
    );
    assert.equal(s?.kind, 'script');
    assert.equal(s?.argIndex, 1);
    assert.equal(s?.suggestion, 'pkill -f job.py');
    const r = nearMissByCmdline(b('worker'), b('node'), splitCmdline(b('/opt/worker\0')));
    assert.equal(r?.kind, 'renamed');
    assert.equal(nearMissByCmdline(b('job.py'), b('python3'), splitCmdline(b('python3\0job.pyc\0'))), null);
  });
  it('exe: the basename of the executable, " (deleted)" left off', () => {
    const m = nearMissByExe(b('foo'), b('bar'), b('/usr/local/bin/foo (deleted)'));
    assert.equal(m?.kind, 'exe');
    assert.equal(m?.suggestion, 'killall /usr/local/bin/foo');
    assert.equal(nearMissByExe(b('foo'), b('bar'), b('/usr/bin/food')), null);
  });
  it('words for suggestions: shell quoting, ERE escaping, basenames, cmdline splitting', () => {
    assert.equal(shellWord(b('a-b_c.1')), 'a-b_c.1');
    assert.equal(shellWord(b("it's x")), "'it'\\''s x'");
    assert.equal(ereLiteral(b('a.b*c')), 'a\\.b\\*c');
    assert.deepEqual(basename(b('/a/b/c')), b('c'));
    assert.deepEqual(basename(b('c')), b('c'));
    assert.deepEqual(splitCmdline(b('a\0\0b')), [b('a'), b(''), b('b')]);
  });
  it("hostile bytes: why is C-quoted as strace quotes, the suggestion is a paste-safe $'…' word", () => {
    const path = b('/tmp/ev\x1b]0;PWNED\x07\xc2\x9bdir/zzvictim');
    const m = nearMissByExe(b('zzvictim'), b('zzother'), path);
    assert.equal(m?.suggestion, "killall $'/tmp/ev\\x1b]0;PWNED\\x07\\xc2\\x9bdir/zzvictim'");
    assert.equal(
      m?.why,
      'its executable is "/tmp/ev\\33]0;PWNED\\7\\302\\233dir/zzvictim" but its comm is "zzother": a path NAME matches by the executable\'s inode',
    );
    const r = nearMissByCmdline(b('-n'), b('python3'), [b('python3'), b('-n')]);
    assert.equal(r?.suggestion, 'pkill -f -- -n', 'a NAME that starts with - comes after --');
  });
  it('property: why is printable ASCII, the suggestion holds no control character', () => {
    const bytes = fc.uint8Array({ maxLength: 40 }).map((u) => Buffer.from(u));
    const unsafe = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
    fc.assert(
      fc.property(bytes, bytes, bytes, (name, comm, exe) => {
        const found = [
          nearMissByComm(name, comm, undefined, false),
          nearMissByComm(name, comm, exe, true),
          nearMissByCmdline(name, comm, [exe, name]),
          nearMissByExe(name, comm, Buffer.concat([exe, b('/'), name])),
        ];
        for (const m of found) {
          if (!m) continue;
          assert.doesNotMatch(m.why, /[^\x20-\x7e]/, 'why is printable ASCII');
          assert.doesNotMatch(m.suggestion, unsafe);
        }
      }),
      { numRuns: 3000 },
    );
  });
  it('property: never throws on hostile bytes', () => {
    const bytes = fc.uint8Array({ maxLength: 70 }).map((u) => Buffer.from(u));
    fc.assert(
      fc.property(
        bytes,
        bytes,
        fc.option(bytes, { nil: undefined }),
        fc.boolean(),
        (name, comm, ln, exact) => {
          nearMissByComm(name, comm, ln, exact);
          nearMissByCmdline(name, comm, splitCmdline(comm));
          nearMissByExe(name, comm, comm);
        },
      ),
    );
  });
});
