/**
 * The fd-table invariant, enforced: after a mass signal's unshare(CLONE_FILES) no thread but the main one uses an fd
 * opened since (strace -f over every CLI path that batches, in private PID namespaces), the checker catches a
 * crossing when there is one, and with a preload in NODE_OPTIONS the CLI does not unshare at all (one F_DUPFD
 * grows the shared table instead).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import { mayUnshareFiles } from '../../src/cli/process-policy.js';
import { fdTableViolations, parseCall, splitArgs } from '../helpers/fd-threads.js';
import { nsSkip, OURS, ROOT, runScenario } from '../helpers/ns.js';
import { joinStrace } from '../helpers/strace.js';

const haveStrace = spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;
let seq = 0;

describe('the fd-table checker (pure)', () => {
  it('splits strace arguments at top-level commas only', () => {
    assert.deepEqual(splitArgs('18</proc/2/stat, a>, "x, \\"y", [1, 2], {fd=3, events=POLLOUT}'), [
      '18</proc/2/stat, a>',
      '"x, \\"y"',
      '[1, 2]',
      '{fd=3, events=POLLOUT}',
    ]);
    assert.deepEqual(
      parseCall('7 read(18</proc/2/stat>, "2 (x)"..., 4096) = 294')?.args[0],
      '18</proc/2/stat>',
    );
    assert.equal(parseCall('7 +++ exited with 0 +++'), null);
  });

  const before = ['7 openat(AT_FDCWD</>, "/proc/2/stat", O_RDONLY|O_CLOEXEC) = 18</proc/2/stat>'];
  const cases: [string, string[], number][] = [
    ['nothing after the unshare', [], 0],
    [
      'the main thread alone uses its fds',
      [
        '7 openat(AT_FDCWD</>, "/proc/3", O_RDONLY|O_CLOEXEC|O_DIRECTORY) = 40</proc/3>',
        '7 pidfd_send_signal(40</proc/3>, SIGTERM, NULL, 0) = 0',
        '9 futex(0x1, FUTEX_WAKE_PRIVATE, 1) = 0',
        '7 close(40</proc/3>) = 0',
      ],
      0,
    ],
    [
      'another thread reads an fd the main thread opened since',
      [
        '7 openat(AT_FDCWD</>, "/etc/hostname", O_RDONLY|O_CLOEXEC) = 40</etc/hostname>',
        '9 read(40, 0x7f00, 4096) = -1 EBADF (Bad file descriptor)',
      ],
      1,
    ],
    [
      'another thread polls one',
      ['7 dup(1) = 41', '9 poll([{fd=41, events=POLLOUT}], 1, 100) = 1 ([{fd=41, revents=POLLOUT}])'],
      1,
    ],
    [
      'the main thread uses an fd another thread opened since',
      [
        '9 openat(AT_FDCWD</>, "/tmp/x", O_RDONLY) = 42</tmp/x>',
        '7 read(42, 0x7f00, 10) = -1 EBADF (Bad file)',
      ],
      1,
    ],
    [
      'a number both tables hold, each thread its own',
      [
        '7 openat(AT_FDCWD</>, "/a", O_RDONLY) = 43</a>',
        '9 openat(AT_FDCWD</>, "/b", O_RDONLY) = 43</b>',
        '9 read(43</b>, "", 1) = 0',
        '7 read(43</a>, "", 1) = 0',
      ],
      0,
    ],
    [
      'a number the main thread closed before another thread used its own',
      ['7 openat(AT_FDCWD</>, "/a", O_RDONLY) = 44</a>', '7 close(44</a>) = 0', '9 fstat(44</x>, {}) = 0'],
      0,
    ],
  ];
  for (const [what, after, n] of cases)
    it(`${what}: ${n} violation(s)`, () => {
      const r = fdTableViolations([...before, '7 unshare(CLONE_FILES) = 0', ...after]);
      assert.equal(r.mainTid, 7);
      assert.equal(r.violations.length, n, r.violations.join('\n'));
    });

  it('without an unshare there is nothing to check', () => {
    assert.deepEqual(fdTableViolations(['7 read(3, "", 1) = 0', '9 read(3, "", 1) = 0']), {
      mainTid: null,
      violations: [],
    });
  });

  it('mayUnshareFiles: never with a preload, a loader or an inspector, nor with anything pending', () => {
    assert.equal(mayUnshareFiles(undefined, [], []), true);
    assert.equal(mayUnshareFiles('--max-old-space-size=64 --no-warnings', ['--stack-size=900'], []), true);
    for (const o of [
      '--require /x.js',
      '-r /x.js',
      '--import=./x.mjs',
      '--loader ./l.mjs',
      '--inspect',
      '--inspect-brk=0',
    ])
      assert.equal(mayUnshareFiles(`--no-warnings ${o}`, [], []), false, o);
    assert.equal(mayUnshareFiles(undefined, ['--require', '/x.js'], []), false);
    assert.equal(mayUnshareFiles(undefined, [], ['FSReqCallback']), false);
    assert.equal(mayUnshareFiles(undefined, [], ['Timeout']), false);
  });
});

/** Runs our killall under `strace -f -y` on `n` victims named `name` (with `extra` victims) and checks the invariant. */
function tracedRun(args: string[], n: number, name: string, env: Record<string, string> = {}, stay = false) {
  const out = `${tmpdir()}/kts-fdt-${process.pid}-${++seq}.txt`;
  try {
    const victims = Array.from({ length: n }, (_, i) => ({
      label: `v${i}`,
      exe: name,
      ...(stay ? { args: ['--stay'] } : {}),
    }));
    const r = runScenario(['strace', '-f', '-y', '-s', '64', '-o', out, OURS], { victims, args, env });
    return { r, lines: joinStrace(readFileSync(out, 'latin1')) };
  } finally {
    rmSync(out, { force: true });
  }
}

