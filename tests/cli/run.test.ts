import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCliOn } from '../helpers/cli.js';
import { type FakeOptions, type FakeProc, FakeSystem } from '../helpers/fake-system.js';

async function cli(args: string[], procs: FakeProc[], opts: FakeOptions = {}, stdin = '') {
  const system = new FakeSystem(procs, opts);
  return { ...(await runCliOn(system, args, stdin)), system };
}

describe('runCli over a fake system', () => {
  it('prints verbose lines, then no process found, and sets the exit status', async () => {
    const r = await cli(['-v', 'hx7a', 'hx7zz'], [{ pid: 10, comm: 'hx7a' }]);
    assert.equal(r.stderr, 'Killed hx7a(10) with signal 15\nhx7zz: no process found\n');
    assert.equal(r.code, 1);
  });
  it('maps fatal library errors to psmisc messages', async () => {
    const cases: [string[], FakeOptions, string][] = [
      [
        ['hx7a'],
        { openErrors: { '/proc/10/stat': 'EMFILE' } },
        'killall: cannot read /proc: Too many open files\n',
      ],
      [['hx7a'], { procSelf: null }, 'killall: /proc lacks process entries (not mounted ?)\n'],
      [['/x/hx7a'], {}, '/x/hx7a: No such file or directory\n'],
      [['-r', '('], {}, 'killall: Bad regular expression: (\n'],
    ];
    for (const [args, opts, want] of cases) {
      const r = await cli(args, [{ pid: 10, comm: 'hx7a' }], opts);
      assert.deepEqual([r.stderr, r.code], [want, 1], args.join(' '));
    }
  });
  it('-g never signals group 1 and says why', async () => {
    const r = await cli(['-g', '-v', 'hx7a'], [{ pid: 10, comm: 'hx7a', pgrp: 1 }]);
    assert.equal(
      r.stderr,
      'killall: hx7a(10): not signalling process group 1: that would reach every process\nhx7a: no process found\n',
    );
    assert.deepEqual(r.system.kills, []);
    assert.equal(r.code, 1);
  });
  it('-i prompts on stdout with the comm and reads the answers', async () => {
    const r = await cli(
      ['-i', 'hx7abcdefghijklmnop'],
      [{ pid: 10, comm: 'hx7abcdefghijkl', cmdline: ['/x/hx7abcdefghijklmnop'] }],
      {},
      'x\ny\n',
    );
    assert.equal(r.stdout, 'Kill hx7abcdefghijkl(10) ? (y/N) Kill hx7abcdefghijkl(10) ? (y/N) ');
    assert.deepEqual(r.system.pidfdSends, [[10, 15]]);
    assert.equal(r.code, 0);
  });
  it('escapes names from /proc but echoes NAMEs as typed', async () => {
    const r = await cli(['-v', '-r', '^hx7', 'hx7\x1bzz'], [{ pid: 10, comm: 'hx7\x1b]0;X\x07' }]);
    assert.equal(r.stderr, 'Killed hx7?]0;X?(10) with signal 15\nhx7\x1bzz: no process found\n');
  });
  it('hidepid: says once why nothing was found', async () => {
    const r = await cli(
      ['hx7a'],
      [
        { pid: 10, comm: 'hx7a' },
        { pid: 11, comm: 'x' },
      ],
      { openErrors: { '/proc/10/stat': 'EPERM', '/proc/11/stat': 'EACCES' } },
    );
    assert.equal(
      r.stderr,
      'hx7a: no process found\nkillall: 2 processes could not be read (Permission denied)\n',
    );
  });
});
