/** The drop-ins' pure parts: pidtree's list rules (1.0 and 0.6) and process.kill's reading of a signal. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { killError, nodeSignal } from '../../src/dropins/node-signal.js';
import { listFrom } from '../../src/dropins/pidtree-core.js';

// [ppid, pid] in PID order, as `ps -A -o ppid,pid` lists them: 0 is the parent of 1 and 2.
const pairs: [number, number][] = [
  [0, 1],
  [0, 2],
  [2, 3],
  [1, 10],
  [10, 11],
  [10, 12],
  [12, 13],
  [1, 20],
];

describe('pidtree lists', () => {
  it('1.0: breadth first, siblings in PID order, with or without the root, advanced entries', () => {
    assert.deepEqual(listFrom(pairs, 10, false, false, '1.0'), [11, 12, 13]);
    assert.deepEqual(listFrom(pairs, 10, false, true, '1.0'), [10, 11, 12, 13]);
    assert.deepEqual(listFrom(pairs, 10, true, true, '1.0'), [
      { ppid: 1, pid: 10 },
      { ppid: 10, pid: 11 },
      { ppid: 10, pid: 12 },
      { ppid: 12, pid: 13 },
    ]);
    assert.deepEqual(listFrom(pairs, 13, false, false, '1.0'), []);
  });
  it('0.6: siblings in reverse PID order', () => {
    assert.deepEqual(listFrom(pairs, 1, false, false, '0.6'), [20, 10, 12, 11, 13]);
    assert.deepEqual(listFrom(pairs, 1, false, false, '1.0'), [10, 20, 11, 12, 13]);
  });
  it('-1 lists everything (root ignored); 0 is known only as a parent: 1.0 finds it, 0.6 only with advanced', () => {
    assert.deepEqual(listFrom(pairs, -1, false, true, '1.0'), [1, 2, 3, 10, 11, 12, 13, 20]);
    assert.deepEqual((listFrom(pairs, -1, true, false, '0.6') as unknown[])[0], { ppid: 0, pid: 1 });
    assert.deepEqual(listFrom(pairs, 0, true, true, '1.0'), [
      { pid: 0 },
      { ppid: 0, pid: 1 },
      { ppid: 0, pid: 2 },
      { ppid: 1, pid: 10 },
      { ppid: 1, pid: 20 },
      { ppid: 2, pid: 3 },
      { ppid: 10, pid: 11 },
      { ppid: 10, pid: 12 },
      { ppid: 12, pid: 13 },
    ]);
    assert.deepEqual(listFrom(pairs, 0, false, false, '1.0'), [1, 2, 10, 20, 3, 11, 12, 13]);
    assert.equal((listFrom(pairs, 0, false, false, '0.6') as Error).message, 'No matching pid found');
    assert.equal((listFrom(pairs, 0, true, false, '0.6') as unknown[]).length, 8);
  });
  it('an unknown PID is "No matching pid found"', () => {
    const e = listFrom(pairs, 99, false, false, '1.0');
    assert.ok(e instanceof Error && !(e instanceof TypeError));
    assert.equal(e.message, 'No matching pid found');
  });
  it('property: each listed once, every one a descendant, and with root the whole subtree', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(30), { maxLength: 30 }), fc.nat(30), (parents, pick) => {
        const ps = parents.map((p, i) => [p <= i ? p : 0, i + 1] as [number, number]);
        const root = (pick % (ps.length + 1)) + 1;
        const out = listFrom(ps, root, false, true, '1.0');
        if (root > ps.length) return assert.ok(out instanceof Error);
        const list = out as number[];
        assert.equal(new Set(list).size, list.length);
        const parent = new Map(ps.map(([pp, p]) => [p, pp]));
        for (const p of list.slice(1)) {
          let up = parent.get(p);
          while (up !== undefined && up !== root) up = parent.get(up);
          assert.equal(up, root, `${p} descends from ${root}`);
        }
      }),
    );
  });
});

describe("process.kill's signal rules", () => {
  it('reads numbers, names and falsy values as Node does, and gives its errors', () => {
    const table: [unknown, number | string][] = [
      [undefined, 15],
      [null, 15],
      ['', 15],
      [0, 0],
      [9, 9],
      [64, 64],
      [Number.NaN, 15],
      ['SIGKILL', 9],
      ['SIGHUP', 1],
      ['SIGIOT', 6],
      ['HUP', 'TypeError ERR_UNKNOWN_SIGNAL Unknown signal: HUP'],
      ['9', 'TypeError ERR_UNKNOWN_SIGNAL Unknown signal: 9'],
      ['toString', 'TypeError ERR_UNKNOWN_SIGNAL Unknown signal: toString'],
      [1.5, 'TypeError ERR_UNKNOWN_SIGNAL Unknown signal: 1.5'],
      [65, 'Error EINVAL kill EINVAL'],
      [-1, 'Error EINVAL kill EINVAL'],
    ];
    for (const [input, want] of table) {
      const got = nodeSignal(input);
      const shown =
        got instanceof Error ? `${got.name} ${(got as { code?: string }).code} ${got.message}` : got;
      assert.equal(shown, want, String(input));
    }
  });
  it("kill errors look like process.kill's", () => {
    const e = killError('EPERM') as Error & { errno: number; code: string; syscall: string };
    assert.deepEqual([e.message, e.errno, e.code, e.syscall], ['kill EPERM', -1, 'EPERM', 'kill']);
    // As Node 20-26 throw them (checked by hand: process.kill of a PID that does not exist).
    const esrch = killError('ESRCH') as Error & { errno: number; code: string; syscall: string };
    assert.deepEqual(
      [esrch.message, esrch.errno, esrch.code, esrch.syscall],
      ['kill ESRCH', -3, 'ESRCH', 'kill'],
    );
  });
});
