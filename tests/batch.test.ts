// The CLI's batched sends (SendBatch in src/killall.ts): with the CLI's policy (passed explicitly), confirmed matches
// are held, pinned, and sent to after the scan (or when the batch is full, or before an event of the scan), a mass
// signal's sends raised and lowered again before anything else; every pin is released whatever happens.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type KillallOptions, type KillEvent, killall, killallPsmiscSignals } from '../src/killall.js';
import type { PidfdResult } from '../src/system.js';
import { FakePolicy } from './helpers/fake-policy.js';
import { type FakeOptions, type FakeProc, FakeSystem } from './helpers/fake-system.js';

/** The fake /proc with a fake CLI policy, and one log of the calls that matter here (both's), in order. */
class CliFake extends FakeSystem {
  readonly log: string[] = [];
  readonly policy: FakePolicy;
  constructor(
    procs: FakeProc[],
    opts: FakeOptions,
    roomResult: PidfdResult = 0,
    raiseResult = true,
    untilOutput = true,
  ) {
    super(procs, opts);
    this.policy = new FakePolicy(this.log, roomResult, raiseResult, untilOutput);
  }
  override open(path: string | Buffer, directory = false): number {
    const fd = super.open(path, directory);
    const m = /^\/proc\/(\d+)\/stat$/.exec(String(path));
    if (m) this.log.push(`scan ${m[1]}`);
    return fd;
  }
  override pidfdSendSignal(fd: number, signal: number): PidfdResult {
    const before = this.pidfdSends.length;
    const r = super.pidfdSendSignal(fd, signal);
    if (this.pidfdSends.length > before) this.log.push(`send ${this.pidfdSends[before]![0]}`);
    return r;
  }
}

/** The CLI's call: killallPsmiscSignals with the fake's policy. */
const cli = (f: CliFake, o: Omit<KillallOptions, 'system'>) =>
  killallPsmiscSignals({ ...o, system: f }, f.policy);

const crowd = (n: number, comm = 'hx7worker', from = 100): FakeProc[] =>
  Array.from({ length: n }, (_, i) => ({ pid: from + i, comm }));
const others: FakeProc[] = [
  { pid: 5, comm: 'bash' },
  { pid: 7000, comm: 'sshd' },
];
const sent = (f: FakeSystem): number[] => f.pidfdSends.map(([pid]) => pid);
const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

