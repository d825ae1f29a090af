import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { KillallError } from '../src/errors.js';
import { findProcesses } from '../src/find.js';
import { type KillallOptions, killall } from '../src/killall.js';
import { type FakeOptions, type FakeProc, FakeSystem } from './helpers/fake-system.js';

const cli = { kernelThreads: true, excludeAncestors: false } as const;
const sys = (procs: FakeProc[], opts?: FakeOptions) => new FakeSystem(procs, opts);
const run = (s: FakeSystem, o: Omit<KillallOptions, 'system'>) => killall({ ...cli, ...o, system: s });

describe('killall() over a fake /proc', () => {
  it('signals matches through the pin, in PID order, and reports as data', async () => {
    const s = sys([
      { pid: 30, comm: 'hx7a' },
      { pid: 10, comm: 'hx7a' },
      { pid: 20, comm: 'hx7b' },
    ]);
    const r = await run(s, { names: ['hx7a', 'hx7zz'] });
    assert.deepEqual(s.pidfdSends, [
      [10, 15],
      [30, 15],
    ]);
    assert.deepEqual(s.kills, []);
    assert.deepEqual(
      r.signalled.map((t) => t.pid),
      [10, 30],
    );
    assert.deepEqual(
      r.names.map((n) => n.found),
      [true, false],
    );
    assert.equal(r.ok, false);
    assert.equal(s.openFds(), 0, 'every fd closed');
  });

  it('gives credit to the first matching NAME only', async () => {
    const s = sys([{ pid: 10, comm: 'hx7b' }]);
    const r = await run(s, { names: ['hx7b', 'hx7b'] });
    assert.deepEqual(
      r.names.map((n) => n.found),
      [true, false],
    );
  });

  it('never selects itself', async () => {
    const s = sys([{ pid: 10, comm: 'node' }], { self: 10 });
    const r = await run(s, { names: ['node'], signal: 0 });
    assert.equal(r.signalled.length, 0);
  });

  it('library defaults skip kernel threads and our ancestors; the CLI flags keep them', async () => {
    const procs: FakeProc[] = [
      { pid: 2, comm: 'kthreadd', flags: 0x208040, ppid: 0 },
      { pid: 50, comm: 'bash', ppid: 1 },
      { pid: 60, comm: 'bash', ppid: 50 },
      { pid: 999, comm: 'node', ppid: 50 },
    ];
    const lib = await killall({ names: ['kthreadd', 'bash'], signal: 0, system: sys(procs) });
    assert.deepEqual(
      lib.signalled.map((t) => t.pid),
      [60],
    );
    const c = await run(sys(procs), { names: ['kthreadd', 'bash'], signal: 0 });
    assert.deepEqual(
      c.signalled.map((t) => t.pid),
      [2, 50, 60],
    );
  });

  it('skips processes that vanish at open or read, silently', async () => {
    const s = sys(
      [
        { pid: 10, comm: 'hx7a' },
        { pid: 11, comm: 'hx7a' },
        { pid: 12, comm: 'hx7a' },
      ],
      {
        openErrors: { '/proc/10/stat': 'ENOENT' },
        readErrors: { '/proc/11/stat': 'ESRCH' },
      },
    );
    const r = await run(s, { names: ['hx7a'] });
    assert.deepEqual(
      r.signalled.map((t) => t.pid),
      [12],
    );
    assert.equal(r.failed.length, 0);
  });

  it('counts EACCES/EPERM reads (hidepid) instead of failing', async () => {
    const s = sys(
      [
        { pid: 10, comm: 'hx7a' },
        { pid: 11, comm: 'hx7b' },
      ],
      { openErrors: { '/proc/10/stat': 'EPERM' } },
    );
    const r = await run(s, { names: ['hx7a'] });
    assert.equal(r.unreadable, 1);
    assert.equal(r.ok, false);
  });

  it('EMFILE, ENFILE and ENOMEM are fatal, never a silent miss', async () => {
    for (const code of ['EMFILE', 'ENFILE', 'ENOMEM']) {
      const s = sys([{ pid: 10, comm: 'hx7a' }], { openErrors: { '/proc/10/stat': code } });
      await assert.rejects(
        run(s, { names: ['hx7a'] }),
        (e: unknown) => e instanceof KillallError && e.code === 'RESOURCE' && e.detail === code,
      );
    }
  });

  it('findProcesses reports resource errors as KillallError too', async () => {
    const s = sys([{ pid: 10, comm: 'hx7a' }], { openErrors: { '/proc/10/stat': 'EMFILE' } });
    await assert.rejects(
      findProcesses({ names: ['hx7a'], system: s, excludeAncestors: false }),
      (e: unknown) => e instanceof KillallError && e.code === 'RESOURCE',
    );
  });

  it('the library skips its own ancestors by default', async () => {
    const s = sys(
      [
        { pid: 40, comm: 'bash', ppid: 1 },
        { pid: 41, comm: 'bash', ppid: 40 },
        { pid: 42, comm: 'bash', ppid: 1 },
      ],
      { self: 43 },
    );
    s.procs.set(43, { pid: 43, comm: 'node', ppid: 41, gen: 0 });
    const found = await findProcesses({ names: ['bash'], system: s });
    assert.deepEqual(
      found.map((p) => p.pid),
      [42],
    );
  });

  it('refuses a missing or foreign /proc before reading anything else', async () => {
    for (const procSelf of [null, '4242']) {
      const s = sys([{ pid: 10, comm: 'hx7a' }], { procSelf });
      await assert.rejects(
        run(s, { names: ['hx7a'] }),
        (e: unknown) => e instanceof KillallError && e.code === 'PROC_UNAVAILABLE',
      );
      assert.equal(s.kills.length + s.pidfdSends.length, 0);
    }
  });

  it('-g: once per group, never kill() with a pid <= 0 or -1, group 1 refused, group 0 skipped', async () => {
    const s = sys([
      { pid: 5, comm: 'hx7g', pgrp: 0 },
      { pid: 6, comm: 'hx7g', pgrp: 1 },
      { pid: 7, comm: 'hx7g', pgrp: 40 },
      { pid: 8, comm: 'hx7g', pgrp: 40 },
    ]);
    const r = await run(s, { names: ['hx7g'], processGroup: true });
    assert.deepEqual(s.kills, [[-40, 15]]);
    assert.deepEqual(
      r.refused.map((t) => t.pid),
      [6],
    );
    for (const [pid] of s.kills) assert.ok(pid < -1);
  });

  it('PID reuse between scan and send: the newcomer gets nothing (pidfd path)', async () => {
    const s = sys([{ pid: 10, comm: 'hx7a', startTime: 100 }]);
    const r = await run(s, {
      names: ['hx7a'],
      confirm: () => {
        s.reuse(10);
        return true;
      },
    });
    assert.deepEqual(s.pidfdSends, []);
    assert.deepEqual(s.kills, []);
    assert.deepEqual(
      r.failed.map((f) => f.code),
      ['ESRCH'],
    );
    assert.equal(r.ok, false);
  });

  it('a process replaced between the scan and the pin is examined through the pin and left alone', async () => {
    for (const pidfd of ['ok', 'ENOSYS'] as const) {
      const opts: FakeOptions = { pidfd };
      const s = sys([{ pid: 10, comm: 'hx7a' }], opts);
      opts.beforeOpen = (p) => {
        if (p === '/proc/10') s.reuse(10, 'other');
      };
      const r = await run(s, { names: ['hx7a'] });
      assert.deepEqual([s.pidfdSends, s.kills, r.signalled], [[], [], []], pidfd);
      assert.equal(r.ok, false);
    }
  });

  it('a same-name newcomer that took the PID between the scan and the pin is refused by its start time', async () => {
    const opts: FakeOptions = {};
    const s = sys([{ pid: 10, comm: 'hx7a', startTime: 100 }], opts);
    opts.beforeOpen = (p) => {
      if (p === '/proc/10') s.reuse(10, 'hx7a');
    };
    const r = await run(s, { names: ['hx7a'] });
    assert.deepEqual([s.pidfdSends, s.kills, r.signalled], [[], [], []]);
  });

  it('PID reuse between scan and send: the newcomer gets nothing (kill fallback)', async () => {
    for (const pidfd of ['ENOSYS', 'EPERM'] as const) {
      const s = sys(
        [
          { pid: 10, comm: 'hx7a', startTime: 100 },
          { pid: 11, comm: 'hx7a' },
        ],
        { pidfd },
      );
      const r = await run(s, {
        names: ['hx7a'],
        confirm: (t) => {
          if (t.pid === 10) s.reuse(10);
          return true;
        },
      });
      assert.deepEqual(s.kills, [[11, 15]], `${pidfd}: only the unchanged process is killed`);
      assert.deepEqual(
        r.signalled.map((t) => t.pid),
        [11],
      );
    }
  });

  it('a system that cannot call pidfd_send_signal at all (pidfdAvailable false): no probe, kill(2) after the re-check', async () => {
    const s = sys([
      { pid: 10, comm: 'hx7a' },
      { pid: 11, comm: 'hx7b' },
    ]);
    const available = Object.assign(s, { pidfdAvailable: () => false });
    const r = await run(available, { names: ['hx7a'] });
    assert.deepEqual(s.kills, [[10, 15]]);
    assert.deepEqual(s.pidfdSends, []);
    assert.ok(!s.opened.includes(`/proc/${s.pid}`), 'no pin of ourselves for a probe');
    assert.deepEqual(
      r.signalled.map((t) => t.pid),
      [10],
    );
  });

  it('under -i a process gone between the scan and the pin is reported as ESRCH with its name', async () => {
    const opts: FakeOptions = {};
    const s = sys([{ pid: 10, comm: 'hx7a' }], opts);
    opts.beforeOpen = (p) => {
      if (p === '/proc/10') s.procs.delete(10);
    };
    const events: string[] = [];
    const r = await run(s, {
      names: ['hx7a'],
      confirm: () => true,
      onEvent: (e) =>
        events.push(
          e.type === 'failed' ? `failed ${e.code} ${Buffer.from(e.target.name)}(${e.target.pid})` : e.type,
        ),
    });
    assert.deepEqual(events, ['failed ESRCH hx7a(10)', 'scanned']);
    assert.equal(r.ok, false);
  });

  it('-i declines are not credited; ESRCH is reported only under -i', async () => {
    const s = sys([
      { pid: 10, comm: 'hx7a' },
      { pid: 11, comm: 'hx7a' },
    ]);
    const events: string[] = [];
    const r = await run(s, {
      names: ['hx7a'],
      confirm: (t) => t.pid === 11,
      onEvent: (e) => events.push(e.type),
    });
    assert.deepEqual(
      r.declined.map((t) => t.pid),
      [10],
    );
    assert.deepEqual(events, ['signalled', 'scanned']);
  });

  it('-w waits through pins and returns once targets are gone or zombies', async () => {
    const s = sys([
      { pid: 10, comm: 'hx7a' },
      { pid: 11, comm: 'hx7a' },
    ]);
    let polls = 0;
    s.sleep = () => {
      polls++;
      if (polls === 1) s.procs.delete(10);
      if (polls === 2) s.procs.get(11)!.state = 'Z';
      return Promise.resolve();
    };
    const r = await run(s, { names: ['hx7a'], wait: true });
    assert.deepEqual(r.wait?.remaining, []);
    assert.equal(polls, 2);
    assert.equal(s.openFds(), 0);
  });

  it('-w with a timeout reports what is left', async () => {
    const s = sys([{ pid: 10, comm: 'hx7a' }]);
    const r = await run(s, { names: ['hx7a'], wait: { timeoutMs: 0 } });
    assert.equal(r.wait?.remaining.length, 1);
  });

  it('long names: read cmdline only for 15-byte comms', async () => {
    const s = sys([
      { pid: 10, comm: 'hx7abcdefghijkl', cmdline: ['/usr/bin/hx7abcdefghijklmnop', '--flag'] },
      { pid: 11, comm: 'hx7b', cmdline: ['hx7b'] },
    ]);
    const found = await findProcesses({
      names: ['hx7abcdefghijklmnop', 'hx7b'],
      system: s,
      excludeAncestors: false,
    });
    assert.deepEqual(
      found.map((p) => [p.pid, p.name, p.nameIndex]),
      [
        [10, 'hx7abcdefghijklmnop', 0],
        [11, 'hx7b', 1],
      ],
    );
    assert.ok(s.opened.includes('/proc/10/cmdline'));
    assert.ok(!s.opened.includes('/proc/11/cmdline'));
  });

  it('a cmdline of megabytes is read with a bound and still yields argv[0]', async () => {
    const big = Buffer.concat([Buffer.from('/x/hx7abcdefghijklmnop\0'), Buffer.alloc(3 * 1024 * 1024, 0x61)]);
    const s = sys([{ pid: 10, comm: 'hx7abcdefghijkl', cmdline: big }]);
    let read = 0;
    const orig = s.read.bind(s);
    s.read = (fd, buf, off, len) => {
      const n = orig(fd, buf, off, len);
      read += n;
      return n;
    };
    const found = await findProcesses({ names: ['hx7abcdefghijklmnop'], system: s, excludeAncestors: false });
    assert.equal(found.length, 1);
    assert.ok(read < 64 * 1024, `read ${read} bytes`);
  });

  it('-y/-o select by age from stat and /proc/uptime (including long names)', async () => {
    const procs: FakeProc[] = [
      { pid: 10, comm: 'hx7a', startTime: 499800 },
      { pid: 11, comm: 'hx7a', startTime: 499980 },
      { pid: 12, comm: 'hx7abcdefghijkl', startTime: 499980, cmdline: ['/x/hx7abcdefghijklmnop'] },
    ];
    const young = await run(sys(procs, { uptime: 5000 }), {
      names: ['hx7a', 'hx7abcdefghijklmnop'],
      youngerThan: 1,
      signal: 0,
    });
    assert.deepEqual(
      young.signalled.map((t) => t.pid),
      [11, 12],
    );
    const old = await run(sys(procs, { uptime: 5000 }), { names: ['hx7a'], olderThan: 1, signal: 0 });
    assert.deepEqual(
      old.signalled.map((t) => t.pid),
      [10],
    );
  });

  it('-u filters by real uid; a status without Uid is fatal', async () => {
    const s = sys([
      { pid: 10, comm: 'hx7a', uid: 65534 },
      { pid: 11, comm: 'hx7a', uid: 0 },
    ]);
    const r = await run(s, { names: ['hx7a'], user: 'nobody', signal: 0 });
    assert.deepEqual(
      r.signalled.map((t) => t.pid),
      [10],
    );
    await assert.rejects(
      run(s, { names: ['hx7a'], user: 'nosuch' }),
      (e: unknown) => e instanceof KillallError && e.code === 'BAD_OPTION',
    );
  });

  it('property: random tables with random vanishing never throw and signal only matching PIDs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            pid: fc.integer({ min: 2, max: 60 }),
            comm: fc.constantFrom('hx7a', 'hx7b', 'hx7abcdefghijkl', 'x) S 1 (y', 'a\nb'),
            vanish: fc.constantFrom('no', 'open', 'read'),
          }),
          { maxLength: 20 },
        ),
        fc.constantFrom('ok', 'ENOSYS') as fc.Arbitrary<'ok' | 'ENOSYS'>,
        async (rows, pidfd) => {
          const procs = new Map(rows.map((r) => [r.pid, r]));
          const openErrors: Record<string, string> = {};
          const readErrors: Record<string, string> = {};
          for (const r of procs.values()) {
            if (r.vanish === 'open') openErrors[`/proc/${r.pid}/stat`] = 'ENOENT';
            if (r.vanish === 'read') readErrors[`/proc/${r.pid}/stat`] = 'ESRCH';
          }
          const s = sys(
            [...procs.values()].map((r) => ({ pid: r.pid, comm: r.comm })),
            { openErrors, readErrors, pidfd },
          );
          const r = await run(s, { names: ['hx7a', 'a\nb'] });
          const hit = [...s.pidfdSends, ...s.kills].map(([p]) => p);
          for (const p of hit) {
            const row = procs.get(p)!;
            assert.ok(row.vanish === 'no' && (row.comm === 'hx7a' || row.comm === 'a\nb'));
          }
          assert.equal(r.signalled.length, hit.length);
          assert.equal(s.openFds(), 0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
