/** The library's extensions over a fake /proc: dry runs, trees, escalation, bounded and aborted waits, BAD_OPTION. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { KillallError } from '../src/errors.js';
import { findProcesses } from '../src/find.js';
import { type KillallOptions, type KillEvent, killall, signalProcesses } from '../src/killall.js';
import { waitForExit } from '../src/signal/wait.js';
import { childrenIndex, descendantsOf, type ProcLink } from '../src/tree.js';
import { type FakeOptions, type FakeProc, FakeSystem } from './helpers/fake-system.js';

const cli = { kernelThreads: true, excludeAncestors: false } as const;
/** A fake whose sleep is a real timer (FakeSystem's resolves at once, which would starve timers in a wait loop). */
class TimedSystem extends FakeSystem {
  override sleep(ms = 1): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }
}
const sys = (procs: FakeProc[], opts?: FakeOptions) => new TimedSystem(procs, opts);
const run = (s: FakeSystem, o: Omit<KillallOptions, 'system'>) => killall({ ...cli, ...o, system: s });

/** A fake whose processes end when they get a signal that is not caught: 9 always, others unless `stubborn`. */
class DyingSystem extends TimedSystem {
  constructor(
    procs: FakeProc[],
    private readonly stubborn: ReadonlySet<number> = new Set(),
  ) {
    super(procs);
  }
  override pidfdSendSignal(fd: number, signal: number) {
    const before = this.pidfdSends.length;
    const r = super.pidfdSendSignal(fd, signal);
    if (this.pidfdSends.length > before) {
      const pid = this.pidfdSends.at(-1)![0];
      if (signal === 9 || (signal !== 0 && !this.stubborn.has(pid))) this.procs.get(pid)!.state = 'Z';
    }
    return r;
  }
}

describe('dry run', () => {
  it('selects, pins, sends nothing, and reports what would be sent as if it had succeeded', async () => {
    const s = sys([
      { pid: 10, comm: 'hx7a', cmdline: ['hx7a', '--x'], uid: 1000 },
      { pid: 20, comm: 'hx7b' },
    ]);
    const events: KillEvent[] = [];
    const r = await run(s, { names: ['hx7a'], dryRun: true, details: true, onEvent: (e) => events.push(e) });
    assert.deepEqual(s.pidfdSends, []);
    assert.deepEqual(s.kills, []);
    assert.equal(r.dryRun, true);
    assert.equal(r.ok, true);
    assert.deepEqual(
      r.planned.map((t) => [t.pid, t.uid, Buffer.from(t.cmdline!).toString()]),
      [[10, 1000, 'hx7a\0--x']],
    );
    assert.equal(r.planned[0]!.startTime, '1000');
    assert.deepEqual(
      events.map((e) => e.type),
      ['planned', 'scanned'],
    );
    assert.equal(s.openFds(), 0);
  });
  it('never asks confirm', async () => {
    const s = sys([{ pid: 10, comm: 'hx7a' }]);
    const r = await run(s, { names: ['hx7a'], dryRun: true, confirm: () => assert.fail('asked') });
    assert.equal(r.planned.length, 1);
  });
});

describe('options checked before anything is read (BAD_OPTION)', () => {
  const bad: [string, Omit<KillallOptions, 'system'>][] = [
    ['signal -1', { names: ['x'], signal: -1 }],
    ['signal 1e9', { names: ['x'], signal: 1e9 }],
    ['signal 65', { names: ['x'], signal: 65 }],
    ['killAfter with SIGKILL', { names: ['x'], signal: 9, killAfter: 100 }],
    ['killAfter with signal 0', { names: ['x'], signal: 0, killAfter: 100 }],
    ['killAfter 0', { names: ['x'], killAfter: 0 }],
    ['killAfter NaN', { names: ['x'], killAfter: Number.NaN }],
    ['killAfter > 24 days', { names: ['x'], killAfter: 25 * 86_400_000 }],
    ['tree with processGroup', { names: ['x'], tree: true, processGroup: true }],
    ['wait.timeoutMs negative', { names: ['x'], wait: { timeoutMs: -1 } }],
  ];
  for (const [what, o] of bad) {
    it(what, async () => {
      const s = sys([{ pid: 10, comm: 'x' }]);
      await assert.rejects(run(s, o), (e: unknown) => e instanceof KillallError && e.code === 'BAD_OPTION');
      assert.deepEqual(s.opened, [], 'nothing was read');
    });
  }
  it('an AbortSignal aborted already rejects before anything is read', async () => {
    const s = sys([{ pid: 10, comm: 'x' }]);
    await assert.rejects(run(s, { names: ['x'], abortSignal: AbortSignal.abort() }), { name: 'AbortError' });
    assert.deepEqual(s.opened, []);
  });
});

