/**
 * The picker's incremental /proc reading (src/cli/pick/source.ts, ports.ts) over the fake /proc: what each listing
 * and each sample opens, counted per file kind, and that changes (new, gone, reused, renamed, zombie, sockets
 * opened and closed) still show.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PickRow } from '../../src/cli/pick/model.js';
import { FULL_EVERY } from '../../src/cli/pick/ports.js';
import { ProcessSource, RECHECK_TICKS } from '../../src/cli/pick/source.js';
import { ProcReader } from '../../src/procfs/reader.js';
import { type FakeProc, FakeSystem } from '../helpers/fake-system.js';

const N = 200;
const crowd = (): FakeProc[] =>
  Array.from({ length: N }, (_, i) => ({
    pid: 10 + i,
    comm: `p${i}`,
    cmdline: [`p${i}`, '--x'],
    startTime: 1000 + i,
  }));

function setup(procs: FakeProc[]) {
  const sys = new FakeSystem(procs);
  return { sys, src: new ProcessSource({ system: sys }, new ProcReader(sys)) };
}

/** What `f` read: opens of each per-process file (ours, PID 999, left out), fd directories and links. */
function reads(sys: FakeSystem, f: () => void) {
  const [o, d, l] = [sys.opened.length, sys.readdirs.length, sys.readlinks.length];
  f();
  const opened = sys.opened.slice(o).filter((p) => !p.startsWith(`/proc/${sys.pid}/`));
  const of = (file: string) => opened.filter((p) => new RegExp(`^/proc/\\d+/${file}$`).test(p));
  return {
    stat: of('stat'),
    status: of('status').length,
    cmdline: of('cmdline').length,
    fdDirs: sys.readdirs.slice(d),
    links: sys.readlinks.length - l,
  };
}

describe('the picker reads /proc incrementally', () => {
  it('the first listing reads one stat per process; then a refresh re-examines a tenth, and each PID once in ten', () => {
    const { sys, src } = setup(crowd());
    let rows: PickRow[] = [];
    let r = reads(sys, () => {
      rows = src.list(false, false);
    });
    assert.equal(rows.length, N);
    assert.deepEqual([r.stat.length, r.cmdline, r.status, r.fdDirs.length], [N, 0, 0, 0]);
    // The rows on screen: stat (CPU %, identity), status (user: uid 0, the fake has no names; memory), and the
    // command line not read yet.
    r = reads(sys, () => {
      const sampled = src.sample(rows.slice(0, 20));
      assert.deepEqual(
        sampled.map((s) => [s.pid, s.user, s.cmdline]),
        rows.slice(0, 20).map((s) => [s.pid, '0', `${s.name} --x`]),
      );
    });
    assert.deepEqual([r.stat.length, r.status, r.cmdline], [20, 20, 20]);
    // Sampled again: stat and status only.
    r = reads(sys, () => src.sample(rows.slice(0, 20)));
    assert.deepEqual([r.stat.length, r.status, r.cmdline], [20, 20, 0]);
    // The next listing reads the command lines still missing (180) and re-examines a tenth (20).
    r = reads(sys, () => {
      rows = src.list(false);
    });
    assert.deepEqual([r.stat.length, r.cmdline, r.status], [N / RECHECK_TICKS, 180, 0]);
    assert.ok(rows.every((x) => x.cmdline === `${x.name} --x`));
    // At rest: a tenth per refresh, and over RECHECK_TICKS refreshes every PID exactly once.
    const seen: string[] = [];
    for (let i = 0; i < RECHECK_TICKS; i++) {
      r = reads(sys, () => src.list(false));
      assert.deepEqual([r.stat.length, r.cmdline, r.status, r.fdDirs.length], [N / RECHECK_TICKS, 0, 0, 0]);
      seen.push(...r.stat);
    }
    assert.equal(new Set(seen).size, N);
    assert.equal(seen.length, N);
  });

  it('a new PID is read at once, a gone one leaves, a reused PID becomes a new row (never two rows of one PID)', () => {
    const { sys, src } = setup(crowd());
    let rows = src.list(false);
    sys.procs.set(500, { pid: 500, comm: 'fresh', cmdline: ['fresh', '-v'], startTime: 5000, gen: 0 });
    sys.procs.delete(10);
    const r = reads(sys, () => {
      rows = src.list(false);
    });
    assert.ok(r.stat.includes('/proc/500/stat'));
    assert.equal(rows.find((x) => x.pid === 500)?.cmdline, 'fresh -v');
    assert.equal(
      rows.some((x) => x.pid === 10),
      false,
    );
    // Off screen: the old row stays until its turn, at most RECHECK_TICKS listings.
    sys.reuse(150, 'newcomer');
    let turns = 0;
    for (;;) {
      rows = src.list(false);
      turns++;
      const of150 = rows.filter((x) => x.pid === 150);
      assert.equal(of150.length, 1);
      if (of150[0]!.name === 'newcomer') {
        assert.equal(of150[0]!.startTime, String(1140 + 777));
        break;
      }
      assert.ok(turns < RECHECK_TICKS, 'the reused PID is seen within RECHECK_TICKS listings');
    }
    // On screen: the sample leaves it out, and the very next listing replaces it (two PIDs far apart, so that at
    // most one of them can be due in turn anyway); a zombie on screen leaves the same way.
    const shown = rows.filter((x) => x.pid === 60 || x.pid === 160 || x.pid === 110);
    sys.reuse(60, 'other60');
    sys.reuse(160, 'other160');
    sys.procs.get(110)!.state = 'Z';
    assert.deepEqual(src.sample(shown), []);
    rows = src.list(false);
    assert.equal(rows.find((x) => x.pid === 60)?.name, 'other60');
    assert.equal(rows.find((x) => x.pid === 160)?.name, 'other160');
    assert.equal(
      rows.some((x) => x.pid === 110),
      false,
    );
  });

  it('a rename or an exec shows when its turn comes, with the new command line; ages and CPU % from samples', () => {
    const { sys, src } = setup(crowd());
    let rows = src.list(false);
    Object.assign(sys.procs.get(42)!, { comm: 'renamed', cmdline: ['renamed', '-y'] });
    for (let i = 0; i < RECHECK_TICKS; i++) rows = src.list(false);
    assert.equal(rows.find((x) => x.pid === 42)?.name, 'renamed');
    assert.equal(rows.find((x) => x.pid === 42)?.cmdline, 'renamed -y');
    const [first] = src.sample(rows.filter((x) => x.pid === 42));
    assert.equal(first!.cpu, undefined);
    assert.equal(first!.ageSec, 5000 - (1000 + 32) / 100);
  });
});

