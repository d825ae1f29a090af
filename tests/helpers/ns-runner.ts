/**
 * Runs one killall scenario inside a private PID namespace, where it is PID 1:
 *   unshare --pid --fork --mount-proc node ns-runner.js '<json>'
 * It starts the victims in order (so PIDs are the same run after run), runs the killall command, then asks each
 * surviving victim for a sentinel signal so that everything sent before it has been recorded, and prints a JSON
 * result. Every victim is SIGKILLed before it exits; the namespace ends with it.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunResult, Scenario, VictimResult, VictimSpec } from './scenario.js';

const SENTINEL = 64;

async function until(test: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (test()) return true;
    await sleep(2);
  }
  return test();
}

function readRecord(path: string): string[] {
  try {
    return readFileSync(path, 'latin1')
      .split('\n')
      .filter((l) => l !== '');
  } catch {
    return [];
  }
}

function state(pid: number): string | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return s.slice(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const sc = JSON.parse(process.argv[2]!) as Scenario & {
    victimBinary: string;
    killall: string[];
    dir: string;
  };
  const dir = sc.dir;
  mkdirSync(`${dir}/bin`, { recursive: true });
  mkdirSync(`${dir}/rec`, { recursive: true });
  chmodSync(`${dir}/rec`, 0o777);
  if (sc.procOptions) execFileSync('mount', ['-o', `remount,${sc.procOptions}`, '/proc']);
  const procs: { label: string; cp: ChildProcess; exit?: { code: number | null; signal: string | null } }[] =
    [];
  // For a nested victim, the victim itself is unshare's child.
  const nestedPid = new Map<string, number>();
  async function startVictim(v: VictimSpec, forcePid?: number): Promise<void> {
    const exe = `${dir}/bin/${v.exe}`;
    const record = `${dir}/rec/${v.label}`;
    if (!existsSync(exe)) {
      if (v.script) {
        writeFileSync(exe, `#!/bin/sh\nexec 3<>"${dir}/rec/${v.label}.fifo"\nread x <&3\n`);
        chmodSync(exe, 0o755);
      } else if (v.copy) copyFileSync(sc.victimBinary, exe);
      else symlinkSync(sc.victimBinary, exe);
    }
    if (v.script) spawnFifo(`${dir}/rec/${v.label}.fifo`);
    const pad = (v.padArgsKiB ?? []).map((k, i) => String.fromCharCode(97 + (i % 26)).repeat(k * 1024));
    const args = v.script ? [] : [record, ...(v.args ?? []), ...pad];
    if (forcePid !== undefined) writeFileSync('/proc/sys/kernel/ns_last_pid', String(forcePid - 1));
    const cp = spawn(
      v.nested ? 'unshare' : exe,
      v.nested ? ['--pid', '--fork', '--kill-child', exe, ...args] : args,
      {
        argv0: v.nested ? 'unshare' : (v.argv0 ?? exe),
        stdio: 'ignore',
        detached: v.detached === true,
        ...(v.nobody ? { uid: 65534, gid: 65534 } : {}),
      },
    );
    const entry: (typeof procs)[number] = { label: v.label, cp };
    cp.on('exit', (code, signal) => {
      entry.exit = { code, signal };
    });
    procs.push(entry);
    const ready = v.script
      ? () => existsSync(`/proc/${cp.pid}/fd/3`)
      : () =>
          readRecord(record).includes('ready') &&
          (!v.args?.includes('--fork') || readRecord(`${record}.child`).includes('ready'));
    if (!(await until(ready, 5000))) throw new Error(`victim ${v.label} did not start`);
    if (v.nested) nestedPid.set(v.label, childOf(cp.pid!));
    if (v.args?.includes('--zombie')) await until(() => zombieOf(cp.pid!), 2000);
    if (v.delayAfterMs) await sleep(v.delayAfterMs);
  }
  for (const v of sc.victims) await startVictim(v);
  if (sc.unmountProc || sc.foreignProc === 'host') execFileSync('umount', ['-l', '/proc']);
  // After the lazy unmount the host's /proc shows through; an empty tmpfs over it is a /proc with nothing in it.
  if (sc.unmountProc) execFileSync('mount', ['-t', 'tmpfs', 'none', '/proc']);
  if (sc.foreignProc === 'nested') await bindForeignProc(dir);
  const started = Date.now();
  const pidOf = (label: string): number =>
    nestedPid.get(label) ?? procs.find((p) => p.label === label)!.cp.pid!;
  const expand = (a: string): string =>
    a.replaceAll('{dir}', dir).replace(/\{pid:([^}]+)\}/g, (_, l: string) => String(pidOf(l)));
  const kill = spawn(sc.killall[0]!, [...sc.killall.slice(1), ...sc.args.map(expand)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...(sc.env ?? {}) },
    cwd: sc.cwd === 'bin' ? `${dir}/bin` : dir,
    ...(sc.asNobody ? { uid: 65534, gid: 65534 } : {}),
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  kill.stdout.on('data', (d: Buffer) => out.push(d));
  kill.stderr.on('data', (d: Buffer) => err.push(d));
  kill.stdin.on('error', () => {});
  if (sc.whilePrompted) {
    const wp = sc.whilePrompted;
    let acted = false;
    kill.stdout.on('data', () => {
      if (acted || !Buffer.concat(out).toString('latin1').includes('? (y/N) ')) return;
      acted = true;
      void (async () => {
        const target = procs.find((p) => p.label === wp.kill)!;
        const pid = target.cp.pid!;
        const gone = new Promise((r) => target.cp.once('exit', r));
        target.cp.kill('SIGKILL');
        await gone;
        if (wp.reuse) await startVictim(wp.reuse, pid);
        kill.stdin.end(wp.answer);
      })();
    });
  } else if (sc.stdin === null) kill.stdin.end();
  else if (sc.stdin !== undefined) kill.stdin.end(sc.stdin);
  const timeout = sc.timeoutMs ?? 15000;
  const rc = await new Promise<number | string>((resolve) => {
    const t = setTimeout(() => {
      kill.kill('SIGKILL');
      resolve('timeout');
    }, timeout);
    kill.on('close', (code, signal) => {
      clearTimeout(t);
      resolve(code ?? `signal ${signal}`);
    });
  });
  const elapsedMs = Date.now() - started;
  const victims: Record<string, VictimResult> = {};
  for (const p of procs) {
    const record = `${dir}/rec/${p.label}`;
    const records = [record, `${record}.child`, `${record}.churn`].filter((r) => existsSync(r));
    for (const r of records) {
      const label = r === record ? p.label : `${p.label}${r.slice(record.length)}`;
      const alive = () => p.exit === undefined && state(p.cp.pid!) !== undefined;
      const isChild = r !== record;
      if (!isChild && alive() && state(p.cp.pid!) !== 'T') {
        try {
          process.kill(p.cp.pid!, SENTINEL);
        } catch {}
        await until(() => p.exit !== undefined || readRecord(r).includes(String(SENTINEL)), 3000);
      }
      // A parent with children also gets SIGCHLD when they die, in an order that scheduling decides.
      const spec = sc.victims.find((v) => v.label === p.label);
      const dropChld = spec?.args?.some((a) => a === '--fork' || a === '--zombie') === true;
      const sigs = readRecord(r)
        .filter((l) => l !== 'ready' && l !== String(SENTINEL) && !(dropChld && l === '17'))
        .map(Number);
      victims[label] = {
        signals: sigs,
        ...(isChild
          ? {}
          : {
              exit: p.exit
                ? (p.exit.signal ?? `code ${p.exit.code}`)
                : state(p.cp.pid!) === 'T'
                  ? 'stopped'
                  : 'alive',
            }),
      };
    }
    if (!existsSync(record)) {
      await until(() => p.exit !== undefined, 200);
      victims[p.label] = { signals: [], exit: p.exit ? (p.exit.signal ?? `code ${p.exit.code}`) : 'alive' };
    }
  }
  const result: RunResult = {
    rc,
    stdout: Buffer.concat(out).toString('latin1'),
    stderr: Buffer.concat(err).toString('latin1'),
    victims,
    elapsedMs,
    pids: Object.fromEntries(procs.map((p) => [p.label, p.cp.pid!])),
  };
  for (const p of procs) {
    try {
      process.kill(p.cp.pid!, 'SIGKILL');
    } catch {}
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

// Mounts the procfs of a nested PID namespace and binds it over /proc: every PID in it is someone else.
async function bindForeignProc(dir: string): Promise<void> {
  const mnt = `${dir}/foreign-proc`;
  mkdirSync(mnt);
  const holder = spawn(
    'unshare',
    ['--pid', '--fork', 'sh', '-c', `mount -t proc proc ${mnt} && exec sleep 1000`],
    {
      stdio: 'ignore',
    },
  );
  holder.unref();
  if (!(await until(() => existsSync(`${mnt}/1/stat`), 5000))) throw new Error('no foreign procfs');
  execFileSync('mount', ['--bind', mnt, '/proc']);
}

function childOf(parent: number): number {
  const kids = readFileSync(`/proc/${parent}/task/${parent}/children`, 'latin1').trim().split(' ');
  return Number(kids[0]);
}

function zombieOf(parent: number): boolean {
  try {
    const kids = readFileSync(`/proc/${parent}/task/${parent}/children`, 'latin1').trim().split(' ');
    return kids.some((k) => k !== '' && state(Number(k)) === 'Z');
  } catch {
    return false;
  }
}

// A FIFO for a script victim to block on without any child process.
function spawnFifo(path: string): void {
  if (!existsSync(path)) execFileSync('mkfifo', [path]);
}

main().catch((e: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: String(e instanceof Error ? e.stack : e) })}\n`);
  process.exit(0);
});