describe('killAfter: TERM, then KILL for the survivors only', () => {
  it('escalates a process that ignores the signal, not one that ended, after the delay', async () => {
    const s = new DyingSystem(
      [
        { pid: 10, comm: 'hx7a' },
        { pid: 20, comm: 'hx7a' },
      ],
      new Set([20]),
    );
    const events: KillEvent[] = [];
    const t0 = Date.now();
    const r = await run(s, { names: ['hx7a'], killAfter: 60, onEvent: (e) => events.push(e) });
    assert.ok(Date.now() - t0 >= 60, 'not before the delay');
    assert.deepEqual(s.pidfdSends, [
      [10, 15],
      [20, 15],
      [20, 9],
    ]);
    assert.deepEqual(
      r.escalated.map((e) => e.target.pid),
      [20],
    );
    assert.ok(r.escalated[0]!.afterMs >= 60);
    assert.equal(r.ok, true);
    assert.deepEqual(r.stillRunning, []);
    assert.equal(r.wait?.timedOut, false);
    assert.ok(events.some((e) => e.type === 'escalated' && e.target.pid === 20));
    assert.equal(s.openFds(), 0);
  });
  it('a bounded final wait reports what survives SIGKILL (here: the fake never dies) and ok is false', async () => {
    const s = sys([{ pid: 10, comm: 'hx7a' }]);
    const r = await run(s, { names: ['hx7a'], killAfter: 5, wait: { timeoutMs: 5 } });
    assert.deepEqual(s.pidfdSends, [
      [10, 15],
      [10, 9],
    ]);
    assert.deepEqual(
      r.stillRunning.map((t) => t.pid),
      [10],
    );
    assert.equal(r.wait?.timedOut, true);
    assert.equal(r.ok, false);
  });
  it('with processGroup, the escalation is kill(-pgid, SIGKILL) for a group with members left', async () => {
    const s = sys([{ pid: 10, comm: 'hx7a', pgrp: 10 }]);
    await run(s, { names: ['hx7a'], processGroup: true, killAfter: 5, wait: { timeoutMs: 5 } });
    assert.deepEqual(
      s.kills.filter(([, sig]) => sig !== 0),
      [
        [-10, 15],
        [-10, 9],
      ],
    );
  });
});

describe('bounded and aborted waits', () => {
  it('wait.timeoutMs returns with stillRunning', async () => {
    const s = sys([{ pid: 10, comm: 'hx7a' }]);
    const r = await run(s, { names: ['hx7a'], wait: { timeoutMs: 20 } });
    assert.equal(r.wait?.timedOut, true);
    assert.deepEqual(
      r.stillRunning.map((t) => t.pid),
      [10],
    );
    assert.equal(r.ok, false);
  });
  it('an AbortSignal ends an unbounded wait, and no SIGKILL follows an aborted killAfter', async () => {
    const s = sys([{ pid: 10, comm: 'hx7a' }]);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    const r = await run(s, { names: ['hx7a'], wait: true, abortSignal: ac.signal });
    assert.equal(r.wait?.aborted, true);
    const s2 = sys([{ pid: 10, comm: 'hx7a' }]);
    const ac2 = new AbortController();
    setTimeout(() => ac2.abort(), 20);
    const r2 = await run(s2, { names: ['hx7a'], killAfter: 60_000, abortSignal: ac2.signal });
    assert.equal(r2.wait?.aborted, true);
    assert.deepEqual(s2.pidfdSends, [[10, 15]]);
    assert.equal(s2.openFds(), 0);
  });
});

describe('waitForExit with an AbortSignal', () => {
  it('returns what is left once aborted', async () => {
    const s = sys([{ pid: 10, comm: 'hx7a' }]);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    const r = await waitForExit(
      s,
      [{ kind: 'process', pid: 10, startTime: '1000', comm: Buffer.from('hx7a') }],
      {
        abortSignal: ac.signal,
      },
    );
    assert.equal(r.remaining.length, 1);
  });
});

