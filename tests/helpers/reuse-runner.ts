/**
 * Forced PID reuse, run as PID 1 of a private PID namespace (where we own ns_last_pid):
 *   unshare --pid --fork --mount-proc node reuse-runner.js VICTIM DIR
 * For each path (pidfd, and the kill(2) fallback) it pins victim A, kills and reaps A, makes a new victim B take
 * A's PID, then sends SIGTERM through the stale pin; and it runs killall() end to end with the reuse happening
 * between the scan and the send (while `confirm` runs, after the pin), and between the scan's read and the pin
 * (inside the pin's open: the window the scan's kept stat fd closes). It prints JSON: what each send returned and
 * what B received.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { killall } from '../../src/killall.js';
import { ProcReader } from '../../src/procfs/reader.js';
import { openPin, type Pin, pinDir, sendPinned, unpin } from '../../src/signal/send.js';
import { realSystem, type System } from '../../src/system.js';

const [victimBin, dir] = process.argv.slice(2) as [string, string];
let n = 0;

// Victims are started through symlinks, so their comm is the link's name.
async function start(forcePid?: number, name = 'hx7reuse'): Promise<{ cp: ChildProcess; record: string }> {
  const record = `${dir}/rec${++n}`;
  const exe = `${dir}/${name}`;
  if (!existsSync(exe)) symlinkSync(victimBin, exe);
  if (forcePid !== undefined) writeFileSync('/proc/sys/kernel/ns_last_pid', String(forcePid - 1));
  const cp = spawn(exe, [record], { stdio: 'ignore' });
  const deadline = Date.now() + 30_000;
  while (!(existsSync(record) && readFileSync(record, 'latin1').includes('ready'))) {
    if (Date.now() > deadline) throw new Error(`victim ${record} did not start`);
    await sleep(2);
  }
  return { cp, record };
}

/**
 * What a victim received, as an outcome: it is sent the sentinel (64) and waited for until it recorded it (victim.c
 * handles signals one at a time, lowest first, so everything sent before is recorded by then) or exited.
 */
async function received(v: { cp: ChildProcess; record: string }): Promise<string[]> {
  let exited = v.cp.exitCode !== null || v.cp.signalCode !== null;
  const onExit = () => {
    exited = true;
  };
  v.cp.once('exit', onExit);
  if (!exited) process.kill(v.cp.pid!, 64);
  const deadline = Date.now() + 30_000;
  while (!exited && !signals(v.record).includes('64')) {
    if (Date.now() > deadline) throw new Error(`victim ${v.record} neither recorded the sentinel nor exited`);
    await sleep(2);
  }
  v.cp.off('exit', onExit);
  return signals(v.record).filter((l) => l !== '64');
}

async function stop(cp: ChildProcess): Promise<void> {
  if (cp.exitCode !== null || cp.signalCode !== null) return;
  const exited = new Promise((r) => cp.once('exit', r));
  cp.kill('SIGKILL');
  await exited;
}

const signals = (record: string): string[] =>
  readFileSync(record, 'latin1')
    .split('\n')
    .filter((l) => l !== '' && l !== 'ready');

const withoutPidfd: System = { ...realSystem, pidfdSendSignal: () => 'ENOSYS' };

async function lowLevel(sys: System) {
  const a = await start();
  const pid = a.cp.pid!;
  const startTime = readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]!.split(' ')[19]!;
  const fd = openPin(sys, pid);
  const st = fd === null ? null : new ProcReader(sys).statOf(pinDir(fd));
  const p: Pin | null =
    fd !== null && st?.startTime === startTime ? { pid, fd, startTime, comm: st.comm } : null;
  await stop(a.cp);
  // The newcomer even has the same name: only the pin tells the two apart.
  const b = await start(pid);
  const sameStart = readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]!.split(' ')[19] === startTime;
  const result = p ? sendPinned(sys, p, 15) : 'no pin';
  if (p) unpin(sys, p);
  const got = await received(b);
  const reused = b.cp.pid === pid;
  await stop(b.cp);
  return { reused, sameStart, result, newcomerGot: got };
}

async function endToEnd(sys: System) {
  const a = await start();
  const pid = a.cp.pid!;
  let b: { cp: ChildProcess; record: string } | undefined;
  const report = await killall({
    names: ['hx7reuse'],
    system: sys,
    confirm: async () => {
      await stop(a.cp);
      // The newcomer has the same name: only the pin (taken before the prompt) tells them apart.
      b = await start(pid);
      return true;
    },
  });
  const got = b ? await received(b) : ['no newcomer'];
  const reused = b?.cp.pid === pid;
  if (b) await stop(b.cp);
  return {
    reused,
    failed: report.failed.map((f) => f.code),
    signalled: report.signalled.length,
    newcomerGot: got,
  };
}

