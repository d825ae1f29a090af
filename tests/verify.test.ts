import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { killall } from '../src/killall.js';
import { type FakeOptions, type FakeProc, FakeSystem } from './helpers/fake-system.js';

const sysErr = (code: string): Error => Object.assign(new Error(code), { code });

/**
 * The fake /proc, plus what the real one does for an open `/proc/PID/stat`: read again from offset 0 (pread), it is
 * generated anew from the instance it was opened on, and fails with ESRCH once that instance is gone, even when a
 * newcomer holds the PID.
 */
class PreadFake extends FakeSystem {
  private readonly statFds = new Map<number, { pid: number; gen: number }>();
  preads = 0;
  constructor(procs: FakeProc[], opts: FakeOptions = {}) {
    super(procs, opts);
  }
  override open(path: string | Buffer, directory = false): number {
    const fd = super.open(path, directory);
    const m = /^\/proc\/(\d+)\/stat$/.exec(String(path));
    if (m) this.statFds.set(fd, { pid: Number(m[1]), gen: this.procs.get(Number(m[1]))?.gen ?? 0 });
    return fd;
  }
  override close(fd: number): void {
    this.statFds.delete(fd);
    super.close(fd);
  }
  override read(
    fd: number,
    buf: Uint8Array,
    offset: number,
    length: number,
    position?: number | null,
  ): number {
    const bound = this.statFds.get(fd);
    if (position === undefined || position === null || !bound) return super.read(fd, buf, offset, length);
    this.preads++;
    const p = this.procs.get(bound.pid);
    if (!p || p.gen !== bound.gen) throw sysErr('ESRCH');
    const data = (this as unknown as { statOf(p: FakeProc): Buffer }).statOf(p);
    const n = Math.max(0, Math.min(length, data.length - position));
    data.copy(buf, offset, position, position + n);
    return n;
  }
}

const cli = { kernelThreads: true, excludeAncestors: false } as const;

describe('confirming a pin through the stat fd the scan read', () => {
  it('a stat-only match is confirmed by re-reading that fd, without examining it again', async () => {
    const s = new PreadFake([
      { pid: 10, comm: 'hx7v' },
      { pid: 11, comm: 'hx7w' },
      { pid: 12, comm: 'hx7v' },
    ]);
    const r = await killall({ ...cli, system: s, names: ['hx7v'] });
    assert.deepEqual(s.pidfdSends, [
      [10, 15],
      [12, 15],
    ]);
    assert.equal(s.preads, 2);
    assert.ok(!s.opened.some((p) => p.startsWith('/proc/self/fd/')), 'no full re-examination');
    assert.deepEqual(
      r.signalled.map((t) => t.pid),
      [10, 12],
    );
    assert.equal(s.openFds(), 0, 'every fd closed');
  });

  it('a newcomer with the same name AND the same start time on the reused PID is never signalled', async () => {
    // The start-time check alone cannot tell these apart (same clock tick); the stat fd can.
    const s: PreadFake = new PreadFake([{ pid: 10, comm: 'hx7v', startTime: 4242 }], {
      beforeOpen: (path) => {
        if (path === '/proc/10') s.procs.set(10, { pid: 10, comm: 'hx7v', startTime: 4242, gen: 1 });
      },
    });
    const r = await killall({ ...cli, system: s, names: ['hx7v'] });
    assert.deepEqual(s.pidfdSends, []);
    assert.deepEqual(s.kills, []);
    assert.deepEqual(r.signalled, []);
    assert.equal(r.ok, false);
    assert.equal(s.openFds(), 0);
  });

  it('a newcomer is never signalled on the kill(2) path either', async () => {
    const s: PreadFake = new PreadFake([{ pid: 10, comm: 'hx7v', startTime: 4242 }], {
      pidfd: 'ENOSYS',
      beforeOpen: (path) => {
        if (path === '/proc/10') s.procs.set(10, { pid: 10, comm: 'hx7v', startTime: 4242, gen: 1 });
      },
    });
    const r = await killall({ ...cli, system: s, names: ['hx7v'] });
    assert.deepEqual(s.kills, []);
    assert.deepEqual(r.signalled, []);
  });

  it('a match that renamed itself after the scan is examined again and, no longer matching, left alone', async () => {
    const s: PreadFake = new PreadFake([{ pid: 10, comm: 'hx7v' }], {
      beforeOpen: (path) => {
        if (path === '/proc/10') s.procs.get(10)!.comm = 'hx7other';
      },
    });
    const r = await killall({ ...cli, system: s, names: ['hx7v'] });
    assert.deepEqual(s.pidfdSends, []);
    assert.ok(
      s.opened.some((p) => /^\/proc\/self\/fd\/\d+\/stat$/.test(p)),
      'examined through the pin',
    );
    assert.equal(r.ok, false);
  });

  it('a renamed match that still matches another NAME is signalled, credited to that NAME', async () => {
    const s: PreadFake = new PreadFake([{ pid: 10, comm: 'hx7v' }], {
      beforeOpen: (path) => {
        if (path === '/proc/10') s.procs.get(10)!.comm = 'hx7u';
      },
    });
    const r = await killall({ ...cli, system: s, names: ['hx7v', 'hx7u'] });
    assert.deepEqual(s.pidfdSends, [[10, 15]]);
    assert.deepEqual(
      r.names.map((n) => n.found),
      [false, true],
    );
  });

  it('filters read before stat (-u) are checked again through the pin', async () => {
    const s: PreadFake = new PreadFake([{ pid: 10, comm: 'hx7v', uid: 1000 }], {
      beforeOpen: (path) => {
        if (path === '/proc/10') s.procs.get(10)!.uid = 0;
      },
    });
    const r = await killall({ ...cli, system: s, names: ['hx7v'], user: 1000 });
    assert.deepEqual(s.pidfdSends, []);
    assert.equal(r.ok, false);
    assert.equal(s.openFds(), 0);
  });

  it('closes the kept stat fds of -g duplicates and refused groups', async () => {
    const s = new PreadFake([
      { pid: 10, comm: 'hx7v', pgrp: 10 },
      { pid: 11, comm: 'hx7v', pgrp: 10 },
      { pid: 12, comm: 'hx7v', pgrp: 1 },
    ]);
    const r = await killall({ ...cli, system: s, names: ['hx7v'], processGroup: true, signal: 0 });
    assert.deepEqual(s.kills, [[-10, 0]]);
    assert.deepEqual(
      r.refused.map((t) => t.pid),
      [12],
    );
    assert.equal(s.openFds(), 0);
  });
});