describe('tree', () => {
  const family: FakeProc[] = [
    { pid: 10, comm: 'hx7root' },
    { pid: 11, comm: 'worker', ppid: 10 },
    { pid: 12, comm: 'worker', ppid: 10 },
    { pid: 13, comm: 'grandkid', ppid: 12 },
    { pid: 20, comm: 'other', ppid: 1 },
  ];
  it('signals the root, then its descendants parent first; no credit for descendants', async () => {
    const s = sys(family);
    const events: KillEvent[] = [];
    const r = await run(s, { names: ['hx7root'], tree: true, onEvent: (e) => events.push(e) });
    assert.deepEqual(
      s.pidfdSends.map(([p]) => p),
      [10, 11, 12, 13],
    );
    assert.deepEqual(
      r.signalled.map((t) => t.descendantOf ?? null),
      [null, 10, 10, 10],
    );
    assert.equal(r.ok, true);
    assert.equal(s.openFds(), 0);
  });
  it('a descendant that is itself a match is signalled once, and credited', async () => {
    const s = sys(family);
    const r = await run(s, { names: ['hx7root', 'grandkid'], tree: true });
    assert.deepEqual(
      s.pidfdSends.map(([p]) => p),
      [10, 11, 12, 13],
    );
    assert.deepEqual(
      r.names.map((n) => n.found),
      [true, true],
    );
    assert.equal(s.openFds(), 0, "the scan's kept stat fd of the match already handled is closed");
  });
  it('confirm is asked once per root, with the number of descendants', async () => {
    const s = sys(family);
    const asked: [number, number | undefined][] = [];
    const r = await run(s, {
      names: ['hx7root'],
      tree: true,
      confirm: (t) => {
        asked.push([t.pid, t.descendants]);
        return false;
      },
    });
    assert.deepEqual(asked, [[10, 3]]);
    assert.deepEqual(s.pidfdSends, []);
    assert.equal(r.declined.length, 4);
  });
  it('never signals killall-ts itself or its ancestors, even below a root', async () => {
    // We are 999 (FakeSystem's self), child of 12.
    const s = sys([...family, { pid: 999, comm: 'node', ppid: 12 }]);
    await run(s, { names: ['hx7root'], tree: true });
    assert.deepEqual(
      s.pidfdSends.map(([p]) => p),
      [10, 11, 13],
      '12 is our parent, 999 is us',
    );
  });
  it('property: descendantsOf lists each descendant once, parents first, never a skipped PID', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 40 })), {
          maxLength: 60,
        }),
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 5 }),
        (pairs, root, skipList) => {
          const byPid = new Map<number, ProcLink>();
          for (const [pid, ppid] of pairs) byPid.set(pid, { pid, ppid, pgrp: pid, startTime: '1' });
          const skip = new Set(skipList);
          const out = descendantsOf(root, childrenIndex(byPid.values()), skip);
          const pids = out.map((l) => l.pid);
          assert.equal(new Set(pids).size, pids.length);
          assert.ok(!pids.includes(root));
          for (const p of pids) assert.ok(!skip.has(p));
          for (const l of out) {
            // Its chain of parents reaches the root; its parent comes earlier or is the root or skipped.
            let cur = l.ppid;
            const seen = new Set<number>();
            while (cur !== root && !seen.has(cur)) {
              seen.add(cur);
              assert.ok(byPid.has(cur), `${l.pid} is a descendant of ${root}`);
              cur = byPid.get(cur)!.ppid;
            }
            assert.equal(cur, root);
            if (l.ppid !== root && !skip.has(l.ppid)) assert.ok(pids.indexOf(l.ppid) < pids.indexOf(l.pid));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('signalProcesses: any selection, signalled race-free by identity', () => {
  it('signals what findProcesses found and refuses a process whose identity changed', async () => {
    const s = sys([
      { pid: 10, comm: 'hx7a' },
      { pid: 20, comm: 'hx7a' },
    ]);
    const found = await findProcesses({ ...cli, names: ['hx7a'], system: s });
    s.reuse(20);
    const r = await signalProcesses(found, { system: s, signal: 'HUP' });
    assert.deepEqual(s.pidfdSends, [[10, 1]]);
    assert.deepEqual(
      r.failed.map((f) => [f.target.pid, f.code]),
      [[20, 'ESRCH']],
    );
    assert.equal(r.ok, false);
    assert.equal(s.openFds(), 0);
  });
  it('with processGroup: one kill(-pgid) per group, and group 1 refused and reported, never signalled', async () => {
    const s = sys([
      { pid: 10, comm: 'hx7a', pgrp: 1 },
      { pid: 20, comm: 'hx7a', pgrp: 1 },
      { pid: 30, comm: 'hx7b', pgrp: 30 },
      { pid: 31, comm: 'hx7b', pgrp: 30 },
    ]);
    const events: KillEvent[] = [];
    const r = await signalProcesses(
      [10, 20, 30, 31].map((pid) => ({ pid, startTime: '1000' })),
      { system: s, processGroup: true, onEvent: (e) => events.push(e) },
    );
    assert.deepEqual(s.kills, [[-30, 15]]);
    assert.deepEqual(s.pidfdSends, []);
    assert.deepEqual(
      r.refused.map((t) => t.pid),
      [10],
    );
    assert.deepEqual(
      events.filter((e) => e.type === 'refused').map((e) => e.type === 'refused' && e.target.pid),
      [10],
    );
    assert.equal(r.ok, false);
    assert.equal(s.openFds(), 0);
  });
  it('kill-after, dry run and bad identities', async () => {
    const s = new DyingSystem([{ pid: 10, comm: 'hx7a' }], new Set([10]));
    const r = await signalProcesses([{ pid: 10, startTime: '1000' }], { system: s, killAfter: 10 });
    assert.deepEqual(s.pidfdSends, [
      [10, 15],
      [10, 9],
    ]);
    assert.equal(r.ok, true);
    const d = await signalProcesses([{ pid: 10, startTime: '1000' }], {
      system: sys([{ pid: 10, comm: 'x' }]),
      dryRun: true,
    });
    assert.equal(d.planned.length, 1);
    for (const bad of [
      { pid: 0, startTime: '1' },
      { pid: -1, startTime: '1' },
      { pid: 10, startTime: '' },
    ]) {
      await assert.rejects(signalProcesses([bad], { system: s }), { code: 'BAD_OPTION' });
    }
  });
});
