/**
 * Identity is the pin, or PID + start time, never the comm: a process that renames itself (on SIGTERM, say) is the
 * same process for `-w`, `--kill-after` and the kill(2) fallback; a newcomer on the same PID is another one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type KillallOptions, killall } from '../../src/killall.js';
import { ProcReader } from '../../src/procfs/reader.js';
import { sendKill } from '../../src/signal/escalate.js';
import { processGone } from '../../src/signal/wait.js';
import { type FakeOptions, type FakeProc, FakeSystem } from '../helpers/fake-system.js';

/**
 * A fake whose processes rename themselves to `renamed` on SIGTERM and ignore it; SIGKILL makes them zombies. Its
 * sleep is a real timer (the waits poll).
 */
class RenamingSystem extends FakeSystem {
  constructor(procs: FakeProc[], opts: FakeOptions = {}) {
    super(procs, opts);
  }
  private hit(pid: number, signal: number): void {
    const p = this.procs.get(pid);
    if (!p) return;
    if (signal === 15) p.comm = 'renamed';
    if (signal === 9) p.state = 'Z';
  }
  override pidfdSendSignal(fd: number, signal: number) {
    const before = this.pidfdSends.length;
    const r = super.pidfdSendSignal(fd, signal);
    if (this.pidfdSends.length > before) this.hit(this.pidfdSends.at(-1)![0], signal);
    return r;
  }
  override kill(pid: number, signal: number): void {
    super.kill(pid, signal);
    if (pid > 0) this.hit(pid, signal);
  }
  override sleep(ms = 1): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }
}

const crowd = (n: number): FakeProc[] =>
  Array.from({ length: n }, (_, i) => ({ pid: 100 + i, comm: 'hx7rn' }));
const cli = { kernelThreads: true, excludeAncestors: false } as const;
const run = (s: FakeSystem, o: Omit<KillallOptions, 'system'>) => killall({ ...cli, ...o, system: s });
// A soft fd limit of 8 keeps 2 wait pins (a quarter): the other targets are waited on by PID and start time.
const FEW_PINS: FakeOptions = { fdLimit: 8 };

describe('identity: a process that renames itself on SIGTERM is the same process', () => {
  it('-w (bounded here) waits for every one, pinned or not: none counts as gone for its new name', async () => {
    const s = new RenamingSystem(crowd(6), FEW_PINS);
    const r = await run(s, { names: ['hx7rn'], wait: { timeoutMs: 30 } });
    assert.equal(r.signalled.length, 6);
    assert.equal(r.wait?.timedOut, true);
    assert.deepEqual(
      r.stillRunning.map((t) => t.pid),
      [100, 101, 102, 103, 104, 105],
    );
  });

  it('--kill-after sends SIGKILL to every survivor, the ones waited on by PID and start time too', async () => {
    const s = new RenamingSystem(crowd(6), FEW_PINS);
    const r = await run(s, { names: ['hx7rn'], killAfter: 10 });
    assert.deepEqual(
      s.pidfdSends.filter(([, sig]) => sig === 9).map(([pid]) => pid),
      [100, 101, 102, 103, 104, 105],
    );
    assert.equal(r.escalated.length, 6);
    assert.deepEqual(r.stillRunning, []);
    assert.equal(r.ok, true);
    assert.equal(s.openFds(), 0);
  });

  it('the kill(2) fallback signals a process that renamed itself between its pin and the send', async () => {
    const s = new RenamingSystem([{ pid: 100, comm: 'hx7rn' }], { pidfd: 'ENOSYS' });
    // The fallback re-reads the stat through the pin right before kill(2): the rename lands just before that read.
    s.opts.beforeOpen = (path) => {
      if (/^\/proc\/self\/fd\/\d+\/stat$/.test(path)) s.procs.get(100)!.comm = 'renamed';
    };
    const r = await run(s, { names: ['hx7rn'] });
    assert.deepEqual(s.kills, [[100, 15]]);
    assert.equal(r.ok, true);
    assert.deepEqual(r.failed, []);
  });

  it('processGone and sendKill: a rename is not an exit; another start time on the PID is', () => {
    const s = new RenamingSystem(crowd(1));
    const reader = new ProcReader(s);
    const target = { kind: 'process' as const, pid: 100, startTime: '1000', comm: Buffer.from('hx7rn') };
    s.procs.get(100)!.comm = 'renamed';
    assert.equal(processGone(s, target, reader), false);
    assert.equal(sendKill(s, target, reader), 'ok');
    assert.deepEqual(s.pidfdSends, [[100, 9]]);
    assert.equal(processGone(s, target, reader), true, 'a zombie is gone');
    // The PID now holds a newcomer (another start time), even with the same name: gone, and never signalled.
    s.reuse(100, 'hx7rn');
    assert.equal(processGone(s, target, reader), true);
    assert.equal(sendKill(s, target, reader), 'ESRCH');
    assert.deepEqual(s.pidfdSends, [[100, 9]]);
    assert.equal(s.openFds(), 0);
  });
});
