/** The library's `explain` option over the fake /proc: the narration as events, and a run that pays nothing without it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ExplainEvent } from '../../src/explain/index.js';
import { findProcesses } from '../../src/find.js';
import { killall } from '../../src/killall.js';
import { FakeSystem } from '../helpers/fake-system.js';

const procs = () => [
  { pid: 10, comm: 'bash' },
  { pid: 20, comm: 'Worker' },
  { pid: 30, comm: 'python3', cmdline: ['python3', '/srv/job.py'] },
  { pid: 40, comm: 'worker' },
];
/** The kernel refuses every real signal (another user's processes); the probe with signal 0 on ourselves works. */
class Refusing extends FakeSystem {
  override pidfdSendSignal(fd: number, signal: number) {
    return signal === 0 ? super.pidfdSendSignal(fd, signal) : 'EPERM';
  }
}
const base = { kernelThreads: true, excludeAncestors: false } as const;

describe('the explain option', () => {
  it('killall(): syscall lines, the decision for the match, the summary, and the signal through the pin', async () => {
    const events: ExplainEvent[] = [];
    const s = new FakeSystem(procs());
    const r = await killall({
      ...base,
      names: ['worker'],
      system: s,
      explain: { onEvent: (e) => events.push(e) },
    });
    assert.equal(r.ok, true);
    const lines = events.map((e) => e.line);
    assert.equal(lines[0], 'readlink("/proc/self", "999", 4096) = 3');
    const at = lines.findIndex((l) =>
      /^openat\(AT_FDCWD, "\/proc\/40\/stat", O_RDONLY\|O_CLOEXEC\) = \d+$/.test(l),
    );
    assert.ok(at > 0, lines.join('\n'));
    assert.match(lines[at + 1]!, /^read\(\d+, "40 \(worker\) S 1 40 40 0 -1 41943"\.\.\., 4096\) = 69$/);
    // The scan keeps the stat fd of a match open: no close before the decision; it is read again after pinning.
    assert.equal(lines[at + 2], '# 40 matches: comm "worker" equals NAME "worker"');
    const pin = /^openat\(AT_FDCWD, "\/proc\/40", O_RDONLY\|O_CLOEXEC\|O_DIRECTORY\) = (\d+)$/.exec(
      lines[at + 3]!,
    );
    assert.ok(pin, lines[at + 3]);
    const statFd = /= (\d+)$/.exec(lines[at]!)![1];
    assert.match(
      lines[at + 5]!,
      new RegExp(`^pread64\\(${statFd}, "40 \\(worker\\) S [^"]*"\\.\\.\\., 4096, 0\\) = 69$`),
    );
    assert.equal(lines[at + 6], `close(${statFd}) = 0`);
    assert.match(
      lines[at + 7]!,
      /^# start time 1000 and comm read again after pinning, through the stat fd the scan opened \(pread64\): unchanged; /,
    );
    assert.ok(lines.includes(`pidfd_send_signal(${pin[1]}, SIGTERM, NULL, 0) = 0`), lines.join('\n'));
    assert.ok(lines.includes('# SIGTERM delivered to 40: the kernel said 0'));
    // 20 is a near miss by case, shown in full; 10 and 30 are summarised.
    assert.ok(
      lines.includes(
        '# near miss for NAME "worker": comm "Worker" equals NAME "worker" only when ASCII case is ignored (killall -I worker would match)',
      ),
    );
    const summary = events.find((e) => e.type === 'summary');
    assert.equal(summary?.type === 'summary' && summary.processes, 2);
    assert.equal(summary?.type === 'summary' && summary.syscalls, 6);
    assert.equal(events.filter((e) => e.type === 'hint').length, 0, 'the NAME was found: no hints');
    // Every syscall event concerns the right process.
    for (const e of events)
      if (e.type === 'syscall' && e.record.path?.startsWith('/proc/40/')) assert.equal(e.pid, 40);
  });

  it("the same calls as a plain run, plus only the reads marked as --explain's own", async () => {
    const plain = new FakeSystem(procs());
    await killall({ ...base, names: ['job.py'], system: plain });
    const traced = new FakeSystem(procs());
    const events: ExplainEvent[] = [];
    await killall({
      ...base,
      names: ['job.py'],
      system: traced,
      explain: { onEvent: (e) => events.push(e) },
    });
    // --explain's own opens: those shown in full (near misses) and those its summary counts.
    const shown = events.filter(
      (e) => e.type === 'syscall' && e.by === 'explain' && e.record.name === 'openat',
    );
    const summed = events.find((e) => e.type === 'summary' && e.by === 'explain');
    const own = shown.length + (summed?.type === 'summary' ? (summed.calls.openat ?? 0) : 0);
    assert.ok(shown.length > 0);
    assert.deepEqual(traced.opened.slice(0, plain.opened.length), plain.opened);
    assert.equal(traced.opened.length, plain.opened.length + own);
    const hint = events.find((e) => e.type === 'hint');
    assert.equal(hint?.type === 'hint' && hint.kind, 'script');
    assert.equal(hint?.type === 'hint' && hint.suggestion, 'pkill -f job.py');
    assert.equal(hint?.type === 'hint' && hint.pid, 30);
  });

  it('findProcesses(): hints for a NAME nothing matched; =all shows every process', async () => {
    const events: ExplainEvent[] = [];
    const found = await findProcesses({
      ...base,
      names: ['WORKER'],
      system: new FakeSystem(procs()),
      explain: { all: true, onEvent: (e) => events.push(e) },
    });
    assert.deepEqual(found, []);
    const lines = events.map((e) => e.line);
    assert.ok(lines.includes('# "bash" is no NAME: not a match'), lines.join('\n'));
    assert.equal(events.filter((e) => e.type === 'summary').length, 0, '=all leaves nothing out');
    const hints = events.filter((e) => e.type === 'hint');
    assert.deepEqual(
      hints.map((h) => h.type === 'hint' && [h.pid, h.kind]),
      [
        [20, 'case'],
        [40, 'case'],
      ],
    );
  });

  it('a PID reused between the scan and the pin: the stat fd the scan kept fails (ESRCH), nothing is signalled', async () => {
    const events: ExplainEvent[] = [];
    // The newcomer has the same comm AND the same start time: only the kept stat fd tells them apart.
    const s: FakeSystem = new FakeSystem(procs(), {
      beforeOpen: (path) => {
        if (path === '/proc/40') s.procs.set(40, { pid: 40, comm: 'worker', startTime: 1000, gen: 1 });
      },
    });
    const r = await killall({
      ...base,
      names: ['worker'],
      system: s,
      explain: { onEvent: (e) => events.push(e) },
    });
    assert.equal(r.ok, false);
    assert.deepEqual(s.pidfdSends, []);
    assert.equal(s.openFds(), 0);
    const lines = events.map((e) => e.line);
    const re = lines.findIndex((l) =>
      /^pread64\(\d+, 0xADDR, 4096, 0\) = -1 ESRCH \(No such process\)$/.test(l),
    );
    assert.ok(re > 0, lines.join('\n'));
    assert.match(lines[re + 1]!, /^close\(\d+\) = 0$/);
    assert.equal(
      lines[re + 2],
      '# the stat file the scan read, still open, fails now (ESRCH): the instance it was opened on is gone, so whatever holds PID 40 now is a newcomer; not signalled',
    );
    assert.ok(!lines.some((l) => l.startsWith('pidfd_send_signal(') && l.includes('SIGTERM')));
  });

  it('the confirmation says whether a full re-examination follows, as the engine decides (not the kill(2) re-check)', async () => {
    const lines = async (s: FakeSystem, extra: Record<string, unknown> = {}): Promise<string[]> => {
      const events: ExplainEvent[] = [];
      await killall({
        ...base,
        names: ['worker'],
        system: s,
        ...extra,
        explain: { onEvent: (e) => events.push(e) },
      });
      return events.map((e) => e.line).filter((l) => l.includes('read again after pinning'));
    };
    const more = 'its verdict rested on more than stat, so it is examined again through the pin';
    // Without pidfd the send re-reads stat through the pin before kill(2): still a stat-only verdict.
    const fallback = await lines(new FakeSystem(procs(), { pidfd: 'ENOSYS' }));
    assert.equal(fallback.length, 1);
    assert.ok(!fallback[0]!.endsWith(more), fallback[0]);
    // -u read status before stat: examined again in full.
    const ps = procs().map((p) => ({ ...p, uid: 1000 }));
    const byUser = await lines(new FakeSystem(ps), { user: 1000 });
    assert.equal(byUser.length, 1);
    assert.ok(byUser[0]!.endsWith(more), byUser[0]);
  });

  it('attach: a caller that writes during the run (a confirm prompt) first gets the lines held back', async () => {
    const lines: string[] = [];
    let flush = (): void => {};
    let seen: string[] = [];
    await killall({
      ...base,
      names: ['worker'],
      system: new FakeSystem(procs()),
      confirm: () => {
        flush();
        seen = [...lines];
        return true;
      },
      explain: {
        onEvent: (e) => lines.push(e.line),
        attach: (f) => {
          flush = f;
        },
      },
    });
    assert.ok(seen.includes('# 40 matches: comm "worker" equals NAME "worker"'), seen.join('\n'));
    assert.match(
      seen.at(-1)!,
      /^# start time 1000 and comm read again after pinning, through the stat fd the scan opened \(pread64\): unchanged/,
    );
    assert.ok(lines.includes('# SIGTERM delivered to 40: the kernel said 0'));
  });

  it('-u: processes of other users are skipped on their status read, before stat (shown with =all)', async () => {
    const events: ExplainEvent[] = [];
    const ps = procs().map((p) => ({ ...p, uid: p.pid === 40 ? 1000 : 0 }));
    const r = await killall({
      ...base,
      names: ['worker'],
      user: 1000,
      system: new FakeSystem(ps),
      explain: { all: true, onEvent: (e) => events.push(e) },
    });
    assert.equal(r.ok, true);
    const lines = events.map((e) => e.line);
    assert.equal(lines.filter((l) => l === '# -u: real uid 0: not the user asked for, skipped').length, 3);
    assert.ok(lines.includes('# -u: real uid 1000: the user asked for'), lines.join('\n'));
    assert.ok(lines.includes('# 40 matches: comm "worker" equals NAME "worker"'));
  });

  it('a match by name that -o left out (or -g) is a hint of its own, not "nothing resembles it"', async () => {
    const events: ExplainEvent[] = [];
    // uptime 5000 s, start time 1000 ticks: 4990 s old, younger than -o 3 h.
    await findProcesses({
      ...base,
      names: ['worker'],
      olderThan: 3 * 3600,
      system: new FakeSystem(procs()),
      explain: { onEvent: (e) => events.push(e) },
    });
    const hint = events.find((e) => e.type === 'hint');
    assert.equal(hint?.type === 'hint' && hint.kind, 'filtered');
    assert.equal(
      hint?.line,
      '# hint: "worker": 40 ("worker") matched by name, but its age, 4990 s, is outside -o 10800 s',
    );
  });

  it('an EPERM is a hint of its own', async () => {
    const events: ExplainEvent[] = [];
    const r = await killall({
      ...base,
      names: ['bash'],
      system: new Refusing(procs()),
      explain: { onEvent: (e) => events.push(e) },
    });
    assert.equal(r.ok, false);
    const hint = events.find((e) => e.type === 'hint');
    assert.equal(hint?.type === 'hint' && hint.kind, 'eperm');
    assert.equal(hint?.type === 'hint' && hint.pid, 10);
  });
});

