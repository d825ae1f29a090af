/**
 * Forced PID reuse, run as PID 1 of a private PID namespace (where we own ns_last_pid):
 *   unshare --pid --fork --mount-proc node reuse-runner.js VICTIM DIR
 * For each path (pidfd, and the kill(2) fallback) it pins victim A, kills and reaps A, makes a new victim B take
 * A's PID, then sends SIGTERM through the stale pin; and it runs killall() end to end with the reuse happening
 * between the scan and the send. It prints JSON: what each send returned and what B received.
 */
import { type ChildProcess, spawn } from 'node:child_process';
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

async function main() {
  const out = {
    pidfd: await lowLevel(realSystem),
    fallback: await lowLevel(withoutPidfd),
    endToEndPidfd: await endToEnd(realSystem),
    endToEndFallback: await endToEnd(withoutPidfd),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: String(e instanceof Error ? e.stack : e) })}\n`);
  process.exit(0);
});
