/**
 * What killall-ts does at the syscall level, read from real strace output inside a private PID namespace: the
 * seed's observations (list /proc, open each /proc/PID/stat, signal each match with SIGTERM, one write for
 * "no process found", exit 1) and the per-process budget (open, read, close for a non-matching process).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { nsSkip, OURS, runScenario } from '../helpers/ns.js';
import { joinStrace } from '../helpers/strace.js';

const haveStrace = spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;
let seq = 0;

const haveSetpriv = spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status === 0;

/** The one call that makes room in the fd table for a mass signal's pins. */
const ROOM = /unshare\(CLONE_FILES\) += 0|fcntl\(\d+<[^>]*>, F_DUPFD_CLOEXEC, \d+\) += \d+/;
/** sched_setscheduler(TID, SCHED_FIFO|SCHED_RESET_ON_FORK, [1]) (older strace: 0x40000001 /* SCHED_??? *\/). */
const raised = (tid: string): RegExp =>
  new RegExp(
    `sched_setscheduler\\(${tid}, (?:SCHED_FIFO\\|SCHED_RESET_ON_FORK|0x40000001(?: /\\* SCHED_\\?\\?\\? \\*/)?), \\[1\\]\\) += (?:0$|-1 EPERM)`,
  );

function traced(
  args: string[],
  victims: { label: string; exe: string }[],
  prefix: readonly string[] = [],
  env: Record<string, string> = {},
) {
  const out = `${tmpdir()}/kts-strace-${process.pid}-${++seq}.txt`;
  try {
    const r = runScenario([...prefix, 'strace', '-f', '-y', '-s', '256', '-o', out, OURS], {
      victims,
      args,
      env,
    });
    const lines = joinStrace(readFileSync(out, 'latin1'));
    const node = lines.filter((l) => !/^\d+ +execve\("\/bin\/sh/.test(l));
    return { r, lines: node };
  } finally {
    rmSync(out, { force: true });
  }
}

// Every syscall line that names /proc/N/... for one PID N, by PID (Node reading its own /proc/self at start-up
// is not part of the scan).
function perPid(lines: string[]): Map<number, string[]> {
  const m = new Map<number, string[]>();
  for (const l of lines) {
    const self = Number(/^(\d+)/.exec(l)?.[1]);
    for (const hit of l.matchAll(/\/proc\/(\d+)\/(\w+)/g)) {
      const pid = Number(hit[1]);
      if (pid === self) break;
      const list = m.get(pid) ?? [];
      list.push(`${l.replace(/^\d+ +/, '').split('(')[0]} ${hit[2]}`);
      m.set(pid, list);
      break;
    }
  }
  return m;
}

// Captured with Node 24 (strace -f -y -s 256 -o FILE): the scanning thread (8) interleaved with V8 workers.
const SPLIT = [
  '11    <... madvise resumed>)            = 0',
  '8     openat(AT_FDCWD</tmp/kts-st>, "/proc/2/stat", O_RDONLY|O_CLOEXEC <unfinished ...>',
  '11    munmap(0x12f3c6440000, 258048 <unfinished ...>',
  '8     <... openat resumed>)             = 22</proc/2/stat>',
  '8     read(22</proc/2/stat>,  <unfinished ...>',
  '11    <... munmap resumed>)             = 0',
  '8     <... read resumed>"2 (hx7a) S 1 0 0"..., 4096) = 294',
  '11    futex(0x1398c024, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 0, NULL, FUTEX_BITSET_MATCH_ANY <unfinished ...>',
  '8     close(22</proc/2/stat>)           = 0',
  '[pid  8] pidfd_send_signal(21</proc/3>, SIGTERM, NULL,  <unfinished ...>',
  '[pid 11] <... futex resumed>)            = 0',
  '[pid  8] <... pidfd_send_signal resumed>0) = 0',
  '8     +++ exited with 0 +++',
].join('\n');

describe('strace output parser (joinStrace)', () => {
  it('joins unfinished calls with their resumed halves, in call order, per PID, with either prefix', () => {
    assert.deepEqual(joinStrace(SPLIT), [
      '11 madvise()            = 0',
      '8 openat(AT_FDCWD</tmp/kts-st>, "/proc/2/stat", O_RDONLY|O_CLOEXEC)             = 22</proc/2/stat>',
      '11 munmap(0x12f3c6440000, 258048)             = 0',
      '8 read(22</proc/2/stat>, "2 (hx7a) S 1 0 0"..., 4096) = 294',
      '11 futex(0x1398c024, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 0, NULL, FUTEX_BITSET_MATCH_ANY)            = 0',
      '8 close(22</proc/2/stat>)           = 0',
      '8 pidfd_send_signal(21</proc/3>, SIGTERM, NULL, 0) = 0',
      '8 +++ exited with 0 +++',
    ]);
  });

  it('keeps a line without a PID, an unfinished call that never resumed, and an orphan resumed half', () => {
    assert.deepEqual(
      joinStrace(
        'execve("/bin/sh", ["sh"], 0x7ff /* 1 var */) = 0\n5 exit_group(0 <unfinished ...>\n6 <... wait4 resumed>) = 5\n',
      ),
      ['execve("/bin/sh", ["sh"], 0x7ff /* 1 var */) = 0', '5 exit_group(0', '6 wait4() = 5'],
    );
  });

  it("property: any call split at any point and interleaved with another PID's lines joins back; never throws", () => {
    const call = fc
      .tuple(fc.constantFrom('openat', 'read', 'pidfd_send_signal', 'close'), fc.string(), fc.string())
      .map(([name, args, ret]) => `${name}(${args.replaceAll('\n', ' ')}) = ${ret.replaceAll('\n', ' ')}`);
    fc.assert(
      fc.property(call, fc.nat(), fc.array(call, { maxLength: 3 }), (line, cut, others) => {
        const name = /^\w+/.exec(line)![0];
        const at = name.length + 1 + (cut % (line.length - name.length));
        const text = [
          `7 ${line.slice(0, at)}${' <unfinished ...>'}`,
          ...others.map((o) => `9 ${o}`),
          `7 <... ${name} resumed>${line.slice(at)}`,
        ].join('\n');
        assert.deepEqual(joinStrace(text), [`7 ${line}`, ...others.map((o) => `9 ${o}`)]);
      }),
    );
    fc.assert(fc.property(fc.string(), (s) => Array.isArray(joinStrace(s))));
  });
});

describe('strace: the seed observations and the syscall budget', {
  skip: nsSkip || (!haveStrace && 'strace is not installed'),
  concurrency: 1,
}, () => {
  it('no match: getdents64 on /proc, open/read/close of every /proc/PID/stat and nothing else, one write, exit 1', () => {
    const victims = [
      { label: 'a', exe: 'hx7a' },
      { label: 'b', exe: 'hx7b' },
      { label: 'c', exe: 'hx7abcdefghijklmnop' },
    ];
    const { r, lines } = traced(['hx7zz'], victims);
    assert.equal(r.rc, 1);
    assert.equal(r.stderr, 'hx7zz: no process found\n');
    assert.ok(
      lines.some((l) => /getdents64\(\d+<\/proc>/.test(l)),
      'lists /proc',
    );
    const writes = lines.filter((l) => /write\(2</.test(l));
    assert.equal(writes.length, 1);
    assert.match(writes[0]!, /write\(2<[^>]*>, "hx7zz: no process found\\n", 24\) += 24/);
    assert.ok(lines.some((l) => /exit_group\(1\)/.test(l)));
    assert.ok(!lines.some((l) => /^\d+ +(kill|pidfd_send_signal|tgkill)\(/.test(l)), 'no signal at all');
    const procs = perPid(lines);
    assert.ok(procs.size >= victims.length + 1, `scanned ${procs.size} processes`);
    for (const [pid, calls] of procs) {
      const files = new Set(calls.map((c) => c.split(' ')[1]));
      // The 15-byte comm hx7abcdefghijkl has its cmdline read too (psmisc's long-name rule); nothing else does.
      assert.ok(files.has('stat'), `${pid}: stat read`);
      assert.ok(
        [...files].every((f) => f === 'stat' || f === 'cmdline'),
        `${pid}: ${[...files]}`,
      );
      if (!files.has('cmdline'))
        assert.deepEqual(calls, ['openat stat', 'read stat', 'close stat'], `${pid}: 3 syscalls`);
    }
  });

  it('matches: SIGTERM through pidfd_send_signal once per match, never kill() on a PID, exit 0', () => {
    const { r, lines } = traced(
      ['hx7a'],
      [
        { label: 'a', exe: 'hx7a' },
        { label: 'b', exe: 'hx7b' },
        { label: 'c', exe: 'hx7a' },
      ],
    );
    assert.equal(r.rc, 0);
    assert.deepEqual([r.victims.a!.signals, r.victims.b!.signals, r.victims.c!.signals], [[15], [], [15]]);
    const sends = lines.filter((l) => /pidfd_send_signal\(\d+<\/proc\/\d+>, SIGTERM, NULL, 0\) += 0/.test(l));
    assert.equal(sends.length, 2);
    assert.ok(!lines.some((l) => /^\d+ +kill\(/.test(l)));
    assert.ok(lines.some((l) => /exit_group\(0\)/.test(l)));
  });

  it('a mass signal with -v (40 matches): pinned during the scan, one raised loop of sends, lowered before any output, then _exit', () => {
    const victims = [
      ...Array.from({ length: 40 }, (_, i) => ({ label: `m${i}`, exe: 'hx7mass' })),
      { label: 'other', exe: 'hx7other' },
    ];
    const { r, lines } = traced(['-v', 'hx7mass'], victims);
    assert.equal(r.rc, 0);
    assert.equal(
      r.stderr.split('\n').filter((l) => /^Killed hx7mass\(\d+\) with signal 15$/.test(l)).length,
      40,
    );
    for (let i = 0; i < 40; i++) assert.deepEqual(r.victims[`m${i}`]!.signals, [15], `m${i}`);
    assert.deepEqual(r.victims.other!.signals, []);
    const at = (re: RegExp): number[] => lines.flatMap((l, i) => (re.test(l) ? [i] : []));
    const sends = at(/pidfd_send_signal\(\d+<\/proc\/\d+>, SIGTERM, NULL, 0\) += 0/);
    assert.equal(sends.length, 40);
    // Room in the fd table once the batch passes 16 pins, before any send.
    const room = at(ROOM);
    assert.equal(room.length, 1);
    assert.ok(room[0]! < sends[0]!);
    // Every stat of the scan is read before the first send, and no send comes before the raise.
    const stats = at(/openat\(AT_FDCWD<[^>]*>, "\/proc\/\d+\/stat"/);
    assert.ok(stats.at(-1)! < sends[0]!, 'the scan is over before the first send');
    // Raised (reset on fork) where the kernel allows it (root here; a container without CAP_SYS_NICE, or a cgroup
    // without an RT budget, answers EPERM and the loop runs unraised: the rest is the same).
    const raise = at(raised('0'));
    assert.equal(raise.length, 1);
    assert.ok(raise[0]! < sends[0]! && sends.every((i) => i > raise[0]!));
    const permitted = / += 0$/.test(lines[raise[0]!]!);
    const writes = at(/^\d+ +write\([12]</);
    assert.ok(writes.length >= 1);
    const exit = at(/exit_group\(0\)/);
    assert.equal(exit.length, 1);
    if (permitted) {
      // Lowered after the last send and before the first line is written.
      const lower = at(/sched_setscheduler\(0, SCHED_OTHER, \[0\]\) += 0/);
      assert.equal(lower.length, 1);
      assert.ok(lower[0]! > sends.at(-1)! && lower[0]! < writes[0]!, 'lowered before any output');
      // At the end, after the last line, its threads raised (reset on fork) for the exit.
      const threads = at(raised('[1-9]\\d*'));
      assert.ok(threads.length >= 1, 'its threads raised');
      assert.ok(threads[0]! > writes.at(-1)! && threads.at(-1)! < exit[0]!);
    }
    // Nothing else: no raise without the reset flag.
    assert.equal(at(/sched_setscheduler\(\d+, SCHED_FIFO, /).length, 0);
  });

  it('a mass signal without CAP_SYS_NICE: the raise is refused, the loop runs unraised, every match is signalled', {
    skip: !haveSetpriv && 'setpriv is not installed',
  }, () => {
    const victims = Array.from({ length: 24 }, (_, i) => ({ label: `m${i}`, exe: 'hx7massnp' }));
    const { r, lines } = traced(['hx7massnp'], victims, [
      'setpriv',
      '--inh-caps=-sys_nice',
      '--bounding-set=-sys_nice',
    ]);
    assert.equal(r.rc, 0);
    assert.equal(r.stderr, '');
    for (let i = 0; i < 24; i++) assert.deepEqual(r.victims[`m${i}`]!.signals, [15], `m${i}`);
    const at = (re: RegExp): number[] => lines.flatMap((l, i) => (re.test(l) ? [i] : []));
    assert.equal(at(/sched_setscheduler\(0, [^)]*\) += -1 EPERM/).length, 1);
    assert.equal(at(/pidfd_send_signal\(\d+<\/proc\/\d+>, SIGTERM, NULL, 0\) += 0/).length, 24);
    // Nothing to lower, and no thread is tried at exit once the raise was refused.
    assert.equal(at(/sched_setscheduler\(/).length, 1);
    assert.equal(at(/exit_group\(0\)/).length, 1);
  });
});

describe("strace: the caller's scheduling is kept", {
  skip: nsSkip || (!haveStrace && 'strace is not installed'),
  concurrency: 1,
}, () => {
  const haveChrt = spawnSync('chrt', ['--version'], { stdio: 'ignore' }).status === 0;
  const cases: [string, readonly string[], Record<string, string>][] = [
    ['chrt --idle 0', ['chrt', '--idle', '0'], {}],
    ['chrt --batch 0', ['chrt', '--batch', '0'], {}],
    ['nice -n 19', ['nice', '-n', '19'], {}],
    ['KILLALL_TS_NO_RT=1', [], { KILLALL_TS_NO_RT: '1' }],
  ];
  for (const [what, prefix, env] of cases)
    it(`${what}: a mass signal (24 matches) sends all, and no thread's scheduling is touched`, {
      skip: prefix[0] === 'chrt' && !haveChrt && 'chrt is not installed',
    }, () => {
      const victims = Array.from({ length: 24 }, (_, i) => ({ label: `m${i}`, exe: 'hx7masskeep' }));
      const { r, lines } = traced(['hx7masskeep'], victims, prefix, env);
      assert.equal(r.rc, 0);
      assert.equal(r.stderr, '');
      for (let i = 0; i < 24; i++) assert.deepEqual(r.victims[`m${i}`]!.signals, [15], `m${i}`);
      const at = (re: RegExp): number[] => lines.flatMap((l, i) => (re.test(l) ? [i] : []));
      assert.equal(at(/pidfd_send_signal\(\d+<\/proc\/\d+>, SIGTERM, NULL, 0\) += 0/).length, 24);
      // Still a batch (room made once), but no sched_setscheduler at all: not the main thread, not one at exit.
      assert.equal(at(ROOM).length, 1);
      assert.deepEqual(
        lines.filter((l) => /sched_setscheduler\(/.test(l)),
        [],
      );
      // The opt-out does not even ask.
      if (env.KILLALL_TS_NO_RT) assert.equal(at(/sched_getscheduler\(/).length, 0);
      assert.equal(at(/exit_group\(0\)/).length, 1);
    });
});