describe('property: explain never changes what killall does', () => {
  const comm = fc.oneof(
    fc.constantFrom('worker', 'Worker', 'averyverylongna', 'python3', 'work', 'bash'),
    fc
      .uint8Array({ minLength: 1, maxLength: 16 })
      .map((u) => Buffer.from(u.map((c) => (c === 0x29 || c === 0x0a ? 0x41 : c)))),
  );
  const cmdline = fc.array(
    fc.oneof(
      fc.constantFrom('/srv/job.py', '/x/averyverylongname1', 'worker', ''),
      fc.string({ maxLength: 12 }),
    ),
    { maxLength: 4 },
  );
  const proc = fc.record({ comm, cmdline });
  it('same report and the same signals with and without explain, over hostile comms and cmdlines', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(proc, { maxLength: 8 }),
        fc.array(fc.constantFrom('worker', 'job.py', 'averyverylongname1', 'WORK', 'x'), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.record({ exact: fc.boolean(), ignoreCase: fc.boolean(), regexp: fc.boolean(), all: fc.boolean() }),
        async (ps, names, o) => {
          const make = () =>
            new FakeSystem(ps.map((p, i) => ({ pid: 10 + i, comm: p.comm, cmdline: p.cmdline })));
          const opts = { ...base, names, exact: o.exact, ignoreCase: o.ignoreCase, regexp: o.regexp };
          const plain = make();
          const a = await killall({ ...opts, system: plain });
          const traced = make();
          let n = 0;
          const b = await killall({ ...opts, system: traced, explain: { all: o.all, onEvent: () => n++ } });
          assert.deepEqual(traced.pidfdSends, plain.pidfdSends);
          assert.deepEqual(traced.kills, plain.kills);
          assert.equal(b.ok, a.ok);
          assert.deepEqual(b.names, a.names);
          assert.ok(n > 0);
        },
      ),
      { numRuns: 150 },
    );
  });
});
