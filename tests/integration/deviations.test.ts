/**
 * Every deviation from psmisc 23.6 listed in docs/compat.md, shown by running both on the same scenario in a
 * private PID namespace. Each test states what psmisc does and what killall-ts does instead.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import { OURS, PSMISC, psmiscSkip, ROOT, runBoth, runScenario } from '../helpers/ns.js';
import type { VictimSpec } from '../helpers/scenario.js';
import { joinStrace } from '../helpers/strace.js';

const V = (label: string, exe: string, extra: Partial<VictimSpec> = {}): VictimSpec => ({
  label,
  exe,
  ...extra,
});
const haveStrace = spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;
const version = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).version as string;

describe('deviations from psmisc 23.6 (docs/compat.md)', { skip: psmiscSkip, concurrency: 1 }, () => {
  it('D1 -V names killall-ts and its version, in psmisc shape, on stderr', () => {
    const { psmisc, ours } = runBoth({ victims: [], args: ['-V'] });
    assert.match(psmisc.stderr, /^killall \(PSmisc\) 23\.6\n/);
    assert.match(ours.stderr, new RegExp(`^killall \\(killall-ts\\) ${version.replaceAll('.', '\\.')}\\n`));
    assert.equal(ours.stderr.split('\n').length, psmisc.stderr.split('\n').length);
    assert.equal(ours.stdout, '');
    assert.equal(ours.rc, 0);
  });

  for (const args of [['-version'], ['-ignore-case'], ['-vV'], ['-vers']]) {
    it(`D2 ${args[0]} as the last argument: psmisc segfaults, killall-ts exits 1 with a message`, () => {
      const { psmisc, ours } = runBoth({ victims: [], args });
      assert.equal(psmisc.rc, 'signal SIGSEGV');
      assert.equal(ours.rc, 1);
      assert.match(
        ours.stderr,
        /^killall: .*psmisc reads the next argument as a signal name here and there is none/,
      );
    });
  }

  it('D3 -w returns as soon as the target is gone (psmisc sleeps at least 1 s)', {
    skip: !haveStrace && 'strace is not installed',
  }, () => {
    const sc = { victims: [V('a', 'hx7a')], args: ['-w', 'hx7a'] };
    const psmisc = runScenario([PSMISC], sc);
    assert.equal(psmisc.rc, 0);
    assert.ok(psmisc.elapsedMs >= 1000, `psmisc took ${psmisc.elapsedMs} ms`);
    // killall-ts is shown by what it asks the kernel, not by a wall-clock time that load stretches: its main thread
    // never sleeps for a second, and never waits without a deadline.
    const out = `${tmpdir()}/kts-d3-${process.pid}.txt`;
    try {
      const trace = [
        'strace',
        '-f',
        '-o',
        out,
        '-e',
        'trace=execve,epoll_wait,epoll_pwait,nanosleep,clock_nanosleep',
      ];
      const ours = runScenario([...trace, OURS], { ...sc, timeoutMs: 60_000 });
      assert.equal(ours.rc, 0);
      assert.deepEqual(ours.victims, psmisc.victims);
      const lines = joinStrace(readFileSync(out, 'latin1'));
      const main = /^(\d+) execve\(/.exec(lines[0] ?? '')?.[1];
      assert.ok(main, `the trace starts with the launcher's execve: ${lines[0]}`);
      const sleeps = lines.filter(
        (l) => l.startsWith(`${main} `) && /^\d+ (epoll_p?wait|(clock_)?nanosleep)\(/.test(l),
      );
      assert.ok(sleeps.length > 0, `the trace has waits of the main thread ${main}:\n${lines.join('\n')}`);
      for (const l of sleeps) {
        const epoll = /, (-?\d+)(?:, (?:NULL|\[[^\]]*\]|0x[0-9a-f]+), \d+)?\) +=/.exec(l);
        const ms = l.includes('nanosleep')
          ? Number(/tv_sec=(\d+)/.exec(l)?.[1] ?? 0) * 1000
          : Number(epoll?.[1]);
        assert.ok(ms >= 0 && ms < 1000, `a sleep of ${ms} ms: ${l}`);
      }
    } finally {
      rmSync(out, { force: true });
    }
  });

  it('D4 -w counts a zombie as gone (psmisc waits forever)', () => {
    const sc = {
      victims: [V('a', 'hx7zp', { args: ['--zombie', 'hx7zomb'] })],
      args: ['-w', 'hx7zomb'],
      timeoutMs: 3000,
    };
    const psmisc = runScenario([PSMISC], sc);
    const ours = runScenario([OURS], { ...sc, timeoutMs: 60_000 });
    assert.equal(psmisc.rc, 'timeout');
    assert.equal(ours.rc, 0);
  });

  it('D4 -g -w on a group whose last members are zombies: killall-ts returns, psmisc waits forever', () => {
    const sc = {
      victims: [V('a', 'hx7g', { detached: true, args: ['--fork', 'hx7gchild'] })],
      args: ['-g', '-w', '-v', 'hx7g'],
      timeoutMs: 3000,
    };
    const psmisc = runScenario([PSMISC], sc);
    const ours = runScenario([OURS], { ...sc, timeoutMs: 60_000 });
    assert.equal(psmisc.rc, 'timeout');
    assert.equal(ours.rc, 0);
    assert.match(ours.stderr, /^Killed hx7g\(pgid \d+\) with signal 15\n$/);
    assert.deepEqual(ours.victims['a.child']!.signals, [15]);
  });

  it('D5 a comm with a newline can be matched and killed (psmisc cannot parse its stat)', () => {
    const sc = { victims: [V('a', 'hx7x', { args: ['--comm', 'hx7\nnl'] })], args: ['-v', 'hx7\nnl'] };
    const { psmisc, ours } = runBoth(sc);
    assert.equal(psmisc.rc, 1);
    assert.deepEqual(psmisc.victims.a!.signals, []);
    assert.equal(ours.rc, 0);
    assert.deepEqual(ours.victims.a!.signals, [15]);
    assert.match(ours.stderr, /^Killed hx7\?nl\(\d+\) with signal 15\n$/);
  });

  it('D6 names from /proc are printed with control bytes escaped (psmisc prints them raw)', () => {
    const comm = 'hx7\x1b]0;X\x07';
    const sc = { victims: [V('a', 'hx7x', { args: ['--comm', comm] })], args: ['-v', '-0', '-r', '^hx7'] };
    const { psmisc, ours } = runBoth(sc);
    assert.ok(psmisc.stderr.includes('\x1b'));
    assert.doesNotMatch(ours.stderr, /[\x00-\x09\x0b-\x1f\x7f]/);
    assert.match(ours.stderr, /^Killed hx7\?\]0;X\?\(\d+\) with signal 0\n$/);
    assert.equal(ours.rc, psmisc.rc);
  });

  it('D7 -r matches bytes as in the C locale (psmisc follows LC_CTYPE, here UTF-8)', () => {
    const sc = { victims: [V('a', 'hx7\u00e4')], args: ['-0', '-r', '^hx7.$'], env: { LC_ALL: 'C.UTF-8' } };
    const { psmisc, ours } = runBoth(sc);
    assert.equal(psmisc.rc, 0, 'one "." matches the two-byte ä in UTF-8');
    assert.equal(ours.rc, 1, 'one "." is one byte');
    const c = runBoth({ ...sc, env: { LC_ALL: 'C' } });
    assert.equal(c.psmisc.rc, c.ours.rc, 'the same in the C locale');
  });

  it('D9 -g refuses process group 1 (psmisc sends kill(-1), to every process)', () => {
    const { psmisc, ours } = runBoth({
      victims: [V('a', 'hx7a')],
      args: ['-v', '-g', '-0', 'hx7a'],
      groupOne: true,
    });
    assert.equal(psmisc.stderr, 'Killed hx7a(pgid 1) with signal 0\n');
    assert.equal(psmisc.rc, 0);
    assert.match(
      ours.stderr,
      /^killall: hx7a\(\d+\): not signalling process group 1: that would reach every process\nhx7a: no process found\n$/,
    );
    assert.equal(ours.rc, 1);
  });

  it('D8 messages are English whatever the locale (psmisc uses gettext catalogues)', () => {
    const r = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', OURS, 'hx7none'], {
      encoding: 'latin1',
      env: { ...process.env, LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' },
    });
    assert.equal(r.stderr, 'hx7none: no process found\n');
  });
});
