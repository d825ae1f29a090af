/** signalTree over a fake /proc: order, identity checks, newcomers after the sends, escalation, dry runs, errors. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KillEvent } from '../src/killall.js';
import { signalTree } from '../src/tree-signal.js';
import { type FakeProc, FakeSystem } from './helpers/fake-system.js';

const family: FakeProc[] = [
  { pid: 10, comm: 'root', ppid: 1, startTime: 500 },
  { pid: 11, comm: 'kid', ppid: 10 },
  { pid: 12, comm: 'kid', ppid: 10 },
  { pid: 13, comm: 'grandkid', ppid: 12 },
  { pid: 20, comm: 'other', ppid: 1 },
];

describe('signalTree', () => {
  it('signals every process after all of its descendants, each once, and reports the trees', async () => {
    const s = new FakeSystem(family);
    const events: KillEvent['type'][] = [];
    const r = await signalTree([10], { system: s, onEvent: (e) => events.push(e.type) });
    assert.deepEqual(s.pidfdSends, [
      [11, 15],
      [13, 15],
      [12, 15],
      [10, 15],
    ]);
    assert.deepEqual(
      r.members.map((m) => m.pid),
      [10, 11, 12, 13],
    );
    assert.deepEqual([r.found, r.ok, r.names], [[true], true, []]);
    assert.deepEqual(events, ['signalled', 'signalled', 'signalled', 'signalled', 'scanned']);
    assert.equal(s.openFds(), 0);
  });

  it('a PID reused between the walk and its signal is not hit (ESRCH), the rest of the tree is', async () => {
    const s = new FakeSystem(family, {
      beforeOpen: (path) => {
        if (path === '/proc/13' && s.procs.get(13)!.comm === 'grandkid') s.reuse(13, 'grandkid');
      },
    });
    const r = await signalTree([10], { system: s });
    assert.deepEqual(
      s.pidfdSends.map(([p]) => p),
      [11, 12, 10],
    );
    assert.deepEqual(
      r.failed.map((f) => [f.target.pid, f.code]),
      [[13, 'ESRCH']],
    );
    assert.equal(r.ok, true, 'a process gone meanwhile is not a failure');
  });

  it('after the sends, children forked meanwhile by members still there are signalled too', async () => {
    const s = new FakeSystem(family);
    const send = s.pidfdSendSignal.bind(s);
    s.pidfdSendSignal = (fd, sig) => {
      const r = send(fd, sig);
      if (s.pidfdSends.length === 4 && !s.procs.has(50)) {
        s.procs.set(50, { pid: 50, comm: 'late', ppid: 10, gen: 0 });
        s.procs.set(51, { pid: 51, comm: 'later', ppid: 50, gen: 0 });
      }
      return r;
    };
    const r = await signalTree([10], { system: s });
    assert.deepEqual(
      s.pidfdSends.map(([p]) => p),
      [11, 13, 12, 10, 51, 50],
    );
    assert.deepEqual(
      r.members.map((m) => [m.pid, m.root]),
      [
        [10, 0],
        [11, 0],
        [12, 0],
        [13, 0],
        [50, 0],
        [51, 0],
      ],
    );
  });

  it('with maxPasses 1 the walk is not repeated and no newcomer is looked for', async () => {
    const s = new FakeSystem(family);
    let listings = 0;
    const readdir = s.readdir.bind(s);
    s.readdir = (p) => {
      if (p === '/proc') listings++;
      return readdir(p);
    };
    await signalTree([10], { system: s, maxPasses: 1 });
    assert.equal(listings, 1);
  });

  it('killAfter: SIGKILL through pins for what outlives it; a bounded wait reports what still runs', async () => {
    const s = new FakeSystem(family);
    const r = await signalTree([12], { system: s, killAfter: 5, wait: { timeoutMs: 5 } });
    assert.deepEqual(
      s.pidfdSends.filter(([, sig]) => sig === 9).map(([p]) => p),
      [13, 12],
    );
    assert.deepEqual(
      r.escalated.map((e) => e.target.pid),
      [13, 12],
    );
    assert.deepEqual(
      r.stillRunning.map((t) => t.pid),
      [13, 12],
    );
    assert.equal(r.ok, false);
  });

  it('dryRun: plans children first, sends nothing', async () => {
    const s = new FakeSystem(family);
    const r = await signalTree([10, 20], { system: s, dryRun: true });
    assert.deepEqual(s.pidfdSends, []);
    assert.deepEqual(
      r.planned.map((t) => t.pid),
      [11, 13, 12, 10, 20],
    );
  });

  it('a root that is not there is reported as not found (ok false), the others are signalled', async () => {
    const s = new FakeSystem(family);
    const r = await signalTree([77, 20], { system: s });
    assert.deepEqual([r.found, r.ok], [[false, true], false]);
    assert.deepEqual(s.pidfdSends, [[20, 15]]);
  });

  it('rejects bad roots and options with BAD_OPTION before reading anything', async () => {
    const s = new FakeSystem(family);
    for (const [roots, o] of [
      [[0], {}],
      [[-1], {}],
      [[1.5], {}],
      [[{ pid: 10, startTime: 'x' }], {}],
      [[10], { maxPasses: 0 }],
      [[10], { signal: 9, killAfter: 10 }],
      [[10], { signal: 'NOPE' }],
    ] as const) {
      await assert.rejects(signalTree(roots as never, { system: s, ...o }), { code: 'BAD_OPTION' });
    }
    assert.deepEqual(s.opened, []);
  });
});