describe('the picker reads fds only when it must', () => {
  it('new processes only; every process when a socket appears, and every FULL_EVERY refreshes; a closed one without reads', () => {
    const procs = crowd();
    procs[10]!.bound = [{ inode: 5555, port: 8080 }];
    const { sys, src } = setup(procs);
    let rows: PickRow[] = [];
    let r = reads(sys, () => {
      rows = src.list(true);
    });
    assert.equal(r.fdDirs.length, N);
    assert.deepEqual(rows.find((x) => x.pid === 20)?.ports, [{ port: 8080, proto: 'tcp' }]);
    assert.deepEqual(rows.find((x) => x.pid === 21)?.ports, []);
    r = reads(sys, () => src.list(true));
    assert.deepEqual([r.fdDirs.length, r.links], [0, 0]);
    // A new process: its fds only.
    sys.procs.set(600, { pid: 600, comm: 'quiet', startTime: 6000, gen: 0 });
    r = reads(sys, () => src.list(true));
    assert.deepEqual(r.fdDirs, ['/proc/600/fd']);
    // Ports not asked for: no fd read, a new row without ports yet.
    sys.procs.set(601, { pid: 601, comm: 'later', startTime: 6001, gen: 0 });
    r = reads(sys, () => {
      rows = src.list(false);
    });
    assert.deepEqual(r.fdDirs, []);
    assert.equal(rows.find((x) => x.pid === 601)?.ports, undefined);
    // A socket the table did not have: every process's fds (any of them may hold it).
    sys.procs.get(110)!.bound = [{ inode: 6666, port: 53, proto: 'udp' }];
    r = reads(sys, () => {
      rows = src.list(true);
    });
    assert.equal(r.fdDirs.length, N + 2);
    assert.deepEqual(rows.find((x) => x.pid === 110)?.ports, [{ port: 53, proto: 'udp' }]);
    // A socket closed: gone from its row, no fd read.
    sys.procs.get(20)!.bound = [];
    r = reads(sys, () => {
      rows = src.list(true);
    });
    assert.deepEqual(r.fdDirs, []);
    assert.deepEqual(rows.find((x) => x.pid === 20)?.ports, []);
    // At rest, one refresh in FULL_EVERY reads every process's fds again (a socket passed to a running process).
    const full: number[] = [];
    for (let i = 0; i < FULL_EVERY; i++) full.push(reads(sys, () => src.list(true)).fdDirs.length);
    assert.deepEqual(
      full.filter((n) => n > 0),
      [N + 2],
    );
  });
});