describe("batched sends (with the CLI's policy)", () => {
  it('a mass signal: every match is pinned during the scan and sent to after it, raised, in PID order', async () => {
    const f = new CliFake([...others, ...crowd(40)], { fdLimit: 20000 });
    const r = await cli(f, { names: ['hx7worker'] });
    assert.deepEqual(sent(f), range(100, 40));
    assert.equal(r.signalled.length, 40);
    assert.equal(r.ok, true);
    // The fd table is asked for once, at the 16th pin; nothing is sent before the last stat is read. The last
    // loop stays raised (untilOutput: the CLI lowers before it writes).
    assert.deepEqual(
      f.log.filter((l) => !l.startsWith('scan') && !l.startsWith('send')),
      ['room', 'raise'],
    );
    const lastScan = f.log.map((l) => l.startsWith('scan')).lastIndexOf(true);
    const firstSend = f.log.findIndex((l) => l.startsWith('send'));
    assert.ok(firstSend > lastScan, f.log.join(' '));
    assert.equal(f.log[firstSend - 1], 'raise');
    assert.equal(f.log.at(-1), 'send 139');
    assert.equal(f.openFds(), 0);
  });

  it('a few matches: held until the scan ends, never raised, no fd table of its own', async () => {
    const f = new CliFake([...others, ...crowd(3)], { fdLimit: 20000 });
    await cli(f, { names: ['hx7worker'] });
    assert.deepEqual(sent(f), [100, 101, 102]);
    assert.deepEqual(f.log, [
      'scan 5',
      'scan 100',
      'scan 101',
      'scan 102',
      'scan 7000',
      'send 100',
      'send 101',
      'send 102',
    ]);
    assert.equal(f.openFds(), 0);
  });

  it('a refused fd table: sends every 16 pins, unraised', async () => {
    const f = new CliFake([...others, ...crowd(40)], { fdLimit: 20000 }, 'EPERM');
    await cli(f, { names: ['hx7worker'] });
    assert.deepEqual(sent(f), range(100, 40));
    assert.ok(!f.log.includes('raise'));
    // The first 16 are sent before the 17th is read.
    assert.ok(f.log.indexOf('send 115') < f.log.indexOf('scan 116'), f.log.join(' '));
    assert.ok(f.log.indexOf('send 116') > f.log.indexOf('scan 131'), f.log.join(' '));
    assert.equal(f.openFds(), 0);
  });

  it('a refused raise: the sends happen all the same, and nothing is restored', async () => {
    const f = new CliFake([...crowd(40)], { fdLimit: 20000 }, 0, false);
    await cli(f, { names: ['hx7worker'] });
    assert.deepEqual(sent(f), range(100, 40));
    assert.ok(!f.log.includes('lower'));
  });

  it('the batch holds at most half the soft fd limit, a quarter with a wait (whose list may take another quarter)', async () => {
    const f = new CliFake([...crowd(100)], { fdLimit: 128 });
    let most = 0;
    const open = f.open.bind(f);
    f.open = (path, directory) => {
      const fd = open(path, directory);
      most = Math.max(most, f.openFds());
      return fd;
    };
    await cli(f, { names: ['hx7worker'] });
    assert.deepEqual(sent(f), range(100, 100));
    // 64 pins, plus the stat fd of the candidate being confirmed and /proc/self/limits.
    assert.ok(most <= 66, `at most ${most} fds open`);
    assert.equal(f.log.filter((l) => l === 'raise').length, 2);
    assert.equal(f.openFds(), 0);
    // With a wait: 32 held pins at most, and the wait list's own (a quarter of the limit, 32).
    const w = new CliFake([...crowd(100)], { fdLimit: 128 });
    const wopen = w.open.bind(w);
    let wmost = 0;
    w.open = (path, directory) => {
      const fd = wopen(path, directory);
      wmost = Math.max(wmost, w.openFds());
      return fd;
    };
    await cli(w, { names: ['hx7worker'], wait: { timeoutMs: 1 } });
    assert.deepEqual(sent(w), range(100, 100));
    assert.ok(wmost <= 32 + 32 + 2, `at most ${wmost} fds open`);
    assert.equal(w.log.filter((l) => l === 'raise').length, 4);
    assert.equal(w.openFds(), 0);
  });

  it('every raised batch but the last is lowered before its bookkeeping; the last too without untilOutput or with a wait', async () => {
    // untilOutput false: no event (what the CLI would print) while raised.
    const f = new CliFake([...crowd(100)], { fdLimit: 128 }, 0, true, false);
    const events: string[] = [];
    await cli(f, {
      names: ['hx7worker'],
      onEvent: (e) => {
        assert.equal(f.policy.raised, false, 'an event while raised');
        events.push(e.type);
      },
    });
    assert.deepEqual(sent(f), range(100, 100));
    assert.equal(events.filter((e) => e === 'signalled').length, 100);
    assert.deepEqual(
      f.log.filter((l) => l === 'raise' || l === 'lower'),
      ['raise', 'lower', 'raise', 'lower'],
    );
    // The room asked for: the batch (half the limit), the wait list's pins and Node's own, within the limit.
    assert.deepEqual(f.policy.rooms, [127]);
    // untilOutput (the CLI's): the last loop stays raised for its bookkeeping; the caller lowers before any output.
    const u = new CliFake([...crowd(100)], { fdLimit: 128 });
    await cli(u, { names: ['hx7worker'] });
    assert.deepEqual(
      u.log.filter((l) => l === 'raise' || l === 'lower'),
      ['raise', 'lower', 'raise'],
    );
    assert.equal(u.policy.raised, true);
    // With a wait, the last loop is lowered all the same (the wait sleeps); room for the wait's pins too.
    const w = new CliFake([...crowd(40)], { fdLimit: 20000 });
    await cli(w, { names: ['hx7worker'], wait: { timeoutMs: 1 } });
    assert.deepEqual(
      w.log.filter((l) => l === 'raise' || l === 'lower'),
      ['raise', 'lower'],
    );
    assert.deepEqual(w.policy.rooms, [5000 + 256 + 256]);
    assert.equal(w.openFds(), 0);
  });

  it('batching needs the policy: killallPsmiscSignals without one, and killall(), send as they scan', async () => {
    for (const call of [
      (f: CliFake) => killallPsmiscSignals({ names: ['hx7worker'], system: f }),
      (f: CliFake) => killall({ names: ['hx7worker'], system: f }),
    ]) {
      const f = new CliFake([...crowd(40)], { fdLimit: 20000 });
      await call(f);
      assert.deepEqual(sent(f), range(100, 40));
      assert.deepEqual(f.log.slice(0, 4), ['scan 100', 'send 100', 'scan 101', 'send 101']);
      assert.ok(!f.log.some((l) => l === 'room' || l === 'raise'), f.log.join(' '));
    }
  });

  it("-e's skip events come after the sends of the matches before them (psmisc's order on stderr)", async () => {
    const long = 'hx7abcdefghijklmnop';
    const cut = long.slice(0, 15);
    const f = new CliFake(
      [
        { pid: 10, comm: cut, cmdline: [`/usr/bin/${long}`] },
        { pid: 11, comm: cut, cmdline: ['/usr/bin/other'] },
        { pid: 12, comm: cut, cmdline: [`/usr/bin/${long}`] },
      ],
      { fdLimit: 20000 },
    );
    const events: string[] = [];
    await cli(f, {
      names: [long],
      exact: true,
      onEvent: (e: KillEvent) => {
        if (e.type === 'signalled') events.push(`signalled ${e.target.pid}`);
        if (e.type === 'partial') events.push(`partial ${e.pid}`);
      },
    });
    assert.deepEqual(events, ['signalled 10', 'partial 11', 'signalled 12']);
    assert.deepEqual(sent(f), [10, 12]);
  });

  it('an error mid-scan: what was found before is signalled (as psmisc, which sends as it scans), every pin released', async () => {
    const f = new CliFake([...crowd(30)], { fdLimit: 20000, openErrors: { '/proc/125/stat': 'EMFILE' } });
    await assert.rejects(cli(f, { names: ['hx7worker'] }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'RESOURCE');
      return true;
    });
    assert.deepEqual(sent(f), range(100, 25));
    assert.equal(f.openFds(), 0);
  });

  it('a match gone between its pin and the send: ESRCH through the pin, nothing else is hit', async () => {
    const f = new CliFake([...crowd(20)], { fdLimit: 20000 });
    // pid 103 exits and its PID is reused after it was pinned (the scan has reached pid 110 by then).
    f.opts.beforeOpen = (path) => {
      if (path === '/proc/110/stat') f.reuse(103, 'hx7worker');
    };
    const r = await cli(f, { names: ['hx7worker'] });
    assert.deepEqual(
      sent(f),
      range(100, 20).filter((p) => p !== 103),
    );
    assert.deepEqual(
      r.failed.map((x) => [x.target.pid, x.code]),
      [[103, 'ESRCH']],
    );
    assert.equal(f.openFds(), 0);
  });

  it('the library (no policy) sends as it scans', async () => {
    const f = new FakeSystem([...crowd(3)], {});
    const order: string[] = [];
    const open = f.open.bind(f);
    f.open = (path, directory) => {
      if (/^\/proc\/1\d\d\/stat$/.test(String(path))) order.push(`scan ${String(path).split('/')[2]}`);
      return open(path, directory);
    };
    const send = f.pidfdSendSignal.bind(f);
    f.pidfdSendSignal = (fd, signal) => {
      const n = f.pidfdSends.length;
      const r = send(fd, signal);
      if (f.pidfdSends.length > n) order.push(`send ${f.pidfdSends[n]![0]}`);
      return r;
    };
    await killall({ names: ['hx7worker'], system: f });
    assert.deepEqual(order, ['scan 100', 'send 100', 'scan 101', 'send 101', 'scan 102', 'send 102']);
  });
});