/**
 * The reuse between the scan's stat read and the pin: A runs under a holder shell that reaps it, and the System's
 * open of A's pin first kills A, waits until it is reaped, and starts B (same name) on A's PID, all synchronously,
 * so the pin is taken on B. B is orphaned to us (PID 1); we started it, and it is only ever sent the sentinel.
 */
async function scanToPin(inner: System, name: string) {
  // A name of its own per call: the newcomer is left a zombie of ours (PID 1 here) and must not match later calls.
  const exe = `${dir}/${name}`;
  if (!existsSync(exe)) symlinkSync(victimBin, exe);
  const recA = `${dir}/rec${++n}`;
  const holder = spawn('sh', ['-c', '"$0" "$1" </dev/null >/dev/null 2>&1 & echo $!; wait', exe, recA], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const pidA = await new Promise<number>((resolve) =>
    holder.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
  );
  const deadline = Date.now() + 30_000;
  while (!(existsSync(recA) && readFileSync(recA, 'latin1').includes('ready'))) {
    if (Date.now() > deadline) throw new Error('victim A did not start');
    await sleep(2);
  }
  const recB = `${dir}/rec${++n}`;
  let pidB = 0;
  let pinned = false;
  // The re-reads of the scan's kept stat fd that failed with ESRCH: the proof that caught the newcomer.
  let staleStatReads = 0;
  const sys: System = {
    ...inner,
    read(fd, buf, offset, length, position = null) {
      try {
        return inner.read(fd, buf, offset, length, position);
      } catch (e) {
        if (position !== null && (e as { code?: string }).code === 'ESRCH') staleStatReads++;
        throw e;
      }
    },
    open(path, directory = false) {
      if (
        directory &&
        String(path) === `/proc/${pidA}` &&
        pidB === 0 &&
        Number.isSafeInteger(pidA) &&
        pidA > 1
      ) {
        const script = [
          `kill -9 ${pidA}`,
          'i=0',
          `while [ -e /proc/${pidA} ] && [ $i -lt 30000 ]; do sleep 0.001; i=$((i+1)); done`,
          `echo ${pidA - 1} > /proc/sys/kernel/ns_last_pid`,
          '"$0" "$1" </dev/null >/dev/null 2>&1 & echo $!',
          'i=0',
          'until grep -q ready "$1" 2>/dev/null || [ $i -ge 30000 ]; do sleep 0.001; i=$((i+1)); done',
        ].join('\n');
        const r = spawnSync('sh', ['-c', script, exe, recB], { encoding: 'latin1', timeout: 60_000 });
        pidB = Number(r.stdout.trim());
        pinned = true;
      }
      return inner.open(path, directory);
    },
  };
  const report = await killall({ names: [name], system: sys });
  // B was never signalled: it records only the sentinel, which we send to the PID we started B on.
  let got: string[] = ['no newcomer'];
  if (pidB > 1 && existsSync(recB)) {
    process.kill(pidB, 64);
    const until = Date.now() + 30_000;
    while (!signals(recB).includes('64')) {
      if (Date.now() > until) throw new Error('newcomer did not record the sentinel');
      await sleep(2);
    }
    got = signals(recB).filter((l) => l !== '64');
    process.kill(pidB, 'SIGKILL');
  }
  await new Promise((r) => (holder.exitCode !== null ? r(null) : holder.once('exit', r)));
  return {
    reused: pinned && pidB === pidA,
    staleStatReads,
    failed: report.failed.map((f) => f.code),
    signalled: report.signalled.length,
    newcomerGot: got,
  };
}

async function main() {
  const out = {
    pidfd: await lowLevel(realSystem),
    fallback: await lowLevel(withoutPidfd),
    endToEndPidfd: await endToEnd(realSystem),
    endToEndFallback: await endToEnd(withoutPidfd),
    scanToPinPidfd: await scanToPin(realSystem, 'hx7scanpin1'),
    scanToPinFallback: await scanToPin(withoutPidfd, 'hx7scanpin2'),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: String(e instanceof Error ? e.stack : e) })}\n`);
  process.exit(0);
});
