/** Trees from /proc over a fake: the children-first order, the re-walked snapshot, processLinks. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ProcReader } from '../src/procfs/reader.js';
import { childrenFirst } from '../src/tree.js';
import { allLinks, processLinks, walkTrees } from '../src/tree-walk.js';
import { type FakeProc, FakeSystem } from './helpers/fake-system.js';

const family: FakeProc[] = [
  { pid: 10, comm: 'root', ppid: 1, startTime: 500 },
  { pid: 11, comm: 'kid', ppid: 10 },
  { pid: 12, comm: 'kid', ppid: 10 },
  { pid: 13, comm: 'grandkid', ppid: 12 },
  { pid: 20, comm: 'other', ppid: 1 },
];

/** A fake whose `/proc` listing runs `each(pass)` after it is taken (pass 1, 2, …). */
function withPasses(procs: FakeProc[], each: (s: FakeSystem, pass: number) => void): FakeSystem {
  const s = new FakeSystem(procs);
  const readdir = s.readdir.bind(s);
  let pass = 0;
  s.readdir = (path: string) => {
    const out = readdir(path);
    if (path === '/proc') each(s, ++pass);
    return out;
  };
  return s;
}

describe('childrenFirst', () => {
  it('puts every process after its descendants, siblings in the order given', () => {
    const m = (pid: number, ppid: number) => ({ pid, ppid });
    const order = childrenFirst([m(10, 1), m(11, 10), m(12, 10), m(13, 12), m(14, 13), m(30, 2)]);
    assert.deepEqual(
      order.map((x) => x.pid),
      [11, 14, 13, 12, 10, 30],
    );
  });
  it('cuts a cycle and keeps each member once', () => {
    const order = childrenFirst([
      { pid: 1, ppid: 3 },
      { pid: 2, ppid: 1 },
      { pid: 3, ppid: 2 },
      { pid: 4, ppid: 4 },
    ]);
    assert.deepEqual(order.map((x) => x.pid).sort(), [1, 2, 3, 4]);
  });
  it('property: a permutation of the members, each after all of its descendants (when the links form a forest)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(40), { maxLength: 40 }), (parents) => {
        // Member i+1 hangs from parents[i] when that is a smaller member: a forest.
        const members = parents.map((p, i) => ({ pid: i + 1, ppid: p <= i ? p : 0 }));
        const order = childrenFirst(members);
        assert.deepEqual(
          order.map((x) => x.pid).sort((a, b) => a - b),
          members.map((x) => x.pid),
        );
        const at = new Map(order.map((x, i) => [x.pid, i]));
        for (const x of members)
          if (x.ppid > 0) assert.ok(at.get(x.pid)! < at.get(x.ppid)!, `${x.pid} < ${x.ppid}`);
      }),
    );
  });
});

describe('walkTrees', () => {
  it('finds a root by PID and its descendants, parents first; stops at the first pass that adds nobody', () => {
    const s = new FakeSystem(family);
    const w = walkTrees(new ProcReader(s), [10]);
    assert.deepEqual(
      w.members.map((m) => [m.pid, m.root]),
      [
        [10, 0],
        [11, 0],
        [12, 0],
        [13, 0],
      ],
    );
    assert.deepEqual([w.found, w.passes], [[true], 2]);
  });
  it('a root given with another start time is not found (its PID was reused)', () => {
    const s = new FakeSystem(family);
    const w = walkTrees(new ProcReader(s), [{ pid: 10, startTime: '499' }, 20]);
    assert.deepEqual(w.found, [false, true]);
    assert.deepEqual(
      w.members.map((m) => m.pid),
      [20],
    );
  });
  it('a child forked during a pass is found by the next one, and so is its own child', () => {
    const s = withPasses(family, (fake, pass) => {
      if (pass === 1) fake.procs.set(30, { pid: 30, comm: 'late', ppid: 13, gen: 0 });
      if (pass === 2) fake.procs.set(31, { pid: 31, comm: 'later', ppid: 30, gen: 0 });
    });
    const w = walkTrees(new ProcReader(s), [10]);
    assert.deepEqual(
      w.members.map((m) => m.pid),
      [10, 11, 12, 13, 30, 31],
    );
    assert.equal(w.passes, 4);
  });
  it('is bounded: a tree that forks at every pass stops after maxPasses', () => {
    let next = 40;
    const s = withPasses(family, (fake) => {
      fake.procs.set(next, { pid: next, comm: 'fork', ppid: 10, gen: 0 });
      next++;
    });
    const w = walkTrees(new ProcReader(s), [10], 3);
    assert.equal(w.passes, 3);
  });
  it('never takes in a process that no pass saw under the root (reparented away before), nor one that is gone', () => {
    const s = withPasses(family, (fake, pass) => {
      if (pass !== 1) return;
      fake.procs.delete(12);
      fake.procs.set(13, { ...fake.procs.get(13)!, ppid: 1 });
      fake.procs.delete(11);
    });
    // Pass 1's listing still names 11 and 12, but they are gone when their stat is read, and 13 hangs from init.
    const w = walkTrees(new ProcReader(s), [10]);
    assert.deepEqual(
      w.members.map((m) => m.pid),
      [10],
    );
  });
  it('a member seen in one pass and reparented before the last stays a member, with the ppid it has now', () => {
    const s = withPasses(family, (fake, pass) => {
      if (pass === 2) {
        fake.procs.delete(12);
        fake.procs.set(13, { ...fake.procs.get(13)!, ppid: 1 });
      }
    });
    const w = walkTrees(new ProcReader(s), [10]);
    assert.deepEqual(
      w.members.map((m) => [m.pid, m.ppid]),
      [
        [10, 1],
        [11, 10],
        [13, 1],
      ],
    );
  });
});

describe('processLinks', () => {
  it('lists every process with its parent, group and start time, ours included, ascending', async () => {
    const s = new FakeSystem([...family, { pid: 999, comm: 'node', ppid: 20, startTime: 900 }], {
      self: 999,
    });
    const links = await processLinks({ system: s });
    assert.deepEqual(
      links.map((l) => [l.pid, l.ppid]),
      [
        [10, 1],
        [11, 10],
        [12, 10],
        [13, 12],
        [20, 1],
        [999, 20],
      ],
    );
    assert.deepEqual(links.at(-1), { pid: 999, ppid: 20, pgrp: 999, startTime: '900' });
    assert.deepEqual(allLinks(new ProcReader(s)), links);
  });
  it('rejects with PROC_UNAVAILABLE when /proc is not ours', async () => {
    const s = new FakeSystem(family, { procSelf: '1' });
    await assert.rejects(processLinks({ system: s }), { code: 'PROC_UNAVAILABLE' });
  });
});
