/**
 * Runs `--explain` cases inside a private PID namespace, where it is PID 1:
 *   unshare --pid --fork --mount-proc node explain-runner.js '<json>'
 * It mounts a private tmpfs at a fixed path (so that paths, and the byte counts of reads that show them, are the
 * same on every run), starts the victims in order (copies of sleep, or a shell script run by `sh`), waits until
 * each one shows what the test expects, runs each killall command (as root or as nobody, optionally under
 * `strace -f`), and prints one JSON line. The namespace, and every victim with it, ends when this exits.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { until } from './poll.js';

/** The fixed folder (a tmpfs private to the namespace). */
export const EXPLAIN_DIR = '/run/kts-explain';

export interface ExplainVictim {
  readonly label: string;
  /** File name under EXPLAIN_DIR/bin. */
  readonly exe: string;
  /** argv[0] instead of the path (a copy of sleep only). */
  readonly argv0?: string;
  /** A `#!/bin/sh` script started as `sh PATH` (its comm is `sh`). */
  readonly script?: boolean;
  /** Run it as user nobody. */
  readonly nobody?: boolean;
  /** A folder under EXPLAIN_DIR/bin that holds the executable (any bytes but `/` and NUL, as UTF-8 text). */
  readonly dir?: string;
  /** Start it through a symbolic link of this name in EXPLAIN_DIR/bin: its comm is then the link's name. */
  readonly via?: string;
}

export interface ExplainCommand {
  readonly args: readonly string[];
  readonly nobody?: boolean;
  readonly strace?: boolean;
  /** More environment for killall. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface ExplainPayload {
  /** killall-ts's launcher: a copy that user nobody can run (tests/helpers/ns.ts's nobodyKit). */
  readonly killall: string;
  /** PATH for the commands, when nobody needs a copy of node first. */
  readonly path?: string;
  readonly victims: readonly ExplainVictim[];
  readonly commands: readonly ExplainCommand[];
}

export interface ExplainRun {
  readonly rc: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly strace?: string;
}

function read(path: string): string {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return '';
  }
}

async function main(): Promise<void> {
  const p = JSON.parse(process.argv[2]!) as ExplainPayload;
  mkdirSync(EXPLAIN_DIR, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'mode=1777', 'kts-explain', EXPLAIN_DIR]);
  mkdirSync(`${EXPLAIN_DIR}/bin`);
  const pids: Record<string, number> = {};
  for (const v of p.victims) {
    if (v.dir) mkdirSync(`${EXPLAIN_DIR}/bin/${v.dir}`, { recursive: true });
    const exe = `${EXPLAIN_DIR}/bin/${v.dir ? `${v.dir}/` : ''}${v.exe}`;
    if (v.script) writeFileSync(exe, '#!/bin/sh\nwhile :; do sleep 1000; done\n');
    else copyFileSync('/bin/sleep', exe);
    chmodSync(exe, 0o755);
    const user = v.nobody ? { uid: 65534, gid: 65534 } : {};
    const start = v.via ? `${EXPLAIN_DIR}/bin/${v.via}` : exe;
    if (v.via) symlinkSync(exe, start);
    const cp = v.script
      ? spawn('sh', [exe], { stdio: 'ignore', ...user })
      : spawn(start, ['1000'], { stdio: 'ignore', ...user, ...(v.argv0 ? { argv0: v.argv0 } : {}) });
    const pid = cp.pid!;
    pids[v.label] = pid;
    // The kernel's comm: the first 15 bytes of the name executed (read back as latin1, one char per byte).
    const comm = v.script
      ? 'sh'
      : Buffer.from(v.via ?? v.exe)
          .subarray(0, 15)
          .toString('latin1');
    const ready = (): boolean =>
      read(`/proc/${pid}/comm`) === `${comm}\n` &&
      (!v.script || read(`/proc/${pid}/task/${pid}/children`).trim() !== '');
    // A generous deadline: the machine may be loaded.
    if (!(await until(ready, 30_000))) throw new Error(`victim ${v.label} did not start`);
  }
  const results: ExplainRun[] = [];
  for (const c of p.commands) {
    const trace = `${EXPLAIN_DIR}/strace.txt`;
    const argv = c.strace
      ? ['strace', '-f', '-o', trace, ...(c.nobody ? ['-u', 'nobody'] : []), p.killall, ...c.args]
      : [p.killall, ...c.args];
    // Asynchronously, so that the event loop reaps the victims a command killed before the next one runs.
    const child = spawn(argv[0]!, argv.slice(1), {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_EXTRA_CA_CERTS: '', ...(p.path ? { PATH: p.path } : {}), ...c.env },
      ...(c.nobody && !c.strace ? { uid: 65534, gid: 65534 } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const rc = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    results.push({
      rc,
      stdout: Buffer.concat(out).toString('latin1'),
      stderr: Buffer.concat(err).toString('latin1'),
      ...(c.strace ? { strace: read(trace) } : {}),
    });
    // Killed victims must be gone (reaped), not zombies, before the next command scans.
    for (const [label, pid] of Object.entries(pids)) {
      if (!(await until(() => !/^State:\s+Z/m.test(read(`/proc/${pid}/status`)), 30_000)))
        throw new Error(`victim ${label} was not reaped`);
    }
  }
  // Synchronously: the result is large (strace output) and the process exits right after.
  writeSync(1, `${JSON.stringify({ pids, results })}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    writeSync(1, `${JSON.stringify({ error: e instanceof Error ? e.message : String(e) })}\n`);
    process.exit(0);
  },
);
