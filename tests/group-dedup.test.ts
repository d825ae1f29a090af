import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { runCli } from '../src/cli/run.js';
import { type KillallOptions, type KillEvent, killall } from '../src/killall.js';
import { type FakeProc, FakeSystem } from './helpers/fake-system.js';

/**
 * A fake where `kill(-pgid)` reaches the group's members, which then exit a little later: each member of a signalled
 * group vanishes at the next open of anything of its own (its pin, or a file), that is, after the scan has read it
 * but before anyone could examine it again. This is the race that made `-i -g` print a spurious
 * `NAME(PID): No such process` for the second member of a group, made deterministic.
 */
class GroupKillingSystem extends FakeSystem {
  private readonly dying = new Set<number>();
  constructor(procs: FakeProc[]) {
    super(procs, {
      beforeOpen: (path) => {
        const m = /^\/proc\/(\d+)$/.exec(path);
        if (m && this.dying.has(Number(m[1]))) this.procs.delete(Number(m[1]));
      },
    });
  }
  override kill(pid: number, signal: number): void {
    super.kill(pid, signal);
    if (pid < -1 && signal !== 0) {
      for (const p of this.procs.values()) if ((p.pgrp ?? p.pid) === -pid) this.dying.add(p.pid);
    }
  }
}

/** killall -g over `s` for the name hx7g, as the CLI runs it (kernel threads kept, ancestors not excluded). */
const run = (s: FakeSystem, o: Omit<KillallOptions, 'system' | 'names' | 'processGroup'> = {}) =>
  killall({
    names: ['hx7g'],
    processGroup: true,
    kernelThreads: true,
    excludeAncestors: false,
    ...o,
    system: s,
  });

const group = (): FakeProc[] => [
  { pid: 10, comm: 'hx7g', pgrp: 10 },
  { pid: 11, comm: 'hx7g', pgrp: 10 },
  { pid: 12, comm: 'hx7g', pgrp: 12 },
];

describe('-g de-duplicates from the scan, before pinning and prompting', () => {
  it('-i -g: one prompt per group, no spurious ESRCH for a member the group signal already reached', async () => {
    const s = new GroupKillingSystem(group());
    const events: KillEvent[] = [];
    const asked: number[] = [];
    const r = await run(s, {
      confirm: (t) => {
        asked.push(t.pgid!);
        return true;
      },
      onEvent: (e) => events.push(e),
    });
    assert.deepEqual(asked, [10, 12]);
    assert.deepEqual(s.kills, [
      [-10, 15],
      [-12, 15],
    ]);
    assert.deepEqual(r.failed, []);
    assert.deepEqual(
      events.filter((e) => e.type === 'failed'),
      [],
    );
    assert.ok(!s.opened.includes('/proc/11'), 'the duplicate member is never pinned');
    assert.equal(r.ok, true);
    assert.equal(s.openFds(), 0);
  });

  it('through the CLI: killall -i -g prints the prompts and nothing else (as psmisc)', async () => {
    const s = new GroupKillingSystem(group());
    const out: Record<1 | 2, string> = { 1: '', 2: '' };
    const code = await runCli(['-i', '-g', 'hx7g'], {
      out: {
        write: (fd, d) => {
          out[fd] += typeof d === 'string' ? d : Buffer.from(d).toString('latin1');
        },
      },
      stdin: () => {
        const p = new PassThrough();
        p.end('y\ny\n');
        return p;
      },
      env: {},
      system: s,
      version: '0',
    });
    assert.equal(out[1], 'Kill hx7g(pgid 10) ? (y/N) Kill hx7g(pgid 12) ? (y/N) ');
    assert.equal(out[2], '');
    assert.equal(code, 0);
  });

  it('a member that vanished before confirmation leaves its group to the next member', async () => {
    const s = new FakeSystem(group(), {
      beforeOpen: (path) => {
        if (path === '/proc/10') s.procs.delete(10);
      },
    });
    const r = await run(s, { signal: 0 });
    assert.deepEqual(s.kills, [
      [-10, 0],
      [-12, 0],
    ]);
    assert.deepEqual(
      r.signalled.map((t) => [t.pid, t.pgid]),
      [
        [11, 10],
        [12, 12],
      ],
    );
  });

  it('a declined group is not asked again', async () => {
    const s = new GroupKillingSystem(group());
    const asked: number[] = [];
    const r = await run(s, {
      confirm: (t) => {
        asked.push(t.pid);
        return t.pgid !== 10;
      },
    });
    assert.deepEqual(asked, [10, 12]);
    assert.deepEqual(
      r.declined.map((t) => t.pid),
      [10],
    );
    assert.deepEqual(s.kills, [[-12, 15]]);
  });
});
