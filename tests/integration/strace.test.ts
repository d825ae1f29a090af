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
import { nsSkip, OURS, runScenario } from '../helpers/ns.js';

const haveStrace = spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;
let seq = 0;

function traced(args: string[], victims: { label: string; exe: string }[]) {
  const out = `${tmpdir()}/kts-strace-${process.pid}-${++seq}.txt`;
  try {
    const r = runScenario(['strace', '-f', '-y', '-s', '256', '-o', out, OURS], { victims, args });
    const lines = readFileSync(out, 'latin1').split('\n');
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
    assert.match(writes[0]!, /write\(2<[^>]*>, "hx7zz: no process found\\n", 24\) = 24/);
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
    const sends = lines.filter((l) => /pidfd_send_signal\(\d+<\/proc\/\d+>, SIGTERM, NULL, 0\) = 0/.test(l));
    assert.equal(sends.length, 2);
    assert.ok(!lines.some((l) => /^\d+ +kill\(/.test(l)));
    assert.ok(lines.some((l) => /exit_group\(0\)/.test(l)));
  });
});