describe('the fd-table invariant on every CLI path that batches', {
  skip: nsSkip || (!haveStrace && 'strace is not installed'),
  concurrency: 1,
}, () => {
  const paths: [string, string[], boolean][] = [
    ['plain', [], false],
    ['-q', ['-q'], false],
    ['-v (to a pipe)', ['-v'], false],
    ['-w', ['-w'], false],
    ['--kill-after (victims that ignore SIGTERM)', ['--kill-after', '200ms'], true],
  ];
  for (const [what, args, stay] of paths)
    it(`${what}: unshare(CLONE_FILES), and no thread but the main one uses an fd opened after it`, () => {
      const name = `hx7fdt${seq}`;
      const { r, lines } = tracedRun([...args, name], 24, name, {}, stay);
      assert.equal(r.rc, 0, r.stderr);
      for (let i = 0; i < 24; i++)
        assert.deepEqual(r.victims[`v${i}`]!.signals, [15], `v${i}: ${r.victims[`v${i}`]!.exit}`);
      const check = fdTableViolations(lines);
      assert.notEqual(check.mainTid, null, 'the run took an fd table of its own');
      assert.deepEqual(check.violations, []);
    });

  it('a preload in NODE_OPTIONS: no unshare, the shared table grown once by F_DUPFD, every match signalled', () => {
    const preload = `${tmpdir()}/kts-preload-${process.pid}.cjs`;
    writeFileSync(preload, '// loaded by --require: code killall-ts does not control\n');
    try {
      const name = `hx7fdpre${seq}`;
      const { r, lines } = tracedRun([name], 24, name, { NODE_OPTIONS: `--require ${preload}` });
      assert.equal(r.rc, 0, r.stderr);
      assert.ok(
        lines.some((l) => l.includes(preload)),
        'the preload was loaded',
      );
      assert.equal(lines.filter((l) => /unshare\(CLONE_FILES\)/.test(l)).length, 0);
      assert.equal(lines.filter((l) => /fcntl\(\d+<[^>]*>, F_DUPFD_CLOEXEC, \d+\) += \d+/.test(l)).length, 1);
      assert.equal(Object.values(r.victims).filter((v) => v.signals.includes(15)).length, 24);
    } finally {
      rmSync(preload, { force: true });
    }
  });

  it('the checker catches a real crossing: a thread-pool read of an fd opened after unshare(CLONE_FILES)', () => {
    // Not killall: a Node script that does what the invariant forbids, through koffi, in a namespace of its own.
    const script = `${tmpdir()}/kts-cross-${process.pid}.cjs`;
    const out = `${tmpdir()}/kts-cross-${process.pid}.txt`;
    writeFileSync(
      script,
      `const koffi = require(${JSON.stringify(`${ROOT}node_modules/koffi`)});
const fs = require('node:fs');
const unshare = koffi.load('libc.so.6').func('int unshare(int)');
if (unshare(0x400) !== 0) process.exit(3);
const fd = fs.openSync('/proc/self/stat', 'r');
fs.read(fd, Buffer.alloc(64), 0, 64, 0, () => process.exit(0));
`,
    );
    try {
      const r = spawnSync(
        'unshare',
        ['--pid', '--fork', '--mount-proc', 'strace', '-f', '-y', '-o', out, process.execPath, script],
        { encoding: 'latin1', timeout: 60_000 },
      );
      assert.equal(r.status, 0, r.stderr);
      const check = fdTableViolations(joinStrace(readFileSync(out, 'latin1')));
      assert.notEqual(check.mainTid, null);
      assert.ok(check.violations.length >= 1, 'the crossing was found');
    } finally {
      rmSync(script, { force: true });
      rmSync(out, { force: true });
    }
  });
});
